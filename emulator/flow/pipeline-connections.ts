/**
 * What source and target connections share as collections: the order a body's rules run in (a JSON object,
 * the kind's shape, the name, the connection spec, then the kind's own), what a PATCH may change (the name,
 * the description, `data` and `params`, never the spec or the base connection), and that a flow using one
 * stops its DELETE. Each kind declares the rest (source-connections.ts, target-connections.ts).
 */
import { flowError } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Params, Scope, StoredConnection } from "../types";
import { isObject } from "../util";
import { entityTable, inScope, type CollectionDeclaration, type CollectionItems, type Domain, type Fields } from "./collection";
import { checkSpec } from "./create";
import { applyOp, checkName, parseOps } from "./entities";
import { flowsUsing, refuseWhileUsed } from "./integrity";
import type { ListRules } from "./listing";
import type { ConnectionSpec } from "./specs";
import type { SchemaCheck } from "./validation";

type ConnectionKind = "sourceConnections" | "targetConnections";

/** What a valid source or target connection body sets. */
export type ConnectionFields<K extends ConnectionKind> = Pick<CollectionItems[K], "name" | "description" | "baseConnectionId" | "connectionSpec" | "data" | "params">;

/** A source or target connection kind: its own rules over those it shares. */
export interface ConnectionKindRules<K extends ConnectionKind> {
  path: string;
  what: string;
  list: ListRules;
  /** The kind's JSON Schema of the body. */
  shape: SchemaCheck;
  /** The kind's own rules, after those every body passes: what a valid body sets. */
  fieldsOf(body: Params, name: string, spec: ConnectionSpec, scope: Scope, domain: Domain): ConnectionFields<K>;
  render(item: CollectionItems[K]): Record<string, unknown>;
}

/** The base connection a body names: one in the same org and sandbox, or `1100-400`. */
export function baseConnectionIn(store: ConnectionStore, baseId: string, scope: Scope): StoredConnection {
  const base = store.get(baseId);
  if (!inScope(base, scope)) throw flowError("1100-400", `baseConnectionId: connection '${baseId}' not found in sandbox '${scope.sandboxName}'`);
  return base;
}

export function declareConnectionKind<K extends ConnectionKind>(kind: K, rules: ConnectionKindRules<K>): CollectionDeclaration<CollectionItems[K]> {
  type Item = CollectionItems[K];
  const one = rules.what.toLowerCase();

  /** The body's rules in a fixed order, for a POST and for a PATCH's result alike. */
  const validate = (body: unknown, scope: Scope, domain: Domain): ConnectionFields<K> => {
    if (!isObject(body)) throw flowError("1405-400", "Request body must be a JSON object");
    const problem = rules.shape(body);
    if (problem) throw flowError("1100-400", problem);
    const name = checkName(body.name);
    return rules.fieldsOf(body, name, checkSpec(body, domain.specs), scope, domain);
  };

  return {
    path: rules.path,
    what: rules.what,
    table: entityTable(kind),
    list: rules.list,

    // A new connection is enabled.
    create: (body, scope, domain) => ({ ...validate(body, scope, domain), state: "enabled" }) as Fields<Item>,

    /**
     * `/name`, `/description`, `/data…`, `/params…`, re-validated as a POST. The connection spec (`1414-400`)
     * and the base connection (`1100-400`) cannot change: they are carried over as they are.
     */
    patch: (current, raw, scope, domain) => {
      const doc: Params = structuredClone({ name: current.name, description: current.description, data: current.data ?? {}, params: current.params ?? {} });
      for (const op of parseOps(raw)) {
        const head = op.segments[0];
        if (head === "connectionSpec") throw flowError("1414-400", `${op.path}: the connection spec of a ${one} cannot be changed; create a new ${one}`);
        if (head === "baseConnectionId") throw flowError("1100-400", `${op.path}: the base connection of a ${one} cannot be changed; create a new ${one}`);
        if (!["name", "description", "data", "params"].includes(head) || (op.segments.length > 1 && (head === "name" || head === "description"))) {
          throw flowError("1455-400", `${op.path}: path not found or not patchable (allowed: /name, /description, /data, /data/<field>, /params, /params/<field>)`);
        }
        applyOp(doc, op);
      }
      const body: Params = { ...doc, connectionSpec: current.connectionSpec };
      if (current.baseConnectionId !== undefined) body.baseConnectionId = current.baseConnectionId;
      return validate(body, scope, domain) as Partial<Fields<Item>>;
    },

    checkUnused: (current, domain) => refuseWhileUsed(rules.what, current.id, flowsUsing(domain.store, kind, current.id), "delete the flows first"),

    render: (item) => rules.render(item),
  };
}
