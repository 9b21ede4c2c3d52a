/**
 * Query features of list endpoints: `property` filters, `orderby`, `limit`, opaque continuation tokens.
 * Pure functions; the routes only call them.
 */
import { flowError } from "../errors";

export type Predicate = (item: Record<string, unknown>) => boolean;

interface Clause {
  field: string;
  op: "==" | "!=";
  value: string;
}

const CLAUSE_HEAD = /\s*([A-Za-z][A-Za-z0-9.]*)\s*(==|!=)\s*/y;

/**
 * The clauses of one `property` value, comma = OR. [choice] Adobe shows quoted values and documents no
 * escape: an unquoted value runs to the next comma (trimmed); a value opening with `"` runs to the next `"`
 * and is taken literally (backslashes, commas, `==`, spaces, any unicode), and only a comma or the end may
 * follow its closing quote. So a value holding `"` cannot be expressed.
 */
function parseClauses(expr: string): Clause[] {
  const clauses: Clause[] = [];
  let i = 0;
  for (;;) {
    CLAUSE_HEAD.lastIndex = i;
    const m = CLAUSE_HEAD.exec(expr);
    if (!m) throw flowError("1400-400", `property: cannot parse filter '${expr}' at character ${i + 1} (use field==value or field!=value)`);
    const [, field, op] = m;
    i = CLAUSE_HEAD.lastIndex;
    let value: string;
    if (expr[i] === '"') {
      const close = expr.indexOf('"', i + 1);
      if (close < 0) throw flowError("1400-400", `property: the quoted value of '${field}' has no closing quote`);
      value = expr.slice(i + 1, close);
      i = close + 1;
      if (i < expr.length && expr[i] !== ",") {
        throw flowError("1400-400", `property: only a comma may follow the quoted value of '${field}' (found '${expr.slice(i, i + 20)}')`);
      }
    } else {
      const comma = expr.indexOf(",", i);
      const end = comma < 0 ? expr.length : comma;
      value = expr.slice(i, end).trim();
      i = end;
    }
    clauses.push({ field, op: op as Clause["op"], value });
    if (i >= expr.length) return clauses;
    i++; // past the comma: another clause must follow
  }
}

function fieldValue(item: Record<string, unknown>, field: string): unknown {
  let v: unknown = item;
  for (const key of field.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/**
 * `property=field==value` or `field!=value` (see parseClauses for values); `a==x,a==y` is OR; repeated
 * `property` parameters are ANDed. An unknown field, operator or malformed value is a `1400-400`; an empty
 * `property` is none.
 */
export function parseFilters(values: string[], fields: readonly string[]): Predicate {
  // [choice] An empty `property` (an unset Postman variable) filters nothing, as if not sent.
  const groups: Predicate[][] = values.filter((expr) => expr.trim() !== "").map((expr) =>
    parseClauses(expr).map(({ field, op, value }) => {
      if (!fields.includes(field)) throw flowError("1400-400", `property: cannot filter on '${field}' (filterable: ${fields.join(", ")})`);
      return (item) => {
        const v = fieldValue(item, field);
        // An array field (a flow's sourceConnectionIds) matches when any of its elements equals the value.
        const equal = Array.isArray(v) ? v.some((x) => x !== null && String(x) === value) : v !== undefined && v !== null && String(v) === value;
        return op === "==" ? equal : !equal;
      };
    }),
  );
  return (item) => groups.every((clauses) => clauses.some((p) => p(item)));
}

export interface Order {
  field: string;
  descending: boolean;
  /** Canonical text, e.g. "-createdAt", kept in tokens and links. */
  text: string;
}

export function parseOrder(raw: string | null, fields: readonly string[], fallback: string): Order {
  // "+name" arrives as " name" when the client did not percent-encode the plus.
  const text = (raw ?? fallback).trim();
  const descending = text.startsWith("-");
  const field = text.replace(/^[+-]/, "");
  if (!fields.includes(field)) throw flowError("1400-400", `orderby: cannot order by '${field}' (orderable: ${fields.join(", ")})`);
  return { field, descending, text: `${descending ? "-" : "+"}${field}` };
}

export function parseLimit(raw: string | null, max: number): number {
  if (raw === null) return max;
  if (!/^\d+$/.test(raw.trim())) throw flowError("1400-400", `limit: must be an integer between 1 and ${max}`);
  const n = Number(raw);
  if (n < 1 || n > max) throw flowError("1400-400", `limit: must be between 1 and ${max}, got ${n}`);
  return n;
}

interface Cursor {
  o: string; // order text
  v: string | number; // sort value of the last item returned
  s: number; // its sequence number (tie-break)
  l?: number; // the page size
  p?: string[]; // the `property` filters
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  // Code-unit order, not locale order: the same on every machine, which keeps tokens valid.
  const x = String(a ?? "");
  const y = String(b ?? "");
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface Sortable {
  value: string | number;
  seq: number;
}

export function compareBy(order: Order): (a: Sortable, b: Sortable) => number {
  const sign = order.descending ? -1 : 1;
  return (a, b) => sign * (compareValues(a.value, b.value) || a.seq - b.seq);
}

/** The query a continuation token carries, so that the token alone fetches the next page. */
export interface TokenQuery {
  order: Order;
  limit: number;
  filters: string[];
}

export function encodeToken(query: TokenQuery, last: Sortable): string {
  const cursor: Cursor = { o: query.order.text, v: last.value, s: last.seq, l: query.limit, p: query.filters };
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** A decoded token: where the last page ended and the query it was issued for. */
export interface TokenState {
  after: Sortable;
  orderText: string;
  limit?: number;
  filters: string[];
}

/** Returns the cursor and its query; a token that is not ours is a `1400-400`. */
export function decodeToken(token: string): TokenState {
  try {
    const c = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Cursor;
    const filters = c.p ?? [];
    if (
      typeof c.o === "string" &&
      (typeof c.v === "string" || typeof c.v === "number") &&
      typeof c.s === "number" &&
      (c.l === undefined || typeof c.l === "number") &&
      Array.isArray(filters) &&
      filters.every((f) => typeof f === "string")
    ) {
      return { after: { value: c.v, seq: c.s }, orderText: c.o, limit: c.l, filters };
    }
  } catch {
    // fall through
  }
  throw flowError("1400-400", "continuationToken: invalid; send the token of the previous page's _links.next.href");
}

/**
 * Keyset paging: the page holds the first `limit` items after the cursor in `order`, so items created or
 * deleted between pages never shift the others (no duplicates, no gaps for items that stay).
 */
export function page<T extends Sortable>(sorted: T[], order: Order, limit: number, after?: Sortable): { items: T[]; more: boolean } {
  const cmp = compareBy(order);
  const start = after ? sorted.findIndex((x) => cmp(x, after) > 0) : 0;
  if (start < 0) return { items: [], more: false };
  const items = sorted.slice(start, start + limit);
  return { items, more: start + limit < sorted.length };
}

/** What a list endpoint allows: its filterable and orderable fields, page size and default order. */
export interface ListRules {
  filterFields: readonly string[];
  orderFields: readonly string[];
  /** [choice] Default and maximum page size; a larger `limit` is a 400. */
  maxLimit: number;
  defaultOrder: string;
}

/**
 * The rules of every Flow Service list endpoint but its filters: ordered by `createdAt`, `updatedAt` or
 * `name`, newest first; [choice] default and maximum page size 100.
 */
export function listRules(filterFields: readonly string[]): ListRules {
  return { filterFields, orderFields: ["createdAt", "updatedAt", "name"], maxLimit: 100, defaultOrder: "-createdAt" };
}

/** What a list answers: a count, or a page with the query of the next one. */
export type Listing<T> = { count: number } | { items: T[]; next?: URLSearchParams };

/**
 * A query parameter's value; [choice] an empty one counts as not sent: Adobe's Postman collection sends
 * `property={{property}}&limit={{limit}}&…` with every key, and an unset variable is an empty value.
 */
function param(query: URLSearchParams, key: string): string | null {
  const v = query.get(key);
  return v === null || v.trim() === "" ? null : v;
}

/**
 * `count`: the spec declares a boolean, default false. [choice] Read without case: Adobe's Python client
 * sends `count=False`.
 */
function countOf(query: URLSearchParams): boolean {
  const raw = param(query, "count");
  if (raw === null) return false;
  const v = raw.trim().toLowerCase();
  if (v !== "true" && v !== "false") throw flowError("1400-400", `count: must be true or false, got ${JSON.stringify(raw)}`);
  return v === "true";
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The listing rules of `GET /connections`, for any Flow Service collection: `property` filters, `count`,
 * `orderby`, `limit` and keyset paging with continuation tokens. `visible` is what the caller may see.
 *
 * The next page's link carries the continuation token alone, as the spec's PageLink example does
 * (`/connections?continuationToken=…`): Adobe's Python client reads the token as what follows the link's
 * `=`. So the token holds the query it continues (order, page size, filters). [choice] A request may also
 * repeat the query with the token (Adobe's clients do): a `limit` sent wins, and an `orderby` or
 * `property` that differs from the token's is a `1400-400`.
 */
export function listEntities<T extends { seq: number }>(visible: T[], query: URLSearchParams, rules: ListRules): Listing<T> {
  const token = param(query, "continuationToken");
  const state = token === null ? undefined : decodeToken(token);
  const sentFilters = query.getAll("property").filter((p) => p.trim() !== "");
  if (state && sentFilters.length > 0 && !sameList(sentFilters, state.filters)) {
    throw flowError("1400-400", "property: differs from the query the continuationToken was issued for; send the token alone or the same property");
  }
  const filters = state ? state.filters : sentFilters;
  const matches = parseFilters(filters, rules.filterFields);
  const selected = visible.filter((c) => matches(c as unknown as Record<string, unknown>));
  if (countOf(query)) {
    if (param(query, "limit") !== null) throw flowError("1401-400", "limit cannot be used together with count");
    return { count: selected.length };
  }
  const sentLimit = param(query, "limit");
  const limit = sentLimit === null && state?.limit !== undefined ? parseLimit(String(state.limit), rules.maxLimit) : parseLimit(sentLimit, rules.maxLimit);
  const sentOrder = param(query, "orderby");
  const order = parseOrder(sentOrder ?? state?.orderText ?? null, rules.orderFields, rules.defaultOrder);
  if (state && order.text !== state.orderText) throw flowError("1400-400", "continuationToken: issued for another orderby");
  const rows = selected.map((c) => ({ value: (c as unknown as Record<string, string | number>)[order.field], seq: c.seq, c }));
  const { items, more } = page(rows.sort(compareBy(order)), order, limit, state?.after);
  if (!more) return { items: items.map((r) => r.c) };
  const next = new URLSearchParams();
  next.set("continuationToken", encodeToken({ order, limit, filters }, items[items.length - 1]));
  return { items: items.map((r) => r.c), next };
}

/**
 * `GET /connectionSpecs` and `GET /flowSpecs`: filters on `id, name, providerId, version`; [choice] ordered by
 * name (`orderby=-name` reverses), at most 100 a page with the same continuation tokens as every list: Adobe's
 * list is one short page, and every catalog the package ships fits in it.
 */
export const SPEC_LIST_RULES: ListRules = { filterFields: ["id", "name", "providerId", "version"], orderFields: ["name"], maxLimit: 100, defaultOrder: "+name" };
