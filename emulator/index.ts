/**
 * A local emulator of Adobe Experience Platform's Flow Service (connections), IMS token endpoint and
 * streaming inlet, with an admin API for faults, drift and inspection. See emulator/README.md.
 */
import { randomBytes } from "node:crypto";
import { resolveClients } from "./clients";
import { FaultEngine, RequestLog, TokenBucket } from "./faults";
import { buildServer } from "./server";
import type { EmulatorState } from "./state";
import { FileStore, loadOrCreateKey } from "./store/file-store";
import { MemoryStore } from "./store/memory-store";
import { TokenIssuer } from "./tokens";
import type { EmulatorOptions, RunningEmulator } from "./types";
import { isLoopback } from "./util";

export { DEFAULT_CLIENT } from "./clients";
export type { EmulatorClient, EmulatorOptions, RateLimitConfig, RunningEmulator, StoredConnection, InletEvent } from "./types";
export type { ConnectionStore } from "./store/store";
export type { FaultRuleInput, FaultKind, LogEntry } from "./faults";

export const FLOW_SERVICE_PATH = "/data/foundation/flowservice";
export const DEFAULT_TOKEN_TTL_SECONDS = 86399;

export { isLoopback } from "./util";

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? "127.0.0.1";
  // [choice] An empty admin token is refused rather than read as "no token": it would otherwise match an
  // empty header, or silently open the API.
  if (opts.adminToken === "") throw new Error("the admin token must not be empty; leave it out to use no token (loopback only)");
  const clients = resolveClients(opts.clients, opts.clientsFile);
  // [choice] Off loopback the admin API always needs a token: one is generated when none is given.
  const adminToken = opts.adminToken ?? (isLoopback(host) ? undefined : randomBytes(16).toString("hex"));
  const store = opts.dataDir ? await FileStore.open(opts.dataDir) : new MemoryStore();
  const key = opts.dataDir ? await loadOrCreateKey(opts.dataDir) : TokenIssuer.randomKey();
  const rate = opts.rateLimit;
  const state: EmulatorState = {
    store,
    tokens: new TokenIssuer(key, opts.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS),
    clients: new Map(clients.map((c) => [c.clientId, c])),
    traffic: {
      faults: new FaultEngine(),
      log: new RequestLog(),
      bucket: rate ? new TokenBucket(rate.requestsPerSecond, rate.burst) : null,
    },
    baseUrl: "",
    adminToken,
    inletCounter: 0,
  };
  const app = buildServer(state, opts.logger ?? false);
  await app.listen({ port: opts.port ?? 0, host });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : (opts.port ?? 0);
  const baseUrl = `http://${urlHost(host)}:${port}`;
  state.baseUrl = (opts.publicUrl ?? baseUrl).replace(/\/+$/, "");

  let stopping: Promise<void> | undefined;
  return {
    baseUrl,
    flowServiceUrl: `${baseUrl}${FLOW_SERVICE_PATH}`,
    imsUrl: baseUrl,
    adminUrl: `${baseUrl}/__admin`,
    port,
    clients: clients.map((c) => ({ ...c, sandboxes: [...c.sandboxes] })),
    adminToken,
    stop: () => {
      stopping ??= (async () => {
        await app.close();
        await store.close();
      })();
      return stopping;
    },
  };
}
