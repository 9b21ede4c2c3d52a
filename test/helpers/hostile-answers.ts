import { type Answer, type Recorded, type Script, type ScriptContext, SECRET_PARAMS, flowErrorBody } from "./scripted-server";

/**
 * Odd answers for the scripted server: what a proxy, a gateway, a half-broken service or a hostile
 * one sends back instead of Flow Service's own answer.
 */

export const MiB = 1024 * 1024;

const JSON_TYPE = { "content-type": "application/json;charset=utf-8" };
const HTML_TYPE = { "content-type": "text/html; charset=utf-8" };
const TEXT_TYPE = { "content-type": "text/plain; charset=utf-8" };

export const LOGIN_PAGE = "<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Corporate proxy</h1><form method=post><input name=user></form></body></html>";
export const NGINX_404 = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/** Raw bytes under a JSON content type (empty, `null`, truncated…). */
export function jsonText(status: number, text: string, label = `${status} ${JSON.stringify(text.slice(0, 12))}`): Answer {
  return { label, status, headers: JSON_TYPE, raw: text };
}

export function html(status: number, page = status === 404 ? NGINX_404 : LOGIN_PAGE): Answer {
  return { label: `${status} HTML`, status, headers: HTML_TYPE, raw: page };
}

export const GATEWAY_404: Answer = { label: "gateway 404", status: 404, json: { error_code: "404050", message: "Requested resource was not found" } };

/** The normal answer applied, then replaced by `odd` (which may use the normal answer's body). */
export function applied(odd: (normal: Answer, req: Recorded) => Answer): Script {
  return (req: Recorded, ctx: ScriptContext) => odd(ctx.normal(), req);
}

/** The normal answer's JSON text. */
export function normalText(a: Answer): string {
  return JSON.stringify(a.json);
}

/** The normal answer's body (its effect applied), the first `bytes` bytes dripped one every `everyMs` ms. */
export function dripped(bytes = 6, everyMs = 500): Script {
  return (_req, ctx) => {
    const n = ctx.normal();
    const text = normalText(n);
    return { label: `drip ${bytes} B / ${everyMs} ms`, status: n.status, headers: JSON_TYPE, drip: { bytes: text.slice(0, bytes), everyMs, rest: text.slice(bytes) } };
  };
}

/** The normal answer's JSON (its effect applied) padded to `totalBytes` inside a string field, streamed. */
export function oversized(totalBytes = 9 * MiB, field = "description"): Script {
  return (_req, ctx) => {
    const n = ctx.normal();
    const json = n.json as Record<string, unknown>;
    const padded = Array.isArray(json.items) ? { ...json, items: json.items.map((i: Record<string, unknown>) => ({ ...i, [field]: "@PAD@" })) } : { ...json, [field]: "@PAD@" };
    const [prefix, suffix] = JSON.stringify(padded).split('"@PAD@"');
    return { label: `${Math.round(totalBytes / MiB)} MiB streamed`, status: n.status, headers: JSON_TYPE, stream: { totalBytes, prefix: `${prefix}"`, suffix: `"${suffix}` } };
  };
}

/** A redirect to another path on the same server (followed, it would show up in the record). */
export function redirect(status: 301 | 302 | 307 | 308): Script {
  return (req) => ({ label: `${status} redirect`, status, headers: { location: `/elsewhere${req.path}`, ...TEXT_TYPE }, raw: `Moved to /elsewhere${req.path}` });
}

/** Every string value of a JSON or form body, with the param name it sits under. */
export function bodyValues(req: Recorded): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (v: unknown, key: string): void => {
    if (typeof v === "string") out.push([key, v]);
    else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, k === "value" ? key : k);
  };
  const type = String(req.headers["content-type"] ?? "");
  if (type.includes("x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(req.body)) out.push([k, v]);
  } else if (req.body) {
    try {
      const parsed = JSON.parse(req.body) as unknown;
      // A JSON Patch carries the param name in `path`: /auth/params/password.
      if (Array.isArray(parsed)) for (const op of parsed as Array<{ path?: string; value?: unknown }>) walk(op.value, String(op.path ?? "").split("/").pop() ?? "");
      else walk(parsed, "");
    } catch {
      out.push(["", req.body]);
    }
  }
  return out;
}

const SECRETISH = new Set([...SECRET_PARAMS, "client_secret"]);

/** Secret values of a request: secret params, the form's client secret, the bearer token. */
export function secretValuesOf(req: Recorded): string[] {
  const values = bodyValues(req)
    .filter(([k]) => SECRETISH.has(k))
    .map(([, v]) => v);
  const auth = req.headers.authorization;
  if (typeof auth === "string") values.push(auth.replace(/^Bearer /, ""));
  return values;
}

/** The request echoed back in every form a server might use: the body as sent, each value raw, JSON, URL-encoded and Base64, the Authorization header. */
export function echoOf(req: Recorded): string {
  const parts = [`request body was ${req.body}`];
  for (const [k, v] of bodyValues(req)) {
    parts.push(`${k}=${v}`, `${k} json=${JSON.stringify(v)}`, `${k} urlencoded=${encodeURIComponent(v)}`, `${k} form=${new URLSearchParams({ [k]: v }).toString()}`, `${k} base64=${Buffer.from(v).toString("base64")}`);
  }
  const auth = req.headers.authorization;
  if (typeof auth === "string") {
    const token = auth.replace(/^Bearer /, "");
    parts.push(`authorization=${auth}`, `token base64=${Buffer.from(token).toString("base64")}`, `token json=${JSON.stringify(token)}`);
  }
  return parts.join("; ");
}

/** Flow Service's error JSON carrying the echo in every message field. */
export function echoFlowJson(status: number): Script {
  return (req) => {
    const echo = echoOf(req);
    const body = flowErrorBody(`1100-${status}`, echo);
    return { label: `${status} Flow JSON echo`, status, json: { ...body, detail: echo, message: echo } };
  };
}

/** The gateway's error shape carrying the echo. */
export function echoGatewayJson(status: number, code = `${status}003`): Script {
  return (req) => ({ label: `${status} gateway echo`, status, json: { error_code: code, message: echoOf(req) } });
}

/** IMS's OAuth error carrying the echo. */
export function echoImsJson(status: number): Script {
  return (req) => ({ label: `${status} IMS echo`, status, json: { error: "invalid_client", error_description: echoOf(req) } });
}

/** An HTML error page carrying the echo (well past 500 characters). */
export function echoHtml(status: number): Script {
  return (req) => ({ label: `${status} HTML echo`, status, headers: HTML_TYPE, raw: `<html><body><h1>${status} Bad Gateway</h1><pre>${"-".repeat(400)}\n${echoOf(req)}</pre></body></html>` });
}

/**
 * Plain text longer than 500 characters where character 500 falls in the middle of the request's
 * first secret value (so a message cut at 500 ends in its first half), the echo after it.
 */
export function echoStraddling500(status: number): Script {
  return (req) => {
    const secret = secretValuesOf(req)[0] ?? "";
    const head = `rejected: `;
    const pad = Math.max(0, 500 - head.length - Math.floor(secret.length / 2));
    return { label: `${status} text, 500 cuts a secret`, status, headers: TEXT_TYPE, raw: `${head}${".".repeat(pad)}${secret} ${echoOf(req)}` };
  };
}

/** A short plain text body that ends in the first half of the request's secret value at `index`. */
export function echoEndingInHalf(status: number, index = 0): Script {
  return (req) => {
    const secret = secretValuesOf(req)[index] ?? "";
    return { label: `${status} text ends mid-secret`, status, headers: TEXT_TYPE, raw: `could not validate credential ${secret.slice(0, Math.ceil(secret.length / 2))}` };
  };
}

/** The normal answer (its effect applied), cut short: the connection closes after `bytes` of the declared body. */
export function cutShort(bytes = 10): Script {
  return (_req, ctx) => {
    const n = ctx.normal();
    return { label: `cut after ${bytes} B`, status: n.status, headers: JSON_TYPE, raw: normalText(n), cutAfter: bytes };
  };
}

/** A listing page that always links to a next page, with a token never seen before. */
export function endlessPages(): Script {
  let page = 0;
  return () => ({ label: `endless page ${++page}`, status: 200, json: { items: [], _links: { next: { href: `/data/foundation/flowservice/connections?continuationToken=page-${page}-${Math.random().toString(36).slice(2)}` } } } });
}

/** A 500 whose request id header echoes the bearer token. */
export function tokenInRequestId(status = 500): Script {
  return (req) => ({ label: `${status}, token as request id`, status, headers: { "x-request-id": String(req.headers.authorization ?? "").replace(/^Bearer /, "") }, json: { error_code: `${status}000`, message: "Internal error" } });
}

/** A redirect whose Location carries the request's first secret value, Base64 in the path and URL-encoded in the query. */
export function redirectCarryingSecret(status: 307 | 308 = 307): Script {
  return (req) => {
    const secret = secretValuesOf(req)[0] ?? "";
    return { label: `${status}, secret in Location`, status, headers: { location: `/login/${Buffer.from(secret).toString("base64")}?next=${encodeURIComponent(secret)}`, ...TEXT_TYPE }, raw: "" };
  };
}

/** Flow's error JSON with the request's first secret value as the error code and type. */
export function secretAsErrorCode(status = 400): Script {
  return (req) => {
    const secret = secretValuesOf(req)[0] ?? "";
    return { label: `${status}, secret as error code`, status, json: { type: `https://ns.adobe.com/aep/errors/${secret}`, error_code: secret, code: secret, title: "Invalid", status } };
  };
}

/** Plain text holding the first half of the request's first secret value, then an ellipsis and more text. */
export function echoHalfThenEllipsis(status = 400): Script {
  return (req) => {
    const secret = secretValuesOf(req)[0] ?? "";
    return { label: `${status} text, half a secret then …`, status, headers: TEXT_TYPE, raw: `credential '${secret.slice(0, Math.ceil(secret.length / 2))}…' was rejected by the upstream server` };
  };
}

/**
 * 1617 bytes of Brotli that expand to 2 GiB of spaces (2^31 bytes): made once with Node's
 * BrotliCompress at quality 5, window 24, fed 2048 chunks of 1 MiB of spaces.
 */
export const BROTLI_BOMB_2GIB = Buffer.from(
  "z///fwAkQOKxQHLv//n//w+ABEAcFoDu/T////8BkACIwwLQvf/n//8/ABIAcVgAuvf//P//B0ACIA4LQPf+n////wBIAMRhAeje" +
  "//P//x8ACYA4LADd+3/+//8DIAEQhwWge//P//9/ACQA4rAAdO//+f//D4AEQBwWgO79P////wGQAIjDAtC9/+f//z8AEgBxWAC6" +
  "9//8//8HQAIgDgtA9/6f////AEgAxGEB6N7/8///HwAJgDgsAN37f/7//wMgARCHBaB7/8///38AJADisAB07//5//8PgARAHBaA" +
  "7v0/////AZAAiMMC0L3/5///PwASAHFYALr3//z//wdAAiAOC0D3/p////8ASADEYQHo3v/z//8fAAmAOCwA3ft//v//AyABEIcF" +
  "oHv/z///fwAkAOKwAHTv//n//w+ABEAcFoDu/T////8BkACIwwLQvf/n//8/ABIAcVgAuvf//P//B0ACIA4LQPf+n////wBIAMRh" +
  "Aeje//P//x8ACYA4LADd+3/+//8DIAEQhwWge//P//9/ACQA4rAAdO//+f//D4AEQBwWgO79P////wGQAIjDAtC9/+f//z8AEgBx" +
  "WAC69//8//8HQAIgDgtA9/6f////AEgAxGEB6N7/8///HwAJgDgsAN37f/7//wMgARCHBaB7/8///38AJADisAB07//5//8PgARA" +
  "HBaA7v0/////AZAAiMMC0L3/5///PwASAHFYALr3//z//wdAAiAOC0D3/p////8ASADEYQHo3v/z//8fAAmAOCwA3ft//v//AyAB" +
  "EIcFoHv/z///fwAkAOKwAHTv//n//w+ABEAcFoDu/T////8BkACIwwLQvf/n//8/ABIAcVgAuvf//P//B0ACIA4LQPf+n////wBI" +
  "AMRhAeje//P//x8ACYA4LADd+3/+//8DIAEQhwWge//P//9/ACQA4rAAdO//+f//D4AEQBwWgO79P////wGQAIjDAtC9/+f//z8A" +
  "EgBxWAC69//8//8HQAIgDgtA9/6f////AEgAxGEB6N7/8///HwAJgDgsAN37f/7//wMgARCHBaB7/8///38AJADisAB07//5//8P" +
  "gARAHBaA7v0/////AZAAiMMC0L3/5///PwASAHFYALr3//z//wdAAiAOC0D3/p////8ASADEYQHo3v/z//8fAAmAOCwA3ft//v//" +
  "AyABEIcFoHv/z///fwAkAOKwAHTv//n//w+ABEAcFoDu/T////8BkACIwwLQvf/n//8/ABIAcVgAuvf//P//B0ACIA4LQPf+n///" +
  "/wBIAMRhAeje//P//x8ACYA4LADd+3/+//8DIAEQhwWge//P//9/ACQA4rAAdO//+f//D4AEQBwWgO79P////wGQAIjDAtC9/+f/" +
  "/z8AEgBxWAC69//8//8HQAIgDgtA9/6f////AEgAxGEB6N7/8///HwAJgDgsAN37f/7//wMgARCHBaB7/8///38AJADisAB07//5" +
  "//8PgARAHBaA7v0/////AZAAiMMC0L3/5///PwASAHFYALr3//z//wdAAiAOC0D3/p////8ASADEYQHo3v/z//8fAAmAOCwA3ft/" +
  "/v//AyABEIcFoHv/z///fwAkAOKwAHTv//n//w+ABEAcFoDu/T////8BkACIwwLQvf/n//8/ABIAcVgAuvf//P//B0ACIA4LQPf+" +
  "n////wBIAMRhAeje//P//x8ACYA4LADd+3/+//8DIAEQhwWge//P//9/ACQA4rAAdO//+f//D4AEQBwWgO79P////wGQAIjDAtC9" +
  "/+f//z8AEgBxWAC69//8//8HQAIgDgtA9/6f////AEgAxGEB6N7/8///HwAJgDgsAN37f/7//wMgARCHBaB7/8///38AJADisAB0" +
  "7//5//8PgARAHBaA7v0/////AZAAiMMC0L3/5///PwASAHFYALr3//z//wdAAiAOC0D3/p////8ASADEYQHo3v/z//8fAAmAOCwA" +
  "3ft//v//AyABEIcFoHv/z///fwAkAOKwAHTv//n//w+ABEAcFoDu/T////8BkACIwwLQvf/n//8/ABIAcVgAuvf//P//B0ACIA4L" +
  "QPf+n////wBIAMRhAeje//P//x8ACYA4LADd+3/+//8DIAEQhwWge/8/",
  "base64",
);
export const BROTLI_BOMB_EXPANDED_BYTES = 2 ** 31;

/** A 200 whose JSON is the Brotli bomb (Content-Encoding: br): 1.6 KB on the wire, 2 GiB decoded. */
export function brotliBomb(): Answer {
  return { label: "1.6 KB br expanding to 2 GiB", status: 200, headers: { ...JSON_TYPE, "content-encoding": "br" }, raw: BROTLI_BOMB_2GIB };
}
