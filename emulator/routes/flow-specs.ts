/** `GET /flowSpecs[?property=...]` and `GET /flowSpecs/{id}`: the flow specs of the contract. */
import { FLOW_SPECS, getFlowSpec } from "../flow/flow-specs";
import { parseFilters } from "../flow/listing";
import { idOf, queryOf, type FlowHandler } from "./common";

const SPEC_FIELDS = ["id", "name", "providerId", "version"] as const;

export const list: FlowHandler = (req) => {
  const matches = parseFilters(queryOf(req).getAll("property"), SPEC_FIELDS);
  return { status: 200, body: { items: structuredClone(FLOW_SPECS.filter((s) => matches(s as unknown as Record<string, unknown>))) } };
};

export const get: FlowHandler = (req) => ({ status: 200, body: { items: [structuredClone(getFlowSpec(idOf(req)))] } });
