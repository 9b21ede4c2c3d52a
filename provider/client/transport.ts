import * as http from "node:http";
import * as https from "node:https";
import type { Readable, Transform } from "node:stream";
import * as zlib from "node:zlib";
import type { AxiosInstance, AxiosResponse } from "axios";
import type { HttpProxyAgent } from "http-proxy-agent";
import type { HttpsProxyAgent } from "https-proxy-agent";
import { headerValueProblem } from "./header-value";
import { type ProxyEnv, type ProxyProblem, type ProxyRoute, ProxyRules } from "./proxy";
import { isPermanentNetworkCode } from "./retry";

/**
 * One HTTP attempt with hard bounds, shared by Flow Service and IMS calls: a total deadline (not only
 * an idle timeout, which a server dripping a byte at a time never trips), a response size limit, no
 * redirects, and the body kept as text so the caller decides what an answer that is not JSON means.
 *
 * axios sends the request (one instance per client, its defaults set once so a request merges
 * nothing of ours); the answer is taken as a stream and decoded and counted here, because the limit
 * must hold after decompression and an unknown encoding must be refused rather than passed on.
 * Egress proxies come from the environment (proxy.ts) through agents that tunnel https:// with
 * CONNECT, so TLS still runs end to end with the platform (DECISIONS.md, 2026-12-07).
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
    // A proxy that cannot be reached or refuses the tunnel is a setting to fix, not a platform outage.
    return this.code === PROXY_FAILURE || isPermanentNetworkCode(this.code);
  }
}

/** The code of an attempt the egress proxy stopped: nothing reached the platform. */
export const PROXY_FAILURE = "EPROXY";

/** What a proxy answered to CONNECT, as https-proxy-agent reports it. */
interface ConnectAnswer {
  statusCode: number;
  statusText?: string;
}

/**
 * Keep-alive sockets per scheme and per proxy (a deployment makes hundreds of calls to the same
 * host), and the axios instance that uses them. Proxy variables are read once, when the client is made.
 */
export class HttpAgents {
  readonly http: http.Agent;
  readonly https: https.Agent;
  readonly proxies: ProxyRules;
  private axios: AxiosInstance | undefined;
  private readonly proxyAgents = new Map<string, http.Agent>();
  /** CONNECT answers by request: a refused tunnel comes back to axios as if the server had answered. */
  readonly connectAnswers = new WeakMap<http.ClientRequest, ConnectAnswer>();

  constructor(private readonly maxSockets: number, env: ProxyEnv = process.env) {
    this.http = new http.Agent({ keepAlive: true, maxSockets });
    this.https = new https.Agent({ keepAlive: true, maxSockets });
    this.proxies = new ProxyRules(env);
  }

  /**
   * The axios instance, made at the first request: loading axios costs about as much CPU as a hundred
   * requests, and a program that only declares resources, or a preview (check and diff), sends none.
   */
  get client(): AxiosInstance {
    if (this.axios) return this.axios;
    const axios = (require("axios") as typeof import("axios")).default;
    const client = axios.create({
      // Everything axios would otherwise do per answer is done once here or by attempt(): no
      // redirects (they could carry credentials elsewhere), every status to the retry rules, no
      // transforms, no decoding (counted after decompression below), no proxy lookup of its own.
      maxRedirects: 0,
      validateStatus: null,
      transformRequest: [],
      transformResponse: [],
      responseType: "stream",
      decompress: false,
      proxy: false,
      httpAgent: this.http,
      httpsAgent: this.https,
      // Node's adapter named, so no request probes for XMLHttpRequest or fetch first.
      adapter: "http",
    });
    // axios' default headers (Accept, and a Content-Type per method) would be merged into every
    // request only to be overridden: each request states all of its headers.
    client.defaults.headers = {} as typeof client.defaults.headers;
    this.axios = client;
    return client;
  }

  /** The agent for a proxied URL: one per proxy and scheme, so sockets and the cap are shared. */
  agentFor(route: ProxyRoute, protocol: string): http.Agent {
    const key = `${protocol} ${route.url.href}`;
    let agent = this.proxyAgents.get(key);
    if (!agent) {
      const options = { keepAlive: true, maxSockets: this.maxSockets };
      if (protocol === "https:") {
        const { HttpsProxyAgent: Tunnel } = require("https-proxy-agent") as { HttpsProxyAgent: typeof HttpsProxyAgent };
        const tunnel = new Tunnel(route.url, options);
        tunnel.on("proxyConnect", (answer: ConnectAnswer, req: http.ClientRequest) => this.connectAnswers.set(req, answer));
        agent = tunnel;
      } else {
        const { HttpProxyAgent: Forward } = require("http-proxy-agent") as { HttpProxyAgent: typeof HttpProxyAgent };
        agent = new Forward(route.url, options);
      }
      this.proxyAgents.set(key, agent);
    }
    return agent;
  }
}

export function createHttp(maxSockets: number, env?: ProxyEnv): HttpAgents {
  return new HttpAgents(maxSockets, env);
}

/** Encodings the attempt can undo; what a server sends otherwise is refused as unusable. */
const ACCEPT_ENCODING = "gzip, deflate, br";

/** Errors that mean the proxy itself could not be reached (before any tunnel or answer). */
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
/** A tunnel's proxy that drops the connection before answering CONNECT has forwarded nothing either. */
const DROPPED = new Set(["ECONNRESET", "EPIPE"]);

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
  const route = agents.proxies.empty ? undefined : agents.proxies.forUrl(url);
  if (route && "problem" in route) throw new AttemptFailure(PROXY_FAILURE, `${route.problem} (or add ${url.hostname} to NO_PROXY)`, false);
  const agent = route ? agents.agentFor(route, url.protocol) : undefined;
  const body = req.data === undefined ? undefined : Buffer.from(req.data, "utf8");
  const headers: Record<string, string> = { "Accept-Encoding": ACCEPT_ENCODING, ...req.headers };
  const tooLarge = () => new AttemptFailure("ETOOLARGE", `the answer is larger than ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB`, true, true);

  let deadline: AbortSignal;
  try {
    deadline = AbortSignal.timeout(timeoutMs);
  } catch (err) {
    // Node refused the deadline (beyond what its timers hold): nothing left the process.
    throw new AttemptFailure("EBADREQUEST", `the request could not be made: ${describe(err)}`, false);
  }
  let res: AxiosResponse<http.IncomingMessage>;
  try {
    res = await agents.client.request<http.IncomingMessage>({
      method: req.method,
      url: url.href,
      headers,
      data: body,
      signal: deadline,
      ...(agent ? (url.protocol === "https:" ? { httpsAgent: agent } : { httpAgent: agent }) : {}),
    });
  } catch (err) {
    throw asAttemptFailure(err, deadline, timeoutMs, { route, url, agents });
  }
  const answer = res.data;
  const request = res.request as http.ClientRequest;
  const refused = route ? proxyRefusal(agents, request, res.status, route, url) : undefined;
  if (refused) {
    answer.destroy();
    request.destroy();
    throw refused;
  }

  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let decoder: Transform | undefined;
    // Every way an attempt ends early stops all of it: the request, the answer and the decoder, which
    // would otherwise go on expanding what it already holds (a few KiB of Brotli can be GiBs).
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      deadline.removeEventListener("abort", onDeadline);
      decoder?.destroy();
      answer.destroy();
      request.destroy();
      reject(asAttemptFailure(err, deadline, timeoutMs));
    };
    const onDeadline = () => fail(deadline.reason);
    if (deadline.aborted) return onDeadline();
    deadline.addEventListener("abort", onDeadline, { once: true });
    answer.on("error", fail);
    const announced = Number(answer.headers["content-length"]);
    if (Number.isFinite(announced) && announced > MAX_RESPONSE_BYTES) return fail(tooLarge());
    const encoding = String(answer.headers["content-encoding"] ?? "identity").trim().toLowerCase();
    if (encoding === "gzip" || encoding === "x-gzip") decoder = zlib.createGunzip();
    else if (encoding === "deflate") decoder = zlib.createInflate();
    else if (encoding === "br") decoder = zlib.createBrotliDecompress();
    else if (encoding !== "identity" && encoding !== "") return fail(new AttemptFailure("EBADENCODING", `the answer is encoded as ${encoding}, which the provider did not ask for`, true, true));
    const stream: Readable = decoder ? answer.pipe(decoder) : answer;
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
      deadline.removeEventListener("abort", onDeadline);
      resolve({ status: answer.statusCode ?? res.status, headers: answer.headers, text: Buffer.concat(chunks).toString("utf8") });
    });
    stream.on("error", fail);
  });
}

/**
 * A proxy's refusal that came back as an answer: https-proxy-agent hands a refused CONNECT's status
 * to the request as if the platform had sent it, and a plain-http proxy asks for credentials with
 * 407. Neither is the platform's answer, so neither reaches the retry rules.
 */
function proxyRefusal(agents: HttpAgents, request: http.ClientRequest, status: number, route: ProxyRoute, url: URL): AttemptFailure | undefined {
  const connect = agents.connectAnswers.get(request);
  const code = connect ? connect.statusCode : status === 407 ? 407 : undefined;
  if (code === undefined || code === 200) return undefined;
  const statusText = connect?.statusText ? ` ${connect.statusText}` : "";
  const what = connect ? `refused to open a tunnel to ${url.host} (CONNECT answered ${code}${statusText})` : `refused the request to ${url.host} (${code})`;
  const fix =
    code === 407
      ? route.hasCredentials
        ? `it rejected the credentials in ${route.setting}: correct them (http://user:password@host:port, the password URL-encoded)`
        : `it asks for credentials: put them in ${route.setting} as http://user:password@host:port (the password URL-encoded)`
      : `allow ${url.host} on the proxy, or add ${url.hostname} to NO_PROXY if it is reachable directly`;
  return new AttemptFailure(PROXY_FAILURE, `the proxy in ${route.setting} (${route.shown}) ${what}: ${fix}`, false);
}

/** Where a request was going, for a failure before any answer came. */
interface RequestContext {
  route: ProxyRoute | ProxyProblem | undefined;
  url: URL;
  agents: HttpAgents;
}

function asAttemptFailure(err: unknown, deadline: AbortSignal, timeoutMs: number, before?: RequestContext): AttemptFailure {
  if (err instanceof AttemptFailure) return err;
  if (deadline.aborted) return new AttemptFailure("ETIMEDOUT", `no complete answer within ${timeoutMs / 1000} s (aep:timeoutSeconds)`, true);
  const e = (err ?? {}) as { code?: unknown; message?: unknown; request?: http.ClientRequest };
  const message = typeof e.message === "string" ? e.message : String(err);
  const code = typeof e.code === "string" ? e.code : "ENETWORK";
  if (before) {
    // No request was made: Node (or axios) refused a value before anything left the process.
    if (!e.request) return new AttemptFailure("EBADREQUEST", `the request could not be made: ${describe(err)}`, false);
    // Before the proxy answered CONNECT (or, for a plain-http proxy, before a connection to it), the
    // only peer was the proxy: the platform was never reached.
    const { route, url, agents } = before;
    const proxyOnly = route && "url" in route && !e.request.reusedSocket && !agents.connectAnswers.has(e.request);
    if (proxyOnly && (UNREACHABLE.has(code) || (url.protocol === "https:" && DROPPED.has(code)))) {
      return new AttemptFailure(PROXY_FAILURE, `could not reach the proxy in ${route.setting} (${route.shown}) for ${url.host}: ${code}: ${message}. Check ${route.setting} (or add ${url.hostname} to NO_PROXY if it is reachable directly)`, false);
    }
  }
  return new AttemptFailure(code, message, code !== "ECONNREFUSED" && !isPermanentNetworkCode(code));
}

function describe(err: unknown): string {
  const e = (err ?? {}) as { code?: unknown; message?: unknown };
  return `${typeof e.code === "string" ? `${e.code}: ` : ""}${typeof e.message === "string" ? e.message : String(err)}`;
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
