import type { FlowServiceClient } from "./client";
import { FlowServiceError } from "./flow-service-error";

/**
 * The items of one collection in one sandbox (for base connections: of one spec), listed once per
 * process (that is, per deployment) for `read`, so that a refresh of N items costs ⌈N/100⌉ pages per
 * collection instead of N GETs. It serves every collection the provider reads: `/connections` (one
 * listing per spec), `/sourceConnections`, `/targetConnections`, `/flows` (Flow Service) and
 * `/mappingSets` (Data Prep). Adobe documents each listing's items in the same schema as the GET of
 * one (and the emulator renders them alike), so none of these kinds keeps a GET of its own; each
 * listing page is checked item by item with the checker its GET uses.
 *
 * The first read of a collection in a sandbox lists it; every read of it waits for the same listing
 * and takes its item from it (a copy). An id the complete listing does not hold is asked for with one
 * GET before it is reported gone (created after the listing, of another spec, or really deleted).
 *
 * Staleness: the listing must never hide this process's own writes. The client tells the cache of
 * every write before it is sent (`onWrite`), and an item this process has written (or is writing) to
 * is always read with a GET, whenever the listing was taken: a PATCH, PUT or DELETE of
 * `/<collection>/<id>`, and a POST below it (`/flows/<id>/action`). A create (a POST to the collection
 * itself) needs no mark: its id is not in a listing taken before it. Changes made by others after the
 * listing are seen as a GET at that moment would have seen them a few seconds earlier: a deployment
 * reads each resource once. A listing that runs past LISTING_MAX_PAGES, or is answered with an error
 * or an unusable body, is not used: each read GETs its own. A listing that got no answer at all fails
 * its reads.
 */
export const LISTING_MAX_PAGES = 20;

/** One listing's items as the client pages them: `complete` says whether that was all of them. */
export interface ListedPages<T> {
  items: T[];
  complete: boolean;
}

/** Where a read's item is found: its collection's listing, or (when that cannot be trusted) its own GET. */
export interface ListingSource<T extends { id: string }> {
  /** The item paths' prefix as the client reports writes: `/connections`, `/flows`, `/mappingSets`. */
  collection: string;
  sandbox: string;
  /** What narrows the listing within the collection (the connection spec id of a base connection). */
  scope?: string;
  /** Lists the collection, up to `maxPages` pages of 100. */
  list(maxPages: number): Promise<ListedPages<T>>;
  /** The item as its GET answers it; `undefined` only when the service says it does not exist. */
  get(id: string): Promise<T | undefined>;
}

type Listing = Map<string, unknown>;

export class ListingCache {
  /** Keyed by collection, sandbox and scope; `undefined` when the listing failed or was too long to use. */
  private readonly listings = new Map<string, Promise<Listing | undefined>>();
  /** Item paths (`/connections/<id>`) this process has written to: never served from a listing. */
  private readonly written = new Set<string>();

  constructor(client: FlowServiceClient) {
    client.onWrite((method, path) => {
      const item = writtenItemPath(method, path);
      if (item) this.written.add(item);
    });
  }

  /** The item as a GET would answer it, or `undefined` when the service says it does not exist. */
  async item<T extends { id: string }>(source: ListingSource<T>, id: string): Promise<T | undefined> {
    const path = `${source.collection}/${encodeURIComponent(id)}`;
    if (!this.written.has(path)) {
      const listing = await this.listing(source);
      // Checked again: a write may have started while the listing was on its way.
      const listed = listing && !this.written.has(path) ? (listing.get(id) as T | undefined) : undefined;
      if (listed) return structuredClone(listed);
    }
    return source.get(id);
  }

  private listing<T extends { id: string }>(source: ListingSource<T>): Promise<Listing | undefined> {
    const key = JSON.stringify([source.collection, source.sandbox, source.scope ?? null]);
    let listing = this.listings.get(key);
    if (!listing) {
      listing = source.list(LISTING_MAX_PAGES).then(
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

/**
 * The item path a write touches (`/flows/<id>` for `POST /flows/<id>/action`), or `undefined` for a
 * create (a POST to the collection itself), whose id no earlier listing holds.
 */
export function writtenItemPath(method: string, path: string): string | undefined {
  const [collection, id] = path.split("/").filter(Boolean);
  if (id === undefined) return method.toUpperCase() === "POST" ? undefined : `/${collection}`;
  return `/${collection}/${id}`;
}

const caches = new WeakMap<FlowServiceClient, ListingCache>();

/** The listing cache of a client: one per client, so per credentials and process (made with the client, clients.ts). */
export function listingCacheOf(client: FlowServiceClient): ListingCache {
  let cache = caches.get(client);
  if (!cache) caches.set(client, (cache = new ListingCache(client)));
  return cache;
}
