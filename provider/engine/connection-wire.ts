import type { ConnectionItem, PatchOperation } from "../client/types";
import type { EntityKind, Inputs, PropertySpec } from "../resources/declaration";
import { type Body, getPath, isMap, patchPath, setPath } from "./paths";
import { AUTO_NAME_INPUT, COMMON_INPUTS, EXISTING_ID_INPUTS, GENERATED_NAME_INPUT, KEPT_INPUT, isSet, keptOf, sameValue } from "./inputs";

/** The one place where Pulumi-side names meet wire names. */
export const SPEC_VERSION = "1.0";
/** How Flow Service shows a secret param on GET. */
export const MASKED = "********";

/** The params of an item at the dotted path where its kind's body holds them (`auth.params`). */
export function paramsOf(kind: EntityKind, item: ConnectionItem): Record<string, unknown> {
  const at = getPath(item, kind.body);
  return isMap(at) ? at : {};
}

/** The JSON Patch path of one param: `/auth/params/<key>` (a param's name is one key, dots and all). */
export function paramPath(kind: EntityKind, key: string): string {
  return patchPath(kind.body, key);
}

/** The param a JSON Patch path points at, or undefined when it points elsewhere (`/name`). */
export function paramOfPath(kind: EntityKind, path: string): string | undefined {
  const prefix = paramPath(kind, "");
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}

/** The members of a map value (a `spread` property's), set ones only. */
function members(value: unknown): Array<[string, unknown]> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? Object.entries(value).filter(([, v]) => isSet(v)) : [];
}

/** The wire params one property's value makes: one, or one per member of a `spread` property's map. */
function wireEntries(p: PropertySpec, value: unknown): Array<[string, unknown]> {
  if (!isSet(value) || p.local) return [];
  if (p.spread) return members(value);
  return [[p.wire, p.toWire ? p.toWire(value) : value]];
}

export function wireParams(kind: EntityKind, inputs: Inputs): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const p of kind.params) for (const [key, v] of wireEntries(p, inputs[p.input])) params[key] = v;
  return { ...params, ...(kind.extraWireParams?.({ ...inputs, name: inputs.name as string }) ?? {}) };
}

/**
 * The body of a create, member by member at its dotted wire path: the tutorials'
 * `{ name, description, connectionSpec: { id, version }, providerId, auth: { specName, params } }`, the params
 * under the kind's `body` path. A kind with no auth spec (the dataset base connection) sends no `auth` at all.
 */
export function createBody(kind: EntityKind, inputs: Inputs): Body {
  const body: Body = { name: inputs.name };
  if (isSet(inputs.description)) body.description = inputs.description;
  const fixed: Record<string, unknown> = { "connectionSpec.id": kind.connectionSpecId, "connectionSpec.version": SPEC_VERSION };
  if (kind.providerId) fixed.providerId = kind.providerId;
  const auth = kind.authSpecName?.(inputs);
  if (auth !== undefined) Object.assign(fixed, { "auth.specName": auth, [kind.body]: wireParams(kind, inputs) });
  for (const [path, value] of Object.entries(fixed)) setPath(body, path, value);
  return body;
}

/** Every secret as the user gave it and as it goes on the wire, for redaction. */
export function secretValues(kind: Pick<EntityKind, "params">, inputs: Inputs): string[] {
  const out: string[] = [];
  for (const p of kind.params) {
    const v = inputs[p.input];
    if (p.secret && p.spread) out.push(...members(v).flatMap(([, m]) => (typeof m === "string" ? [m] : [])));
    if (!p.secret || typeof v !== "string") continue;
    out.push(v);
    const wire = p.toWire?.(v);
    if (typeof wire === "string") out.push(wire);
  }
  return out;
}

export interface ServerFacts {
  etag: string;
  state?: string;
  /** Server-filled params (streaming inlet), by output name. */
  serverValues?: Record<string, unknown>;
}

/**
 * Outputs: every declared input under its own name (secrets included: the engine stores them
 * encrypted because they are secret inputs and listed in additionalSecretOutputs), plus what the
 * server decided. Plain JSON only: undefined is dropped.
 */
export function buildOutputs(kind: EntityKind, inputs: Inputs, facts: ServerFacts): Inputs {
  const outs: Inputs = {};
  for (const key of [AUTO_NAME_INPUT, GENERATED_NAME_INPUT, KEPT_INPUT, ...COMMON_INPUTS]) if (isSet(inputs[key])) outs[key] = inputs[key];
  for (const p of kind.params) if (isSet(inputs[p.input])) outs[p.input] = inputs[p.input];
  for (const d of kind.derived ?? []) outs[d.output] = d.compute(inputs);
  for (const [k, v] of Object.entries(facts.serverValues ?? {})) if (isSet(v)) outs[k] = v;
  outs.etag = facts.etag;
  outs.state = facts.state ?? "enabled";
  outs.connectionSpecId = kind.connectionSpecId;
  return outs;
}

export function serverValuesOf(kind: EntityKind, item: ConnectionItem): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [output, wire] of Object.entries(kind.serverOutputs ?? {})) {
    const v = paramsOf(kind, item)[wire];
    if (isSet(v)) values[output] = v;
  }
  return values;
}

export function hasServerValues(kind: EntityKind, outs: Inputs): boolean {
  return Object.keys(kind.serverOutputs ?? {}).every((k) => isSet(outs[k]));
}

/**
 * Inputs as the server holds them, for `read` (refresh, import), with what the resource leaves to the
 * connection (`KEPT_INPUT`: read's outputs carry it, its inputs do not). Secrets are never read back
 * (Flow Service masks them): they come from `prior` state. Optional params the prior state did not
 * set are ignored when the server filled a default, so a default never shows as a perpetual diff.
 */
export function inputsFromItem(kind: EntityKind, item: ConnectionItem, prior: Inputs, sandbox: string): Inputs {
  const inputs: Inputs = { name: item.name, sandbox };
  for (const key of [AUTO_NAME_INPUT, GENERATED_NAME_INPUT]) if (isSet(prior[key])) inputs[key] = prior[key];
  const kept = keptFromState(kind, prior);
  if (isSet(prior.etag)) inputs[KEPT_INPUT] = kept;
  if (isSet(item.description) && item.description !== "") inputs.description = item.description;
  else if (isSet(prior.description)) inputs.description = item.description ?? "";
  for (const key of EXISTING_ID_INPUTS) if (isSet(prior[key])) inputs[key] = prior[key];
  const importing = !isSet(prior.etag);
  const params = paramsOf(kind, item);
  const secrets = secretWireKeys(kind, prior);
  for (const p of kind.params) {
    // Secrets are masked by Flow Service, local settings never sent: both come from state.
    if (p.secret || p.local) {
      if (isSet(prior[p.input])) inputs[p.input] = prior[p.input];
      continue;
    }
    if (p.spread) {
      // The members the prior state declared (an import: every param that is no secret, which Flow Service masks).
      const declared = new Set(members(prior[p.input]).map(([key]) => key));
      const read = Object.entries(params).filter(([key, v]) => isSet(v) && !secrets.has(key) && v !== MASKED && (importing || declared.has(key)));
      if (read.length > 0 || isSet(prior[p.input])) inputs[p.input] = Object.fromEntries(read);
      continue;
    }
    const v = params[p.wire];
    if (!isSet(v)) continue;
    if (isSet(prior[p.input]) || importing || (kind.serverOutputs && p.input in kind.serverOutputs)) {
      inputs[p.input] = v;
    }
  }
  return inputs;
}

/**
 * What stored outputs leave to the connection. State written before `KEPT_INPUT` existed cannot say
 * whether a server-filled param (streaming `sourceId`) was declared, since the outputs carry it either
 * way: it is taken as left to Flow Service, as it nearly always is (a declared one then reads as
 * undeclared until the next update stores the list; `diff` compares outputs, so nothing is changed).
 * An import has no state and reads everything.
 */
function keptFromState(kind: EntityKind, prior: Inputs): string[] {
  if (Array.isArray(prior[KEPT_INPUT])) return keptOf(prior);
  if (!isSet(prior.etag)) return [];
  return kind.params.filter((p) => kind.serverOutputs && p.input in kind.serverOutputs).map((p) => p.input);
}

/** The patch of what every kind, base connection or pipeline entity, updates on its own: name and description. */
export function nameAndDescriptionOps(olds: Inputs, news: Inputs): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (!sameValue(olds.name, news.name)) ops.push({ op: "replace", path: "/name", value: news.name });
  if (!sameValue(olds.description ?? null, news.description ?? null)) {
    ops.push(isSet(news.description) ? { op: isSet(olds.description) ? "replace" : "add", path: "/description", value: news.description } : { op: "remove", path: "/description" });
  }
  return ops;
}

/** How an item's name and description differ from the declared ones, in words (no description is an empty one). */
export function nameAndDescriptionMismatches(item: { name?: unknown; description?: unknown }, inputs: Inputs): string[] {
  const out: string[] = [];
  const show = (v: unknown): string => (v === undefined ? "not set" : JSON.stringify(v));
  if (item.name !== inputs.name) out.push(`name is ${show(item.name)}, declared ${show(inputs.name)}`);
  const text = (v: unknown): string => (typeof v === "string" ? v : "");
  if (text(item.description) !== text(inputs.description)) out.push(`description is ${show(item.description || undefined)}, declared ${show(text(inputs.description) || undefined)}`);
  return out;
}

/**
 * The JSON Patch that moves a connection from `olds` to `news`: only what changed, param by param
 * (never the whole params object: streaming params the server filled must stay).
 */
export function patchOps(kind: EntityKind, olds: Inputs, news: Inputs): PatchOperation[] {
  const ops = nameAndDescriptionOps(olds, news);
  if (!kind.authSpecName) return ops;
  const before = wireParams(kind, olds);
  const after = wireParams(kind, news);
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const path = paramPath(kind, key);
    if (!(key in after)) {
      // A server-filled param (streaming sourceId) that the user stopped declaring stays as it is.
      if (!kind.serverOutputs || !Object.values(kind.serverOutputs).includes(key)) ops.push({ op: "remove", path });
    } else if (!(key in before)) ops.push({ op: "add", path, value: after[key] });
    else if (!sameValue(before[key], after[key])) ops.push({ op: "replace", path, value: after[key] });
  }
  return ops;
}

/**
 * Patch ops that make an existing (adopted) connection match the declared inputs: a name or
 * description only when declared and different (`news` holds the connection's own where the program
 * declares none, see `withKept`).
 */
export function adoptOps(kind: EntityKind, item: ConnectionItem, news: Inputs): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (item.name !== news.name) ops.push({ op: "replace", path: "/name", value: news.name });
  if (isSet(news.description) && item.description !== news.description) ops.push({ op: isSet(item.description) ? "replace" : "add", path: "/description", value: news.description });
  if (!kind.authSpecName) return ops;
  const server = paramsOf(kind, item);
  const serverFilled = new Set(Object.values(kind.serverOutputs ?? {}));
  const secrets = secretWireKeys(kind, news);
  for (const [key, value] of Object.entries(wireParams(kind, news))) {
    // Secrets are masked on GET, so they are always written; other params only when they differ.
    if (!secrets.has(key) && sameValue(server[key], value)) continue;
    ops.push({ op: key in server ? "replace" : "add", path: paramPath(kind, key), value });
  }
  // A param left out is removed, except one fixed at creation (e.g. streaming authenticationRequired,
  // which the server defaults): it cannot change, and adopt has already refused a declared mismatch.
  // A map of params (`spread`) names no set of its own: what it leaves out stays the connection's.
  const removable = new Set(kind.params.filter((p) => !p.replaceOnChange && !p.spread).map((p) => p.wire));
  for (const key of Object.keys(server)) {
    if (removable.has(key) && !(key in wireParams(kind, news)) && !serverFilled.has(key)) ops.push({ op: "remove", path: paramPath(kind, key) });
  }
  return ops;
}

/**
 * How a connection differs from the declared inputs, in what can be compared: name, description
 * (absent and `""` are the same), connection spec, auth type and every declared non-secret param
 * (secrets come back masked). `removed` lists wire params the inputs dropped, which must be absent.
 * Each entry names the property; values shown are never secrets.
 */
export function declaredMismatches(kind: EntityKind, item: ConnectionItem, inputs: Inputs, removed: string[] = []): string[] {
  const out = nameAndDescriptionMismatches(item, inputs);
  const show = (v: unknown): string => (v === undefined ? "not set" : JSON.stringify(v));
  if (item.connectionSpec?.id !== kind.connectionSpecId) out.push(`connection spec is ${show(item.connectionSpec?.id)}, not ${kind.title}'s`);
  if (!kind.authSpecName) return out;
  const wantAuth = kind.authSpecName(inputs);
  if (item.auth?.specName !== wantAuth) out.push(`authentication is ${show(item.auth?.specName)}, declared ${show(wantAuth)}`);
  const secrets = secretWireKeys(kind, inputs);
  const inputOf = (wire: string): string => {
    const own = kind.params.find((p) => !p.spread && p.wire === wire);
    const map = kind.params.find((p) => p.spread && members(inputs[p.input]).some(([key]) => key === wire));
    return own?.input ?? (map ? `${map.input}.${wire}` : wire);
  };
  const server = paramsOf(kind, item);
  for (const [key, value] of Object.entries(wireParams(kind, inputs))) {
    if (secrets.has(key) || sameValue(server[key], value)) continue;
    out.push(`${inputOf(key)} is ${show(server[key])}, declared ${show(value)}`);
  }
  for (const key of removed) if (!secrets.has(key) && isSet(server[key])) out.push(`${inputOf(key)} is ${show(server[key])}, declared not set`);
  return out;
}

/**
 * The wire keys of secret params, for telling which patch operations carry a secret: the kind's own, and
 * the members of its secret maps (`spread`) in any of `inputs`.
 */
export function secretWireKeys(kind: Pick<EntityKind, "params">, ...inputs: Inputs[]): Set<string> {
  const keys = new Set(kind.params.filter((p) => p.secret && !p.spread).map((p) => p.wire));
  for (const p of kind.params) if (p.secret && p.spread) for (const i of inputs) for (const [key] of members(i[p.input])) keys.add(key);
  return keys;
}
