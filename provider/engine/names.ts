import type { FlowServiceClient } from "../client/client";
import type { EngineKind, Entity } from "./kind";

/**
 * Which entities of one collection (for base connections: of one spec) bear which names, listed once per
 * process (that is, per deployment) for each client, sandbox and scope.
 *
 * A create with a URN-derived name first asks whether an interrupted deployment already created that
 * entity. Asking once per name doubled the requests of a large `up`; one listing answers every create of
 * the deployment. The index is kept current with this process's own creates and deletes. An entity
 * someone else creates after the listing is not seen, but a URN-derived name can only come from another
 * deployment of the same stack, which the stack lock keeps out. Past MAX_PAGES (a sandbox with thousands
 * of them) the listing is dropped and each name is looked up on its own.
 */
const MAX_PAGES = 10;

type Index = Map<string, Entity[]>;

export class NameIndex {
  /** Keyed by collection, sandbox and scope. `undefined` once a listing turned out too long to keep. */
  private readonly listings = new Map<string, Promise<Index | undefined>>();
  /** The same listings once they are in, so edits apply at once and in order. */
  private readonly done = new Map<string, Index | undefined>();

  constructor(private readonly client: FlowServiceClient) {}

  /** The entities with exactly this name. A failed listing is not kept: the next call lists again. */
  async named(kind: EngineKind, sandbox: string, name: string): Promise<Entity[]> {
    const index = await this.listing(kind, sandbox);
    return index ? [...(index.get(name) ?? [])] : kind.store.listNamed(kind, this.client, sandbox, name);
  }

  /** Records an entity this process created (or adopted), as a fresh listing would show it. */
  remember(kind: EngineKind, sandbox: string, item: { id: string; name: string }): void {
    this.edit(kind, sandbox, (index) => {
      const same = (index.get(item.name) ?? []).filter((i) => i.id !== item.id);
      index.set(item.name, [...same, { ...item }]);
    });
  }

  /** Drops an entity this process deleted, so a replacement bearing its name is not taken for it. */
  forget(kind: EngineKind, sandbox: string, id: string): void {
    this.edit(kind, sandbox, (index) => {
      for (const [name, items] of index) {
        const left = items.filter((i) => i.id !== id);
        if (left.length === items.length) continue;
        if (left.length > 0) index.set(name, left);
        else index.delete(name);
      }
    });
  }

  private key(kind: EngineKind, sandbox: string): string {
    return JSON.stringify([kind.store.collection, sandbox, kind.store.scope(kind) ?? null]);
  }

  private listing(kind: EngineKind, sandbox: string): Promise<Index | undefined> {
    const key = this.key(kind, sandbox);
    let listing = this.listings.get(key);
    if (!listing) {
      listing = kind.store.listPages(kind, this.client, sandbox, MAX_PAGES).then(({ items, complete }) => {
        let index: Index | undefined;
        if (complete) {
          index = new Map();
          for (const item of items) index.set(String(item.name), [...(index.get(String(item.name)) ?? []), item]);
        }
        this.done.set(key, index);
        return index;
      });
      this.listings.set(key, listing);
      listing.catch(() => this.listings.delete(key));
    }
    return listing;
  }

  /**
   * Applies `change` to the listing now if it is in, else once it is. An edit before any listing
   * started is moot: the listing, when it comes, sees the change itself.
   */
  private edit(kind: EngineKind, sandbox: string, change: (index: Index) => void): void {
    const key = this.key(kind, sandbox);
    if (this.done.has(key)) {
      const index = this.done.get(key);
      if (index) change(index);
      return;
    }
    // A failed listing is reported to the creates that awaited it, and the next one lists again.
    this.listings.get(key)?.then((index) => index && change(index)).catch(() => undefined);
  }
}

const indexes = new WeakMap<FlowServiceClient, NameIndex>();

/** The name index of a client: one per client, so per credentials and process. */
export function namesOf(client: FlowServiceClient): NameIndex {
  let index = indexes.get(client);
  if (!index) indexes.set(client, (index = new NameIndex(client)));
  return index;
}
