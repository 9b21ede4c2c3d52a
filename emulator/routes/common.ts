/** What the thin handlers share: their types, the path id, the query, and the body of a Flow Service list. */
import type { FastifyRequest } from "fastify";
import type { Caller } from "../flow/model";
import type { Listing } from "../flow/listing";
import type { EmulatorState } from "../state";
import type { Result, Scope } from "../types";
import { header } from "../util";

/** A handler of IMS or the inlet, which check their own headers. */
export type Handler = (req: FastifyRequest, state: EmulatorState) => Result | Promise<Result>;
/** A handler behind the gateway (Flow Service, Data Prep, Catalog, Schema Registry): it gets the caller. */
export type FlowHandler = (req: FastifyRequest, state: EmulatorState, caller: Caller) => Result | Promise<Result>;

/** The org and sandbox a caller works in. */
export const scopeOf = (caller: Caller): Scope => ({ imsOrgId: caller.client.orgId, sandboxName: caller.sandbox });

export const idOf = (req: FastifyRequest): string => (req.params as { id: string }).id;
export const queryOf = (req: FastifyRequest): URLSearchParams => new URLSearchParams(req.url.split("?")[1] ?? "");

/** `{count}`, or `{items, _links}` with `_links.next.href` relative to the service base, as for /connections. */
export function listResult<T>(listing: Listing<T>, collection: string, render: (item: T) => unknown): Result {
  if ("count" in listing) return { status: 200, body: { count: listing.count } };
  const links = listing.next ? { next: { href: `${collection}?${listing.next.toString()}` } } : {};
  return { status: 200, body: { items: listing.items.map(render), _links: links } };
}

/**
 * The etag a write is conditional on. The spec declares `if-match` a header; [choice] every update of
 * Adobe's own Postman collection sends it as a query parameter (`?if-match={{if-match}}`), so that is
 * taken too when no header is sent (the header wins when both are). Its value is compared as the
 * header's is: exactly, quotes included.
 */
export function ifMatchOf(req: FastifyRequest): string | undefined {
  const sent = header(req.headers, "if-match");
  if (sent !== undefined) return sent;
  const query = queryOf(req);
  const key = [...query.keys()].find((k) => k.toLowerCase() === "if-match");
  const value = key === undefined ? undefined : query.get(key);
  return value === null || value === undefined || value === "" ? undefined : value;
}
