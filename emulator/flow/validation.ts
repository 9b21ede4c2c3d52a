/**
 * Auth params validation: each auth spec's own JSON Schema, compiled once with ajv (+ ajv-formats).
 * Messages name the property, e.g. "auth.params.port: must be integer" or
 * "auth.params: missing required property 'host'", as the contract's `1100-400` requires.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { CONNECTION_SPECS, type AuthSpec } from "./specs";

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats(ajv);
// `password` only marks a secret (it drives masking); any string is a valid password.
ajv.addFormat("password", true);

const compiled = new Map<AuthSpec, ValidateFunction>();
for (const spec of CONNECTION_SPECS) {
  for (const auth of spec.authSpec) compiled.set(auth, ajv.compile(auth.spec));
}

function describe(error: ErrorObject, prefix: string): string {
  const at = prefix + error.instancePath.replace(/\//g, ".");
  switch (error.keyword) {
    case "required":
      return `${at}: missing required property '${String(error.params.missingProperty)}'`;
    case "additionalProperties":
      return `${at}: must NOT have additional property '${String(error.params.additionalProperty)}'`;
    case "enum":
      return `${at}: must be one of ${JSON.stringify(error.params.allowedValues)}`;
    case "not":
      return `${at}: must not be an IP address`;
    default:
      return `${at}: ${error.message ?? "is invalid"}`;
  }
}

/** Returns null when valid, else one message naming every failing property. */
export function validateParams(auth: AuthSpec, params: unknown, prefix = "auth.params"): string | null {
  const validate = compiled.get(auth);
  if (!validate) throw new Error(`auth spec not compiled: ${auth.name}`);
  if (validate(params)) return null;
  const messages = (validate.errors ?? []).map((e) => describe(e, prefix));
  return [...new Set(messages)].join("; ");
}
