/** `GET /flowSpecs[?property=…]` and `GET /flowSpecs/{id}`: every flow spec of the registry (flow/spec-registry.ts). */
import { flowError } from "../errors";
import { specListing } from "./connection-specs";
import { idOf, queryOf, type FlowHandler } from "./common";

export const list: FlowHandler = (req, state) => specListing(state.specs.flowSpecs(), queryOf(req), "/flowSpecs");

export const get: FlowHandler = (req, state) => {
  const id = idOf(req);
  const spec = state.specs.flowSpec(id);
  // [choice] An unknown id is the no-such-resource `1000-404`.
  if (!spec) throw flowError("1000-404", `Flow spec '${id}' not found`, undefined, "Flow spec not found");
  return { status: 200, body: { items: [structuredClone(spec)] } };
};
