import * as http from "node:http";
import * as https from "node:https";
import axios, { type AxiosInstance, type AxiosRequestConfig } from "axios";
import { isPermanentNetworkCode } from "./retry";

/**
 * One HTTP attempt with hard bounds, shared by Flow Service and IMS calls: a total deadline (not only
 * an idle timeout, which a server dripping a byte at a time never trips), a response size limit, no
 * redirects, and the body kept as text so the caller decides what an answer that is not JSON means.
 */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface RawResponse {
  status: number;
  headers: Record<string, unknown>;
  text: string;
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

export function createHttp(maxSockets: number): AxiosInstance {
  return axios.create({
    // Keep-alive: a deployment makes hundreds of calls to the same host.
    httpAgent: new http.Agent({ keepAlive: true, maxSockets }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets }),
    maxRedirects: 0,
    maxContentLength: MAX_RESPONSE_BYTES,
    responseType: "text",
    // The raw text: axios would otherwise turn an unparseable body into a string silently.
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
  });
}

export async function attempt(client: AxiosInstance, config: AxiosRequestConfig, timeoutMs: number): Promise<RawResponse> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const res = await client.request({ ...config, timeout: timeoutMs, signal: deadline });
    const text = typeof res.data === "string" ? res.data : res.data === undefined || res.data === null ? "" : String(res.data);
    return { status: res.status, headers: res.headers as Record<string, unknown>, text };
  } catch (err) {
    const e = (err ?? {}) as { code?: unknown; message?: unknown };
    const message = typeof e.message === "string" ? e.message : String(err);
    if (deadline.aborted) {
      throw new AttemptFailure("ETIMEDOUT", `no complete answer within ${timeoutMs / 1000} s (aep:timeoutSeconds)`, true);
    }
    if (/maxContentLength/.test(message)) {
      throw new AttemptFailure("ETOOLARGE", `the answer is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`, true, true);
    }
    const code = typeof e.code === "string" ? e.code : "ENETWORK";
    throw new AttemptFailure(code, message, code !== "ECONNREFUSED" && !isPermanentNetworkCode(code));
  }
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
