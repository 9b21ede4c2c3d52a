/** `GET /connectionSpecs[?property=...]` and `GET /connectionSpecs/{id}`: the five specs of the contract. */
import { flowError } from "../errors";
import { parseFilters } from "../flow/listing";
import { CONNECTION_SPECS, findSpec } from "../flow/specs";
import type { FlowHandler } from "./common";

const SPEC_FIELDS = ["id", "name", "providerId", "version"] as const;

export const listSpecs: FlowHandler = (req) => {
  const query = new URLSearchParams(req.url.split("?")[1] ?? "");
  const matches = parseFilters(query.getAll("property"), SPEC_FIELDS);
  const items = CONNECTION_SPECS.filter((s) => matches(s as unknown as Record<string, unknown>));
  return { status: 200, body: { items: structuredClone(items) } };
};

export const getSpec: FlowHandler = (req) => {
  const { id } = req.params as { id: string };
  const spec = findSpec(id);
  // [choice] Adobe documents no code for an unknown spec id in the path: 1413 (unknown spec) with 404.
  if (!spec) throw flowError("1413-404", `Connection spec '${id}' not found`);
  return { status: 200, body: { items: [structuredClone(spec)] } };
};
