/** Catalog's `/dataSets`: parse, call the domain (catalog/datasets.ts), render. Catalog answers objects keyed by id. */
import { idOf, queryOf, scopeOf, type FlowHandler } from "./common";

export const list: FlowHandler = (req, state, caller) => ({ status: 200, body: state.datasets.list(queryOf(req), scopeOf(caller)) });

export const get: FlowHandler = (req, state, caller) => ({ status: 200, body: state.datasets.lookup(idOf(req), scopeOf(caller), queryOf(req)) });
