/**
 * Auth params validation: each auth spec's own JSON Schema, compiled with ajv (+ ajv-formats) the first time
 * it is needed and kept by the schema object, so the catalog's specs cost nothing until a connection uses them.
 * Messages name the property, e.g. "auth.params.port: must be integer" or
 * "auth.params: missing required property 'host'", as the contract's `1100-400` requires.
 */
import Ajv, { type ErrorObject } from "ajv";
import addFormats from "ajv-formats";

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
// `password` only marks a secret (it drives masking); any string is a valid password.
ajv.addFormat("password", true);

/** Whether a JSON Schema `format` is one ajv checks (an unknown one would fail the schema's compilation). */
export function knowsFormat(name: string): boolean {
  return ajv.formats[name] !== undefined;
}

/** A JSON pointer as a property path: `/mappings/0/destination` → `mappings[0].destination`. */
function pathOf(prefix: string, pointer: string): string {
  let at = prefix;
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    at += /^\d+$/.test(segment) ? `[${segment}]` : at === "" ? segment : `.${segment}`;
  }
  return at;
}

function describe(error: ErrorObject, prefix: string): string {
  const at = pathOf(prefix, error.instancePath);
  switch (error.keyword) {
    case "required": {
      const missing = String(error.params.missingProperty);
      return `${at === "" ? missing : at}: missing required property '${missing}'`;
    }
    case "additionalProperties": {
      const extra = String(error.params.additionalProperty);
      return at === "" ? `${extra}: not allowed` : `${at}: must NOT have additional property '${extra}'`;
    }
    case "enum":
      return `${at}: must be one of ${JSON.stringify(error.params.allowedValues)}`;
    case "not":
      return `${at}: must not be an IP address`;
    default:
      return `${at}: ${error.message ?? "is invalid"}`;
  }
}

/** Checks auth params against an auth spec's schema: null when valid, else one message naming every failing property. */
export function validateParams(auth: { spec: Record<string, unknown> }, params: unknown, prefix = "auth.params"): string | null {
  return schemaCheck(auth.spec)(params, prefix);
}

/** `if`/`then` errors only say which branch failed; the error inside the branch names the property. */
const BRANCH_KEYWORDS = new Set(["if", "then", "else", "allOf", "anyOf"]);

function messagesOf(errors: ErrorObject[] | null | undefined, prefix: string): string {
  const messages = (errors ?? []).filter((e) => !BRANCH_KEYWORDS.has(e.keyword)).map((e) => describe(e, prefix));
  return [...new Set(messages)].join("; ") || `${prefix || "body"}: is invalid`;
}

/** Checks a value against a JSON Schema; returns null when valid, else one message naming every failing property. */
export type SchemaCheck = (value: unknown, prefix?: string) => string | null;

/** Compiles a JSON Schema (a request body's, a flow spec's schedule or transformation) once, with the same ajv. */
export function compileSchema(schema: Record<string, unknown>): SchemaCheck {
  const validate = ajv.compile(schema);
  return (value, prefix = "") => (validate(value) ? null : messagesOf(validate.errors, prefix));
}

const checks = new WeakMap<Record<string, unknown>, SchemaCheck>();

/** The check of a spec's schema (auth, source params, schedule, transformation), compiled on first use and kept. */
export function schemaCheck(schema: Record<string, unknown>): SchemaCheck {
  let check = checks.get(schema);
  if (!check) {
    check = compileSchema(schema);
    checks.set(schema, check);
  }
  return check;
}
