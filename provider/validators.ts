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

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (typeof v === "object") return "an object";
  return `${typeof v} ${String(v)}`;
}
