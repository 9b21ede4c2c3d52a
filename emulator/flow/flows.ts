/**
 * Flows (`/flows`, dataflows): a source connection, a target connection, a flow spec, its Mapping
 * transformation and its schedule, declared as data for the one engine (collection.ts): the body's rules, what
 * a PATCH may change, the render. Besides the declaration: the enable/disable action and drift, both stored
 * through the engine's one write path.
 */
import { isSchemaOf } from "../catalog/datasets";
import { flowError } from "../errors";
import { hasVersion } from "../dataprep/mapping-sets";
import type { Params, Scope, StoredFlow, Transformation } from "../types";
import { isObject } from "../util";
import { entityTable, inScope, type Collection, type CollectionDeclaration, type Domain, type Fields } from "./collection";
import { listRules } from "./listing";
import { actorOf, applyOp, checkDescription, checkIfMatch, checkName, parseOps, renderMeta, type Actor } from "./entities";
import { scheduleCheck, transformationCheck, type FlowSpec } from "./flow-specs";
import type { Caller } from "./model";
import { compileSchema } from "./validation";

/**
 * The body's shape. [choice] A flow has exactly one source and one target connection (every flow Adobe's
 * tutorials make does). Top-level keys the emulator does not model are accepted and not stored (Adobe's spec
 * forbids none).
 */
const checkBody = compileSchema({
  type: "object",
  required: ["name", "flowSpec", "sourceConnectionIds", "targetConnectionIds"],
  properties: {
    name: { type: "string" },
    description: { type: "string" },
    flowSpec: {
      type: "object",
      required: ["id", "version"],
      additionalProperties: false,
      properties: { id: { type: "string" }, version: { type: "string" } },
    },
    sourceConnectionIds: { type: "array", minItems: 1, maxItems: 1, items: { type: "string", minLength: 1 } },
    targetConnectionIds: { type: "array", minItems: 1, maxItems: 1, items: { type: "string", minLength: 1 } },
    transformations: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "params"],
        additionalProperties: false,
        properties: { name: { type: "string" }, params: { type: "object" } },
      },
    },
    scheduleParams: { type: "object" },
  },
});

type FlowFields = Pick<StoredFlow, "name" | "description" | "flowSpec" | "sourceConnectionIds" | "targetConnectionIds" | "transformations" | "scheduleParams">;

/** Filters of `GET /flows`; on an array field a filter matches when any element equals. */
const FLOW_LIST_RULES = listRules(["id", "name", "description", "flowSpec.id", "state", "sourceConnectionIds", "targetConnectionIds"]);

/** What drift may change behind the client's back. */
export interface FlowChanges {
  name?: string;
  description?: string;
  state?: "enabled" | "disabled";
  scheduleParams?: Params;
}

/** Numbers may arrive as decimal strings (Adobe's examples send `"startTime": "1597784298"`): read them as numbers. */
function numeric(value: unknown): unknown {
  return typeof value === "string" && /^\d{1,15}$/.test(value) ? Number(value) : value;
}

/** scheduleParams with startTime and interval as numbers, and [choice] backfill "true"/"false" as booleans. */
function normalizeSchedule(params: Params): Params {
  const out: Params = { ...params };
  for (const key of ["startTime", "interval"]) if (key in out) out[key] = numeric(out[key]);
  if (out.backfill === "true" || out.backfill === "false") out.backfill = out.backfill === "true";
  return out;
}

/**
 * The flows' declaration. `POST`: every rule of `validate`; a new flow is enabled. `PATCH`: `/name`,
 * `/description`, `/scheduleParams[/<field>]`, `/transformations[/<n>…]`; the result is validated exactly like a
 * POST, and [Adobe] startTime cannot change once it has passed. `DELETE`: nothing uses a flow.
 */
export const FLOWS: CollectionDeclaration<StoredFlow> = {
  path: "/flows",
  what: "Flow",
  table: entityTable("flows"),
  list: FLOW_LIST_RULES,

  create: (body, scope, domain) => ({ ...validate(body, scope, domain), state: "enabled" }),

  patch: (current, raw, scope, domain) => {
    const doc: Params = structuredClone({ name: current.name, description: current.description, transformations: current.transformations });
    if (current.scheduleParams) doc.scheduleParams = structuredClone(current.scheduleParams);
    for (const op of parseOps(raw)) {
      const head = op.segments[0];
      if (head === "flowSpec" || head === "sourceConnectionIds" || head === "targetConnectionIds") {
        throw flowError("1100-400", `${op.path}: ${head} of a flow cannot be changed; create a new flow`);
      }
      if (head === "state") throw flowError("1100-400", `${op.path}: a flow's state changes through POST /flows/{id}/action?op=enable or op=disable`);
      const single = head === "name" || head === "description";
      if (!(single || head === "scheduleParams" || head === "transformations") || (single && op.segments.length > 1)) {
        throw flowError("1455-400", `${op.path}: path not found or not patchable (allowed: /name, /description, /scheduleParams, /scheduleParams/<field>, /transformations, /transformations/<n>)`);
      }
      applyOp(doc, op);
    }
    const fields = validate(
      { ...doc, flowSpec: current.flowSpec, sourceConnectionIds: current.sourceConnectionIds, targetConnectionIds: current.targetConnectionIds },
      scope,
      domain,
    );
    checkStartTime(current, fields.scheduleParams, domain);
    return fields;
  },

  checkUnused: () => undefined,

  render: (f, domain) => renderFlow(f, domain),
};

/**
 * `POST /flows/{id}/action?op=enable|disable` → the flow with its new state and a new etag. If-Match is
 * optional (Adobe's spec) and honoured when sent. [choice] `op` is compared without case (the spec lists
 * ENABLE and DISABLE, the tutorials send lower case); every action is a write, so it renews the etag.
 */
export async function flowAction(flows: Collection<StoredFlow>, id: string, caller: Caller, ifMatch: string | undefined, op: string | null): Promise<StoredFlow> {
  const current = flows.get(id, caller);
  checkIfMatch(ifMatch, current.etag, "flow");
  const state = { enable: "enabled", disable: "disabled" }[(op ?? "").toLowerCase()] as StoredFlow["state"] | undefined;
  if (!state) throw flowError("1400-400", `op: '${op ?? ""}' is not a flow action (use op=enable or op=disable)`);
  return flows.write(current, { state }, actorOf(caller));
}

/**
 * A change behind the client's back: a new state, schedule, name or description, each checked by the rule a
 * client's write meets (the schedule against the flow spec), stored through the one write path.
 */
export async function driftFlow(flows: Collection<StoredFlow>, specs: Domain["specs"], current: StoredFlow, changes: FlowChanges, actor: Actor): Promise<StoredFlow> {
  const next: Partial<Fields<StoredFlow>> = {};
  if (changes.name !== undefined) next.name = checkName(changes.name);
  if (changes.description !== undefined) next.description = checkDescription(changes.description);
  if (changes.state !== undefined) {
    if (changes.state !== "enabled" && changes.state !== "disabled") throw flowError("1100-400", `state: must be "enabled" or "disabled"`);
    next.state = changes.state;
  }
  if (changes.scheduleParams !== undefined) {
    const spec = specs.flowSpec(current.flowSpec.id);
    if (!spec) throw flowError("1100-400", `flowSpec.id: flow spec '${current.flowSpec.id}' not found`);
    next.scheduleParams = checkSchedule(spec, changes.scheduleParams);
  }
  return flows.write(current, next, actor);
}

/** Each source (or target) connection a flow names: in the sandbox, of a connection spec the flow spec takes. */
function checkConnections(kind: "sourceConnections" | "targetConnections", ids: string[], spec: FlowSpec, scope: Scope, domain: Domain): void {
  const [field, what, allowed] =
    kind === "sourceConnections" ? ["sourceConnectionIds", "source connection", spec.sourceConnectionSpecIds] : ["targetConnectionIds", "target connection", spec.targetConnectionSpecIds];
  ids.forEach((id, i) => {
    const e = domain.store.entity(kind, id);
    if (!inScope(e, scope)) throw flowError("1100-400", `${field}[${i}]: ${what} '${id}' not found in sandbox '${scope.sandboxName}'`);
    if (!allowed.includes(e.connectionSpec.id)) {
      throw flowError("1100-400", `${field}[${i}]: ${what} '${id}' is of connection spec '${e.connectionSpec.id}', which flow spec '${spec.name}' does not take`);
    }
  });
}

/** [Adobe] Once the current startTime has passed, a PATCH may not change it. */
function checkStartTime(current: StoredFlow, schedule: Params | undefined, domain: Domain): void {
  const before = current.scheduleParams?.startTime;
  if (typeof before !== "number" || before * 1000 > domain.clock()) return;
  if (schedule?.startTime !== before) {
    throw flowError("1100-400", `scheduleParams.startTime: cannot be changed once the flow's start time (${before}, epoch seconds) has passed`);
  }
}

/**
 * Every rule of a flow body, in a fixed order: shape, name, flow spec, each source and target connection
 * (in the sandbox, of a connection spec the flow spec takes), the transformations (each of the spec's,
 * its params against the spec's schema, the mapping set and version in Data Prep), the schedule.
 */
function validate(body: unknown, scope: Scope, domain: Domain): FlowFields {
  if (!isObject(body)) throw flowError("1405-400", "Request body must be a JSON object");
  const problem = checkBody(body);
  if (problem) throw flowError("1100-400", problem);
  const name = checkName(body.name);
  const flowSpec = body.flowSpec as { id: string; version: string };
  const spec = domain.specs.flowSpec(flowSpec.id);
  if (!spec) throw flowError("1100-400", `flowSpec.id: flow spec '${flowSpec.id}' not found`);
  if (flowSpec.version !== spec.version) {
    throw flowError("1100-400", `flowSpec.version: version '${flowSpec.version}' of flow spec '${spec.name}' not found (use "${spec.version}")`);
  }
  const sources = body.sourceConnectionIds as string[];
  checkConnections("sourceConnections", sources, spec, scope, domain);
  const targets = body.targetConnectionIds as string[];
  checkConnections("targetConnections", targets, spec, scope, domain);
  const transformations = checkTransformations(spec, domain.specs.requiredTransformations(spec), (body.transformations ?? []) as Transformation[], scope, domain);
  checkDatasetSchema(targets[0], transformations, scope, domain);
  const fields: FlowFields = {
    name,
    description: checkDescription(body.description),
    flowSpec: { id: spec.id, version: spec.version },
    sourceConnectionIds: [...sources],
    targetConnectionIds: [...targets],
    transformations,
  };
  if (!spec.scheduleSpec) {
    // Adobe's streaming tutorials send `"scheduleParams": {}` to a flow spec without a schedule, and the
    // spec forbids it nowhere: [choice] an object is accepted and stored as sent, never interpreted.
    if (body.scheduleParams !== undefined) {
      if (!isObject(body.scheduleParams)) throw flowError("1100-400", "scheduleParams: must be object");
      fields.scheduleParams = structuredClone(body.scheduleParams);
    }
  } else {
    if (body.scheduleParams === undefined) {
      throw flowError("1100-400", `scheduleParams: missing required property 'scheduleParams' (flow spec '${spec.name}' runs on a schedule)`);
    }
    fields.scheduleParams = checkSchedule(spec, body.scheduleParams as Params);
  }
  return fields;
}

function checkSchedule(spec: FlowSpec, params: Params): Params {
  const check = scheduleCheck(spec);
  if (!check) throw flowError("1100-400", `scheduleParams: flow spec '${spec.name}' has no schedule`);
  if (!isObject(params)) throw flowError("1100-400", "scheduleParams: must be object");
  const normalized = normalizeSchedule(params);
  // The schema says this with `not`, whose error names no property.
  if (normalized.frequency === "once") {
    for (const key of ["interval", "backfill"]) {
      if (key in normalized) throw flowError("1100-400", `scheduleParams.${key}: not allowed when frequency is "once"`);
    }
  }
  // A flow spec whose schedule takes no backfill (a catalog spec's) has no such property to refuse it by.
  const properties = (spec.scheduleSpec?.spec.properties ?? {}) as Record<string, unknown>;
  if ("backfill" in normalized && !("backfill" in properties)) throw flowError("1100-400", `scheduleParams.backfill: flow spec '${spec.name}' takes no backfill`);
  const problem = check(normalized, "scheduleParams");
  if (problem) throw flowError("1100-400", problem);
  return normalized;
}

function checkTransformations(spec: FlowSpec, required: readonly string[], list: Transformation[], scope: Scope, domain: Domain): Transformation[] {
  const seen = new Set<string>();
  list.forEach((t, i) => {
    const check = transformationCheck(spec, t.name);
    if (!check) {
      const names = spec.transformationSpecs.map((s) => `'${s.name}'`).join(", ");
      throw flowError("1100-400", `transformations[${i}].name: '${t.name}' is not a transformation of flow spec '${spec.name}' (expected ${names || "none"})`);
    }
    // [choice] One transformation of each kind.
    if (seen.has(t.name)) throw flowError("1100-400", `transformations[${i}].name: a second '${t.name}' transformation; send one`);
    seen.add(t.name);
    const params: Params = { ...t.params };
    if ("mappingVersion" in params) params.mappingVersion = numeric(params.mappingVersion);
    const problem = check(params, `transformations[${i}].params`);
    if (problem) throw flowError("1100-400", problem);
    if (t.name === "Mapping") checkMapping(params, i, scope, domain);
  });
  for (const name of required) {
    if (!seen.has(name)) throw flowError("1100-400", `transformations: flow spec '${spec.name}' requires a '${name}' transformation`);
  }
  return structuredClone(list);
}

/**
 * The mapping set exists in the same org and sandbox (Data Prep's store), and so does its version: any version
 * Data Prep stored, including one the emulator no longer keeps (dataprep/retention.ts), as Adobe keeps them all.
 */
function checkMapping(params: Params, i: number, scope: Scope, domain: Domain): void {
  const id = params.mappingId as string;
  const set = domain.store.entity("mappingSets", id);
  if (!inScope(set, scope)) throw flowError("1100-400", `transformations[${i}].params.mappingId: mapping set '${id}' not found in sandbox '${scope.sandboxName}'`);
  const version = params.mappingVersion;
  if (version !== undefined && !hasVersion(set, version)) {
    const latest = set.versions[set.versions.length - 1].version;
    throw flowError("1100-400", `transformations[${i}].params.mappingVersion: mapping set '${id}' has no version ${String(version)} (latest: ${latest})`);
  }
}

/**
 * The target's dataset still exists, and [Adobe] each mapping set version writes with its schema: Flow Service's
 * error catalog has `1425-400` "Error while matching schema in target dataset … with schema in mapping …. Schema
 * with same id and version must be used in both mapping and target dataset." [choice] A dataset removed behind
 * the target connection's back (the admin API) is a `1100-400` naming the target connection.
 */
function checkDatasetSchema(targetId: string, transformations: Transformation[], scope: Scope, domain: Domain): void {
  const target = domain.store.entity("targetConnections", targetId);
  const dataSetId = String(target?.params.dataSetId);
  const dataset = domain.datasets.find(dataSetId, scope);
  if (!dataset) throw flowError("1100-400", `targetConnectionIds[0]: the dataset '${dataSetId}' of target connection '${targetId}' no longer exists in sandbox '${scope.sandboxName}'`);
  transformations.forEach((t, i) => {
    if (t.name !== "Mapping") return;
    const set = domain.store.entity("mappingSets", t.params.mappingId as string);
    const wanted = numeric(t.params.mappingVersion);
    const version = set?.versions.find((v) => v.version === wanted) ?? set?.versions[set.versions.length - 1];
    const ref = (version?.outputSchema.schemaRef ?? {}) as { id?: string; contentType?: string };
    if (set && !isSchemaOf({ id: String(ref.id), contentType: ref.contentType }, dataset)) {
      throw flowError(
        "1425-400",
        `transformations[${i}].params.mappingId: Error while matching schema in target dataset ${dataset.id} ('${dataset.schemaRef.id}') with schema in mapping ${set.id} ('${String(ref.id)}'). ` +
          "Schema with same id and version must be used in both mapping and target dataset.",
      );
    }
  });
}

/** The item of `GET /flows/{id}`: inherited attributes from the connections as they are now. */
export function renderFlow(f: StoredFlow, domain: Pick<Domain, "store">): Record<string, unknown> {
  const sourceConnections = f.sourceConnectionIds.map((id) => {
    const s = domain.store.entity("sourceConnections", id);
    if (!s) return { id };
    const base = domain.store.get(s.baseConnectionId);
    const baseConnection: Record<string, unknown> = { id: s.baseConnectionId };
    if (base) baseConnection.connectionSpec = { ...base.connectionSpec };
    return { id, connectionSpec: { ...s.connectionSpec }, baseConnection };
  });
  const targetConnections = f.targetConnectionIds.map((id) => {
    const t = domain.store.entity("targetConnections", id);
    return t ? { id, connectionSpec: { ...t.connectionSpec } } : { id };
  });
  const item: Record<string, unknown> = {
    id: f.id,
    name: f.name,
    description: f.description,
    flowSpec: { ...f.flowSpec },
    state: f.state,
    sourceConnectionIds: [...f.sourceConnectionIds],
    targetConnectionIds: [...f.targetConnectionIds],
    inheritedAttributes: { sourceConnections, targetConnections },
    transformations: structuredClone(f.transformations),
  };
  // As Adobe renders them (its update-dataflows tutorial): numbers and booleans as strings, `"backfill": "true"`.
  if (f.scheduleParams) {
    item.scheduleParams = Object.fromEntries(
      Object.entries(f.scheduleParams).map(([k, v]) => [k, typeof v === "number" || typeof v === "boolean" ? String(v) : v]),
    );
  }
  return { ...item, ...renderMeta(f) };
}
