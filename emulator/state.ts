import type { TokenIssuer } from "./auth/tokens";
import type { Datasets } from "./catalog/datasets";
import type { MappingSets } from "./dataprep/mapping-sets";
import type { Connections } from "./flow/connections";
import type { Flows } from "./flow/flows";
import type { SourceConnections } from "./flow/source-connections";
import type { TargetConnections } from "./flow/target-connections";
import type { Inlets } from "./flow/inlet";
import type { Remotes } from "./flow/remotes";
import type { ConnectionStore } from "./store/store";
import type { Traffic } from "./traffic/hooks";
import type { Clock, EmulatorClient } from "./types";
import type { Schemas } from "./xdm/schemas";

/** Everything the routes and the control API share. */
export interface EmulatorState {
  store: ConnectionStore;
  /** The connections' rules, over the store. */
  connections: Connections;
  /** The pipeline entities' rules, over the same store. */
  sourceConnections: SourceConnections;
  targetConnections: TargetConnections;
  flows: Flows;
  /** Data Prep's mapping sets. */
  mappingSets: MappingSets;
  /** Catalog's datasets and Schema Registry's schemas: what target connections and mapping sets name. */
  datasets: Datasets;
  schemas: Schemas;
  /** The streaming inlets' rules, over the store. */
  inlets: Inlets;
  /** The simulated FTP/SFTP servers and S3 buckets that `/test` and `/explore` answer from. */
  remotes: Remotes;
  tokens: TokenIssuer;
  /** By client id. */
  clients: Map<string, EmulatorClient>;
  traffic: Traffic;
  clock: Clock;
  /** Advertised base URL (inletUrl), known once listening. */
  baseUrl: string;
  /** Required as x-admin-token on /__admin when set. */
  adminToken?: string;
}
