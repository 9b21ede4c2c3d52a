/**
 * Schema Registry's `/tenant/schemas`: parse (the `Accept` header picks the format), call the domain
 * (xdm/schemas.ts), render the listing's `_page` and `_links` as Adobe's guide shows them.
 */
import { SCHEMA_REGISTRY_PREFIX } from "./table";
import { header } from "../util";
import { idOf, queryOf, scopeOf, type FlowHandler } from "./common";

export const list: FlowHandler = (req, state, caller) => {
  const query = queryOf(req);
  const page = state.schemas.list(query, scopeOf(caller), header(req.headers, "accept"));
  let next: { href: string } | null = null;
  if (page.next !== null) {
    const q = new URLSearchParams(query);
    q.set("start", page.next);
    next = { href: `${state.baseUrl}${SCHEMA_REGISTRY_PREFIX}/tenant/schemas?${q.toString()}` };
  }
  return {
    status: 200,
    body: {
      results: page.results,
      _page: { orderby: page.orderby, next: page.next, count: page.results.length },
      _links: { next, global_schemas: { href: `${state.baseUrl}${SCHEMA_REGISTRY_PREFIX}/global/schemas` } },
    },
  };
};

export const get: FlowHandler = (req, state, caller) => ({ status: 200, body: state.schemas.lookup(idOf(req), scopeOf(caller), header(req.headers, "accept")) });
