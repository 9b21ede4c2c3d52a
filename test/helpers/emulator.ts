import { DEFAULT_CLIENT, type RunningEmulator, startEmulator } from "../../emulator";
import type { EmulatorOptions } from "../../emulator";

/** Admin API JSON; each test asserts the fields it reads. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface AdminRequests {
  total: number;
  counts: Record<string, number>;
  entries: Array<{ method: string; route: string; path: string; query?: string; status: number; sandbox?: string; fault?: string }>;
}

/** A running emulator plus the admin calls tests use. */
export class TestEmulator {
  private constructor(readonly emulator: RunningEmulator) {}

  static async start(opts: EmulatorOptions = {}): Promise<TestEmulator> {
    return new TestEmulator(await startEmulator({ port: 0, ...opts }));
  }

  get baseUrl(): string {
    return this.emulator.baseUrl;
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

  async admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.emulator.adminUrl}${path}`, {
      method,
      // The admin API takes writes only as JSON (a body-less DELETE excepted).
      headers: body === undefined && ["GET", "DELETE"].includes(method) ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  requests(): Promise<AdminRequests> {
    return this.admin<AdminRequests>("GET", "/requests");
  }

  clearRequests(): Promise<void> {
    return this.admin("DELETE", "/requests");
  }

  async connections(): Promise<Json[]> {
    return (await this.admin<{ items: Json[] }>("GET", "/connections")).items;
  }

  connection(id: string): Promise<Json> {
    return this.admin("GET", `/connections/${id}`);
  }

  /** Creates a connection through the Flow Service API as another tool would (outside Pulumi). */
  async createDirect(body: Json, sandbox = "prod", client = this.emulator.clients[0]): Promise<{ id: string; etag: string }> {
    const tokenRes = await fetch(`${this.baseUrl}/ims/token/v3`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, scope: "openid" }).toString(),
    });
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };
    const res = await fetch(`${this.emulator.flowServiceUrl}/connections`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "x-api-key": client.clientId, "x-gw-ims-org-id": client.orgId, "x-sandbox-name": sandbox, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`direct create: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; etag: string };
  }

  /** Deletes a connection behind the provider's back (the admin API: never logged or faulted). */
  deleteDirect(id: string): Promise<void> {
    return this.admin("DELETE", `/connections/${id}`);
  }

  addFault(rule: Record<string, unknown>): Promise<{ id: string }> {
    return this.admin("POST", "/faults", rule);
  }

  clearFaults(): Promise<void> {
    return this.admin("DELETE", "/faults");
  }

  reset(): Promise<void> {
    return this.admin("POST", "/reset");
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
