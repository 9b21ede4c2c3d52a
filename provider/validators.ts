/**
 * Input validation for `check`: pure functions, no network. Each returns the reason a value is
 * invalid (a sentence a user can act on), or undefined when it is valid.
 */
export type Validator = (value: unknown) => string | undefined;

/** What the engine sends during preview for a value not known yet, whatever its type. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const MAX_STRING = 4096;

export function nonEmptyString(max = MAX_STRING): Validator {
  return (v) => {
    if (typeof v !== "string") return `must be a string, got ${describe(v)}`;
    if (v.trim() === "") return "must not be empty";
    if (v.length > max) return `must be at most ${max} characters, got ${v.length}`;
    return undefined;
  };
}

export function optionalString(max = MAX_STRING): Validator {
  return (v) => {
    if (typeof v !== "string") return `must be a string, got ${describe(v)}`;
    if (v.length > max) return `must be at most ${max} characters, got ${v.length}`;
    return undefined;
  };
}

/** An integer in [min, max]; with no max, any integer from min up. */
export function integer(min: number, max?: number): Validator {
  return (v) => {
    if (typeof v !== "number" || !Number.isInteger(v)) return `must be an integer, got ${describe(v)}`;
    if (max === undefined && v < min) return `must be at least ${min}, got ${v}`;
    if (max !== undefined && (v < min || v > max)) return `must be between ${min} and ${max}, got ${v}`;
    return undefined;
  };
}

export const boolean: Validator = (v) => (typeof v === "boolean" ? undefined : `must be true or false, got ${describe(v)}`);

export function oneOf(values: readonly string[]): Validator {
  return (v) => (typeof v === "string" && values.includes(v) ? undefined : `must be one of ${values.map((x) => `"${x}"`).join(", ")}, got ${describe(v)}`);
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpv4(v: string): boolean {
  return IPV4.test(v);
}

/**
 * A host name (RFC 1123) or an IP address; no scheme, port, path or user part. `portHint` says
 * what to do with a port instead (a kind without a port parameter says so).
 */
export function hostName(example: string, portHint: string): Validator {
  return (v) => hostProblem(v, `e.g. ${example} or 203.0.113.10`, portHint);
}

/** SFTP's host: a port goes in `port`. */
export const host: Validator = hostName("sftp.example.com", "set port instead");

function hostProblem(v: unknown, example: string, portHint: string): string | undefined {
  const base = nonEmptyString(253)(v);
  if (base) return base;
  const h = v as string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(h)) return `must be a host name without a scheme (remove "${h.split("://")[0]}://"), ${example}`;
  if (h.includes("/")) return `must be a host name without a path, ${example}`;
  if (h.includes("@")) return `must be a host name without a user part (set userName instead), ${example}`;
  if (/^\[?[0-9a-f:]+\]?$/i.test(h) && h.includes(":")) {
    return /^\[?[0-9a-f]*(:[0-9a-f]*){2,7}\]?$/i.test(h) ? undefined : `is not a valid IPv6 address, ${example}`;
  }
  if (h.includes(":")) return `must not include a port (${portHint}), ${example}`;
  if (/^[\d.]+$/.test(h)) return isIpv4(h) ? undefined : `is not a valid IPv4 address, ${example}`;
  const labels = h.replace(/\.$/, "").split(".");
  return labels.every((l) => LABEL.test(l)) ? undefined : `is not a valid host name (letters, digits and hyphens in dot-separated labels), ${example}`;
}

/** Catalog's dataset ids: 24 hex characters (`5c8c3c555033b814b69f947f`). */
const DATASET_ID = /^[0-9a-f]{24}$/;
/** A Flow Service id (a connection's, a dataflow's): what a dataset id is most often confused with. */
const FLOW_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A Catalog dataset id. A name, or the id of a Flow Service entity (`lake.id`), would only fail at `up`, or
 * never: the message shows the form and the lookup that turns a dataset's name into its id.
 */
export const catalogDatasetId: Validator = (v) => {
  const base = nonEmptyString(256)(v);
  if (base) return base;
  if (DATASET_ID.test(v as string)) return undefined;
  const hint = FLOW_ID.test(v as string) ? " (that is a Flow Service id, such as a connection's; a dataset's id comes from Catalog)" : "";
  return `must be a Catalog dataset id, 24 hex characters such as "5f3c3cedb2805c194ff0b69a", got ${describe(v)}${hint}; look it up by name with getDatasetOutput({ name: "<dataset name>" }).id`;
};

/** Adobe's form of a tenant XDM schema's `$id`. */
export const SCHEMA_ID_FORM = "https://ns.adobe.com/<tenant>/schemas/<id>";
const SCHEMA_ID = /^https:\/\/ns\.adobe\.com\/[A-Za-z0-9_-]{1,64}\/schemas\/[A-Za-z0-9-]{1,128}$/;

/** The `$id` of a tenant XDM schema; the message shows the form and the lookups that find one. */
export const xdmSchemaId: Validator = (v) => {
  const base = nonEmptyString(1024)(v);
  if (base) return base;
  if (SCHEMA_ID.test(v as string)) return undefined;
  const hint = /^_[A-Za-z0-9_-]+\.schemas\./.test(v as string) ? " (that is its meta:altId; use its $id)" : "";
  return (
    `must be an XDM schema $id of the form ${SCHEMA_ID_FORM} (e.g. "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4"), got ${describe(v)}${hint}; ` +
    `look it up by title with getSchemaOutput({ name: "<schema title>" }).id, or take a dataset's with getDatasetOutput({ name: "<dataset name>" }).schemaId`
  );
};

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}

/** A rule's refusal of an input: the property it names and why, as `check` reports it. */
export interface CheckFailure {
  property: string;
  reason: string;
}
