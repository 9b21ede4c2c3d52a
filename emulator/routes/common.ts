/** What the thin handlers share: the path id, the query, and the body of a Flow Service list. */
import type { FastifyRequest } from "fastify";
import type { Listing } from "../flow/listing";
import type { Result } from "../types";

export const idOf = (req: FastifyRequest): string => (req.params as { id: string }).id;
export const queryOf = (req: FastifyRequest): URLSearchParams => new URLSearchParams(req.url.split("?")[1] ?? "");

/** `{count}`, or `{items, _links}` with `_links.next.href` relative to the service base, as for /connections. */
export function listResult<T>(listing: Listing<T>, collection: string, render: (item: T) => unknown): Result {
  if ("count" in listing) return { status: 200, body: { count: listing.count } };
  const links = listing.next ? { next: { href: `${collection}?${listing.next.toString()}` } } : {};
  return { status: 200, body: { items: listing.items.map(render), _links: links } };
}
