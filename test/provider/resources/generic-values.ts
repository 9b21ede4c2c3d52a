import type { CatalogAuthSpec, CatalogParam } from "../../../provider/catalog/types";

/**
 * Values for an auth spec's params, made from the catalog entry alone (so a test loops over every entry,
 * however many the catalog ships): every required param, and every optional one a value can be made for.
 * `salt` makes a second set that differs in every secret and in one non-secret param.
 */
const CANDIDATES = ["https://s3.us-east-1.amazonaws.com", "host-1.example.com", "orders-bucket", "acct1", "https://acct1.example.com", "UEsDBAoAAAAAAA==", "a1"];

function stringFor(p: CatalogParam, salt: string): string | undefined {
  if (p.enum) return String(p.enum[0]);
  const fits = (v: string) => (p.pattern === undefined || new RegExp(p.pattern, "u").test(v)) && v.length >= (p.minLength ?? 0) && v.length <= (p.maxLength ?? Infinity);
  const own = p.secret ? `${p.name}-secret-${salt}` : `${p.name}-${salt}`;
  return [own, ...CANDIDATES].find(fits);
}

function valueFor(p: CatalogParam, salt: string): unknown {
  switch (p.type) {
    case "string":
      return stringFor(p, salt);
    case "integer":
    case "number":
      return p.enum ? p.enum[0] : Math.max(p.minimum ?? 1, Math.min(p.maximum ?? 100, salt === "1" ? 10 : 11));
    case "boolean":
      return p.enum ? p.enum[0] : salt === "1";
    default:
      return undefined;
  }
}

export interface GenericValues {
  params: Record<string, unknown>;
  secretParams: Record<string, string>;
}

export function valuesFor(auth: CatalogAuthSpec, salt = "1"): GenericValues {
  const params: Record<string, unknown> = {};
  const secretParams: Record<string, string> = {};
  for (const p of auth.params) {
    const v = valueFor(p, salt);
    if (v === undefined) {
      if (p.required) throw new Error(`no test value can be made for required param ${p.name} (${p.type}${p.pattern ? `, pattern ${p.pattern}` : ""}): extend generic-values.ts`);
      continue;
    }
    if (p.secret) secretParams[p.name] = String(v);
    else params[p.name] = v;
  }
  return { params, secretParams };
}
