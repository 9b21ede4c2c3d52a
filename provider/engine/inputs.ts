import { MIN_SECRET_LENGTH } from "../client/redactor";
import { createHash, randomBytes } from "node:crypto";
import { defaultSandbox } from "../settings";
import type { CheckFailure, InputRules, Inputs, PropertySpec } from "../resources/declaration";
import { MAX_NAME, commonProperties } from "../resources/common";
import { UNKNOWN } from "../validators";

/** Inputs every kind accepts besides its auth params. */
export const COMMON_INPUTS = ["name", "description", "sandbox", "existingId", "existingConnectionId"] as const;
/** The inputs that adopt an existing entity on create: `existingId`, and its earlier name on the connection kinds. */
export const EXISTING_ID_INPUTS = ["existingId", "existingConnectionId"] as const;
/** Set by the resource class to the Pulumi resource name, the prefix of auto-generated names. */
export const AUTO_NAME_INPUT = "__autoName" as const;
/** The name `check` generated, kept so that later runs (and a refresh that saw a rename) reuse it. */
export const GENERATED_NAME_INPUT = "__generatedName" as const;
/**
 * Set by the resource class to the resource's URN. Generated names are derived from it rather than
 * drawn at random, so a create repeated after an interrupted deployment produces the same name and can
 * find (and adopt) the connection the lost attempt created.
 */
export const NAME_SEED_INPUT = "__nameSeed" as const;
/**
 * The properties a resource leaves to its connection, listed by `check` and kept in state: an adopted
 * connection's name and description when the program declares none, and a param Flow Service fills
 * when the program declares none (streaming `sourceId`). Their values are the connection's own: the
 * outputs carry them, `diff` never compares them, no write sends them, and `read` never returns them
 * as inputs, so a refresh shows no change the program did not make. (The engine's display hides
 * `__` keys.)
 */
export const KEPT_INPUT = "__kept" as const;
/**
 * What `check` returns for a base connection, which the engine hands to create and update: the
 * sandbox is always set, and so is the name, unless it is kept from the adopted connection
 * (`KEPT_INPUT`): create learns it by reading the connection, update finds it in the stored outputs.
 */
export interface ConnectionInputs extends Inputs {
  name?: string;
  sandbox: string;
  description?: string;
  existingId?: string;
  existingConnectionId?: string;
  [AUTO_NAME_INPUT]?: string;
  [GENERATED_NAME_INPUT]?: string;
  [NAME_SEED_INPUT]?: string;
  [KEPT_INPUT]?: string[];
}

/**
 * The inputs create and update work with: the name is set (declared, generated, or the adopted
 * connection's own, filled in by `withKept`). The pipeline kinds' `check` always sets it.
 */
export interface CheckedInputs extends ConnectionInputs {
  name: string;
}

/** The outputs stored in state, which read, update and delete receive: the inputs and what the server said. */
export interface StoredOutputs extends CheckedInputs {
  etag: string;
  state?: string;
  connectionSpecId: string;
}

const RESERVED = new Set(["__provider", AUTO_NAME_INPUT, GENERATED_NAME_INPUT, NAME_SEED_INPUT, KEPT_INPUT]);


export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** Every input name a kind accepts, in a stable order. */
export function inputNames(kind: InputRules): string[] {
  return [...(kind.commonInputs ?? COMMON_INPUTS), ...kind.params.map((p) => p.input)];
}

/**
 * `check`: validates without any network call and returns the inputs to store, with the name
 * generated once (`<resource name>-<7 chars>`) and the sandbox resolved from config when absent.
 * Reasons never contain a secret value.
 */
export function checkInputs(kind: InputRules, olds: Inputs, news: Inputs): { inputs: Inputs; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string): void => {
    failures.push(failureOn(property, reason, news[property]));
  };
  // The engine prints a failing property's value next to its name ("property password value {…} has a
  // problem"), in clear when the program passed a plain string. So a secret's failure names the
  // property in the reason only, and the reason never holds the value.
  const failSecret = (property: string, reason: string, value: unknown): void => {
    if (!isSet(value)) fail(property, reason);
    // An object value (a map of secrets) keeps the nested path (`secretParams.password …`) the reason starts with.
    else failures.push(failureOn(property, redactValue(reason, value), {}));
  };
  const known = new Set(inputNames(kind));
  for (const key of Object.keys(news)) {
    if (!known.has(key) && !RESERVED.has(key)) {
      fail(key, `is not a property of ${kind.typeName}; valid properties are ${[...known].join(", ")}`);
    }
  }

  const inputs: Inputs = {};
  const autoName = typeof news[AUTO_NAME_INPUT] === "string" ? (news[AUTO_NAME_INPUT] as string) : undefined;
  if (autoName !== undefined) inputs[AUTO_NAME_INPUT] = autoName;

  if (isSet(news.name)) {
    inputs.name = news.name;
    if (!isUnknown(news.name)) {
      const reason = commonProperties.name.validate(news.name);
      if (reason) fail("name", `${reason}; omit name to have one generated from the resource name`);
    }
  }
  const seed = typeof news[NAME_SEED_INPUT] === "string" && news[NAME_SEED_INPUT] !== "" ? (news[NAME_SEED_INPUT] as string) : undefined;
  if (seed !== undefined) inputs[NAME_SEED_INPUT] = seed;

  if (isSet(news.description)) {
    inputs.description = news.description;
    const reason = isUnknown(news.description) ? undefined : commonProperties.description.validate(news.description);
    if (reason) fail("description", reason);
  }

  inputs.sandbox = isSet(news.sandbox) ? news.sandbox : defaultSandbox();
  if (!isUnknown(inputs.sandbox)) {
    const s = inputs.sandbox;
    if (commonProperties.sandbox.validate(s)) {
      const rule = `must be a sandbox name (lowercase letters, digits and hyphens, e.g. "prod" or "dev-1"), got ${JSON.stringify(s)}`;
      // Not set on the resource: the engine would print "property sandbox value {<nil>}", so say where it came from.
      if (isSet(news.sandbox)) fail("sandbox", rule);
      else failures.push({ property: "", reason: `the sandbox from aep:sandbox (or AEP_SANDBOX) ${rule}; fix it with: pulumi config set aep:sandbox prod` });
    }
  }

  // existingId (every kind), or existingConnectionId, its earlier name on the connection kinds.
  const adoptBy = EXISTING_ID_INPUTS.filter((key) => known.has(key));
  const declaredIds = adoptBy.filter((key) => isSet(news[key]));
  if (declaredIds.length > 1) fail(declaredIds[1], `and ${declaredIds[0]} both name the entity to adopt; keep ${declaredIds[0]}`);
  for (const key of declaredIds) {
    inputs[key] = news[key];
    const id = news[key];
    if (!isUnknown(id) && commonProperties.existingId.validate(id)) {
      fail(key, `must be the id of an existing ${kind.noun ?? "entity"} in the sandbox (a UUID such as "bf367b0d-3d9b-4060-b67b-0d3d9bd06094"), got ${typeof id === "string" ? JSON.stringify(id.slice(0, 64)) : typeof id}`);
    }
  }
  if (declaredIds.length === 0) {
    // Ignored after creation, so a program may drop it; the entity stays the adopted one, and what the
    // program leaves undeclared stays the entity's own (a replacement, which the engine checks without
    // the old inputs, creates an entity of its own).
    for (const key of adoptBy) if (typeof olds[key] === "string") inputs[key] = olds[key];
  }
  const adopting = adoptBy.some((key) => isSet(inputs[key]));

  for (const p of kind.params) {
    const value = settledValue(p, olds, news) ?? (isSet(news[p.input]) ? news[p.input] : (p.derive?.(news, olds) ?? p.default));
    if (!isSet(value)) {
      if (p.required) fail(p.input, `is required for ${kind.typeName}`);
      continue;
    }
    inputs[p.input] = value;
    if (isUnknown(value)) continue;
    const tooShort = p.secret ? secretLengthProblem(value) : undefined;
    // Constant text: nothing of the value to redact (a short value would match letters of the reason).
    if (tooShort && !p.validate(value)) {
      failures.push({ property: "", reason: `${p.input} ${tooShort}` });
      continue;
    }
    const reason = p.validate(value);
    if (reason) {
      if (p.secret) failSecret(p.input, reason, value);
      else fail(p.input, reason);
    }
  }

  if (kind.checkInputs) {
    for (const f of kind.checkInputs(inputs, news)) {
      const param = kind.params.find((p) => p.input === f.property);
      if (param?.secret) failSecret(f.property, f.reason, inputs[f.property]);
      else fail(f.property, f.reason);
    }
  }
  // Base connections always store the list, even empty: its absence marks state written before it existed
  // (see keptFromState). The pipeline kinds store it when they adopt (their state before it never did).
  const kept = keptProperties(kind, news, adopting);
  if (known.has("existingConnectionId") || adopting) inputs[KEPT_INPUT] = kept;
  if (!isSet(news.name) && !kept.includes("name")) {
    inputs.name = generatedName(kind, olds, inputs, autoName ?? kind.kind, seed);
    inputs[GENERATED_NAME_INPUT] = inputs.name;
  }
  return { inputs, failures };
}

/** What the resource leaves to the connection (`KEPT_INPUT`): see there. */
function keptProperties(kind: InputRules, news: Inputs, adopted: boolean): string[] {
  const kept = adopted ? ["name", "description"].filter((key) => !isSet(news[key])) : [];
  for (const p of kind.params) if (kind.serverOutputs && p.input in kind.serverOutputs && !isSet(news[p.input]) && !isSet(p.default)) kept.push(p.input);
  return kept;
}

/** The properties these inputs or outputs leave to the connection. */
export function keptOf(props: Inputs): string[] {
  const kept = props[KEPT_INPUT];
  return Array.isArray(kept) ? kept.filter((k): k is string => typeof k === "string") : [];
}

/**
 * The inputs with what they leave to the connection filled in from `source` (the connection as read,
 * or the stored outputs), for the steps that write and build outputs.
 */
export function withKept(inputs: ConnectionInputs, source: Inputs): CheckedInputs {
  const out: Inputs = { ...inputs };
  for (const key of keptOf(inputs)) if (isSet(source[key])) out[key] = source[key];
  if (typeof out.name !== "string") throw new Error(`the name is kept from the entity it adopted, but none was found (${JSON.stringify(out.existingId ?? out.existingConnectionId ?? null)})`);
  return out as CheckedInputs;
}

/** Inputs without what they leave to the connection: what `read` returns as the resource's inputs. */
export function withoutKept(values: Inputs): Inputs {
  const kept = new Set(keptOf(values));
  return Object.fromEntries(Object.entries(values).filter(([key]) => !kept.has(key)));
}

/** A value path at the start of a reason: `.interval`, `[1].destination`. */
const NESTED = /^((?:\.[A-Za-z_$][\w$]*|\[\d+\])+) (.+)$/s;

/**
 * A failure as the engine will print it. The engine shows the program's value of the named property,
 * looked up by its top-level key, in Go's notation: an object as `{map[frequency:{minute}
 * interval:{5} startTime:{1.7672256e+09}]}` (a number as the user never wrote it), a dotted path such
 * as `schedule.interval` as `{<nil>}` (as if it were not set). So a failure in an object-valued input
 * names the nested property first in its reason (`schedule.interval must be at least 15 …, got 5`),
 * values quoted as the program wrote them, and leaves the property field empty; the engine then
 * prints `resource 'x' has a problem: <reason>`.
 */
export function failureOn(property: string, reason: string, value: unknown): CheckFailure {
  const nested = NESTED.exec(reason);
  if (nested) return { property: "", reason: `${property}${nested[1]} ${nested[2]}` };
  if (typeof value === "object" && value !== null) return { property: "", reason: `${property} ${reason}` };
  return { property, reason };
}

/**
 * The value an input unknown at preview must have, when the declaration says: a property that follows
 * from another (`followsFrom`) keeps its old value while that other is known and unchanged. Without it
 * an unknown `connectionSpecId` would preview the replacement of a source connection whose base
 * connection is only being updated; the `up` then sees the same spec and replaces nothing.
 * Undefined when the value cannot be told.
 */
function settledValue(p: PropertySpec, olds: Inputs, news: Inputs): unknown {
  if (p.followsFrom === undefined || !isUnknown(news[p.input]) || !isSet(olds[p.input])) return undefined;
  const basis = news[p.followsFrom];
  return isSet(basis) && !isUnknown(basis) && sameValue(olds[p.followsFrom], basis) ? olds[p.input] : undefined;
}

/** A secret too short to be told apart from ordinary text in a log line or an error. */
export function secretLengthProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length >= MIN_SECRET_LENGTH) return undefined;
  return `must be at least ${MIN_SECRET_LENGTH} characters: a shorter secret could not be kept out of logs and error messages reliably`;
}

/**
 * `<prefix>-<7 chars>`, kept across runs. The suffix hashes the resource's URN with the values whose
 * change replaces the connection (random only without a seed): a repeated create of the same resource
 * gets the same name, while a replacement, which Pulumi checks afresh without the old inputs, gets a
 * name of its own because one of those values changed.
 */
function generatedName(kind: InputRules, olds: Inputs, inputs: Inputs, prefix: string, seed: string | undefined): string {
  const prior = typeof olds[GENERATED_NAME_INPUT] === "string" && olds[GENERATED_NAME_INPUT] !== "" ? (olds[GENERATED_NAME_INPUT] as string) : undefined;
  if (prior !== undefined && diffInputs(kind, olds, { ...inputs, name: prior }).replaces.length === 0) return prior;
  const head = prefix.slice(0, MAX_NAME - 8);
  return seed === undefined ? `${head}-${randomSuffix()}` : `${head}-${hashSuffix(`${seed}\n${canonical(replacementKey(kind, inputs))}`)}`;
}

/** The inputs that force a replacement when they change; secrets excluded (the name is public). */
function replacementKey(kind: InputRules, inputs: Inputs): Inputs {
  const key: Inputs = { sandbox: inputs.sandbox };
  for (const p of kind.params) if (p.replaceOnChange && !p.secret) key[p.input] = inputs[p.input] ?? null;
  for (const d of kind.derived ?? []) key[d.output] = d.compute(inputs) ?? null;
  return key;
}

function hashSuffix(text: string): string {
  return toSuffix(createHash("sha256").update(text).digest());
}

function redactValue(reason: string, value: unknown): string {
  const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : "";
  return text.length > 0 ? reason.split(text).join("[secret]") : reason;
}

function randomSuffix(): string {
  return toSuffix(randomBytes(7));
}

function toSuffix(bytes: Uint8Array): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...bytes.subarray(0, 7)].map((b) => alphabet[b % alphabet.length]).join("");
}

/** Order-insensitive deep equality for plain JSON values. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).sort().join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  /** Changed inputs, for tests and messages. */
  changed: string[];
}

/**
 * `diff`: explicit and computed from declared inputs only (never `__provider` nor server-filled
 * outputs), so that upgrading this package never shows as a change. `olds` are the stored outputs,
 * which carry every input under the same name.
 */
export function diffInputs(kind: InputRules, olds: Inputs, news: Inputs): DiffOutcome {
  const changed: string[] = [];
  const replaces = new Set<string>();
  const differs = (key: string): boolean => isUnknown(news[key]) || !sameValue(olds[key] ?? null, news[key] ?? null);

  const kept = keptOf(news);
  for (const key of ["name", "description"]) if (!kept.includes(key) && differs(key)) changed.push(key);
  if (differs("sandbox")) {
    changed.push("sandbox");
    replaces.add("sandbox");
  }
  for (const p of kind.params) {
    // A param the server fills when absent (streaming sourceId), or one told only at create (a `derive`
    // that could not tell it without a request), is compared only when declared or derived.
    if (!isSet(news[p.input]) && ((kind.serverOutputs && p.input in kind.serverOutputs) || p.derive)) continue;
    // An unknown value that can only be the old one is no change (and no replacement).
    if (settledValue(p, olds, news) !== undefined) continue;
    if (differs(p.input)) {
      changed.push(p.input);
      if (p.replaceOnChange) replaces.add(p.input);
    }
  }
  for (const d of kind.derived ?? []) {
    const before = olds[d.output];
    const after = d.compute(news);
    if (before !== undefined && !sameValue(before, after)) {
      for (const t of d.triggers) if (changed.includes(t) || isSet(news[t])) replaces.add(t);
    }
  }
  return { changes: changed.length > 0, replaces: [...replaces], changed };
}
