/** `/sourceConnections`: parse, call the domain (flow/source-connections.ts), render. */
import { renderSourceConnection } from "../flow/source-connections";
import { idOf, ifMatchOf, listResult, queryOf, type FlowHandler } from "./common";

export const create: FlowHandler = async (req, state, caller) => {
  const s = await state.sourceConnections.create(req.body, caller);
  return { status: 201, body: { id: s.id, etag: s.etag } };
};

export const list: FlowHandler = (req, state, caller) =>
  listResult(state.sourceConnections.list(queryOf(req), caller), "/sourceConnections", renderSourceConnection);

export const get: FlowHandler = (req, state, caller) => ({
  status: 200,
  body: { items: [renderSourceConnection(state.sourceConnections.get(idOf(req), caller))] },
});

export const patch: FlowHandler = async (req, state, caller) => {
  const s = await state.sourceConnections.patch(idOf(req), caller, ifMatchOf(req), req.body);
  return { status: 200, body: { id: s.id, etag: s.etag } };
};

export const remove: FlowHandler = async (req, state, caller) => {
  await state.sourceConnections.delete(idOf(req), caller, ifMatchOf(req));
  return { status: 204 };
};
