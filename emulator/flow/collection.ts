/**
 * One Flow Service collection of the store (source connections, target connections, flows): what reading,
 * listing and removing behind the client's back are for every kind; and what create, patch and delete are
 * for source and target connections alike. The kinds' own rules (the body's) live in their
 * classes (source-connections.ts, target-connections.ts, flows.ts).
 */
import { flowError } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Clock, EntityKinds, Params, StoredConnection } from "../types";
import { isObject } from "../util";
import { checkSpec } from "./create";
import { actorOf, applyOp, checkIfMatch, checkName, newMeta, notFound, parseJsonBody, readPatch, touched } from "./entities";
import { flowsUsing, refuseWhileUsed } from "./integrity";
import { listEntities, type ListRules, type Listing } from "./listing";
import { visibleTo, type Caller } from "./model";
import type { ConnectionSpec } from "./specs";
import type { SchemaCheck } from "./validation";

type FlowKind = "sourceConnections" | "targetConnections" | "flows";

export abstract class Collection<K extends FlowKind> {
  protected constructor(
    protected readonly store: ConnectionStore,
    protected readonly clock: Clock,
    protected readonly kind: K,
    /** How messages name one: "Source connection". */
    protected readonly what: string,
    private readonly rules: ListRules,
  ) {}

  /** The caller's entity; another org's or sandbox's is indistinguishable from a missing one (`1101-404`). */
  get(id: string, caller: Caller): EntityKinds[K] {
    const e = this.store.entity(this.kind, id);
    if (!visibleTo(e, caller)) throw notFound(this.what, id);
    return e;
  }

  /** The list with the listing rules of `GET /connections`. */
  list(query: URLSearchParams, caller: Caller): Listing<EntityKinds[K]> {
    return listEntities(this.store.entities(this.kind).filter((e) => visibleTo(e, caller)), query, this.rules);
  }

  // Behind the client's back (the admin API): no caller, every org and sandbox.

  all(): Array<EntityKinds[K]> {
    return this.store.entities(this.kind);
  }

  find(id: string): EntityKinds[K] | undefined {
    return this.store.entity(this.kind, id);
  }

  /** A delete that no check stops (integrity and etags are the client's concern). */
  async remove(id: string): Promise<void> {
    await this.store.deleteEntity(this.kind, id);
  }

  protected put(value: EntityKinds[K]): Promise<void> {
    return this.store.putEntity(this.kind, value);
  }
}

type ConnectionKind = "sourceConnections" | "targetConnections";

/** What a valid source or target connection body sets. */
export type ConnectionFields<K extends ConnectionKind> = Pick<EntityKinds[K], "name" | "description" | "baseConnectionId" | "connectionSpec" | "data" | "params">;

/**
 * Source and target connections: the same create, patch and delete, each kind with its own body rules.
 * Every check-then-write runs without an `await` in between.
 */
export abstract class ConnectionCollection<K extends ConnectionKind> extends Collection<K> {
  protected constructor(
    store: ConnectionStore,
    clock: Clock,
    kind: K,
    what: string,
    rules: ListRules,
    /** The kind's JSON Schema of the body. */
    private readonly checkShape: SchemaCheck,
  ) {
    super(store, clock, kind, what, rules);
  }

  /** The kind's own rules, after those every body passes (`validate`): what a valid body sets. */
  protected abstract fieldsOf(body: Params, name: string, spec: ConnectionSpec, caller: Caller): ConnectionFields<K>;

  /**
   * The body's rules in a fixed order, for a POST and for a PATCH's result alike: a JSON object, the
   * kind's shape, the name, the connection spec, then the kind's own.
   */
  private validate(body: unknown, caller: Caller): ConnectionFields<K> {
    if (!isObject(body)) throw flowError("1405-400", "Request body must be a JSON object");
    const problem = this.checkShape(body);
    if (problem) throw flowError("1100-400", problem);
    const name = checkName(body.name);
    return this.fieldsOf(body, name, checkSpec(body), caller);
  }

  /** The base connection a body names: one in the caller's org and sandbox, or `1100-400`. */
  protected baseConnection(baseId: string, caller: Caller): StoredConnection {
    const base = this.store.get(baseId);
    if (!visibleTo(base, caller)) throw flowError("1100-400", `baseConnectionId: connection '${baseId}' not found in sandbox '${caller.sandbox}'`);
    return base;
  }

  /** `POST`: a new connection is enabled. */
  async create(raw: unknown, caller: Caller): Promise<EntityKinds[K]> {
    const fields = this.validate(parseJsonBody(raw), caller);
    const created = { ...newMeta(caller, this.store.nextSeq(), this.clock()), ...fields, state: "enabled" } as EntityKinds[K];
    await this.put(created);
    return created;
  }

  /**
   * `PATCH /{id}`: `/name`, `/description`, `/data…`, `/params…`, re-validated as a POST. The connection spec
   * (`1414-400`) and the base connection (`1100-400`) cannot change: they are carried over as they are.
   */
  async patch(id: string, caller: Caller, ifMatch: string | undefined, raw: unknown): Promise<EntityKinds[K]> {
    const current = this.get(id, caller);
    const one = this.what.toLowerCase();
    const ops = readPatch(current.etag, ifMatch, raw, one);
    const doc: Params = structuredClone({ name: current.name, description: current.description, data: current.data ?? {}, params: current.params ?? {} });
    for (const op of ops) {
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
    const fields = this.validate(body, caller);
    const next = { ...current, ...fields, ...touched(current, actorOf(caller), this.clock()) } as EntityKinds[K];
    await this.put(next);
    return next;
  }

  /** `DELETE /{id}`: refused with `1418-400` while a flow uses it. */
  async delete(id: string, caller: Caller, ifMatch: string | undefined): Promise<void> {
    const current = this.get(id, caller);
    checkIfMatch(ifMatch, current.etag, this.what.toLowerCase());
    refuseWhileUsed(this.what, id, flowsUsing(this.store, this.kind, id), "delete the flows first");
    await this.store.deleteEntity(this.kind, id);
  }
}
