/**
 * Which entities an export holds. Without filters, every one; each filter selects entities, the export
 * holds the union of the selections and everything they use (a dataflow's source and target connections
 * and mapping set, a source or target connection's base connection), so the program is complete.
 */
import { CONNECTION_SPECS, closestNames } from "../catalog/index";
import type { Declaration, SandboxPlan, Skipped } from "./declarations";
import { UsageError } from "./usage-error";

export interface Filters {
  /** `--flow`: dataflows by name or id. */
  flows: string[];
  /** `--name-prefix`: entities whose name starts with one of these. */
  namePrefixes: string[];
  /** `--spec`: base connections of these connection specs (name or id), and what uses them. */
  specs: string[];
}

export const NO_FILTERS: Filters = { flows: [], namePrefixes: [], specs: [] };

export { UsageError };

const hasFilters = (f: Filters): boolean => f.flows.length + f.namePrefixes.length + f.specs.length > 0;
const shown = (names: Iterable<string>, n = 8): string => {
  const all = [...names];
  return all.slice(0, n).map((x) => JSON.stringify(x)).join(", ") + (all.length > n ? `, … (${all.length} in all)` : "");
};

/** The keys of the declarations the export holds. */
export function select(plan: SandboxPlan, filters: Filters): Set<string> {
  const byKey = new Map(plan.declarations.map((d) => [d.key, d]));
  if (!hasFilters(filters)) return new Set(byKey.keys());
  const chosen = new Set<string>();
  for (const wanted of filters.flows) chosen.add(flowKey(plan, wanted));
  for (const prefix of filters.namePrefixes) {
    const found = plan.declarations.filter((d) => d.name?.startsWith(prefix));
    if (found.length === 0) throw new UsageError(`--name-prefix ${JSON.stringify(prefix)}: no entity's name in sandbox "${plan.sandbox}" starts with it (names are compared as written, case included)`);
    for (const d of found) chosen.add(d.key);
  }
  for (const spec of filters.specs) for (const key of specUsers(plan, spec)) chosen.add(key);
  return closure(chosen, byKey);
}

/** Everything the chosen entities use, and what that uses (each entity visited once). */
function closure(chosen: Set<string>, byKey: Map<string, Declaration>): Set<string> {
  const out = new Set<string>();
  const queue = [...chosen];
  while (queue.length > 0) {
    const key = queue.pop() as string;
    const d = byKey.get(key);
    // A reference to an entity that is not declared stays a literal id in the program.
    if (!d || out.has(key)) continue;
    out.add(key);
    queue.push(...d.uses);
  }
  return out;
}

function flowKey(plan: SandboxPlan, wanted: string): string {
  const flows = plan.declarations.filter((d) => d.collection === "flows");
  const byId = flows.find((d) => d.id === wanted);
  if (byId) return byId.key;
  const byName = flows.filter((d) => d.name === wanted);
  if (byName.length === 1) return byName[0].key;
  if (byName.length > 1) throw new UsageError(`--flow ${JSON.stringify(wanted)}: ${byName.length} dataflows have that name (${byName.map((d) => d.id).sort().join(", ")}); name one by its id`);
  const skipped = plan.skipped.find((s: Skipped) => s.collection === "flows" && (s.id === wanted || s.name === wanted));
  if (skipped) throw new UsageError(`--flow ${JSON.stringify(wanted)}: that dataflow cannot be exported: ${skipped.reason}`);
  const names = flows.map((d) => d.name ?? d.id);
  const near = names.length > 0 ? `; did you mean ${closestNames(wanted, names).map((n) => JSON.stringify(n)).join(" or ")}?` : "; it has no dataflow";
  throw new UsageError(`--flow ${JSON.stringify(wanted)}: no dataflow in sandbox "${plan.sandbox}" has that name or id${near}`);
}

/** The spec ids `--spec` names: an id as given (a connection's or the catalog's), else a catalog spec by name or title, case aside. */
function specId(plan: SandboxPlan, wanted: string): string {
  const ids = new Set(CONNECTION_SPECS.map((s) => s.id));
  if (ids.has(wanted) || plan.declarations.some((d) => d.collection === "connections" && specOf(d) === wanted)) return wanted;
  const lower = wanted.toLowerCase();
  const entry = CONNECTION_SPECS.find((s) => s.name.toLowerCase() === lower) ?? CONNECTION_SPECS.find((s) => s.title.toLowerCase() === lower);
  if (entry) return entry.id;
  const near = closestNames(wanted, CONNECTION_SPECS.map((s) => s.name));
  throw new UsageError(`--spec ${JSON.stringify(wanted)}: not a connection spec id, nor a name the package's catalog knows; did you mean ${near.map((n) => JSON.stringify(n)).join(" or ")}? (catalog names: ${shown(CONNECTION_SPECS.map((s) => s.name))})`);
}

const specOf = (d: Declaration): string | undefined => d.connectionSpecId;

/** Base connections of the spec, the source and target connections on them, and the dataflows using those. */
function specUsers(plan: SandboxPlan, wanted: string): Set<string> {
  const spec = specId(plan, wanted);
  const out = new Set(plan.declarations.filter((d) => d.collection === "connections" && specOf(d) === spec).map((d) => d.key));
  if (out.size === 0) throw new UsageError(`--spec ${JSON.stringify(wanted)}: sandbox "${plan.sandbox}" has no base connection of connection spec ${spec}`);
  // Two rounds: connections on those bases, then dataflows on those connections.
  for (let round = 0; round < 2; round++) {
    for (const d of plan.declarations) if (d.uses.some((u) => out.has(u))) out.add(d.key);
  }
  return out;
}
