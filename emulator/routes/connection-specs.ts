/**
 * `GET /connectionSpecs[?property=…]` and `GET /connectionSpecs/{id}`: every spec of the registry
 * (flow/spec-registry.ts: the hand-written five, the package's catalog, the extras a start was given).
 */
import { flowError } from "../errors";
import { listEntities, SPEC_LIST_RULES } from "../flow/listing";
import type { Result } from "../types";
import { idOf, listResult, queryOf, type FlowHandler } from "./common";

/** A spec list with the listing rules of every list (SPEC_LIST_RULES): a spec's place in the registry breaks ties. */
export function specListing<T extends { name: string }>(specs: readonly T[], query: URLSearchParams, path: string): Result {
  const rows = specs.map((spec, seq) => ({ ...spec, seq }));
  return listResult(listEntities(rows, query, SPEC_LIST_RULES), path, ({ seq: _place, ...spec }) => structuredClone(spec));
}

export const listSpecs: FlowHandler = (req, state) => specListing(state.specs.connectionSpecs(), queryOf(req), "/connectionSpecs");

export const getSpec: FlowHandler = (req, state) => {
  const id = idOf(req);
  const spec = state.specs.connectionSpec(id);
  // [choice] Adobe documents no code for an unknown spec id in the path: 1413 (unknown spec) with 404.
  if (!spec) throw flowError("1413-404", `Connection spec '${id}' not found`);
  return { status: 200, body: { items: [structuredClone(spec)] } };
};
