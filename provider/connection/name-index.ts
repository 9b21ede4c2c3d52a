import type { FlowServiceClient } from "../client/client";
import type { ConnectionItem } from "../client/types";

/**
 * Which connections of one spec bear which names, listed once per process (that is, per deployment)
 * for each client, sandbox and spec.
 *
 * A create with a URN-derived name first asks whether an interrupted deployment already created that
 * connection. Asking once per name doubled the requests of a large `up`; one listing answers every
 * create of the deployment. The index is kept current with this process's own creates and deletes.
 * A connection someone else creates after the listing is not seen, but a URN-derived name can only
 * come from another deployment of the same stack, which the stack lock keeps out. Past MAX_PAGES
 * (a sandbox with thousands of connections of the spec) the listing is dropped and each name is
 * looked up on its own, as before.
 */
const MAX_PAGES = 10;

type Index = Map<string, ConnectionItem[]>;

export class NameIndex {
  /** Keyed by sandbox and spec id. `undefined` once a listing turned out too long to keep. */
  private readonly listings = new Map<string, Promise<Index | undefined>>();
  /** The same listings once they are in, so edits apply at once and in order. */
  private readonly done = new Map<string, Index | undefined>();

  constructor(private readonly client: FlowServiceClient) {}

  /**
   * Connections of the spec with exactly this name, or `undefined` when the sandbox holds too many
   * of the spec to list (ask by name instead). A failed listing is not kept: the next call lists again.
   */
  async named(sandbox: string, specId: string, name: string): Promise<ConnectionItem[] | undefined> {
    const index = await this.listing(sandbox, specId);
    return index ? [...(index.get(name) ?? [])] : undefined;
  }

  /** Records a connection this process created (or adopted), as a fresh listing would show it. */
  remember(sandbox: string, specId: string, item: Pick<ConnectionItem, "id" | "name">): void {
    this.edit(sandbox, specId, (index) => {
      const same = (index.get(item.name) ?? []).filter((i) => i.id !== item.id);
      index.set(item.name, [...same, { ...item } as ConnectionItem]);
    });
  }

  /** Drops a connection this process deleted, so a replacement bearing its name is not taken for it. */
  forget(sandbox: string, specId: string, id: string): void {
    this.edit(sandbox, specId, (index) => {
      for (const [name, items] of index) {
        const left = items.filter((i) => i.id !== id);
        if (left.length === items.length) continue;
        if (left.length > 0) index.set(name, left);
        else index.delete(name);
      }
    });
  }

  private listing(sandbox: string, specId: string): Promise<Index | undefined> {
    const key = JSON.stringify([sandbox, specId]);
    let listing = this.listings.get(key);
    if (!listing) {
      listing = this.client.listItemPages("/connections", sandbox, [`connectionSpec.id==${specId}`], MAX_PAGES).then(({ items, complete }) => {
        let index: Index | undefined;
        if (complete) {
          index = new Map();
          for (const item of items) index.set(item.name, [...(index.get(item.name) ?? []), item]);
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
  private edit(sandbox: string, specId: string, change: (index: Index) => void): void {
    const key = JSON.stringify([sandbox, specId]);
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
export function nameIndexOf(client: FlowServiceClient): NameIndex {
  let index = indexes.get(client);
  if (!index) indexes.set(client, (index = new NameIndex(client)));
  return index;
}
