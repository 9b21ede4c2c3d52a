/**
 * A connection's auth params checked against one auth spec: the catalog's at preview (no request), the
 * live spec's at `up`. Pure. Every failure names its property path the way `check` prints it: the
 * property is the map (`params`, `secretParams`) and the reason starts with the member (`.container …`),
 * which `check` joins into `params.container …`. A secret's value is never quoted, nor its length.
 */
import { type CheckFailure, UNKNOWN, describe } from "../validators";
import { closestNames } from "./index";

/** What a param's check needs: a catalog param (CatalogParam) or a live spec's (LiveParam) alike. */
export interface ParamRule {
  name: string;
  type?: string;
  required: boolean;
  secret: boolean;
  enum?: readonly unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

export interface AuthRules {
  /** For messages: `auth spec "Account Key Authentication" of Azure Blob Storage`. */
  label: string;
  params: readonly ParamRule[];
  /** Whether a param the spec does not list is refused (the catalog: always; a live spec: when its schema is closed). */
  closed: boolean;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const known = (v: unknown): boolean => v !== undefined && v !== null && v !== UNKNOWN;

/** `authSpecName` against the spec's auth specs: the failure lists the closest names. */
export function authSpecNameFailure(specLabel: string, name: string, names: readonly string[]): CheckFailure | undefined {
  if (names.includes(name)) return undefined;
  if (names.length === 0) return { property: "authSpecName", reason: `${JSON.stringify(name)} cannot be used: ${specLabel} has no auth spec (it is no source Connection manages)` };
  return { property: "authSpecName", reason: `${JSON.stringify(name)} is not an auth spec of ${specLabel}; did you mean ${quoted(closestNames(name, names))}? (names are exact)` };
}

/**
 * `params` and `secretParams` against one auth spec: every required param given (in either), no param
 * unknown to a closed spec (naming the closest), no param in both, none the spec marks secret in
 * `params`, and each value of the type, enum, pattern and bounds the spec states. A member unknown at
 * preview is checked at `up`; a whole map unknown leaves the required params to `up` too.
 */
export function authParamsFailures(rules: AuthRules, params: unknown, secretParams: unknown): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const byName = new Map(rules.params.map((p) => [p.name, p]));
  const names = rules.params.map((p) => p.name);
  const plain = isMap(params) ? params : {};
  const secret = isMap(secretParams) ? secretParams : {};
  const fail = (property: "params" | "secretParams", member: string, reason: string) => failures.push({ property, reason: `.${member} ${reason}` });

  for (const [property, values] of [["params", plain], ["secretParams", secret]] as const) {
    for (const [name, value] of Object.entries(values)) {
      const rule = byName.get(name);
      if (!rule) {
        if (rules.closed) fail(property, name, `is not a param of ${rules.label}; ${names.length > 0 ? `did you mean ${quoted(closestNames(name, names))}? Its params are ${names.join(", ")}` : "it takes none"}`);
        continue;
      }
      if (property === "params" && name in secret) {
        fail(property, name, "is also in secretParams; give it once (in secretParams if it is a secret)");
        continue;
      }
      if (property === "params" && rule.secret) {
        // Never the value: it is a secret the program has put in plain sight.
        fail(property, name, `is a secret of ${rules.label}: move it to secretParams, which keeps it encrypted in the state and out of every log`);
        continue;
      }
      if (!known(value)) continue;
      const problem = valueProblem(rule, value, property === "secretParams" || rule.secret);
      if (problem) fail(property, name, problem);
    }
  }
  const wholeUnknown = params === UNKNOWN || secretParams === UNKNOWN;
  if (!wholeUnknown) {
    for (const rule of rules.params) {
      if (!rule.required || rule.name in plain || rule.name in secret) continue;
      const where = rule.secret ? "secretParams" : "params";
      fail(where, rule.name, `is required by ${rules.label}; set it in ${where}`);
    }
  }
  return failures;
}

/** What is wrong with one value by its rule, or undefined; a secret's value is never shown. */
export function valueProblem(rule: ParamRule, v: unknown, secret: boolean): string | undefined {
  const got = secret ? "" : `, got ${describe(v)}`;
  switch (rule.type) {
    case "string":
      if (typeof v !== "string") return `must be a string${got}`;
      break;
    case "integer":
      if (typeof v !== "number" || !Number.isInteger(v)) return `must be an integer${got}`;
      break;
    case "number":
      if (typeof v !== "number" || !Number.isFinite(v)) return `must be a number${got}`;
      break;
    case "boolean":
      if (typeof v !== "boolean") return `must be true or false${got}`;
      break;
    case "object":
      if (!isMap(v)) return `must be an object${got}`;
      break;
    case "array":
      if (!Array.isArray(v)) return `must be an array${got}`;
      break;
  }
  if (rule.enum && !rule.enum.includes(v as never)) return `must be one of ${rule.enum.map((e) => JSON.stringify(e)).join(", ")}${got}`;
  if (typeof v === "string") {
    if (rule.minLength !== undefined && [...v].length < rule.minLength) return rule.minLength === 1 ? "must not be empty" : `must be at least ${rule.minLength} characters${secret ? "" : `, got ${[...v].length}`}`;
    if (rule.maxLength !== undefined && [...v].length > rule.maxLength) return `must be at most ${rule.maxLength} characters${secret ? "" : `, got ${[...v].length}`}`;
    if (rule.pattern !== undefined && !matches(rule.pattern, v)) return `must match the spec's pattern ${rule.pattern}${got}`;
  }
  if (typeof v === "number") {
    if (rule.minimum !== undefined && v < rule.minimum) return `must be at least ${rule.minimum}${got}`;
    if (rule.maximum !== undefined && v > rule.maximum) return `must be at most ${rule.maximum}${got}`;
  }
  return undefined;
}

/** JSON Schema patterns are ECMAScript regular expressions, unanchored; one that does not compile checks nothing here (Flow Service decides). */
function matches(pattern: string, v: string): boolean {
  try {
    return new RegExp(pattern, "u").test(v);
  } catch {
    return true;
  }
}

/** A failure as one sentence (`params.host is required …`), for an error thrown at `up`. */
export function failureText(f: CheckFailure): string {
  return f.reason.startsWith(".") ? `${f.property}${f.reason}` : `${f.property} ${f.reason}`;
}

function quoted(names: readonly string[]): string {
  return names.map((n) => JSON.stringify(n)).join(" or ");
}
