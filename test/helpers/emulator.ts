/**
 * The emulator as tests use it. `TestEmulator` starts one in process and drives it through its typed control
 * API (faults, requests, connections behind the client's back); `Harness` speaks to one over real HTTP as a
 * client does (Node's fetch; node:http where a socket reset must be observed); `startCli` runs the CLI.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as http from "node:http";
import * as path from "node:path";
import {
  DEFAULT_CLIENT,
  startEmulator,
  type DriftChanges,
  type EmulatorClient,
  type EmulatorControl,
  type EmulatorOptions,
  type FaultRuleInput,
  type RateLimitConfig,
  type RunningEmulator,
} from "../../emulator";

export { DEFAULT_CLIENT };

/** Admin API JSON; each test asserts the fields it reads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface AdminRequests {
  total: number;
  counts: Record<string, number>;
  entries: Array<{ method: string; route: string; path: string; query?: string; status: number; sandbox?: string; fault?: string }>;
}

/** A clock a test moves by hand: pass `clock.now` as the emulator's `clock` option. */
export class FakeClock {
  constructor(private ms = Date.UTC(2026, 11, 1)) {}

  readonly now = (): number => this.ms;

  advance(ms: number): void {
    this.ms += ms;
  }
}

/** A running emulator plus the control calls tests use; every named call runs in process. */
export class TestEmulator {
  private readonly http: Harness;

  private constructor(readonly emulator: RunningEmulator) {
    this.http = new Harness(emulator);
  }

  static async start(opts: EmulatorOptions = {}): Promise<TestEmulator> {
    return new TestEmulator(await startEmulator({ port: 0, ...opts }));
  }

  get baseUrl(): string {
    return this.emulator.baseUrl;
  }

  get control(): EmulatorControl {
    return this.emulator.control;
  }

  /** Pulumi config (`aep:*`) pointing the provider at this emulator with the demo client. */
  config(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      "aep:endpoint": this.baseUrl,
      "aep:imsEndpoint": this.baseUrl,
      "aep:clientId": DEFAULT_CLIENT.clientId,
      "aep:clientSecret": DEFAULT_CLIENT.clientSecret,
      "aep:orgId": DEFAULT_CLIENT.orgId,
      "aep:sandbox": "prod",
      ...overrides,
    };
  }

  /** AEP_* variables pointing the provider at this emulator with the demo client. */
  env(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return {
      AEP_ENDPOINT: this.baseUrl,
      AEP_IMS_ENDPOINT: this.baseUrl,
      AEP_CLIENT_ID: DEFAULT_CLIENT.clientId,
      AEP_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
      AEP_ORG_ID: DEFAULT_CLIENT.orgId,
      AEP_SANDBOX: "prod",
      AEP_ACCESS_TOKEN: undefined,
      AEP_SCOPES: undefined,
      ...overrides,
    };
  }

  /**
   * A call through the HTTP admin API, as scripts in other languages make it; throws unless 2xx.
   * The named methods below do the same in process.
   */
  async admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.http.admin(method, path, body);
    if (res.status < 200 || res.status > 299) throw new Error(`admin ${method} ${path}: ${res.status} ${res.text}`);
    return res.body as T;
  }

  async requests(): Promise<AdminRequests> {
    return this.control.requests();
  }

  /** The requests logged since the last clear, by route, without the IMS token (fetched once per process: no step's cost). */
  async stepCounts(): Promise<Record<string, number>> {
    const { ["POST /ims/token/v3"]: _token, ...rest } = (await this.requests()).counts;
    return rest;
  }

  async clearRequests(): Promise<void> {
    this.control.clearRequests();
  }

  async connections(): Promise<Json[]> {
    return this.control.connections();
  }

  async connection(id: string): Promise<Json> {
    return this.control.connection(id);
  }

  /** Creates a connection through the Flow Service API as another tool would (outside Pulumi). */
  createDirect(body: Json, sandbox = "prod", client = this.emulator.clients[0]): Promise<{ id: string; etag: string }> {
    return this.http.create(body, { sandbox, client });
  }

  /**
   * A request to Flow Service (`/flows`, `/sourceConnections`, …) or Data Prep (`/mappingSets`, with
   * `dataPrep`) through the public API, as another tool would send it; a status outside 2xx fails the test.
   */
  async publicApi<T = Json>(method: string, path: string, body?: unknown, opts: { sandbox?: string; dataPrep?: boolean } = {}): Promise<T> {
    const headers = await this.http.gatewayHeaders(undefined, opts.sandbox ?? "prod");
    const base = opts.dataPrep ? `${this.emulator.baseUrl}/data/foundation/conversion` : this.emulator.flowServiceUrl;
    const res = await request<T>(method, `${base}${path}`, { body, headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) } });
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  }

  /** Deletes a connection behind the provider's back (never logged or faulted). */
  deleteDirect(id: string): Promise<void> {
    return this.control.deleteConnection(id);
  }

  /** Changes a connection behind the provider's back, through the rules of a client's PATCH. */
  drift(id: string, changes: DriftChanges): Promise<Json> {
    return this.control.drift(id, changes);
  }

  setDataflows(id: string, count: number): Promise<void> {
    return this.control.setDataflows(id, count);
  }

  async addFault(rule: Record<string, unknown>): Promise<{ id: string }> {
    return this.control.addFault(rule as unknown as FaultRuleInput);
  }

  async clearFaults(): Promise<void> {
    this.control.clearFaults();
  }

  async setRateLimit(limit: RateLimitConfig): Promise<void> {
    this.control.setRateLimit(limit);
  }

  async clearRateLimit(): Promise<void> {
    this.control.clearRateLimit();
  }

  reset(): Promise<void> {
    return this.control.reset();
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }
}

/** Sets environment variables for the duration of a test file; returns the restore function. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const before: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    before[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

export const FS = "/data/foundation/flowservice";
export const CATALOG = "/data/foundation/catalog";
export const SCHEMA_REGISTRY = "/data/foundation/schemaregistry";

/**
 * The emulator's demo datasets and their schemas (present in every org and sandbox): the ids of Adobe's tutorials.
 * Tests name them here rather than reading the emulator's seeds, so a changed seed fails a test.
 */
export const DEMO = {
  orders: { dataSetId: "5f3c3cedb2805c194ff0b69a", name: "Orders", schemaId: "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4", schemaTitle: "Orders" },
  customers: { dataSetId: "5ba9452f7de80400007fc52a", name: "Customers", schemaId: "https://ns.adobe.com/acme/schemas/89abc189258b1cb1a816d8f2b2341a6d98000ed8f4008305", schemaTitle: "Customers" },
  loyalty: { dataSetId: "5c8c3c555033b814b69f947f", name: "LoyaltyMembersDataset", schemaId: "https://ns.adobe.com/acme/schemas/719c4e19184402c27595e65b931a142b", schemaTitle: "Loyalty Members" },
} as const;
export const SPEC = {
  ftp: "fb2e94c9-c031-467d-8103-6bd6e0a432f2",
  sftp: "b7bf2577-4520-42c9-bae9-cad01560f7bc",
  s3: "ecadc60c-7455-4d87-84dc-2a0e293d997b",
  streaming: "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb",
  datasetBase: "c604ff05-7f1a-43c0-8e18-33bf874cb11c",
};
export const ETAG = /^"[0-9a-f]{8}-0000-0200-0000-[0-9a-f]{12}"$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Base64 of a (fake) OpenSSH private key file, as the SFTP key auth expects it.
export const PRIVATE_KEY_B64 = Buffer.from("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n").toString("base64");

/** A request body per kind, as the seed tutorials write them (placeholders filled). */
export const bodies = {
  ftp: (name = "FTP connector with password") => ({
    name,
    description: "FTP connector password",
    auth: { specName: "Basic Authentication for FTP", params: { host: "ftp.example.com", userName: "alice", password: "ftp-secret" } },
    connectionSpec: { id: SPEC.ftp, version: "1.0" },
  }),
  sftpPassword: (name = "SFTP with password") => ({
    name,
    auth: { specName: "Basic Authentication for sftp", params: { host: "sftp.example.com", userName: "bob", password: "sftp-secret" } },
    connectionSpec: { id: SPEC.sftp, version: "1.0" },
  }),
  sftpKey: (name = "SFTP with key") => ({
    name,
    auth: {
      specName: "SSH PublicKey Authentication for sftp",
      params: { host: "sftp.example.com", port: 2222, userName: "bob", privateKeyContent: PRIVATE_KEY_B64, passPhrase: "pp", maxConcurrentConnections: 2, folderPath: "/in", disableChunking: true },
    },
    connectionSpec: { id: SPEC.sftp, version: "1.0" },
  }),
  s3: (name = "S3 Connection") => ({
    name,
    description: "Connection for an Amazon S3 account",
    auth: { specName: "Access Key", params: { s3AccessKey: "AKIAEXAMPLE", s3SecretKey: "s3-secret" } },
    connectionSpec: { id: SPEC.s3, version: "1.0" },
  }),
  streaming: (name = "Sample streaming connection", authenticationRequired?: boolean) => ({
    name,
    providerId: "521eee4d-8cbe-4906-bb48-fb6bd4450033",
    description: "Sample description",
    connectionSpec: { id: SPEC.streaming, version: "1.0" },
    auth: {
      specName: "Streaming Connection",
      params: { sourceId: "Sample connection", dataType: "xdm", name: "Sample connection", ...(authenticationRequired === undefined ? {} : { authenticationRequired }) },
    },
  }),
  datasetBase: (name = "Dataset Base Connection") => ({
    name,
    description: "Dataset Base Connection",
    connectionSpec: { id: SPEC.datasetBase, version: "1.0" },
  }),
};

// Response bodies are untyped JSON: tests index into them freely and assert the shape explicitly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Res<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface CallOptions {
  /** JSON-encoded unless `raw` is given. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string | undefined>;
  sandbox?: string;
  client?: EmulatorClient;
  /** Send no gateway headers at all. */
  bare?: boolean;
}

/** Where an emulator answers: one started in process, or a CLI process (which has no in-process control). */
export type EmulatorEndpoints = Omit<RunningEmulator, "control" | "port"> & Partial<Pick<RunningEmulator, "control" | "port">>;

/** Speaks to an emulator over real HTTP as a client does: IMS tokens, gateway headers, Flow calls, raw admin calls. */
export class Harness<E extends EmulatorEndpoints = RunningEmulator> {
  private readonly tokens = new Map<string, string>();

  constructor(readonly emu: E) {}

  static async start(opts: EmulatorOptions = {}): Promise<Harness> {
    return new Harness(await startEmulator({ port: 0, ...opts }));
  }

  /** The in-process control API (absent for a CLI process). */
  get control(): EmulatorControl {
    if (!this.emu.control) throw new Error("this emulator runs in another process: use the HTTP admin API");
    return this.emu.control;
  }

  get client(): EmulatorClient {
    return this.emu.clients[0];
  }

  async stop(): Promise<void> {
    await this.emu.stop();
  }

  async token(client: EmulatorClient = this.client): Promise<string> {
    const cached = this.tokens.get(client.clientId);
    if (cached) return cached;
    const res = await request("POST", `${this.emu.imsUrl}/ims/token/v3`, {
      raw: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, scope: "openid,AdobeID" }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    if (res.status !== 200) throw new Error(`token: ${res.status} ${res.text}`);
    this.tokens.set(client.clientId, res.body.access_token);
    return res.body.access_token;
  }

  async gatewayHeaders(client: EmulatorClient = this.client, sandbox = client.sandboxes[0]): Promise<Record<string, string>> {
    return {
      authorization: `Bearer ${await this.token(client)}`,
      "x-api-key": client.clientId,
      "x-gw-ims-org-id": client.orgId,
      "x-sandbox-name": sandbox,
    };
  }

  /** A Flow Service call with all gateway headers (override or drop any with `headers`, undefined = drop). */
  async api<T = any>(method: string, path: string, opts: CallOptions = {}): Promise<Res<T>> {
    const base = opts.bare ? {} : await this.gatewayHeaders(opts.client, opts.sandbox);
    const json = opts.raw === undefined && opts.body !== undefined;
    const headers: Record<string, string | undefined> = { ...base, ...(json ? { "content-type": "application/json" } : {}), ...opts.headers };
    return request<T>(method, `${this.emu.flowServiceUrl}${path}`, { ...opts, headers });
  }

  /** An HTTP admin call, for tests of the admin API itself; writes other than a body-less DELETE carry `Content-Type: application/json`, as the API requires. */
  async admin<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const json = body !== undefined || !["GET", "HEAD", "DELETE"].includes(method.toUpperCase());
    return request<T>(method, `${this.emu.adminUrl}${path}`, { body, headers: json ? { "content-type": "application/json", ...headers } : headers });
  }

  async create(body: unknown, opts: CallOptions = {}): Promise<{ id: string; etag: string }> {
    const res = await this.api("POST", "/connections", { ...opts, body });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${res.text}`);
    return res.body;
  }

  async get(id: string, opts: CallOptions = {}): Promise<any> {
    const res = await this.api("GET", `/connections/${id}`, opts);
    if (res.status !== 200) throw new Error(`get: ${res.status} ${res.text}`);
    return res.body.items[0];
  }

  async reset(): Promise<void> {
    const res = await this.admin("POST", "/reset");
    if (res.status !== 204) throw new Error(`reset: ${res.status}`);
  }
}

export async function request<T = any>(method: string, url: string, opts: CallOptions = {}): Promise<Res<T>> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = v;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

/** A raw HTTP request that reports a socket error (e.g. ECONNRESET) instead of hiding it. */
export function rawRequest(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let data = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (data += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
      res.on("error", reject);
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Expects a Flow error body with the given code (`NNNN-SSS`); returns its message. */
export function expectFlowError(res: Res, code: string): string {
  const status = Number(code.split("-")[1]);
  expect({ status: res.status, type: res.body?.type }).toEqual({ status, type: `https://ns.adobe.com/aep/errors/FLOW-${code}` });
  expect(res.body).toEqual({
    type: expect.any(String),
    title: expect.any(String),
    status,
    report: { "detailed-message": expect.any(String), "request-id": res.headers.get("x-request-id") },
    errorMessage: expect.any(String),
    errorDetails: expect.any(String),
  });
  return res.body.errorMessage as string;
}

export interface CliProcess {
  child: ChildProcess;
  baseUrl: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** The CLI's entry for tests: runs emulator/cli.ts from the TypeScript sources, no build. */
export const CLI_SCRIPT = path.join(__dirname, "..", "emulator", "support", "run-cli.js");

/** Starts the CLI as a real process and waits for its whole start-up banner (it ends with AEP_SANDBOX). */
export function startCli(args: string[]): Promise<CliProcess> {
  const script = CLI_SCRIPT;
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out}${err}`)), 30_000);
    child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /^aep-flow-emulator listening on (http:\/\/\S+)$/m.exec(out);
      if (m && /^ {2}export AEP_SANDBOX=.*\n/m.test(out)) {
        clearTimeout(timer);
        resolve({ child, baseUrl: m[1], stdout: () => out, exited });
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}: ${out}${err}`));
    });
  });
}
