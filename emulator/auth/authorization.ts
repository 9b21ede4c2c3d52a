/**
 * The `Authorization` header as IMS and the inlet read it. Basic credentials are `base64(id:secret)` with
 * both halves form-encoded (RFC 6749 §2.3.1); anything that does not decode that way is malformed, which
 * the callers answer with a 400 rather than guessing.
 */
export type Authorization =
  | { scheme: "none" }
  | { scheme: "bearer"; token: string }
  | { scheme: "basic"; id: string; secret: string }
  | { scheme: "malformed"; reason: string }
  | { scheme: "other" };

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function formDecode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

export function parseAuthorization(value: string | undefined): Authorization {
  if (value === undefined || value.trim() === "") return { scheme: "none" };
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(value);
  if (bearer) return { scheme: "bearer", token: bearer[1] };
  const basic = /^Basic(?:\s+(\S*))?\s*$/i.exec(value);
  if (!basic) return /^Bearer\b/i.test(value) ? { scheme: "malformed", reason: "Bearer without a token" } : { scheme: "other" };
  const encoded = basic[1] ?? "";
  if (encoded === "" || !BASE64.test(encoded)) return { scheme: "malformed", reason: "Basic credentials are not Base64" };
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return { scheme: "malformed", reason: "Basic credentials have no ':' between id and secret" };
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (id === null || secret === null) return { scheme: "malformed", reason: "Basic credentials are not valid percent-encoding" };
  return { scheme: "basic", id, secret };
}
