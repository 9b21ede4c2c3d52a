/**
 * What a sandbox's entities become in a program: one declaration per entity, of a typed kind where one
 * fits and of the generic `Connection` otherwise, its arguments the provider's own read of the entity
 * (read-inputs.ts), with references to other entities as `Ref`s and secrets Flow Service never returns
 * as `SecretInput`s. An entity no kind can declare is `Skipped`, with the reason.
 */
import type { ConnectionItem, MappingSetItem } from "../client/types";
import { authSpecOf, connectionSpecById } from "../catalog/index";
import { connectionKind } from "../resources/connection";
import { dataflowKind } from "../resources/dataflow";
import type { EntityKind, Inputs, PipelineKind } from "../resources/declaration";
import { mappingSetKind } from "../resources/mapping-set";
import { KINDS } from "../resources/registry";
import { sourceConnectionKind } from "../resources/source-connection";
import { DATA_LAKE_SPEC_ID, targetConnectionKind } from "../resources/target-connection";
import { MASKED, baseConnectionInputs, pipelineInputs } from "./read-inputs";
import type { EntityItem, FlowSpecSummary, SandboxSnapshot } from "./sandbox-reader";

/** The collections export reads, as their listing paths name them. */
export type Collection = "connections" | "sourceConnections" | "targetConnections" | "mappingSets" | "flows";

/** How an entity is named in messages. */
export const NOUNS: Record<Collection, string> = {
  connections: "base connection",
  sourceConnections: "source connection",
  targetConnections: "target connection",
  mappingSets: "mapping set",
  flows: "dataflow",
};

export const PLURAL_NOUNS: Record<Collection, string> = {
  connections: "base connections",
  sourceConnections: "source connections",
  targetConnections: "target connections",
  mappingSets: "mapping sets",
  flows: "dataflows",
};

/** The one word a colliding resource name is told apart by. */
const KIND_WORDS: Record<Collection, string> = { connections: "connection", sourceConnections: "source", targetConnections: "target", mappingSets: "mapping", flows: "flow" };

export const entityKey = (collection: Collection, id: string): string => `${collection}/${id}`;

/**
 * Another entity's output: `<its variable>.<output>` when that entity is in the export, else `fallback`
 * (the value as this entity holds it: an id, a spec id, a version) with a comment saying why.
 */
export class Ref {
  constructor(
    readonly key: string,
    readonly output: "id" | "connectionSpecId" | "version",
    readonly fallback: unknown,
  ) {}
}

/**
 * A dataflow's mapping version that is not its mapping set's latest: adopted, the dataflow keeps the
 * version it uses; a copy on another stack follows its own mapping set's (`mapping.version`).
 */
export class PinnedVersion {
  constructor(
    readonly mapping: Ref,
    readonly version: number,
    readonly latest: number,
  ) {}
}

/** A secret Flow Service never returns: `config.requireSecret("<variable><Label>")` in the program. */
export class SecretInput {
  constructor(
    /** The property or param it is (`secretKey`, `connectionString`): the config key's last part. */
    readonly label: string,
  ) {}
}

/** A plain value with a comment after it (a spec id's name). */
export class Commented {
  constructor(
    readonly value: unknown,
    readonly comment: string,
  ) {}
}

export interface Declaration {
  key: string;
  collection: Collection;
  id: string;
  /** The entity's own name (Data Prep's mapping sets may have none). */
  name: string | undefined;
  /** The resource class: `S3Connection`, `Connection`, `Dataflow`… */
  typeName: string;
  kindWord: string;
  /** In order; values are JSON, `Ref`, `PinnedVersion`, `SecretInput` or `Commented`, nested at any depth. */
  args: Array<[string, unknown]>;
  /** Keys of the entities it uses (found or not). */
  uses: string[];
  /** A base connection's connection spec id (what `--spec` selects by). */
  connectionSpecId?: string;
  /** Why a typed kind did not fit, for a generic `Connection`. */
  note?: string;
}

export interface Skipped {
  key: string;
  collection: Collection;
  id: string;
  name: string | undefined;
  reason: string;
}

export interface SandboxPlan {
  sandbox: string;
  declarations: Declaration[];
  skipped: Skipped[];
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isSet = (v: unknown): boolean => v !== undefined && v !== null;
const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Every entity of the snapshot, declared or skipped. */
export function planSandbox(snapshot: SandboxSnapshot): SandboxPlan {
  const declarations: Declaration[] = [];
  const skipped: Skipped[] = [];
  const add = (result: Declaration | Skipped): void => void ("reason" in result ? skipped.push(result) : declarations.push(result));
  for (const item of snapshot.connections) add(baseConnection(item, snapshot.sandbox));
  for (const item of snapshot.sourceConnections) add(sourceConnection(item, snapshot.sandbox));
  for (const item of snapshot.targetConnections) add(targetConnection(item, snapshot.sandbox));
  for (const item of snapshot.mappingSets) add(mappingSet(item, snapshot.sandbox));
  const latest = new Map(snapshot.mappingSets.map((m) => [m.id, m.version]));
  for (const item of snapshot.flows) add(dataflow(item, snapshot.sandbox, snapshot.flowSpecs, latest));
  return { sandbox: snapshot.sandbox, declarations, skipped };
}

function declaration(collection: Collection, item: { id: string; name?: unknown }, typeName: string, args: Array<[string, unknown]>, uses: string[] = []): Declaration {
  const name = typeof item.name === "string" && item.name !== "" ? item.name : undefined;
  return { key: entityKey(collection, item.id), collection, id: item.id, name, typeName, kindWord: KIND_WORDS[collection], args, uses };
}

function skip(collection: Collection, item: { id: string; name?: unknown }, reason: string): Skipped {
  const name = typeof item.name === "string" && item.name !== "" ? item.name : undefined;
  return { key: entityKey(collection, item.id), collection, id: item.id, name, reason };
}

/** Name and description first, then the kind's properties in declaration order. */
function orderedArgs(inputs: Inputs, order: readonly string[]): Array<[string, unknown]> {
  const keys = [...new Set(["name", "description", ...order])];
  const out: Array<[string, unknown]> = [];
  for (const key of keys) if (isSet(inputs[key])) out.push([key, inputs[key]]);
  for (const [key, v] of Object.entries(inputs)) if (!keys.includes(key) && isSet(v)) out.push([key, v]);
  return out;
}

// ---- base connections ------------------------------------------------------------------------

/** The params of a base connection as its listing holds them (all five typed kinds and the generic one keep them in `auth.params`). */
function authParams(item: ConnectionItem): Record<string, unknown> {
  return isMap(item.auth?.params) ? item.auth.params : {};
}

/**
 * The wire names of the params a connection's secrets are: those Flow Service masks, those the catalog's
 * auth spec marks secret and the connection holds, and those it marks secret and required (never shown,
 * yet the connection cannot be without them).
 */
function secretWires(item: ConnectionItem): Set<string> {
  const params = authParams(item);
  const wires = new Set(Object.keys(params).filter((k) => params[k] === MASKED));
  const entry = connectionSpecById(item.connectionSpec.id);
  const auth = entry && item.auth?.specName ? authSpecOf(entry, item.auth.specName) : undefined;
  for (const p of auth?.params ?? []) if (p.secret && (p.required || p.name in params)) wires.add(p.name);
  return wires;
}

function baseConnection(item: ConnectionItem, sandbox: string): Declaration | Skipped {
  const typed = KINDS.find((k) => k.connectionSpecId !== "" && k.connectionSpecId === item.connectionSpec.id);
  const connectionSpecId = item.connectionSpec.id;
  let note: string | undefined;
  if (typed) {
    const fit = typedConnection(typed, item, sandbox);
    if (!("misfit" in fit)) return { ...fit, connectionSpecId };
    note = `not declared as ${typed.typeName}: ${fit.misfit}`;
  }
  const generic = genericConnection(item, sandbox);
  if ("reason" in generic) return note ? { ...generic, reason: `${generic.reason}; ${note}` } : generic;
  return { ...generic, connectionSpecId, ...(note ? { note } : {}) };
}

/** The typed kind's declaration, or why it does not fit the connection (then the generic `Connection` declares it). */
function typedConnection(kind: EntityKind, item: ConnectionItem, sandbox: string): Declaration | { misfit: string } {
  const params = authParams(item);
  const inputs = baseConnectionInputs(kind, item, sandbox);
  const known = new Set([...kind.params.map((p) => p.wire), ...Object.values(kind.serverOutputs ?? {}), ...Object.keys(kind.extraWireParams?.({ name: item.name }) ?? {})]);
  const unknown = Object.keys(params).filter((k) => !known.has(k));
  if (unknown.length > 0) return { misfit: `it holds ${unknown.map((k) => `auth.params.${k}`).join(", ")}, which ${kind.typeName} does not declare` };
  const secrets = secretWires(item);
  for (const p of kind.params) {
    if (p.secret) {
      if (p.required || secrets.has(p.wire) || p.wire in params) inputs[p.input] = new SecretInput(p.input);
    } else if (secrets.has(p.wire)) {
      return { misfit: `its auth param ${p.wire} is a secret, which ${kind.typeName} declares as plain ${p.input}` };
    } else if (isSet(inputs[p.input])) {
      // The typed kinds' rules are stricter than the specs' in places (an S3 bucket that is an IP address).
      const problem = p.validate(inputs[p.input]);
      if (problem) return { misfit: `its ${p.input} ${problem}` };
    }
  }
  for (const wire of secrets) if (!kind.params.some((p) => p.wire === wire)) return { misfit: `its secret auth param ${wire} is not a property of ${kind.typeName}` };
  if (kind.authSpecName) {
    const expected = kind.authSpecName(inputs);
    if (item.auth?.specName !== expected) return { misfit: `its auth spec is ${JSON.stringify(item.auth?.specName ?? null)}, where ${kind.typeName} sends ${JSON.stringify(expected)}` };
  } else if (item.auth?.specName) {
    return { misfit: `it has an auth spec (${JSON.stringify(item.auth.specName)}), which ${kind.typeName} sends none of` };
  }
  return declaration("connections", item, kind.typeName, orderedArgs(inputs, kind.params.map((p) => p.input)));
}

function genericConnection(item: ConnectionItem, sandbox: string): Declaration | Skipped {
  const authSpecName = item.auth?.specName;
  if (typeof authSpecName !== "string" || authSpecName === "") return skip("connections", item, `it has no auth spec name, which the generic Connection needs (connection spec ${item.connectionSpec.id})`);
  const inputs = baseConnectionInputs(connectionKind, item, sandbox);
  const secrets = secretWires(item);
  const params = Object.entries(isMap(inputs.params) ? inputs.params : {}).filter(([k]) => !secrets.has(k));
  const entry = connectionSpecById(item.connectionSpec.id);
  const args: Array<[string, unknown]> = [];
  if (isSet(inputs.name)) args.push(["name", inputs.name]);
  if (isSet(inputs.description)) args.push(["description", inputs.description]);
  args.push(["connectionSpecId", entry ? new Commented(item.connectionSpec.id, entry.title) : item.connectionSpec.id]);
  args.push(["authSpecName", authSpecName]);
  if (params.length > 0) args.push(["params", Object.fromEntries(params)]);
  if (secrets.size > 0) args.push(["secretParams", Object.fromEntries([...secrets].sort().map((k) => [k, new SecretInput(k)]))]);
  return declaration("connections", item, "Connection", args);
}

// ---- pipeline entities -----------------------------------------------------------------------

/** Inputs equal to their property's default are left out: `check` fills them in again. */
function withoutDefaults(kind: PipelineKind, inputs: Inputs): Inputs {
  const out = { ...inputs };
  for (const p of kind.params) if (p.default !== undefined && sameJson(out[p.input], p.default)) delete out[p.input];
  return out;
}

function pipelineArgs(kind: PipelineKind, inputs: Inputs): Array<[string, unknown]> {
  return orderedArgs(withoutDefaults(kind, inputs), kind.params.map((p) => p.input));
}

function sourceConnection(item: EntityItem, sandbox: string): Declaration | Skipped {
  const inputs = pipelineInputs(sourceConnectionKind, item, sandbox);
  const baseId = inputs.baseConnectionId;
  if (typeof baseId !== "string") return skip("sourceConnections", item, "it names no base connection, which a SourceConnection needs");
  const base = entityKey("connections", baseId);
  inputs.baseConnectionId = new Ref(base, "id", baseId);
  inputs.connectionSpecId = new Ref(base, "connectionSpecId", inputs.connectionSpecId);
  return declaration("sourceConnections", item, sourceConnectionKind.typeName, pipelineArgs(sourceConnectionKind, inputs), [base]);
}

function targetConnection(item: EntityItem, sandbox: string): Declaration | Skipped {
  const spec = isMap(item.connectionSpec) ? item.connectionSpec.id : undefined;
  if (spec !== DATA_LAKE_SPEC_ID) return skip("targetConnections", item, `its connection spec is ${JSON.stringify(spec)}, not the Data Lake's (${DATA_LAKE_SPEC_ID}): a TargetConnection writes a dataset`);
  const inputs = pipelineInputs(targetConnectionKind, item, sandbox);
  const baseId = inputs.baseConnectionId;
  if (typeof baseId !== "string") return skip("targetConnections", item, "it names no base connection, which a TargetConnection needs (a DatasetBaseConnection's id)");
  const base = entityKey("connections", baseId);
  inputs.baseConnectionId = new Ref(base, "id", baseId);
  return declaration("targetConnections", item, targetConnectionKind.typeName, pipelineArgs(targetConnectionKind, inputs), [base]);
}

function mappingSet(item: MappingSetItem, sandbox: string): Declaration {
  const inputs = pipelineInputs(mappingSetKind, item as unknown as Record<string, unknown>, sandbox);
  return declaration("mappingSets", item, mappingSetKind.typeName, pipelineArgs(mappingSetKind, inputs));
}

function dataflow(item: EntityItem, sandbox: string, flowSpecs: readonly FlowSpecSummary[], latest: ReadonlyMap<string, number>): Declaration | Skipped {
  const inputs = pipelineInputs(dataflowKind, item, sandbox);
  const uses: string[] = [];
  for (const [property, collection] of [
    ["sourceConnectionId", "sourceConnections"],
    ["targetConnectionId", "targetConnections"],
  ] as const) {
    const id = inputs[property];
    if (typeof id !== "string") return skip("flows", item, `it names no ${NOUNS[collection]} (${property}), which a Dataflow needs`);
    uses.push(entityKey(collection, id));
    inputs[property] = new Ref(entityKey(collection, id), "id", id);
  }
  if (typeof inputs.mappingId === "string") {
    const mapping = entityKey("mappingSets", inputs.mappingId);
    uses.push(mapping);
    // The dataflow follows the mapping set's versions, as a program that declares both does; one that uses
    // an older version keeps it where it is adopted (moving it would change what it ingests).
    const version = new Ref(mapping, "version", inputs.mappingVersion);
    const current = latest.get(inputs.mappingId);
    const pinned = typeof inputs.mappingVersion === "number" && current !== undefined && inputs.mappingVersion !== current;
    inputs.mappingVersion = pinned ? new PinnedVersion(version, inputs.mappingVersion as number, current) : version;
    inputs.mappingId = new Ref(mapping, "id", inputs.mappingId);
  }
  // By name where the listing names it once: what a person reads, and what Dataflow checks at preview.
  const spec = typeof inputs.flowSpecId === "string" ? flowSpecs.filter((s) => s.id === inputs.flowSpecId) : [];
  if (spec.length === 1 && flowSpecs.filter((s) => s.name === spec[0].name).length === 1) {
    delete inputs.flowSpecId;
    inputs.flowSpecName = spec[0].name;
  }
  if (item.state === "disabled") inputs.enabled = false;
  const order = ["flowSpecName", ...dataflowKind.params.map((p) => p.input)];
  return declaration("flows", item, dataflowKind.typeName, orderedArgs(withoutDefaults(dataflowKind, inputs), order), uses);
}
