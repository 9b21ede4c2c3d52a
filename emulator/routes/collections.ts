/**
 * The one set of handlers over every declared Flow Service collection (flow/collection.ts): parse the path id,
 * the query and If-Match, call the collection's engine, render what it returns. A new collection needs no
 * handler of its own: its declaration and its entries in the route table (table.ts, index.ts).
 */
import type { Collection, CollectionName } from "../flow/collection";
import type { EmulatorState } from "../state";
import type { EntityMeta } from "../types";
import { idOf, ifMatchOf, listResult, queryOf, type FlowHandler } from "./common";

export interface CollectionHandlers {
  create: FlowHandler;
  list: FlowHandler;
  get: FlowHandler;
  patch: FlowHandler;
  remove: FlowHandler;
}

/** The engine of one collection, whichever item it holds (the handlers need only the bookkeeping every item has). */
const engineOf = (state: EmulatorState, name: CollectionName): Collection<EntityMeta> => state.collections[name] as unknown as Collection<EntityMeta>;

export function collectionHandlers(name: CollectionName): CollectionHandlers {
  return {
    create: async (req, state, caller) => {
      const item = await engineOf(state, name).create(req.body, caller);
      return { status: 201, body: { id: item.id, etag: item.etag } };
    },
    list: (req, state, caller) => {
      const engine = engineOf(state, name);
      return listResult(engine.list(queryOf(req), caller), engine.declaration.path, (item) => engine.render(item));
    },
    get: (req, state, caller) => {
      const engine = engineOf(state, name);
      return { status: 200, body: { items: [engine.render(engine.get(idOf(req), caller))] } };
    },
    patch: async (req, state, caller) => {
      const item = await engineOf(state, name).patch(idOf(req), caller, ifMatchOf(req), req.body);
      return { status: 200, body: { id: item.id, etag: item.etag } };
    },
    remove: async (req, state, caller) => {
      await engineOf(state, name).delete(idOf(req), caller, ifMatchOf(req));
      return { status: 204 };
    },
  };
}
