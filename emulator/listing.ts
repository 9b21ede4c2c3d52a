/**
 * Query features of list endpoints: `property` filters, `orderby`, `limit`, opaque continuation tokens.
 * Pure functions; the routes only call them.
 */
import { flowError } from "./errors";

export type Predicate = (item: Record<string, unknown>) => boolean;

/** Splits on commas that are not inside double quotes. */
function splitClauses(expr: string): string[] {
  const out: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of expr) {
    if (ch === '"') quoted = !quoted;
    if (ch === "," && !quoted) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

export function fieldValue(item: Record<string, unknown>, field: string): unknown {
  let v: unknown = item;
  for (const key of field.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/**
 * `property=field==value` (value may be double-quoted) or `field!=value`; `a==x,a==y` is OR;
 * repeated `property` parameters are ANDed. An unknown field or operator is a `1400-400`.
 */
export function parseFilters(values: string[], fields: readonly string[]): Predicate {
  const groups: Predicate[][] = values.map((expr) =>
    splitClauses(expr).map((clause) => {
      const m = /^\s*([A-Za-z][A-Za-z0-9.]*)\s*(==|!=)(.*)$/.exec(clause);
      if (!m) throw flowError("1400-400", `property: cannot parse filter '${clause}' (use field==value or field!=value)`);
      const [, field, op, raw] = m;
      if (!fields.includes(field)) throw flowError("1400-400", `property: cannot filter on '${field}' (filterable: ${fields.join(", ")})`);
      const value = unquote(raw.trim());
      return (item) => {
        const v = fieldValue(item, field);
        const equal = v !== undefined && v !== null && String(v) === value;
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

export function encodeToken(order: Order, last: Sortable): string {
  const cursor: Cursor = { o: order.text, v: last.value, s: last.seq };
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** Returns the cursor position; a token from another ordering, or not ours, is a `1400-400`. */
export function decodeToken(token: string, order: Order): Sortable {
  try {
    const c = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Cursor;
    if (c.o === order.text && (typeof c.v === "string" || typeof c.v === "number") && typeof c.s === "number") {
      return { value: c.v, seq: c.s };
    }
  } catch {
    // fall through
  }
  throw flowError("1400-400", "continuationToken: invalid, or issued for another orderby");
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
