import type { FlowServiceClient } from "../client/client";
import { FlowServiceError } from "../client/flow-service-error";
import type { ConnectionItem } from "../client/types";

/**
 * The connections of one spec in one sandbox, listed once per process (that is, per deployment) for
 * `read`, so that a refresh of N connections costs ⌈N/100⌉ pages per spec instead of N GETs.
 *
 * The first read of a spec in a sandbox lists it; every read of that spec waits for the same listing
 * and takes its item from it. An id the complete listing does not hold is asked for with one GET
 * before it is reported gone (created after the listing, of another spec, or really deleted).
 *
 * Staleness: the listing must never hide this process's own writes. The client tells the cache of
 * every write before it is sent (`onWrite`), and an id this process has patched or deleted (or is
 * patching or deleting) is always read with a GET, whenever the listing was taken. A create needs no
 * mark: its id is not in a listing taken before it. Changes made by others after the listing are
 * seen as a GET at that moment would have seen them a few seconds earlier: a deployment reads each
 * resource once. A listing that runs past MAX_PAGES, or is answered with an error or an unusable body,
 * is not used: each read GETs its own. A listing that got no answer at all fails its reads.
 */
const MAX_PAGES = 20;

type Listing = Map<string, ConnectionItem>;

export class ListingCache {
  /** Keyed by sandbox and spec id; `undefined` when the listing failed or was too long to use. */
  private readonly listings = new Map<string, Promise<Listing | undefined>>();
  /** Item paths (`/connections/<id>`) this process has written to: never served from a listing. */
  private readonly written = new Set<string>();

  constructor(
    private readonly client: FlowServiceClient,
    private readonly collection: string,
  ) {
    client.onWrite((method, path) => {
      if (method !== "POST") this.written.add(path);
    });
  }

  /**
   * The item as a GET would answer it, or `undefined` when Flow Service says it does not exist: from
   * the spec's listing where that can be trusted, otherwise (and to confirm an absence) by one GET.
   */
  async item(sandbox: string, specId: string, id: string): Promise<ConnectionItem | undefined> {
    const path = `${this.collection}/${encodeURIComponent(id)}`;
    if (!this.written.has(path)) {
      const listing = await this.listing(sandbox, specId);
      // Checked again: a write may have started while the listing was on its way.
      const listed = listing && !this.written.has(path) ? listing.get(id) : undefined;
      if (listed) return structuredClone(listed);
    }
    return this.client.getItem(this.collection, sandbox, id);
  }

  private listing(sandbox: string, specId: string): Promise<Listing | undefined> {
    const key = JSON.stringify([sandbox, specId]);
    let listing = this.listings.get(key);
    if (!listing) {
      listing = this.client.listItemPages(this.collection, sandbox, [`connectionSpec.id==${specId}`], MAX_PAGES).then(
        ({ items, complete }) => (complete ? new Map(items.map((item) => [item.id, item])) : undefined),
        (err: unknown) => {
          // No answer at all (refused, reset, a bad certificate): a GET would fare no better, so the
          // reads report it. An answer that was no usable listing: each read GETs its own.
          if (err instanceof FlowServiceError && err.kind === "network") throw err;
          return undefined;
        },
      );
      this.listings.set(key, listing);
    }
    return listing;
  }
}

const caches = new WeakMap<FlowServiceClient, ListingCache>();

/** The listing cache of a client's connections: one per client, so per credentials and process. */
export function listingCacheOf(client: FlowServiceClient): ListingCache {
  let cache = caches.get(client);
  if (!cache) caches.set(client, (cache = new ListingCache(client, "/connections")));
  return cache;
}
