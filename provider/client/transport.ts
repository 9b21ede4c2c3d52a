import * as http from "node:http";
import * as https from "node:https";
import type { Readable, Transform } from "node:stream";
import * as zlib from "node:zlib";
import { headerValueProblem } from "./header-value";
import { isPermanentNetworkCode } from "./retry";

/**
 * One HTTP attempt with hard bounds, shared by Flow Service and IMS calls: a total deadline (not only
 * an idle timeout, which a server dripping a byte at a time never trips), a response size limit, no
 * redirects, and the body kept as text so the caller decides what an answer that is not JSON means.
 *
 * Node's own http client, not a general-purpose HTTP library: each attempt is one request and one
 * answer read to its end, which is all a deployment needs, and a library's per-request work (config
 * merging, header normalization, proxy lookup from the environment) was the largest part of the
 * provider's CPU per request (DECISIONS.md, 2026-12-01).
 */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** The longest delay Node's timers hold (2^31-1 ms); a longer one fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  text: string;
}

export interface HttpRequest {
  method: string;
  url: string;
  /** Query parameters; an array repeats the key (`property=a&property=b`), as Flow Service expects. */
  params?: Record<string, string | string[]>;
  /** The body, already serialized. */
  data?: string;
  headers: Record<string, string>;
}

/** Why an attempt produced no response, with a code the retry rules understand. */
export class AttemptFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Whether the request may have reached the server. */
    readonly sent: boolean,
    /** True when the server answered but the answer cannot be used (too large). */
    readonly unusable = false,
  ) {
    super(message);
    this.name = "AttemptFailure";
  }

  get permanent(): boolean {
    return isPermanentNetworkCode(this.code);
  }
}

/** Keep-alive sockets per scheme: a deployment makes hundreds of calls to the same host. */
export class HttpAgents {
  readonly http: http.Agent;
  readonly https: https.Agent;

  constructor(maxSockets: number) {
    this.http = new http.Agent({ keepAlive: true, maxSockets });
    this.https = new https.Agent({ keepAlive: true, maxSockets });
  }
}

export function createHttp(maxSockets: number): HttpAgents {
  return new HttpAgents(maxSockets);
}

/** Encodings the attempt can undo; what a server sends otherwise is refused as unusable. */
const ACCEPT_ENCODING = "gzip, deflate, br";

export async function attempt(agents: HttpAgents, req: HttpRequest, timeoutMs: number): Promise<RawResponse> {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new AttemptFailure("ERR_INVALID_URL", `Invalid URL: ${req.url}`, false);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new AttemptFailure("ERR_INVALID_PROTOCOL", `Unsupported protocol ${url.protocol}`, false);
  }
  for (const [key, value] of Object.entries(req.params ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
  }
  // Nothing is sent when a header cannot carry its value: said here, before Node refuses it with a
  // message that names no character, and permanent, so neither a retry nor a lost-write lookup follows.
  for (const [name, value] of Object.entries(req.headers)) {
    const problem = headerValueProblem(value);
    if (problem) throw new AttemptFailure("EBADHEADER", `the ${name} header's value ${problem}, which an HTTP header cannot carry`, false);
  }
  const body = req.data === undefined ? undefined : Buffer.from(req.data, "utf8");
  const headers: Record<string, string> = { "Accept-Encoding": ACCEPT_ENCODING, ...req.headers };
  if (body) headers["Content-Length"] = String(body.length);
  const tooLarge = () => new AttemptFailure("ETOOLARGE", `the answer is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`, true, true);

  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let request: http.ClientRequest | undefined;
    let response: http.IncomingMessage | undefined;
    let decoder: Transform | undefined;
    // Assigned first in the try below; `fail` runs only on events of the request made after it.
    let deadline: AbortSignal;
    // Every way an attempt ends early stops all of it: the request, the answer and the decoder, which
    // would otherwise go on expanding what it already holds (a few KiB of Brotli can be GiBs).
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      decoder?.destroy();
      response?.destroy();
      request?.destroy();
      reject(asAttemptFailure(err, deadline, timeoutMs));
    };
    try {
      deadline = AbortSignal.timeout(timeoutMs);
      const lib = url.protocol === "https:" ? https : http;
      request = lib.request(url, { method: req.method, headers, agent: url.protocol === "https:" ? agents.https : agents.http, signal: deadline }, (res) => {
        response = res;
        res.on("error", fail);
        const announced = Number(res.headers["content-length"]);
        if (Number.isFinite(announced) && announced > MAX_RESPONSE_BYTES) return fail(tooLarge());
        const encoding = String(res.headers["content-encoding"] ?? "identity").trim().toLowerCase();
        if (encoding === "gzip" || encoding === "x-gzip") decoder = zlib.createGunzip();
        else if (encoding === "deflate") decoder = zlib.createInflate();
        else if (encoding === "br") decoder = zlib.createBrotliDecompress();
        else if (encoding !== "identity" && encoding !== "") return fail(new AttemptFailure("EBADENCODING", `the answer is encoded as ${encoding}, which the provider did not ask for`, true, true));
        const stream: Readable = decoder ? res.pipe(decoder) : res;
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on("data", (chunk: Buffer) => {
          // Counted after decoding: a small compressed answer may not expand past the limit either.
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) fail(tooLarge());
          else chunks.push(chunk);
        });
        stream.on("end", () => {
          if (settled) return;
          settled = true;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") });
        });
        stream.on("error", fail);
      });
    } catch (err) {
      // Node refused to make the request at all (a value it cannot send): nothing left the process.
      const e = (err ?? {}) as { code?: unknown; message?: unknown };
      settled = true;
      request?.destroy();
      return reject(new AttemptFailure("EBADREQUEST", `the request could not be made: ${typeof e.code === "string" ? `${e.code}: ` : ""}${typeof e.message === "string" ? e.message : String(err)}`, false));
    }
    request.on("error", fail);
    request.end(body);
  });
}

function asAttemptFailure(err: unknown, deadline: AbortSignal, timeoutMs: number): AttemptFailure {
  if (err instanceof AttemptFailure) return err;
  if (deadline.aborted) return new AttemptFailure("ETIMEDOUT", `no complete answer within ${timeoutMs / 1000} s (aep:timeoutSeconds)`, true);
  const e = (err ?? {}) as { code?: unknown; message?: unknown };
  const message = typeof e.message === "string" ? e.message : String(err);
  const code = typeof e.code === "string" ? e.code : "ENETWORK";
  return new AttemptFailure(code, message, code !== "ECONNREFUSED" && !isPermanentNetworkCode(code));
}

export type Parsed = { json: true; value: unknown } | { json: false; text: string };

/** The body as JSON; an empty body is `undefined`. */
export function parseBody(text: string): Parsed {
  if (text.trim() === "") return { json: true, value: undefined };
  try {
    return { json: true, value: JSON.parse(text) };
  } catch {
    return { json: false, text };
  }
}

export function header(headers: unknown, name: string): string | undefined {
  const h = headers as Record<string, unknown> | undefined;
  const v = h?.[name];
  return typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : undefined;
}

/** Loopback hosts, the only ones an `http://` endpoint may name (credentials would travel in clear). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
