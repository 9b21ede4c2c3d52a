/**
 * The `property` query parameter of Catalog and Schema Registry listings (Catalog's filtering guide, "Using the
 * property parameter"; Schema Registry's appendix, "Filtering"): on a top-level field, `field` (it exists),
 * `!field` (it does not), `field==value`, `field!=value`, `<`, `<=`, `>`, `>=`. Pure; Flow Service's own
 * `property` (comma = OR, quoted values) is flow/listing.ts.
 */

export type Item = Record<string, unknown>;
export type ItemPredicate = (item: Item) => boolean;

export interface PropertyRules {
  /** Fields whose `==` and `!=` values take `*` as a wildcard (Catalog's `name`; `**` is a literal `*`). */
  wildcard?: readonly string[];
  /** The service's 400, naming the parameter. */
  bad: (message: string) => Error;
}

const EXPRESSION = /^(!?)([A-Za-z0-9_$@:.-]{1,128})(?:(==|!=|<=|>=|<|>|~)([\s\S]*))?$/;

/** Numbers as numbers, dotted versions segment by segment (`1.0.10` > `1.0.9`), anything else as text. */
export function compareValues(a: unknown, b: string): number {
  const x = String(a);
  if (x.trim() !== "" && b.trim() !== "" && Number.isFinite(Number(x)) && Number.isFinite(Number(b))) return Number(x) - Number(b);
  if (/^\d+(\.\d+)+$/.test(x) && /^\d+(\.\d+)+$/.test(b)) {
    const [p, q] = [x.split(".").map(Number), b.split(".").map(Number)];
    for (let i = 0; i < Math.max(p.length, q.length); i++) if ((p[i] ?? 0) !== (q[i] ?? 0)) return (p[i] ?? 0) - (q[i] ?? 0);
    return 0;
  }
  return x < b ? -1 : x > b ? 1 : 0;
}

/** `te*st` as a whole-value pattern: `*` matches any run of characters, `**` is one literal `*`. */
export function wildcardMatcher(pattern: string): (value: string) => boolean {
  const parts = pattern.split("**").map((p) => p.split("*").map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\s\\S]*"));
  const re = new RegExp(`^${parts.join("\\*")}$`);
  return (value) => re.test(value);
}

const scalar = (v: unknown): v is string | number | boolean => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** One `property` value as a predicate on an item's top-level fields. */
export function propertyFilter(expression: string, rules: PropertyRules): ItemPredicate {
  const m = EXPRESSION.exec(expression.trim());
  if (!m) throw rules.bad(`property: cannot read '${expression.slice(0, 100)}' (use field, !field, field==value, field!=value, field<value, field>value)`);
  const [, not, field, op, value = ""] = m;
  if (op === undefined) return not ? (item) => item[field] === undefined : (item) => item[field] !== undefined;
  if (not) throw rules.bad(`property: '!' only applies to a field alone ('!${field}': objects without ${field})`);
  // [choice] Regular expressions (`~`) are not emulated: a pattern from a query could make the emulator backtrack for minutes.
  if (op === "~") throw rules.bad(`property: the '~' operator (a regular expression on ${field}) is not supported by the emulator; use == with a * wildcard on name`);
  if (op === "==" || op === "!=") {
    const equal = rules.wildcard?.includes(field) ? wildcardMatcher(value) : (v: string) => v === value;
    return (item) => {
      const v = item[field];
      const matches = scalar(v) && equal(String(v));
      return op === "==" ? matches : !matches;
    };
  }
  const test = { "<": (c: number) => c < 0, "<=": (c: number) => c <= 0, ">": (c: number) => c > 0, ">=": (c: number) => c >= 0 }[op] as (c: number) => boolean;
  return (item) => {
    const v = item[field];
    return scalar(v) && test(compareValues(v, value));
  };
}
