/**
 * `/connections`: create, list, read, patch, delete. Handlers parse, call the store, and return values;
 * every check-then-write runs without an await in between (see store/store.ts).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { buildConnection, parseJsonBody } from "../create";
import { flowError } from "../errors";
import { compareBy, decodeToken, encodeToken, page, parseFilters, parseLimit, parseOrder } from "../listing";
import { clientUser, newEtag, renderConnection, visibleTo, type CallerContext } from "../model";
import { applyPatch } from "../patch";
import type { EmulatorState } from "../state";
import type { Result, StoredConnection } from "../types";
import { header } from "../util";
import { flowRoute } from "./flow-route";

const FILTER_FIELDS = ["id", "name", "description", "connectionSpec.id", "state"] as const;
const ORDER_FIELDS = ["createdAt", "updatedAt", "name"] as const;
/** [choice] Default and maximum page size; a larger `limit` is a 400. */
export const MAX_LIMIT = 100;

function idOf(req: FastifyRequest): string {
  return (req.params as { id: string }).id;
}

function lookup(state: EmulatorState, ctx: CallerContext, id: string): StoredConnection {
  const c = state.store.get(id);
  // Another org's or sandbox's connection is indistinguishable from a missing one.
  if (!visibleTo(c, ctx)) throw flowError("1101-404", `Connection '${id}' not found`);
  return c;
}

function list(state: EmulatorState, ctx: CallerContext, url: string): Result {
  const query = new URLSearchParams(url.split("?")[1] ?? "");
  const matches = parseFilters(query.getAll("property"), FILTER_FIELDS);
  const visible = state.store.all().filter((c) => visibleTo(c, ctx) && matches(c as unknown as Record<string, unknown>));
  const count = query.get("count");
  if (count !== null && count !== "true" && count !== "false") throw flowError("1400-400", "count: must be true or false");
  if (count === "true") {
    if (query.has("limit")) throw flowError("1401-400", "limit cannot be used together with count");
    return { status: 200, body: { count: visible.length } };
  }
  const limit = parseLimit(query.get("limit"), MAX_LIMIT);
  const order = parseOrder(query.get("orderby"), ORDER_FIELDS, "-createdAt");
  const token = query.get("continuationToken");
  const after = token ? decodeToken(token, order) : undefined;
  const rows = visible.map((c) => ({ value: c[order.field as (typeof ORDER_FIELDS)[number]], seq: c.seq, c }));
  const sorted = rows.sort(compareBy(order));
  const { items, more } = page(sorted, order, limit, after);
  const body: Record<string, unknown> = { items: items.map((r) => renderConnection(r.c, ctx.baseUrl)), _links: {} };
  if (more) {
    const next = new URLSearchParams();
    next.set("continuationToken", encodeToken(order, items[items.length - 1]));
    next.set("limit", String(limit));
    for (const p of query.getAll("property")) next.append("property", p);
    if (query.has("orderby")) next.set("orderby", order.text);
    body._links = { next: { href: `/connections?${next.toString()}` } };
  }
  return { status: 200, body };
}

async function patch(state: EmulatorState, ctx: CallerContext, req: FastifyRequest): Promise<Result> {
  const current = lookup(state, ctx, idOf(req));
  const ifMatch = header(req.headers, "if-match");
  if (!ifMatch) throw flowError("1403-400", "The If-Match header is required; send the connection's etag (quotes included)");
  const ops = parseJsonBody(req.body);
  // [choice] Exact comparison: the etag with its double quotes, no `*`, no weak etags.
  if (ifMatch !== current.etag) {
    throw flowError("1404-412", `If-Match ${ifMatch} does not match the connection's etag ${current.etag}; it was changed since it was read`);
  }
  const inletUrl = typeof current.auth?.params.inletId === "string" ? `${ctx.baseUrl}/collection/${current.auth.params.inletId}` : undefined;
  const result = applyPatch(current, ops, inletUrl);
  const now = Date.now();
  const updated: StoredConnection = {
    ...current,
    name: result.name,
    description: result.description,
    updatedAt: now,
    updatedBy: ctx.client.clientId,
    updatedClient: clientUser(ctx.client.clientId),
    etag: newEtag(current.etag, now),
  };
  if (current.auth && result.params) updated.auth = { specName: current.auth.specName, params: result.params };
  await state.store.put(updated);
  return { status: 200, body: { id: updated.id, etag: updated.etag } };
}

async function remove(state: EmulatorState, ctx: CallerContext, req: FastifyRequest): Promise<Result> {
  const current = lookup(state, ctx, idOf(req));
  // [choice] If-Match is optional on DELETE, but honoured when sent.
  const ifMatch = header(req.headers, "if-match");
  if (ifMatch && ifMatch !== current.etag) throw flowError("1404-412", `If-Match ${ifMatch} does not match the connection's etag ${current.etag}`);
  if (current.usedByDataflows > 0) {
    throw flowError("1418-400", `Connection '${current.id}' is used by ${current.usedByDataflows} dataflow(s); delete them first`);
  }
  await state.store.delete(current.id);
  return { status: 204 };
}

export function registerConnections(app: FastifyInstance, state: EmulatorState, prefix: string): void {
  app.post(
    `${prefix}/connections`,
    flowRoute(state, "/connections", async (ctx, req) => {
      const connection = buildConnection(req.body, ctx, state.store.nextSeq());
      await state.store.put(connection);
      return { status: 201, body: { id: connection.id, etag: connection.etag } };
    }),
  );
  app.get(`${prefix}/connections`, flowRoute(state, "/connections", (ctx, req) => list(state, ctx, req.url)));
  app.get(
    `${prefix}/connections/:id`,
    flowRoute(state, "/connections/{id}", (ctx, req) => ({
      status: 200,
      body: { items: [renderConnection(lookup(state, ctx, idOf(req)), ctx.baseUrl)] },
    })),
  );
  app.patch(`${prefix}/connections/:id`, flowRoute(state, "/connections/{id}", (ctx, req) => patch(state, ctx, req)));
  app.delete(`${prefix}/connections/:id`, flowRoute(state, "/connections/{id}", (ctx, req) => remove(state, ctx, req)));
}
