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

export type Kind =
  | "FtpConnection"
  | "SftpConnection"
  | "S3Connection"
  | "DatasetBaseConnection"
  | "StreamingConnection"
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
  "SourceConnection",
  "TargetConnection",
]);

/** The kind of a type token, or undefined for anything that is not one of this package's resources. */
export function kindOf(type: string): Kind | undefined {
  if (!type.startsWith(TYPE_PREFIX)) return undefined;
  const kind = type.slice(TYPE_PREFIX.length);
  return KINDS.has(kind) ? (kind as Kind) : undefined;
}

/**
 * The inputs that hold secrets. Policies receive them in plaintext (CrossGuard unwraps Pulumi
 * secrets before a rule runs), so rules read them only to test presence, and every message goes
 * through `safeReporter`, which cuts out any of their values.
 */
export const SECRET_INPUTS = ["password", "privateKeyContent", "passPhrase", "secretKey", "sessionToken"] as const;

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

/** Whether an input is set: known and not empty, or not known yet (an output of another resource will set it). */
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
 * The sandbox a resource is in. The provider's `check` resolves it (resource input, else
 * `aep:sandbox`, else AEP_SANDBOX, else "prod") and stores it as an input before policies run, so
 * it is known even when the program never set it; "prod" is the provider's own default.
 */
export function sandboxOf(props: Record<string, unknown>): string {
  return knownString(props, "sandbox") ?? "prod";
}

/** How a message names a resource: its type and Pulumi name, and the sandbox when it matters. */
export function describe(kind: Kind, args: ResourceValidationArgs, sandbox?: string): string {
  return `${kind} "${args.name}"${sandbox === undefined ? "" : ` in sandbox "${sandbox}"`}`;
}

/** Secret values shorter than this are not cut out of messages: they cannot be told apart from ordinary words. */
const MIN_REDACTED_LENGTH = 8;

/** Every form of a secret input's value a message could contain: the whole value, and each line of a multi-line one (a key). */
function secretForms(props: Record<string, unknown>): string[] {
  const forms: string[] = [];
  for (const key of SECRET_INPUTS) {
    const r = read(props, key);
    if (r.state !== "known" || typeof r.value !== "string") continue;
    const value = r.value;
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
