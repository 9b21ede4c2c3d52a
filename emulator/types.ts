/**
 * Types of the Flow Service emulator. The emulator defines its own wire types from the contract
 * (docs/flow-service-contract.md); it never imports from `provider/`.
 */
import type { EmulatorControl } from "./admin/control";

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
}

/** Milliseconds since the epoch. */
export type Clock = () => number;

export interface RateLimitConfig {
  requestsPerSecond: number;
  /** Bucket size; default max(1, requestsPerSecond). */
  burst?: number;
}

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

/** What a handler returns; one place turns it into an HTTP response. */
export interface Result {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Params = Record<string, unknown>;

/** A connection as the store keeps it (secrets in clear). */
export interface StoredConnection {
  id: string;
  name: string;
  description: string;
  connectionSpec: { id: string; version: string };
  providerId?: string;
  state: "enabled";
  auth?: { specName: string; params: Params };
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
  /** Creation sequence number: breaks ties between equal timestamps when ordering. */
  seq: number;
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
