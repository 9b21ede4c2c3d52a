/** `GET /connectionSpecs[?property=...]` and `GET /connectionSpecs/{id}`: the five specs of the contract. */
import type { FastifyInstance } from "fastify";
import { flowError } from "../errors";
import { parseFilters } from "../listing";
import { CONNECTION_SPECS, findSpec } from "../specs";
import type { EmulatorState } from "../state";
import { flowRoute } from "./flow-route";

const SPEC_FIELDS = ["id", "name", "providerId", "version"] as const;

export function registerConnectionSpecs(app: FastifyInstance, state: EmulatorState, prefix: string): void {
  app.get(
    `${prefix}/connectionSpecs`,
    flowRoute(state, "/connectionSpecs", (_ctx, req) => {
      const query = new URLSearchParams(req.url.split("?")[1] ?? "");
      const matches = parseFilters(query.getAll("property"), SPEC_FIELDS);
      const items = CONNECTION_SPECS.filter((s) => matches(s as unknown as Record<string, unknown>));
      return { status: 200, body: { items: structuredClone(items) } };
    }),
  );
  app.get(
    `${prefix}/connectionSpecs/:id`,
    flowRoute(state, "/connectionSpecs/{id}", (_ctx, req) => {
      const { id } = req.params as { id: string };
      const spec = findSpec(id);
      // [choice] Adobe documents no code for an unknown spec id in the path: 1413 (unknown spec) with 404.
      if (!spec) throw flowError("1413-404", `Connection spec '${id}' not found`);
      return { status: 200, body: { items: [structuredClone(spec)] } };
    }),
  );
}
