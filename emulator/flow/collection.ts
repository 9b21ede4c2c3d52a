/**
 * One Flow Service collection of the store (source connections, target connections, flows): what reading,
 * listing and removing behind the client's back are for every kind. The kinds' own rules live in their
 * classes (source-connections.ts, target-connections.ts, flows.ts).
 */
import type { ConnectionStore } from "../store/store";
import type { Clock, EntityKinds } from "../types";
import { notFound } from "./entities";
import { listEntities, type ListRules, type Listing } from "./listing";
import { visibleTo, type Caller } from "./model";

type FlowKind = "sourceConnections" | "targetConnections" | "flows";

export abstract class Collection<K extends FlowKind> {
  protected constructor(
    protected readonly store: ConnectionStore,
    protected readonly clock: Clock,
    private readonly kind: K,
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
