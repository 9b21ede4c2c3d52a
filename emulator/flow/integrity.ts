/**
 * Referential integrity between Flow Service entities: who uses a connection. A client's DELETE of a used
 * entity is `1418-400`; the admin API's deletes skip these checks (that is how tests make orphans).
 */
import { flowError } from "../errors";
import type { ConnectionStore } from "../store/store";

/** The source and target connections whose `baseConnectionId` is this base connection. */
export function usersOfBaseConnection(store: ConnectionStore, baseConnectionId: string): string[] {
  return [
    ...store.entities("sourceConnections").filter((s) => s.baseConnectionId === baseConnectionId).map((s) => `source connection '${s.id}'`),
    ...store.entities("targetConnections").filter((t) => t.baseConnectionId === baseConnectionId).map((t) => `target connection '${t.id}'`),
  ];
}

/** The flows that name this source or target connection. */
export function flowsUsing(store: ConnectionStore, kind: "sourceConnections" | "targetConnections", id: string): string[] {
  const field = kind === "sourceConnections" ? "sourceConnectionIds" : "targetConnectionIds";
  return store.entities("flows").filter((f) => f[field].includes(id)).map((f) => `flow '${f.id}'`);
}

/** Throws `1418-400` naming the users, when there are any. */
export function refuseWhileUsed(what: string, id: string, users: string[], fix: string): void {
  if (users.length === 0) return;
  const shown = users.slice(0, 5).join(", ") + (users.length > 5 ? ` and ${users.length - 5} more` : "");
  throw flowError("1418-400", `${what} '${id}' is used by ${shown}; ${fix}`);
}
