import type { FlowServiceClient } from "../client/client";
import { propertyEquals } from "../client/filters";
import { userError } from "../engine/failures";

/** What a dataflow's create needs of its flow spec. */
export interface FlowSpec {
  id: string;
  name: string;
  sourceConnectionSpecIds: string[];
  targetConnectionSpecIds: string[];
  /** Whether the spec schedules runs (a scheduleSpec), i.e. whether a dataflow needs a schedule. */
  scheduled: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isIdList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

/** The spec a `/flowSpecs` answer holds, or why it cannot be used (export's reader holds its pages to the same rule). */
export function flowSpecOf(item: unknown): FlowSpec | string {
  if (!isObject(item) || typeof item.id !== "string" || typeof item.name !== "string") return "a flow spec without an id and a name";
  if (!isIdList(item.sourceConnectionSpecIds) || !isIdList(item.targetConnectionSpecIds)) return `flow spec ${item.id} does not list its source and target connection specs`;
  return { id: item.id, name: item.name, sourceConnectionSpecIds: item.sourceConnectionSpecIds, targetConnectionSpecIds: item.targetConnectionSpecIds, scheduled: isObject(item.scheduleSpec) };
}

/** One lookup per flow spec per client (per deployment): dataflows of one spec share it. */
const cache = new WeakMap<FlowServiceClient, Map<string, Promise<FlowSpec>>>();

/**
 * The flow spec named `name` (Flow Service's `property=name==…` filter) or with id `id`, at create
 * time: preview never calls. Unknown names are a clear error naming the property.
 */
export function resolveFlowSpec(c: FlowServiceClient, sandbox: string, by: { name?: string; id?: string }): Promise<FlowSpec> {
  let specs = cache.get(c);
  if (!specs) cache.set(c, (specs = new Map()));
  const key = by.id !== undefined ? `id:${by.id}` : `name:${by.name}`;
  let found = specs.get(key);
  if (!found) {
    found = lookUp(c, sandbox, by);
    // A failed lookup is not remembered: the next dataflow asks again.
    found.catch(() => specs?.delete(key));
    specs.set(key, found);
  }
  return found;
}

async function lookUp(c: FlowServiceClient, sandbox: string, by: { name?: string; id?: string }): Promise<FlowSpec> {
  const filter = by.id !== undefined ? `id==${by.id}` : propertyEquals("name", by.name as string);
  if (filter === undefined) throw userError(`flowSpecName ${JSON.stringify(by.name)} cannot be looked up (it holds a double quote); use flowSpecId`);
  const res = await c.request("GET", "/flowSpecs", { sandbox, query: { property: [filter] } });
  const items = isObject(res.data) && Array.isArray(res.data.items) ? res.data.items : undefined;
  if (!items) throw userError(`GET /flowSpecs answered without "items": check aep:endpoint (AEP_ENDPOINT)`);
  const specs = items.map(flowSpecOf);
  const bad = specs.find((s): s is string => typeof s === "string");
  if (bad) throw userError(`GET /flowSpecs answered ${bad}: check aep:endpoint (AEP_ENDPOINT)`);
  const matching = (specs as FlowSpec[]).filter((s) => (by.id !== undefined ? s.id === by.id : s.name === by.name));
  if (matching.length === 0) {
    throw userError(by.id !== undefined ? `flowSpecId ${by.id} is not a flow spec Flow Service knows in this org` : `flowSpecName ${JSON.stringify(by.name)} is not a flow spec Flow Service knows (e.g. "CloudStorageToAEP"); check the name or set flowSpecId`);
  }
  if (matching.length > 1) throw userError(`flowSpecName ${JSON.stringify(by.name)} names ${matching.length} flow specs (${matching.map((s) => s.id).join(", ")}); set flowSpecId instead`);
  return matching[0];
}
