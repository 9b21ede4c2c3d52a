/** `/flows`: parse, call the domain (flow/flows.ts), render. */
import { idOf, ifMatchOf, listResult, queryOf, type FlowHandler } from "./common";

export const create: FlowHandler = async (req, state, caller) => {
  const f = await state.flows.create(req.body, caller);
  return { status: 201, body: { id: f.id, etag: f.etag } };
};

export const list: FlowHandler = (req, state, caller) => listResult(state.flows.list(queryOf(req), caller), "/flows", (f) => state.flows.render(f));

export const get: FlowHandler = (req, state, caller) => ({ status: 200, body: { items: [state.flows.render(state.flows.get(idOf(req), caller))] } });

export const patch: FlowHandler = async (req, state, caller) => {
  const f = await state.flows.patch(idOf(req), caller, ifMatchOf(req), req.body);
  return { status: 200, body: { id: f.id, etag: f.etag } };
};

export const action: FlowHandler = async (req, state, caller) => {
  const f = await state.flows.action(idOf(req), caller, ifMatchOf(req), queryOf(req).get("op"));
  return { status: 200, body: { id: f.id, etag: f.etag } };
};

export const remove: FlowHandler = async (req, state, caller) => {
  await state.flows.delete(idOf(req), caller, ifMatchOf(req));
  return { status: 204 };
};
