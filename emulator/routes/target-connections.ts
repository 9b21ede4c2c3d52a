/** `/targetConnections`: parse, call the domain (flow/target-connections.ts), render. */
import { renderTargetConnection } from "../flow/target-connections";
import { idOf, ifMatchOf, listResult, queryOf, type FlowHandler } from "./common";

export const create: FlowHandler = async (req, state, caller) => {
  const s = await state.targetConnections.create(req.body, caller);
  return { status: 201, body: { id: s.id, etag: s.etag } };
};

export const list: FlowHandler = (req, state, caller) =>
  listResult(state.targetConnections.list(queryOf(req), caller), "/targetConnections", renderTargetConnection);

export const get: FlowHandler = (req, state, caller) => ({
  status: 200,
  body: { items: [renderTargetConnection(state.targetConnections.get(idOf(req), caller))] },
});

export const patch: FlowHandler = async (req, state, caller) => {
  const s = await state.targetConnections.patch(idOf(req), caller, ifMatchOf(req), req.body);
  return { status: 200, body: { id: s.id, etag: s.etag } };
};

export const remove: FlowHandler = async (req, state, caller) => {
  await state.targetConnections.delete(idOf(req), caller, ifMatchOf(req));
  return { status: 204 };
};
