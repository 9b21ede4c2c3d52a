/**
 * Types of the Flow Service emulator. The emulator defines its own wire types from the contract
 * (docs/flow-service-contract.md); it never imports from `provider/`.
 */

/** An OAuth server-to-server client known to the emulator's IMS. */
export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  /** IMS org id, `...@AdobeOrg`; the value of `x-gw-ims-org-id`. */
  orgId: string;
  /** Sandbox names this client may use (`x-sandbox-name`). */
  sandboxes: string[];
}

export interface EmulatorOptions {
  /** 0 = ephemeral port (the default from code). */
  port?: number;
  /** Interface to bind; default "127.0.0.1". */
  host?: string;
  /** Persist every acknowledged write under this directory; in memory when absent. */
  dataDir?: string;
  /** Clients; when neither `clients` nor `clientsFile` is given, [DEFAULT_CLIENT]. */
  clients?: EmulatorClient[];
  /** JSON file holding an array of EmulatorClient (merged after `clients`). */
  clientsFile?: string;
  /** Required as `x-admin-token` on /__admin; when absent and bound to loopback, no token is needed. */
  adminToken?: string;
  /** Token-bucket rate limit on Flow Service and inlet routes, set at start (see also PUT /__admin/rate-limit). */
  rateLimit?: RateLimitConfig;
  /** Lifetime of IMS access tokens in seconds; default 86399. */
  tokenTtlSeconds?: number;
  /** Fastify request logging to stdout; default false. */
  logger?: boolean;
  /** Base URL the emulator advertises (inletUrl); default http://HOST:PORT (127.0.0.1 for a wildcard host). */
  publicUrl?: string;
  /**
   * The emulator's time, in milliseconds since the epoch; default `Date.now`. It stamps tokens, connections,
   * inlet events and the request log, and refills the rate limit: a test passes its own to move time.
   */
  clock?: Clock;
  /** Fixed delay in ms before every request but /__admin (see also PUT /__admin/latency); default 0. */
  latencyMs?: number;
  /** How injected delays (`latencyMs`) wait; default real timers. A test passes its own to count them. */
  sleep?: (ms: number) => Promise<void>;
  /** Versions kept per Data Prep mapping set, the latest included; older ones are dropped. Default 10. */
  mappingSetVersions?: number;
  /**
   * Bytes (as JSON text) of mapping-set versions kept over every set; past it the oldest versions that are not a
   * set's latest are dropped, and a write the latest versions alone cannot fit is refused (`2000-507`). Default 64 MiB.
   */
  mappingSetBytes?: number;
}

/** Milliseconds since the epoch. */
export type Clock = () => number;

export interface RateLimitConfig {
  requestsPerSecond: number;
  /** Bucket size; default max(1, requestsPerSecond). */
  burst?: number;
}

/** What a handler returns; one place turns it into an HTTP response. */
export interface Result {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Params = Record<string, unknown>;

/** A connection as the store keeps it (secrets in clear), with the bookkeeping of every entity. */
export interface StoredConnection extends EntityMeta {
  name: string;
  description: string;
  connectionSpec: { id: string; version: string };
  providerId?: string;
  state: "enabled";
  auth?: { specName: string; params: Params };
  /** Dataflows using this connection (set through the admin API); > 0 blocks DELETE. */
  usedByDataflows: number;
}

/** One message received by a streaming inlet. */
export interface InletEvent {
  inletId: string;
  receivedTimeMs: number;
  xactionId: string;
  body: unknown;
}

/** What every stored Flow Service pipeline entity carries: who made it, where it lives, its etag. */
export interface EntityMeta {
  id: string;
  createdAt: number;
  updatedAt: number;
  createdBy: string;
  updatedBy: string;
  createdClient: string;
  updatedClient: string;
  sandboxId: string;
  sandboxName: string;
  imsOrgId: string;
  etag: string;
  /** Creation sequence number, shared with connections: breaks ties when ordering. */
  seq: number;
}

/** `POST /sourceConnections`: data read from a base connection. */
export interface StoredSourceConnection extends EntityMeta {
  name: string;
  description: string;
  baseConnectionId: string;
  connectionSpec: { id: string; version: string };
  data?: Params;
  params?: Params;
  state: "enabled";
}

/** `POST /targetConnections`: a dataset of the Data Lake. */
export interface StoredTargetConnection extends EntityMeta {
  name: string;
  description: string;
  baseConnectionId?: string;
  connectionSpec: { id: string; version: string };
  data: Params;
  params: Params;
  state: "enabled";
}

export interface Transformation {
  name: string;
  params: Params;
}

/** `POST /flows`. scheduleParams numbers are stored as numbers (they may arrive as decimal strings). */
export interface StoredFlow extends EntityMeta {
  name: string;
  description: string;
  flowSpec: { id: string; version: string };
  state: "enabled" | "disabled";
  sourceConnectionIds: string[];
  targetConnectionIds: string[];
  transformations: Transformation[];
  scheduleParams?: Params;
}

/** One version of a mapping set, as POST or PUT sent it. */
export interface MappingSetVersion {
  version: number;
  name?: string;
  description?: string;
  outputSchema: Params;
  inputSchema?: Params;
  mappings: Params[];
  modifiedDate: number;
  modifiedBy: string;
  /** Its size as JSON text, counted against the emulator's limit (dataprep/retention.ts); never rendered. */
  bytes?: number;
}

/**
 * A Data Prep mapping set with the versions the emulator keeps, oldest first (the last is the latest). Versions
 * 0 to the latest's number were all stored; those before the first kept were dropped (dataprep/retention.ts).
 */
export interface StoredMappingSet {
  id: string;
  seq: number;
  imsOrgId: string;
  sandboxName: string;
  createdDate: number;
  createdBy: string;
  versions: MappingSetVersion[];
}

/** Where a Catalog dataset or an XDM schema lives: an org and one of its sandboxes. */
export interface Scope {
  imsOrgId: string;
  sandboxName: string;
}

/**
 * A Catalog dataset added through the control API, in one org and sandbox (the demo datasets are constants
 * of catalog/seeds.ts, never stored). `schemaRef` names the XDM schema its records follow.
 */
export interface StoredDataset extends Scope {
  /** 24 lowercase hex characters, as Catalog makes them. */
  id: string;
  seq: number;
  name: string;
  description: string;
  schemaRef: { id: string; contentType: string };
  tags: Record<string, string[]>;
  /** Epoch milliseconds. */
  created: number;
  updated: number;
  createdClient: string;
  createdUser: string;
  updatedUser: string;
}

/**
 * An XDM schema of the tenant container added through the control API (the demo schemas are constants of
 * xdm/seeds.ts). Its `$id` is `https://ns.adobe.com/<tenant>/schemas/<id>`; a schema here is its class and its
 * fields (field groups are not emulated).
 */
export interface StoredSchema extends Scope {
  /** The last segment of the `$id`. */
  id: string;
  seq: number;
  tenant: string;
  title: string;
  description: string;
  /** `meta:class`, e.g. `https://ns.adobe.com/xdm/context/profile`. */
  className: string;
  /** The schema's `properties`, as the full (`xed-full`) rendering shows them. */
  fields: Params;
  /** `major.minor`; lookups name the major version in `Accept`. */
  version: string;
  created: number;
  updated: number;
  createdClient: string;
}

/** The stored kinds besides connections, by their folder (and collection) name. */
export interface EntityKinds {
  sourceConnections: StoredSourceConnection;
  targetConnections: StoredTargetConnection;
  flows: StoredFlow;
  mappingSets: StoredMappingSet;
  dataSets: StoredDataset;
  schemas: StoredSchema;
}
export type EntityKind = keyof EntityKinds;
export const ENTITY_KINDS: readonly EntityKind[] = ["sourceConnections", "targetConnections", "flows", "mappingSets", "dataSets", "schemas"];
