/** `POST /flows/{id}/action`: the one flow route beyond the collection's own (routes/collections.ts). */
import { flowAction } from "../flow/flows";
import { idOf, ifMatchOf, queryOf, type FlowHandler } from "./common";

export const action: FlowHandler = async (req, state, caller) => {
  const f = await flowAction(state.collections.flows, idOf(req), caller, ifMatchOf(req), queryOf(req).get("op"));
  return { status: 200, body: { id: f.id, etag: f.etag } };
};
