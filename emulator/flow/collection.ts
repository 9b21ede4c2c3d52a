/**
 * Flow Service's collections declared as data. A collection (connections, source connections, target
 * connections, flows) is one `CollectionDeclaration`: where it is stored, what a POST body must satisfy,
 * what a PATCH may change, what stops a DELETE, its list rules and its render. `Collection` is the one engine
 * over any declaration: create, read, list, patch, delete and the admin API's reads and removals, in the
 * contract's order of checks; routes/collections.ts is the one set of handlers over it. A new collection is
 * one declaration plus its entries in the route table. Every check-then-write runs without an `await` in
 * between (see store/store.ts).
 */
import type { Datasets } from "../catalog/datasets";
import { flowError } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Clock, EntityKinds, EntityMeta, Scope, StoredConnection, StoredFlow, StoredSourceConnection, StoredTargetConnection } from "../types";
import { actorOf, checkIfMatch, newMeta, notFound, parseJsonBody, touched, type Actor } from "./entities";
import { listEntities, type ListRules, type Listing } from "./listing";
import { visibleTo, type Caller } from "./model";
import type { SpecRegistry } from "./spec-registry";

/** Each collection's stored item, by the name the emulator's state and the route table give it. */
export interface CollectionItems {
  connections: StoredConnection;
  sourceConnections: StoredSourceConnection;
  targetConnections: StoredTargetConnection;
  flows: StoredFlow;
}
export type CollectionName = keyof CollectionItems;

/** What a collection's rules may read besides the item: the store, the specs, Catalog's datasets, the clock. */
export interface Domain {
  store: ConnectionStore;
  clock: Clock;
  specs: SpecRegistry;
  datasets: Datasets;
  /** The advertised base URL, known once listening (a streaming connection's inletUrl is rendered from it). */
  baseUrl(): string;
}

/** Where a collection's items are kept: connections have their own store calls, the other kinds share the entity calls. */
export interface Table<T> {
  all(): T[];
  get(id: string): T | undefined;
  put(item: T): Promise<void>;
  delete(id: string): Promise<void>;
}

/** The fields a body sets: everything but the bookkeeping every item carries. */
export type Fields<T extends EntityMeta> = Omit<T, keyof EntityMeta>;

export interface CollectionDeclaration<T extends EntityMeta> {
  /** Its path under Flow Service (`/sourceConnections`): the list's `_links` name it. */
  path: string;
  /** How messages name one ("Source connection"); lower-cased inside a sentence. */
  what: string;
  table(store: ConnectionStore): Table<T>;
  /** Filters, orderings and page sizes of its `GET` list. */
  list: ListRules;
  /** A POST body, parsed, checked by every rule of the kind in its fixed order: the new item's fields. */
  create(body: unknown, scope: Scope, domain: Domain): Fields<T>;
  /**
   * A PATCH body (JSON Patch, parsed but not yet checked) applied to the item: the fields that change, each
   * rule of a POST checked again on the result. A field set to `undefined` is removed.
   */
  patch(current: T, body: unknown, scope: Scope, domain: Domain): Partial<Fields<T>>;
  /** Throws `1418-400` while something still uses the item; a client's DELETE asks first. */
  checkUnused(current: T, domain: Domain): void;
  /** The item of its `GET` (and of each list entry). */
  render(item: T, domain: Domain): Record<string, unknown>;
}

/** The store calls of connections as a table. */
export function connectionTable(store: ConnectionStore): Table<StoredConnection> {
  return { all: () => store.all(), get: (id) => store.get(id), put: (c) => store.put(c), delete: (id) => store.delete(id) };
}

/**
 * The store's entity calls for one kind as a table. (The casts only restate that a kind's item is the same type
 * under both names, CollectionItems and the store's EntityKinds, which the compiler cannot see for a generic kind.)
 */
export function entityTable<K extends Exclude<CollectionName, "connections">>(kind: K): (store: ConnectionStore) => Table<CollectionItems[K]> {
  type Item = CollectionItems[K];
  return (store) => ({
    all: () => store.entities(kind) as unknown as Item[],
    get: (id) => store.entity(kind, id) as unknown as Item | undefined,
    put: (item) => store.putEntity(kind, item as unknown as EntityKinds[K]),
    delete: (id) => store.deleteEntity(kind, id),
  });
}

export const scopeOfCaller = (caller: Caller): Scope => ({ imsOrgId: caller.client.orgId, sandboxName: caller.sandbox });
/** An item's own org and sandbox: a change behind the client's back is checked where the item lives. */
export const scopeOfItem = (item: EntityMeta): Scope => ({ imsOrgId: item.imsOrgId, sandboxName: item.sandboxName });
export const inScope = <T extends { imsOrgId: string; sandboxName: string }>(item: T | undefined, scope: Scope): item is T =>
  item !== undefined && item.imsOrgId === scope.imsOrgId && item.sandboxName === scope.sandboxName;

/** The one engine of every Flow Service collection: its declaration decides, the engine keeps the order of checks. */
export class Collection<T extends EntityMeta> {
  private readonly table: Table<T>;

  constructor(
    readonly declaration: CollectionDeclaration<T>,
    private readonly domain: Domain,
  ) {
    this.table = declaration.table(domain.store);
  }

  /** `POST`: the body's fields with new bookkeeping in the caller's org and sandbox. */
  async create(raw: unknown, caller: Caller): Promise<T> {
    const fields = this.declaration.create(parseJsonBody(raw), scopeOfCaller(caller), this.domain);
    const item = { ...newMeta(caller, this.domain.store.nextSeq(), this.domain.clock()), ...fields } as T;
    await this.table.put(item);
    return item;
  }

  /** The caller's item; another org's or sandbox's is indistinguishable from a missing one (`1101-404`). */
  get(id: string, caller: Caller): T {
    const item = this.table.get(id);
    if (!visibleTo(item, caller)) throw notFound(this.declaration.what, id);
    return item;
  }

  /** `GET` with its query: filters, count, ordering and keyset paging (listing.ts). */
  list(query: URLSearchParams, caller: Caller): Listing<T> {
    return listEntities(this.table.all().filter((item) => visibleTo(item, caller)), query, this.declaration.list);
  }

  /**
   * `PATCH /{id}`. Checks in the contract's order: visible, If-Match present (`1403-400`), body JSON
   * (`1405-400`), If-Match equal to the etag (`1404-412`), then the kind's operations; so the body arrives unparsed.
   */
  async patch(id: string, caller: Caller, ifMatch: string | undefined, raw: unknown): Promise<T> {
    const current = this.get(id, caller);
    const one = this.declaration.what.toLowerCase();
    if (!ifMatch) throw flowError("1403-400", `The If-Match header (or an if-match query parameter) is required; send the ${one}'s etag (quotes included)`);
    const body = parseJsonBody(raw);
    // [choice] Exact comparison: the etag with its double quotes, no `*`, no weak etags.
    checkIfMatch(ifMatch, current.etag, one);
    return this.change(current, body, actorOf(caller));
  }

  /** The kind's PATCH rules applied and stored: the one path of a client's PATCH and of the admin API's drift. */
  async change(current: T, body: unknown, actor: Actor): Promise<T> {
    return this.write(current, this.declaration.patch(current, body, scopeOfItem(current), this.domain), actor);
  }

  /** The one write path: the new fields, a new etag and `updatedAt`, who changed it. */
  async write(current: T, fields: Partial<Fields<T>>, actor: Actor): Promise<T> {
    const next = { ...current, ...fields, ...touched(current, actor, this.domain.clock()) } as T;
    for (const [key, value] of Object.entries(fields)) if (value === undefined) delete (next as Record<string, unknown>)[key];
    await this.table.put(next);
    return next;
  }

  /** `DELETE /{id}`: [choice] If-Match is optional but honoured when sent; refused with `1418-400` while used. */
  async delete(id: string, caller: Caller, ifMatch: string | undefined): Promise<void> {
    const current = this.get(id, caller);
    checkIfMatch(ifMatch, current.etag, this.declaration.what.toLowerCase());
    this.declaration.checkUnused(current, this.domain);
    await this.table.delete(id);
  }

  render(item: T): Record<string, unknown> {
    return this.declaration.render(item, this.domain);
  }

  // Behind the client's back (the admin API): no caller, every org and sandbox.

  all(): T[] {
    return this.table.all();
  }

  find(id: string): T | undefined {
    return this.table.get(id);
  }

  /** A delete that no check stops (integrity and etags are the client's concern): how a test makes an orphan. */
  async remove(id: string): Promise<void> {
    await this.table.delete(id);
  }

  /** Stores the item as it is, no rule and no new etag (the admin API's dataflow marks). */
  async putAsIs(item: T): Promise<void> {
    await this.table.put(item);
  }
}
