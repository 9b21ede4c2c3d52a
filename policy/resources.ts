// What the rules know about pulumi-aep-flow's resources: their type tokens, which inputs hold
// secrets, and how to read an input during a preview (where it may not be known yet) and report a
// violation without ever quoting a secret.
import { type ReportViolation, type ResourceValidationArgs, UnknownValueError } from "@pulumi/policy";

/**
 * The package's resources are dynamic resources: the engine types them
 * `pulumi-nodejs:dynamic/aep:<Type>`. That token is the only thing the rules tell kinds apart by
 * (the provider object stored with each resource is no concern of a policy).
 */
export const TYPE_PREFIX = "pulumi-nodejs:dynamic/aep:";

// registrations:kinds:start (`npm run registrations` writes this block from the provider's kind declarations)
export type Kind =
  | "FtpConnection"
  | "SftpConnection"
  | "S3Connection"
  | "DatasetBaseConnection"
  | "StreamingConnection"
  | "Connection"
  | "SourceConnection"
  | "TargetConnection"
  | "MappingSet"
  | "Dataflow";

const KINDS: ReadonlySet<string> = new Set<Kind>([
  "FtpConnection",
  "SftpConnection",
  "S3Connection",
  "DatasetBaseConnection",
  "StreamingConnection",
  "Connection",
  "SourceConnection",
  "TargetConnection",
  "MappingSet",
  "Dataflow",
]);

/** Every kind that is a Flow Service connection (base, source or target): they have a name and a description. */
export const CONNECTION_KINDS: ReadonlySet<Kind> = new Set<Kind>([
  "FtpConnection",
  "SftpConnection",
  "S3Connection",
  "DatasetBaseConnection",
  "StreamingConnection",
  "Connection",
  "SourceConnection",
  "TargetConnection",
]);
// registrations:kinds:end

/** The kind of a type token, or undefined for anything that is not one of this package's resources. */
export function kindOf(type: string): Kind | undefined {
  if (!type.startsWith(TYPE_PREFIX)) return undefined;
  const kind = type.slice(TYPE_PREFIX.length);
  return KINDS.has(kind) ? (kind as Kind) : undefined;
}

/**
 * The inputs that hold secrets: a string, or a map whose every value is one (a generic connection's
 * `secretParams`). Policies receive them in plaintext (CrossGuard unwraps Pulumi secrets before a
 * rule runs), so rules read them only to test presence, and every message goes through
 * `safeReporter`, which cuts out any of their values.
 */
// registrations:secret-inputs:start (every property declared `secret: true`, of every kind)
export const SECRET_INPUTS = ["password", "privateKeyContent", "passPhrase", "secretKey", "sessionToken", "secretParams"] as const;
// registrations:secret-inputs:end

/** An input as a rule sees it during a preview: absent, not known yet (another resource's output), or known. */
export type Read<T = unknown> = { state: "absent" } | { state: "unknown" } | { state: "known"; value: T };

/**
 * Reads one input. CrossGuard hands rules a proxy that throws `UnknownValueError` on reading a
 * value the engine does not know yet; here that is an answer ("unknown"), so a rule decides what an
 * unknown means for it instead of the whole rule being skipped with a warning.
 */
export function read(props: Record<string, unknown>, key: string): Read {
  if (!Object.prototype.hasOwnProperty.call(props, key)) return { state: "absent" };
  try {
    const value = props[key];
    return value === undefined || value === null ? { state: "absent" } : { state: "known", value };
  } catch (err) {
    if (err instanceof UnknownValueError) return { state: "unknown" };
    throw err;
  }
}

/**
 * Whether an input is given: known and not empty, or not known yet. The rules ask this only of
 * inputs whose presence is all they need (mappingId, privateKeyContent, sessionToken, password):
 * such a value not known during a preview is another resource's output (a mapping set's id), which
 * every first preview of a pipeline has, and which `up` checks again once it is known.
 */
export function isSet(props: Record<string, unknown>, key: string): boolean {
  const r = read(props, key);
  return r.state === "unknown" || (r.state === "known" && r.value !== "");
}

/** A known string input, else undefined. */
export function knownString(props: Record<string, unknown>, key: string): string | undefined {
  const r = read(props, key);
  return r.state === "known" && typeof r.value === "string" ? r.value : undefined;
}

/**
 * What every rule says, in these words, of an input whose value it judges but cannot see during a
 * preview. The value is checked again at `up`, but the preview is the gate a pull request is
 * reviewed by: a mandatory rule counts this as a violation (the preview fails), an advisory one
 * warns, rather than letting the preview pass on a value no rule has seen.
 */
export const NOT_YET_KNOWN = "cannot be verified at preview";

/** "<inputs> cannot be verified at preview: depends on an output not yet known", for one input or several. */
export function notYetKnown(inputs: string[]): string {
  const what = inputs.length === 1 ? "depends on an output" : "each depends on an output";
  return `${inputs.join(" and ")} ${NOT_YET_KNOWN}: ${what} not yet known`;
}

/** The fix for inputs not known at preview. */
export function giveKnownValue(inputs: string[]): string {
  return `give ${inputs.join(" and ")} a value known before the deployment (a literal, or stack config) rather than one computed from another resource's output`;
}

/**
 * Where a sandbox-scoped rule stands on a resource's sandbox. The provider's `check` resolves the
 * sandbox (resource input, else `aep:sandbox`, else AEP_SANDBOX, else "prod") and stores it as an
 * input before policies run, so it is known unless the program computed it from another resource's
 * output. An unknown sandbox matters only when the rule exempts some sandboxes: with none listed,
 * every sandbox is production.
 */
export type SandboxScope = { state: "exempt" } | { state: "production"; sandbox?: string } | { state: "unknown" };

export function sandboxScope(props: Record<string, unknown>, nonProductionSandboxes: readonly string[]): SandboxScope {
  const r = read(props, "sandbox");
  if (r.state === "unknown") return nonProductionSandboxes.length === 0 ? { state: "production" } : { state: "unknown" };
  const sandbox = r.state === "known" && typeof r.value === "string" ? r.value : "prod";
  return nonProductionSandboxes.includes(sandbox) ? { state: "exempt" } : { state: "production", sandbox };
}

/** How a message names a resource: its type and Pulumi name, and the sandbox when it matters and is known. */
export function describe(kind: Kind, args: ResourceValidationArgs, sandbox?: string): string {
  return `${kind} "${args.name}"${sandbox === undefined ? "" : ` in sandbox "${sandbox}"`}`;
}

/** Secret values shorter than this are not cut out of messages: they cannot be told apart from ordinary words. */
const MIN_REDACTED_LENGTH = 8;

/** The known string values of a secret input: itself, or each value of a map of secrets. */
function secretValues(props: Record<string, unknown>, key: string): string[] {
  const r = read(props, key);
  if (r.state !== "known") return [];
  if (typeof r.value === "string") return [r.value];
  if (typeof r.value !== "object" || Array.isArray(r.value)) return [];
  // Each value is read on its own: one not known at preview leaves the others to redact.
  const map = r.value as Record<string, unknown>;
  return Object.keys(map).flatMap((name) => {
    const v = read(map, name);
    return v.state === "known" && typeof v.value === "string" ? [v.value] : [];
  });
}

/** Every form of a secret input's value a message could contain: the whole value, and each line of a multi-line one (a key). */
function secretForms(props: Record<string, unknown>): string[] {
  const forms: string[] = [];
  for (const value of SECRET_INPUTS.flatMap((key) => secretValues(props, key))) {
    forms.push(value, Buffer.from(value, "utf8").toString("base64"));
    for (const line of value.split(/\r?\n/)) forms.push(line.trim());
  }
  // Longest first, so that a line inside a whole value is never cut before the value itself.
  return [...new Set(forms)].filter((f) => f.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
}

/** Cuts every secret input's value out of a text. */
export function redact(text: string, props: Record<string, unknown>): string {
  let out = text;
  for (const form of secretForms(props)) out = out.split(form).join("[secret]");
  return out;
}

/**
 * A `reportViolation` that can never quote a secret input: the rules build their messages from
 * names, sandboxes and configuration only, and this cuts out any secret value all the same (a
 * connection named after its own password, say).
 */
export function safeReporter(args: ResourceValidationArgs, report: ReportViolation): (message: string) => void {
  return (message) => report(redact(message, args.props));
}
