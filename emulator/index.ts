/**
 * A local emulator of Adobe Experience Platform's Flow Service (connections, source and target connections,
 * flow specs, flows), Data Prep's mapping sets, Catalog's datasets, Schema Registry's schemas, IMS token endpoint
 * and streaming inlet, with an admin API for faults, drift and inspection. See emulator/README.md.
 */
import { randomBytes } from "node:crypto";
import { EmulatorControl } from "./admin/control";
import { resolveClients } from "./auth/clients";
import { TokenIssuer } from "./auth/tokens";
import { Datasets } from "./catalog/datasets";
import { MappingSets } from "./dataprep/mapping-sets";
import { mappingSetLimits } from "./dataprep/retention";
import { Collection, type Domain } from "./flow/collection";
import { CONNECTIONS } from "./flow/connections";
import { FLOWS } from "./flow/flows";
import { SOURCE_CONNECTIONS } from "./flow/source-connections";
import { SpecRegistry, type ExtraSpecs } from "./flow/spec-registry";
import { TARGET_CONNECTIONS } from "./flow/target-connections";
import { Inlets } from "./flow/inlet";
import { Remotes } from "./flow/remotes";
import { FLOW_PREFIX } from "./routes/table";
import { buildServer } from "./server";
import type { EmulatorState } from "./state";
import { FileStore, loadOrCreateKey } from "./store/file-store";
import { MemoryStore } from "./store/memory-store";
import { FaultEngine } from "./traffic/faults";
import { parseLatency } from "./traffic/latency";
import { TokenBucket } from "./traffic/rate-limit";
import { RequestLog } from "./traffic/request-log";
import type { EmulatorClient, EmulatorOptions } from "./types";
import { isLoopback, sleep } from "./util";
import { Schemas } from "./xdm/schemas";

export { DEFAULT_CLIENT } from "./auth/clients";
export type {
  Clock,
  EmulatorClient,
  EmulatorOptions,
  RateLimitConfig,
  StoredConnection,
  StoredSourceConnection,
  StoredTargetConnection,
  StoredFlow,
  StoredMappingSet,
  StoredDataset,
  StoredSchema,
  InletEvent,
} from "./types";
export type { ConnectionStore } from "./store/store";
export type { MappingSetLimits, MappingSetUsage } from "./dataprep/retention";
export { DEFAULT_MAPPING_SET_LIMITS } from "./dataprep/retention";
export type { FaultRuleInput, FaultKind } from "./traffic/faults";
export type { LogEntry } from "./traffic/request-log";
export type { Remote, RemoteInput, RemoteCredentials, RemoteFile, RemoteColumn } from "./flow/remotes";
export type { AdminConnection, AdminEntity, DriftChanges, EmulatorControl, FlowDriftChanges, InletEventView, RequestLogView } from "./admin/control";
export type { AdminDatasetInput, AdminSchemaInput } from "./admin/references";
export type { ExtraSpecs } from "./flow/spec-registry";
export type { CatalogAuthSpec, CatalogConnectionSpec, CatalogFlowSpec, CatalogParam } from "./flow/catalog-specs";

export const FLOW_SERVICE_PATH = FLOW_PREFIX;

/** A started emulator. (Declared here, beside what makes it: types.ts stays below the control API.) */
export interface RunningEmulator {
  /** http://127.0.0.1:PORT, no trailing slash. */
  baseUrl: string;
  /** baseUrl + "/data/foundation/flowservice". */
  flowServiceUrl: string;
  /** = baseUrl; the token endpoint is imsUrl + "/ims/token/v3". */
  imsUrl: string;
  /** baseUrl + "/__admin". */
  adminUrl: string;
  port: number;
  clients: EmulatorClient[];
  /** The admin token in force (generated when bound off loopback without one), or undefined. */
  adminToken?: string;
  /** The admin API in process, typed: the same implementation the HTTP admin API calls. */
  control: EmulatorControl;
  /** Closes the server, keep-alive sockets included, and waits for pending writes. */
  stop(): Promise<void>;
}

export const DEFAULT_TOKEN_TTL_SECONDS = 86399;

export { isLoopback } from "./util";

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Starts an emulator. Besides its options it takes catalog-shaped specs beyond the package's catalog
 * (`extraConnectionSpecs`, `extraFlowSpecs`, as provider/catalog/types.ts shapes them): served, checked and
 * explorable as the catalog's are; a mistake in one stops the start, naming it.
 */
export async function startEmulator(opts: EmulatorOptions & ExtraSpecs = {}): Promise<RunningEmulator> {
  const host = opts.host ?? "127.0.0.1";
  // [choice] An empty admin token is refused rather than read as "no token": it would otherwise match an
  // empty header, or silently open the API.
  if (opts.adminToken === "") throw new Error("the admin token must not be empty; leave it out to use no token (loopback only)");
  const specs = new SpecRegistry(opts);
  const clients = resolveClients(opts.clients, opts.clientsFile);
  const limits = mappingSetLimits(opts);
  // [choice] Off loopback the admin API always needs a token: one is generated when none is given.
  const adminToken = opts.adminToken ?? (isLoopback(host) ? undefined : randomBytes(16).toString("hex"));
  const store = opts.dataDir ? await FileStore.open(opts.dataDir) : new MemoryStore();
  const key = opts.dataDir ? await loadOrCreateKey(opts.dataDir) : TokenIssuer.randomKey();
  const rate = opts.rateLimit;
  const clock = opts.clock ?? Date.now;
  const tokens = new TokenIssuer(key, opts.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS, clock);
  const byId = new Map(clients.map((c) => [c.clientId, c]));
  const schemas = new Schemas(store, clock);
  const datasets = new Datasets(store, clock, schemas);
  const domain: Domain = { store, clock, specs, datasets, baseUrl: () => state.baseUrl };
  const state: EmulatorState = {
    store,
    collections: {
      connections: new Collection(CONNECTIONS, domain),
      sourceConnections: new Collection(SOURCE_CONNECTIONS, domain),
      targetConnections: new Collection(TARGET_CONNECTIONS, domain),
      flows: new Collection(FLOWS, domain),
    },
    specs,
    mappingSets: new MappingSets(store, clock, limits),
    datasets,
    schemas,
    inlets: new Inlets(store, clock, { clients: byId, tokens }),
    remotes: new Remotes(specs),
    tokens,
    clients: byId,
    traffic: {
      faults: new FaultEngine(),
      log: new RequestLog(),
      bucket: rate ? new TokenBucket(rate.requestsPerSecond, rate.burst, clock) : null,
      latencyMs: opts.latencyMs === undefined ? 0 : parseLatency({ latencyMs: opts.latencyMs }),
      sleep: opts.sleep ?? sleep,
    },
    clock,
    baseUrl: "",
    adminToken,
  };
  // A data directory written under larger limits is brought within these before the first request.
  await state.mappingSets.trim();
  const control = new EmulatorControl(state);
  const app = buildServer(state, control, opts.logger ?? false);
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
    control,
    stop: () => {
      stopping ??= (async () => {
        await app.close();
        await store.close();
      })();
      return stopping;
    },
  };
}
