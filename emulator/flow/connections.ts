/**
 * The connections of Flow Service: the one place that decides create, read, list, patch and delete. Routes
 * parse around it and render what it returns; the admin API's drift, delete and dataflow marks go through
 * it too, so a change behind the client's back passes exactly the checks a client's own PATCH passes.
 * Every check-then-write runs without an `await` in between (see store/store.ts).
 */
import { flowError } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Clock, StoredConnection } from "../types";
import { buildConnection, parseJsonBody } from "./create";
import { compareBy, decodeToken, encodeToken, page, parseFilters, parseLimit, parseOrder } from "./listing";
import { clientUser, newEtag, visibleTo, type Caller } from "./model";
import { applyPatch } from "./patch";

const FILTER_FIELDS = ["id", "name", "description", "connectionSpec.id", "state"] as const;
const ORDER_FIELDS = ["createdAt", "updatedAt", "name"] as const;
/** [choice] Default and maximum page size; a larger `limit` is a 400. */
const MAX_LIMIT = 100;

/** Who a change is recorded as: `updatedBy` and `updatedClient`. */
export interface Actor {
  by: string;
  client: string;
}

/** What a list answers: a count, or a page with the query of the next one. */
export type Listing = { count: number } | { items: StoredConnection[]; next?: URLSearchParams };

export class Connections {
  constructor(
    private readonly store: ConnectionStore,
    private readonly clock: Clock,
    /** The advertised base URL, known once listening: inletUrls are rendered from it. */
    private readonly baseUrl: () => string,
  ) {}

  /** `POST /connections`: validates the body (see create.ts for the order) and stores the connection. */
  async create(body: unknown, caller: Caller): Promise<StoredConnection> {
    const connection = buildConnection(body, caller, this.store.nextSeq(), this.clock());
    await this.store.put(connection);
    return connection;
  }

  /** The caller's connection; another org's or sandbox's is indistinguishable from a missing one (`1101-404`). */
  get(id: string, caller: Caller): StoredConnection {
    const c = this.store.get(id);
    if (!visibleTo(c, caller)) throw flowError("1101-404", `Connection '${id}' not found`);
    return c;
  }

  /** `GET /connections` with its query: filters, count, ordering and keyset paging. */
  list(query: URLSearchParams, caller: Caller): Listing {
    const matches = parseFilters(query.getAll("property"), FILTER_FIELDS);
    const visible = this.store.all().filter((c) => visibleTo(c, caller) && matches(c as unknown as Record<string, unknown>));
    const count = query.get("count");
    if (count !== null && count !== "true" && count !== "false") throw flowError("1400-400", "count: must be true or false");
    if (count === "true") {
      if (query.has("limit")) throw flowError("1401-400", "limit cannot be used together with count");
      return { count: visible.length };
    }
    const limit = parseLimit(query.get("limit"), MAX_LIMIT);
    const order = parseOrder(query.get("orderby"), ORDER_FIELDS, "-createdAt");
    const token = query.get("continuationToken");
    const after = token ? decodeToken(token, order) : undefined;
    const rows = visible.map((c) => ({ value: c[order.field as (typeof ORDER_FIELDS)[number]], seq: c.seq, c }));
    const { items, more } = page(rows.sort(compareBy(order)), order, limit, after);
    if (!more) return { items: items.map((r) => r.c) };
    const next = new URLSearchParams();
    next.set("continuationToken", encodeToken(order, items[items.length - 1]));
    next.set("limit", String(limit));
    for (const p of query.getAll("property")) next.append("property", p);
    if (query.has("orderby")) next.set("orderby", order.text);
    return { items: items.map((r) => r.c), next };
  }

  /**
   * `PATCH /connections/{id}`. Checks in the contract's order: visible, If-Match present, body JSON, If-Match
   * equal to the etag, then the operations; so the body arrives unparsed.
   */
  async patch(id: string, caller: Caller, ifMatch: string | undefined, rawBody: unknown): Promise<StoredConnection> {
    const current = this.get(id, caller);
    if (!ifMatch) throw flowError("1403-400", "The If-Match header is required; send the connection's etag (quotes included)");
    const ops = parseJsonBody(rawBody);
    // [choice] Exact comparison: the etag with its double quotes, no `*`, no weak etags.
    if (ifMatch !== current.etag) {
      throw flowError("1404-412", `If-Match ${ifMatch} does not match the connection's etag ${current.etag}; it was changed since it was read`);
    }
    return this.change(current, ops, { by: caller.client.clientId, client: clientUser(caller.client.clientId) });
  }

  /** `DELETE /connections/{id}`: If-Match honoured when sent; a connection used by dataflows is `1418-400`. */
  async delete(id: string, caller: Caller, ifMatch: string | undefined): Promise<void> {
    const current = this.get(id, caller);
    // [choice] If-Match is optional on DELETE, but honoured when sent.
    if (ifMatch && ifMatch !== current.etag) throw flowError("1404-412", `If-Match ${ifMatch} does not match the connection's etag ${current.etag}`);
    if (current.usedByDataflows > 0) {
      throw flowError("1418-400", `Connection '${current.id}' is used by ${current.usedByDataflows} dataflow(s); delete them first`);
    }
    await this.store.delete(current.id);
  }

  /**
   * Applies JSON Patch operations with every rule of patch.ts (fixed streaming params, the auth schema) and
   * stores the result with a new etag and `updatedAt`: the one write path of a client's PATCH and of drift.
   */
  async change(current: StoredConnection, ops: unknown, actor: Actor): Promise<StoredConnection> {
    const result = applyPatch(current, ops, this.inletUrlOf(current));
    const now = this.clock();
    const next: StoredConnection = {
      ...current,
      name: result.name,
      description: result.description,
      updatedAt: now,
      updatedBy: actor.by,
      updatedClient: actor.client,
      etag: newEtag(current.etag, now),
    };
    if (current.auth && result.params) next.auth = { specName: current.auth.specName, params: result.params };
    await this.store.put(next);
    return next;
  }

  // Behind the client's back (the admin API): no caller, every org and sandbox.

  all(): StoredConnection[] {
    return this.store.all();
  }

  find(id: string): StoredConnection | undefined {
    return this.store.get(id);
  }

  /** A delete that no check stops (dataflow marks and etags are the client's concern). */
  async remove(id: string): Promise<void> {
    await this.store.delete(id);
  }

  /** While `count` > 0 a client's DELETE answers `1418-400`. */
  async markDataflows(current: StoredConnection, count: number): Promise<void> {
    await this.store.put({ ...current, usedByDataflows: count });
  }

  /** The URL a streaming connection's inlet is reached at, rendered from the current base URL. */
  inletUrlOf(c: StoredConnection): string | undefined {
    const inletId = c.auth?.params.inletId;
    return typeof inletId === "string" ? `${this.baseUrl()}/collection/${inletId}` : undefined;
  }
}
