import type { ConnectionStore } from "./store/store";
import type { TokenIssuer } from "./tokens";
import type { Traffic } from "./traffic";
import type { EmulatorClient } from "./types";

/** Everything the routes share. */
export interface EmulatorState {
  store: ConnectionStore;
  tokens: TokenIssuer;
  /** By client id. */
  clients: Map<string, EmulatorClient>;
  traffic: Traffic;
  /** Advertised base URL (inletUrl), known once listening. */
  baseUrl: string;
  /** Required as x-admin-token on /__admin when set. */
  adminToken?: string;
  inletCounter: number;
}
