import type { TokenIssuer } from "./auth/tokens";
import type { Datasets } from "./catalog/datasets";
import type { MappingSets } from "./dataprep/mapping-sets";
import type { Collection, CollectionItems } from "./flow/collection";
import type { Inlets } from "./flow/inlet";
import type { Remotes } from "./flow/remotes";
import type { SpecRegistry } from "./flow/spec-registry";
import type { ConnectionStore } from "./store/store";
import type { Traffic } from "./traffic/hooks";
import type { Clock, EmulatorClient } from "./types";
import type { Schemas } from "./xdm/schemas";

/** Everything the routes and the control API share. */
export interface EmulatorState {
  store: ConnectionStore;
  /** Flow Service's collections (connections, source and target connections, flows): one engine each over its declaration. */
  collections: { [K in keyof CollectionItems]: Collection<CollectionItems[K]> };
  /** The connection and flow specs served and checked against: the hand-written ones, the catalog's, the extras. */
  specs: SpecRegistry;
  /** Data Prep's mapping sets. */
  mappingSets: MappingSets;
  /** Catalog's datasets and Schema Registry's schemas: what target connections and mapping sets name. */
  datasets: Datasets;
  schemas: Schemas;
  /** The streaming inlets' rules, over the store. */
  inlets: Inlets;
  /** The simulated FTP/SFTP servers, S3 buckets and any catalog spec's remotes that `/test` and `/explore` answer from. */
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
