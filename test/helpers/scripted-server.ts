import { randomBytes, randomUUID } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, Socket } from "node:net";

/**
 * A scripted HTTP(S) server speaking just enough of IMS and Flow Service for the provider: each test
 * queues, per route and method, the odd answers it wants (any status, headers and body, raw bytes, a
 * body dripped a byte at a time, a huge streamed body, a destroyed socket). Once a route's queue is
 * empty it answers like a tiny, correct Flow Service, so the lookups, read-backs and deletes that
 * follow an odd answer work. Every request is recorded. Not the emulator: nothing here validates
 * beyond what the provider's requests need.
 */

export const FLOW_BASE = "/data/foundation/flowservice";

/** Routes as `METHOD /path`, with `{id}` for a connection id. */
export type RouteKey =
  | "POST /ims/token/v3"
  | "POST /connections"
  | "GET /connections"
  | "GET /connections/{id}"
  | "PATCH /connections/{id}"
  | "DELETE /connections/{id}"
  | string;

export interface Recorded {
  seq: number;
  method: string;
  /** Path as sent, query string excluded. */
  path: string;
  /** Route key, or `METHOD <path>` when no route matched. */
  route: string;
  /** Query string as sent, without `?`. */
  rawQuery: string;
  query: Record<string, string[]>;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Connection id of a `{id}` route. */
  id?: string;
  /** What the server answered: `normal`, or the scripted answer's label. */
  answer?: string;
  /** Body bytes written before the response ended or the client went away. */
  bytesSent: number;
}

/** A stored connection, secrets in clear. */
export interface FakeConnection {
  id: string;
  name: string;
  description?: string;
  connectionSpec: { id: string; version: string };
  providerId?: string;
  auth?: { specName: string; params: Record<string, unknown> };
  state: string;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  updatedBy: string;
  createdClient: string;
  updatedClient: string;
  sandboxName: string;
  etag: string;
}

export interface Answer {
  /** Shown in the record; default "scripted". */
  label?: string;
  status?: number;
  headers?: Record<string, string>;
  /** Serialized as application/json. */
  json?: unknown;
  /** Raw body bytes, sent as they are (content type from `headers` only). */
  raw?: string | Buffer;
  /** Sends `bytes` one byte every `everyMs` ms, then `rest` at once. */
  drip?: { bytes: string | Buffer; everyMs: number; rest?: string | Buffer };
  /** A body of `totalBytes`, streamed in chunks with backpressure: `prefix`, filler, `suffix`. */
  stream?: { totalBytes: number; prefix?: string; suffix?: string; chunkBytes?: number };
  /** Destroys the socket instead of answering (after the normal answer was applied, with `apply`). */
  destroy?: boolean;
  /** Never answers: no status line, no headers, until the client gives up and closes. */
  hang?: boolean;
  /** Declares the whole body's length but sends only its first `cutAfter` bytes, then closes the connection. */
  cutAfter?: number;
  /**
   * Applies the normal answer's effect (a POST creates, a PATCH patches, a DELETE deletes) first.
   * Scripts given as functions call `ctx.normal()` themselves instead.
   */
  apply?: boolean;
  /** How many requests this answer serves; default 1, `Infinity` for every request. */
  times?: number;
}

export interface ScriptContext {
  server: ScriptedServer;
  /** Applies the normal answer (its side effect included) and returns it. */
  normal(): Answer;
}

/** A scripted answer: fixed, or computed from the request (e.g. echoing its body). */
export type Script = Answer | ((req: Recorded, ctx: ScriptContext) => Answer);

interface Queued {
  script: Script;
  left: number;
}

/** Auth params Flow Service masks on GET. */
export const SECRET_PARAMS = new Set(["password", "privateKeyContent", "passPhrase", "s3SecretKey", "s3SessionToken", "sasToken", "connectionString"]);
export const MASK = "********";

/** Flow Service's own error body, as the emulator renders it (emulator/errors.ts flowError). */
export function flowErrorBody(code: string, message: string, requestId = randomUUID()): Record<string, unknown> {
  const status = Number(code.split("-")[1]);
  const titles: Record<string, string> = {
    "1101-404": "Connection not found",
    "1100-400": "Invalid request",
    "1404-412": "Precondition failed",
    "1405-400": "Invalid request body",
  };
  return {
    type: `https://ns.adobe.com/aep/errors/FLOW-${code}`,
    title: titles[code] ?? "Error",
    status,
    report: { "detailed-message": message, "request-id": requestId },
    errorMessage: message,
    errorDetails: message,
  };
}

export function flowNotFound(id: string): Answer {
  return { label: "Flow 404", status: 404, json: flowErrorBody("1101-404", `Connection '${id}' not found`) };
}

export interface ScriptedServerOptions {
  /** Serve HTTPS with this key and certificate. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The access token IMS issues. */
  issuedToken?: string;
  /**
   * Requests past this many are refused with a 400 (which nothing retries), so a client that loops
   * ends quickly instead of flooding the test; `capped` counts them. Default 100.
   */
  maxRequests?: number;
}

export class ScriptedServer {
  readonly connections = new Map<string, FakeConnection>();
  /** Every request, in arrival order. */
  readonly requests: Recorded[] = [];
  /** Connections created through `POST /connections` (normal or applied), by name. */
  readonly createdByPost: Array<{ id: string; name: string }> = [];
  /** TCP connections accepted (a TLS handshake that fails still counts one). */
  tcpConnections = 0;
  /** TLS handshakes that failed (e.g. the client refused the certificate). */
  tlsErrors: string[] = [];
  /** Requests refused because `maxRequests` was reached. */
  capped = 0;
  issuedToken: string;

  private readonly queues = new Map<string, Queued[]>();
  private readonly sockets = new Set<Socket>();
  private server!: http.Server;
  private seq = 0;
  port = 0;

  private constructor(private readonly opts: ScriptedServerOptions) {
    this.issuedToken = opts.issuedToken ?? `token-${randomBytes(16).toString("hex")}`;
  }

  static async start(opts: ScriptedServerOptions = {}): Promise<ScriptedServer> {
    const s = new ScriptedServer(opts);
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => s.handle(req, res);
    s.server = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, handler) : http.createServer(handler);
    s.server.on("connection", (socket: Socket) => {
      s.tcpConnections++;
      s.sockets.add(socket);
      socket.on("close", () => s.sockets.delete(socket));
    });
    s.server.on("tlsClientError", (err: Error) => s.tlsErrors.push(err.message));
    await new Promise<void>((resolve) => s.server.listen(0, "127.0.0.1", resolve));
    s.port = (s.server.address() as AddressInfo).port;
    return s;
  }

  get url(): string {
    return `${this.opts.tls ? "https" : "http"}://127.0.0.1:${this.port}`;
  }

  /** Queues answers for a route; each serves `times` requests (default 1) before the next. */
  script(route: RouteKey, ...answers: Script[]): this {
    const q = this.queues.get(route) ?? [];
    for (const a of answers) q.push({ script: a, left: typeof a === "function" ? 1 : (a.times ?? 1) });
    this.queues.set(route, q);
    return this;
  }

  /** Answers the next `times` requests of a route with `answer` (a function is called for each). */
  repeat(route: RouteKey, times: number, answer: Script): this {
    const q = this.queues.get(route) ?? [];
    q.push({ script: answer, left: times });
    this.queues.set(route, q);
    return this;
  }

  /** Answers every request of a route with `answer` until reset. */
  always(route: RouteKey, answer: Script): this {
    return this.repeat(route, Infinity, answer);
  }

  /** Forgets scripts, records and connections. */
  reset(): void {
    this.queues.clear();
    this.requests.length = 0;
    this.createdByPost.length = 0;
    this.connections.clear();
    this.tcpConnections = 0;
    this.tlsErrors = [];
    this.capped = 0;
  }

  /** Forgets the request record only. */
  clearRecord(): void {
    this.requests.length = 0;
    this.tcpConnections = 0;
  }

  /** Requests per route key. */
  count(route?: RouteKey): number {
    return route ? this.requests.filter((r) => r.route === route).length : this.requests.length;
  }

  /** Stores a connection directly (made by someone else, or before the test). */
  seed(c: Partial<FakeConnection> & Pick<FakeConnection, "name" | "connectionSpec">): FakeConnection {
    const now = Date.now();
    const item: FakeConnection = {
      id: randomUUID(),
      state: "enabled",
      createdAt: now,
      updatedAt: now,
      createdBy: "someone-else",
      updatedBy: "someone-else",
      createdClient: "someone-else@techacct.adobe.com",
      updatedClient: "someone-else@techacct.adobe.com",
      sandboxName: "prod",
      etag: newEtag(),
      description: "",
      ...c,
    };
    this.connections.set(item.id, item);
    return item;
  }

  /** The item of GET, secrets masked. */
  render(c: FakeConnection): Record<string, unknown> {
    const item: Record<string, unknown> = { ...c, version: c.etag };
    if (c.auth) {
      const params: Record<string, unknown> = { ...c.auth.params };
      for (const k of Object.keys(params)) if (SECRET_PARAMS.has(k)) params[k] = MASK;
      item.auth = { specName: c.auth.specName, params };
    }
    return item;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private routeOf(method: string, path: string): { route: string; id?: string } {
    if (path === "/ims/token/v3") return { route: `${method} /ims/token/v3` };
    if (path === `${FLOW_BASE}/connections`) return { route: `${method} /connections` };
    const m = path.startsWith(`${FLOW_BASE}/connections/`) ? path.slice(`${FLOW_BASE}/connections/`.length) : undefined;
    if (m && !m.includes("/")) return { route: `${method} /connections/{id}`, id: decodeURIComponent(m) };
    if (m && /^[^/]+\/test$/.test(m)) return { route: `${method} /connections/{id}/test`, id: decodeURIComponent(m.slice(0, -"/test".length)) };
    return { route: `${method} ${path}` };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const method = (req.method ?? "GET").toUpperCase();
      const { route, id } = this.routeOf(method, url.pathname);
      const query: Record<string, string[]> = {};
      for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
      const rec: Recorded = {
        seq: ++this.seq,
        method,
        path: url.pathname,
        route,
        rawQuery: url.search.replace(/^\?/, ""),
        query,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        id,
        bytesSent: 0,
      };
      this.requests.push(rec);
      let answer: Answer;
      try {
        if (this.requests.length > (this.opts.maxRequests ?? 100)) {
          this.capped++;
          answer = { label: "request cap", status: 400, json: { error_code: "400999", message: "scripted server: request cap reached" } };
        } else answer = this.answerFor(rec);
      } catch (err) {
        answer = { label: "server error", status: 500, json: { error: String(err) } };
      }
      rec.answer = answer.label ?? "scripted";
      void this.send(rec, res, answer);
    });
  }

  private answerFor(rec: Recorded): Answer {
    const ctx: ScriptContext = { server: this, normal: () => this.normal(rec) };
    const q = this.queues.get(rec.route);
    const next = q?.[0];
    if (!next) return { ...this.normal(rec), label: "normal" };
    if (--next.left <= 0) q.shift();
    if (typeof next.script === "function") return next.script(rec, ctx);
    if (next.script.apply) this.normal(rec);
    return next.script;
  }

  private async send(rec: Recorded, res: http.ServerResponse, a: Answer): Promise<void> {
    if (a.destroy) {
      res.socket?.destroy();
      return;
    }
    if (a.hang) return;
    const status = a.status ?? 200;
    const headers: Record<string, string> = { "x-request-id": randomUUID(), ...(a.headers ?? {}) };
    const closed = () => res.destroyed || res.writableEnded || !!res.socket?.destroyed;
    const write = async (chunk: Buffer): Promise<boolean> => {
      if (closed()) return false;
      rec.bytesSent += chunk.length;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off("drain", done);
            res.off("close", done);
            resolve();
          };
          res.on("drain", done);
          res.on("close", done);
        });
      }
      return !closed();
    };
    if (a.drip) {
      res.writeHead(status, headers);
      res.flushHeaders();
      const bytes = Buffer.from(a.drip.bytes);
      for (let i = 0; i < bytes.length; i++) {
        if (!(await write(bytes.subarray(i, i + 1)))) return;
        await new Promise((r) => setTimeout(r, a.drip!.everyMs));
      }
      if (a.drip.rest !== undefined && !(await write(Buffer.from(a.drip.rest)))) return;
      if (!closed()) res.end();
      return;
    }
    if (a.stream) {
      const prefix = Buffer.from(a.stream.prefix ?? "");
      const suffix = Buffer.from(a.stream.suffix ?? "");
      const fill = a.stream.totalBytes - prefix.length - suffix.length;
      res.writeHead(status, { ...headers, "content-length": String(a.stream.totalBytes) });
      if (!(await write(prefix))) return;
      const size = a.stream.chunkBytes ?? 64 * 1024;
      const block = Buffer.alloc(size, "x");
      for (let left = fill; left > 0; left -= size) {
        if (!(await write(left >= size ? block : block.subarray(0, left)))) return;
      }
      if (!(await write(suffix))) return;
      if (!closed()) res.end();
      return;
    }
    let body: Buffer | undefined;
    if (a.json !== undefined) {
      body = Buffer.from(JSON.stringify(a.json));
      headers["content-type"] ??= "application/json;charset=utf-8";
    } else if (a.raw !== undefined) body = Buffer.from(a.raw);
    headers["content-length"] = String(body?.length ?? 0);
    res.writeHead(status, headers);
    if (a.cutAfter !== undefined) {
      const part = (body ?? Buffer.alloc(0)).subarray(0, a.cutAfter);
      rec.bytesSent += part.length;
      res.write(part, () => res.socket?.destroy());
      return;
    }
    if (body) rec.bytesSent += body.length;
    res.end(body);
  }

  /** The tiny correct Flow Service (and IMS): the answer, with its side effect applied. */
  private normal(rec: Recorded): Answer {
    const now = Date.now();
    const client = String(rec.headers["x-api-key"] ?? "");
    const sandbox = String(rec.headers["x-sandbox-name"] ?? "prod");
    switch (rec.route) {
      case "POST /ims/token/v3":
        return { status: 200, json: { access_token: this.issuedToken, token_type: "bearer", expires_in: 86399 } };
      case "POST /connections": {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(rec.body) as Record<string, unknown>;
        } catch {
          return { status: 400, json: flowErrorBody("1405-400", "Request body is not valid JSON") };
        }
        const auth = body.auth as FakeConnection["auth"];
        const c: FakeConnection = {
          id: randomUUID(),
          name: String(body.name),
          description: typeof body.description === "string" ? body.description : "",
          connectionSpec: body.connectionSpec as FakeConnection["connectionSpec"],
          ...(typeof body.providerId === "string" ? { providerId: body.providerId } : {}),
          ...(auth ? { auth: { specName: auth.specName, params: { ...auth.params } } } : {}),
          state: "enabled",
          createdAt: now,
          updatedAt: now,
          createdBy: client,
          updatedBy: client,
          createdClient: `${client}@techacct.adobe.com`,
          updatedClient: `${client}@techacct.adobe.com`,
          sandboxName: sandbox,
          etag: newEtag(),
        };
        this.connections.set(c.id, c);
        this.createdByPost.push({ id: c.id, name: c.name });
        return { status: 201, json: { id: c.id, etag: c.etag } };
      }
      case "GET /connections": {
        const filters = (rec.query.property ?? []).map(parseFilter);
        const items = [...this.connections.values()].filter((c) => c.sandboxName === sandbox && filters.every((f) => f(c)));
        return { status: 200, json: { items: items.map((c) => this.render(c)), _links: {} } };
      }
      case "GET /connections/{id}": {
        const c = this.connections.get(rec.id ?? "");
        if (!c || c.sandboxName !== sandbox) return flowNotFound(rec.id ?? "");
        return { status: 200, json: { items: [this.render(c)] } };
      }
      case "PATCH /connections/{id}": {
        const c = this.connections.get(rec.id ?? "");
        if (!c || c.sandboxName !== sandbox) return flowNotFound(rec.id ?? "");
        if (rec.headers["if-match"] !== c.etag) return { status: 412, json: flowErrorBody("1404-412", `If-Match ${String(rec.headers["if-match"])} does not match the connection's etag`) };
        let ops: Array<{ op: string; path: string; value?: unknown }>;
        try {
          ops = JSON.parse(rec.body);
        } catch {
          return { status: 400, json: flowErrorBody("1405-400", "Request body is not valid JSON") };
        }
        for (const op of ops) applyOp(c, op);
        c.etag = newEtag(c.etag);
        c.updatedAt = now;
        c.updatedBy = client;
        c.updatedClient = `${client}@techacct.adobe.com`;
        return { status: 200, json: { id: c.id, etag: c.etag } };
      }
      case "DELETE /connections/{id}": {
        const c = this.connections.get(rec.id ?? "");
        if (!c || c.sandboxName !== sandbox) return flowNotFound(rec.id ?? "");
        this.connections.delete(c.id);
        return { status: 204 };
      }
      default:
        return { status: 404, headers: { "content-type": "text/plain" }, raw: `no route ${rec.method} ${rec.path}` };
    }
  }
}

export function newEtag(previous?: string): string {
  for (;;) {
    const etag = `"${randomBytes(4).toString("hex")}-0000-0200-0000-${Math.floor(Date.now() / 1000).toString(16)}0000"`;
    if (etag !== previous) return etag;
  }
}

/** `field==value` of the listing's `property` parameter; a quoted value may escape `"` as `\"`. */
function parseFilter(expr: string): (c: FakeConnection) => boolean {
  const at = expr.indexOf("==");
  if (at < 0) return () => true;
  const field = expr.slice(0, at);
  let value = expr.slice(at + 2);
  if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1).replace(/\\"/g, '"');
  return (c) => {
    const v = field.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), c);
    return String(v) === value;
  };
}

function applyOp(c: FakeConnection, op: { op: string; path: string; value?: unknown }): void {
  const parts = op.path.split("/").slice(1);
  if (parts[0] === "name" && op.op !== "remove") c.name = String(op.value);
  else if (parts[0] === "description") c.description = op.op === "remove" ? "" : String(op.value);
  else if (parts[0] === "auth" && parts[1] === "params" && parts[2] && c.auth) {
    if (op.op === "remove") delete c.auth.params[parts[2]];
    else c.auth.params[parts[2]] = op.value;
  }
}
