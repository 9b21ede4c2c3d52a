/**
 * The connections of Flow Service (`/connections`), declared as data for the one engine (collection.ts):
 * the rules of create (create.ts: any spec of the registry, its auth spec's JSON Schema), of patch (patch.ts),
 * of delete (who uses it), their listing and their render (secrets masked). The admin API's drift goes
 * through the same `change` a client's PATCH does, so a change behind the client's back passes exactly its checks.
 */
import { flowError } from "../errors";
import type { StoredConnection } from "../types";
import { connectionTable, type CollectionDeclaration } from "./collection";
import { buildConnection } from "./create";
import { refuseWhileUsed, usersOfBaseConnection } from "./integrity";
import { listRules } from "./listing";
import { renderConnection, secretsOf } from "./model";
import { applyPatch } from "./patch";

/** The URL a streaming connection's inlet is reached at, rendered from the current base URL. */
export function inletUrlOf(c: StoredConnection, baseUrl: string): string | undefined {
  const inletId = c.auth?.params.inletId;
  return typeof inletId === "string" ? `${baseUrl}/collection/${inletId}` : undefined;
}

export const CONNECTIONS: CollectionDeclaration<StoredConnection> = {
  path: "/connections",
  what: "Connection",
  table: connectionTable,
  list: listRules(["id", "name", "description", "connectionSpec.id", "state"]),

  create: (body, _scope, domain) => buildConnection(body, domain.specs),

  /**
   * JSON Patch operations with every rule of patch.ts (what a client may change, fixed streaming params, the
   * auth schema); the rendered inletUrl counts as present, so a patch that names it is told it cannot change.
   */
  patch: (current, ops, _scope, domain) => {
    const result = applyPatch(current, ops, domain.specs, inletUrlOf(current, domain.baseUrl()));
    const fields: Partial<StoredConnection> = { name: result.name, description: result.description };
    if (current.auth && result.params) fields.auth = { specName: current.auth.specName, params: result.params };
    return fields;
  },

  /**
   * A base connection that a source or target connection uses, or that the admin API marked as used by
   * dataflows, is `1418-400`.
   */
  checkUnused: (current, domain) => {
    refuseWhileUsed("Connection", current.id, usersOfBaseConnection(domain.store, current.id), "delete those source and target connections first");
    // The old test hook: the admin API's dataflow mark, from before flows were emulated.
    if (current.usedByDataflows > 0) {
      throw flowError("1418-400", `Connection '${current.id}' is used by ${current.usedByDataflows} dataflow(s); delete them first`);
    }
  },

  render: (c, domain) => renderConnection(c, domain.baseUrl(), secretsOf(domain.specs, c)),
};
