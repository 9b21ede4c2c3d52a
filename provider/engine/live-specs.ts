import type { FlowServiceClient } from "../client/client";
import { isSpecNotFound } from "../client/answers";
import { propertyEquals } from "../client/filters";
import type { LiveParam, LiveSpec, LiveSpecs } from "../resources/declaration";
import { userError } from "./failures";

/**
 * Connection specs as Flow Service serves them, for a kind whose resources each name their spec (the
 * generic Connection): at `up` the live spec is authoritative. Each spec is asked once per client, that
 * is per deployment (the provider process), like the flow specs and the listings: a hundred connections
 * of one spec cost one `GET /connectionSpecs/{id}`. A failed lookup is not kept: the next resource asks again.
 */
const cache = new WeakMap<FlowServiceClient, Map<string, Promise<unknown>>>();

function once<T>(c: FlowServiceClient, key: string, ask: () => Promise<T>): Promise<T> {
  let specs = cache.get(c);
  if (!specs) cache.set(c, (specs = new Map()));
  let found = specs.get(key) as Promise<T> | undefined;
  if (!found) {
    found = ask();
    found.catch(() => specs?.delete(key));
    specs.set(key, found);
  }
  return found;
}

export function liveSpecsOf(c: FlowServiceClient, sandbox: string, log: (line: string) => void): LiveSpecs {
  return {
    byId: (id) => once(c, `id:${id}`, () => byId(c, sandbox, id)),
    byName: (name) => once(c, `name:${name}`, () => byName(c, sandbox, name)),
    log,
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

async function byId(c: FlowServiceClient, sandbox: string, id: string): Promise<LiveSpec | undefined> {
  const path = `/connectionSpecs/${encodeURIComponent(id)}`;
  const res = await c.request("GET", path, { sandbox }, [404]);
  if (res.status === 404) {
    if (isSpecNotFound(res.data)) return undefined;
    throw userError(`GET ${path} answered 404 without Flow Service's "connection spec not found" (1413-404): check aep:endpoint (AEP_ENDPOINT)`);
  }
  const items = isObject(res.data) && Array.isArray(res.data.items) ? res.data.items : undefined;
  const spec = items?.length === 1 ? liveSpecOf(items[0]) : undefined;
  if (!spec || spec.id !== id) throw userError(`GET ${path} answered without connection spec ${id} (expected {"items": [spec]}): check aep:endpoint (AEP_ENDPOINT)`);
  return spec;
}

async function byName(c: FlowServiceClient, sandbox: string, name: string): Promise<LiveSpec[]> {
  const filter = propertyEquals("name", name);
  if (filter === undefined) throw userError(`connectionSpecName ${JSON.stringify(name)} cannot be looked up (it holds a double quote); set connectionSpecId instead`);
  const res = await c.request("GET", "/connectionSpecs", { sandbox, query: { property: [filter] } });
  const items = isObject(res.data) && Array.isArray(res.data.items) ? res.data.items : undefined;
  if (!items) throw userError(`GET /connectionSpecs answered without "items": check aep:endpoint (AEP_ENDPOINT)`);
  const specs = items.map(liveSpecOf);
  if (specs.some((s) => s === undefined)) throw userError(`GET /connectionSpecs answered a connection spec without an id and a name: check aep:endpoint (AEP_ENDPOINT)`);
  // The filter may match loosely; the name is exact.
  return (specs as LiveSpec[]).filter((s) => s.name === name);
}

/** A spec's auth specs as their JSON Schemas describe them (`format: "password"` marks a secret). */
function liveSpecOf(item: unknown): LiveSpec | undefined {
  if (!isObject(item) || typeof item.id !== "string" || typeof item.name !== "string") return undefined;
  const authSpecs = (Array.isArray(item.authSpec) ? item.authSpec : []).filter(isObject).flatMap((a) => {
    if (typeof a.name !== "string") return [];
    const schema = isObject(a.spec) ? a.spec : {};
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : []);
    const params = Object.entries(properties).map(([name, raw]): LiveParam => {
      const p = isObject(raw) ? raw : {};
      const param: LiveParam = { name, required: required.has(name), secret: p.format === "password" };
      if (typeof p.type === "string") param.type = p.type;
      if (Array.isArray(p.enum)) param.enum = p.enum;
      if (typeof p.pattern === "string") param.pattern = p.pattern;
      for (const key of ["minLength", "maxLength", "minimum", "maximum"] as const) if (typeof p[key] === "number") param[key] = p[key];
      return param;
    });
    return [{ name: a.name, params, closed: schema.additionalProperties === false }];
  });
  return { id: item.id, name: item.name, authSpecs };
}
