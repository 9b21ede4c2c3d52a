/**
 * Catalog's listing query, as its filtering guide documents it: `limit` (1..100, default 20), `start` (an
 * offset), `orderBy` (`asc:`/`desc:` and a field, comma-separated), simple filters (`name=a,b`, `name=!a,b`),
 * `tags`, `property` and `properties`. Pure: it pages items that are already rendered.
 */
import { platformError } from "../errors";
import { compareValues, propertyFilter, wildcardMatcher, type Item, type ItemPredicate } from "../property-filter";

/** [Adobe] Without `limit` a page holds 20 objects; 100 at most. */
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** Simple filters: the query parameters of `GET /dataSets` in Catalog's API reference that name a field. */
const SIMPLE_FILTERS = ["name", "description", "version", "created", "updated", "createdClient", "createdUser", "updatedUser"] as const;
/** [choice] Fields `orderBy` takes. */
const ORDER_FIELDS = ["name", "description", "version", "created", "updated", "createdClient", "createdUser", "updatedUser"];

const bad = (message: string) => platformError(400, message);

function integer(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = /^\d{1,9}$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw bad(`${name}: must be an integer from ${min} to ${max}, got '${raw.slice(0, 40)}'`);
  return n;
}

/** `name=a,b` (any of them) or `name=!a,b` (none of them). */
function simpleFilter(field: string, raw: string): ItemPredicate {
  const negated = raw.startsWith("!");
  const values = new Set((negated ? raw.slice(1) : raw).split(","));
  return (item) => {
    const v = item[field];
    const hit = v !== undefined && v !== null && values.has(String(v));
    return negated ? !hit : hit;
  };
}

/** `tags=name:value,other:*`: every pair must match one of the tag's values (`*` a wildcard). */
function tagsFilter(raw: string): ItemPredicate {
  const pairs = raw.split(",").map((pair) => {
    const colon = pair.indexOf(":");
    if (colon <= 0) throw bad(`tags: '${pair.slice(0, 60)}' is not {TAG_NAME}:{TAG_VALUE}`);
    return { name: pair.slice(0, colon), matches: wildcardMatcher(pair.slice(colon + 1)) };
  });
  return (item) => {
    const tags = (item.tags ?? {}) as Record<string, unknown>;
    return pairs.every(({ name, matches }) => Array.isArray(tags[name]) && (tags[name] as unknown[]).some((v) => matches(String(v))));
  };
}

/** `orderBy=name,desc:created`: by each in turn, ascending unless `desc:`. */
function ordering(raw: string | null): (a: Item, b: Item) => number {
  if (raw === null) return () => 0;
  const keys = raw.split(",").map((part) => {
    const m = /^(?:(asc|desc):)?([A-Za-z]+)$/.exec(part.trim());
    if (!m || !ORDER_FIELDS.includes(m[2])) throw bad(`orderBy: cannot order by '${part.slice(0, 60)}' (use asc: or desc: and one of ${ORDER_FIELDS.join(", ")})`);
    return { field: m[2], sign: m[1] === "desc" ? -1 : 1 };
  });
  return (a, b) => {
    for (const { field, sign } of keys) {
      const c = a[field] === undefined ? (b[field] === undefined ? 0 : -1) : b[field] === undefined ? 1 : compareValues(a[field], String(b[field]));
      if (c !== 0) return sign * c;
    }
    return 0;
  };
}

/** Only the named top-level properties (`properties=name,schemaRef`); an object with none of them is `{}`. */
export function project(item: Item, properties: string[] | undefined): Item {
  return properties ? Object.fromEntries(properties.filter((p) => item[p] !== undefined).map((p) => [p, item[p]])) : item;
}

export function propertiesOf(query: URLSearchParams): string[] | undefined {
  const raw = query.get("properties");
  return raw === null ? undefined : raw.split(",").map((p) => p.trim()).filter((p) => p !== "");
}

/**
 * One page of `entries` (id and rendered object, in creation order) under `query`: filtered, ordered (a stable sort,
 * so ties keep creation order), offset by `start`, cut to `limit`, each cut to `properties`.
 */
export function catalogPage(entries: Array<[string, Item]>, query: URLSearchParams): Array<[string, Item]> {
  const limit = integer(query, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
  const start = integer(query, "start", 0, 1e9, 0);
  const filters: ItemPredicate[] = [];
  for (const field of SIMPLE_FILTERS) for (const raw of query.getAll(field)) filters.push(simpleFilter(field, raw));
  for (const raw of query.getAll("tags")) filters.push(tagsFilter(raw));
  for (const raw of query.getAll("property")) filters.push(propertyFilter(raw, { wildcard: ["name"], bad }));
  const order = ordering(query.get("orderBy"));
  const properties = propertiesOf(query);
  return entries
    .filter(([, item]) => filters.every((f) => f(item)))
    .sort(([, a], [, b]) => order(a, b))
    .slice(start, start + limit)
    .map(([id, item]) => [id, project(item, properties)]);
}
