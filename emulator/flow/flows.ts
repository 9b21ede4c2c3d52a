/**
 * Flows (`/flows`, dataflows): a source connection, a target connection, a flow spec, its Mapping
 * transformation and its schedule. The one owner of their create, read, list, patch, actions, delete and
 * drift: `write` is the one write path. Every check-then-write runs without an `await` in between.
 */
import { isSchemaOf, type Datasets } from "../catalog/datasets";
import { flowError } from "../errors";
import { hasVersion } from "../dataprep/mapping-sets";
import type { ConnectionStore } from "../store/store";
import type { Clock, Params, StoredFlow, Transformation } from "../types";
import { isObject } from "../util";
import { Collection } from "./collection";
import { listRules } from "./listing";
import { actorOf, applyOp, checkDescription, checkIfMatch, checkName, newMeta, parseJsonBody, readPatch, renderMeta, touched, type Actor } from "./entities";
import { findFlowSpec, scheduleCheck, transformationCheck, type FlowSpec } from "./flow-specs";
import type { Caller } from "./model";
import { compileSchema } from "./validation";

/** The org and sandbox a flow and everything it names live in. */
interface Scope {
  orgId: string;
  sandbox: string;
}

const scopeOf = (caller: Caller): Scope => ({ orgId: caller.client.orgId, sandbox: caller.sandbox });
const inScope = <T extends { imsOrgId: string; sandboxName: string }>(e: T | undefined, s: Scope): e is T =>
  e !== undefined && e.imsOrgId === s.orgId && e.sandboxName === s.sandbox;

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

export class Flows extends Collection<"flows"> {
  constructor(
    store: ConnectionStore,
    clock: Clock,
    private readonly datasets: Datasets,
  ) {
    super(store, clock, "flows", "Flow", FLOW_LIST_RULES);
  }

  /** `POST /flows`: every rule of `validate`; a new flow is enabled. */
  async create(raw: unknown, caller: Caller): Promise<StoredFlow> {
    const fields = this.validate(parseJsonBody(raw), scopeOf(caller));
    const flow: StoredFlow = { ...newMeta(caller, this.store.nextSeq(), this.clock()), ...fields, state: "enabled" };
    await this.put(flow);
    return flow;
  }

  /**
   * `PATCH /flows/{id}`: `/name`, `/description`, `/scheduleParams[/<field>]`, `/transformations[/<n>…]`; the
   * result is validated exactly like a POST, and [Adobe] startTime cannot change once it has passed.
   */
  async patch(id: string, caller: Caller, ifMatch: string | undefined, raw: unknown): Promise<StoredFlow> {
    const current = this.get(id, caller);
    const ops = readPatch(current.etag, ifMatch, raw, "flow");
    const doc: Params = structuredClone({ name: current.name, description: current.description, transformations: current.transformations });
    if (current.scheduleParams) doc.scheduleParams = structuredClone(current.scheduleParams);
    for (const op of ops) {
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
    const fields = this.validate(
      { ...doc, flowSpec: current.flowSpec, sourceConnectionIds: current.sourceConnectionIds, targetConnectionIds: current.targetConnectionIds },
      scopeOf(caller),
    );
    this.checkStartTime(current, fields.scheduleParams);
    return this.write(current, fields, actorOf(caller));
  }

  /**
   * `POST /flows/{id}/action?op=enable|disable` → the flow with its new state and a new etag. If-Match is
   * optional (Adobe's spec) and honoured when sent. [choice] `op` is compared without case (the spec lists
   * ENABLE and DISABLE, the tutorials send lower case); every action is a write, so it renews the etag.
   */
  async action(id: string, caller: Caller, ifMatch: string | undefined, op: string | null): Promise<StoredFlow> {
    const current = this.get(id, caller);
    checkIfMatch(ifMatch, current.etag, "flow");
    const state = { enable: "enabled", disable: "disabled" }[(op ?? "").toLowerCase()] as StoredFlow["state"] | undefined;
    if (!state) throw flowError("1400-400", `op: '${op ?? ""}' is not a flow action (use op=enable or op=disable)`);
    return this.write(current, { state }, actorOf(caller));
  }

  /** `DELETE /flows/{id}`: If-Match honoured when sent. */
  async delete(id: string, caller: Caller, ifMatch: string | undefined): Promise<void> {
    const current = this.get(id, caller);
    checkIfMatch(ifMatch, current.etag, "flow");
    await this.store.deleteEntity("flows", id);
  }

  /**
   * A change behind the client's back: a new state, schedule, name or description, each checked by the rule a
   * client's write meets (the schedule against the flow spec), stored through the one write path.
   */
  async drift(current: StoredFlow, changes: FlowChanges, actor: Actor): Promise<StoredFlow> {
    const next: Partial<StoredFlow> = {};
    if (changes.name !== undefined) next.name = checkName(changes.name);
    if (changes.description !== undefined) next.description = checkDescription(changes.description);
    if (changes.state !== undefined) {
      if (changes.state !== "enabled" && changes.state !== "disabled") throw flowError("1100-400", `state: must be "enabled" or "disabled"`);
      next.state = changes.state;
    }
    if (changes.scheduleParams !== undefined) {
      const spec = findFlowSpec(current.flowSpec.id);
      if (!spec) throw flowError("1100-400", `flowSpec.id: flow spec '${current.flowSpec.id}' not found`);
      next.scheduleParams = this.checkSchedule(spec, changes.scheduleParams);
    }
    return this.write(current, next, actor);
  }

  /** The one write path: the new fields, a new etag and `updatedAt`. */
  private async write(current: StoredFlow, fields: Partial<StoredFlow>, actor: Actor): Promise<StoredFlow> {
    const next: StoredFlow = { ...current, ...fields, ...touched(current, actor, this.clock()) };
    if (fields.scheduleParams === undefined && "scheduleParams" in fields) delete next.scheduleParams;
    await this.put(next);
    return next;
  }

  /** Each source (or target) connection a flow names: in the sandbox, of a connection spec the flow spec takes. */
  private checkConnections(kind: "sourceConnections" | "targetConnections", ids: string[], spec: FlowSpec, scope: Scope): void {
    const [field, what, allowed] =
      kind === "sourceConnections" ? ["sourceConnectionIds", "source connection", spec.sourceConnectionSpecIds] : ["targetConnectionIds", "target connection", spec.targetConnectionSpecIds];
    ids.forEach((id, i) => {
      const e = this.store.entity(kind, id);
      if (!inScope(e, scope)) throw flowError("1100-400", `${field}[${i}]: ${what} '${id}' not found in sandbox '${scope.sandbox}'`);
      if (!allowed.includes(e.connectionSpec.id)) {
        throw flowError("1100-400", `${field}[${i}]: ${what} '${id}' is of connection spec '${e.connectionSpec.id}', which flow spec '${spec.name}' does not take`);
      }
    });
  }

  /** [Adobe] Once the current startTime has passed, a PATCH may not change it. */
  private checkStartTime(current: StoredFlow, schedule: Params | undefined): void {
    const before = current.scheduleParams?.startTime;
    if (typeof before !== "number" || before * 1000 > this.clock()) return;
    if (schedule?.startTime !== before) {
      throw flowError("1100-400", `scheduleParams.startTime: cannot be changed once the flow's start time (${before}, epoch seconds) has passed`);
    }
  }

  /**
   * Every rule of a flow body, in a fixed order: shape, name, flow spec, each source and target connection
   * (in the sandbox, of a connection spec the flow spec takes), the transformations (each of the spec's,
   * its params against the spec's schema, the mapping set and version in Data Prep), the schedule.
   */
  private validate(body: unknown, scope: Scope): FlowFields {
    if (!isObject(body)) throw flowError("1405-400", "Request body must be a JSON object");
    const problem = checkBody(body);
    if (problem) throw flowError("1100-400", problem);
    const name = checkName(body.name);
    const flowSpec = body.flowSpec as { id: string; version: string };
    const spec = findFlowSpec(flowSpec.id);
    if (!spec) throw flowError("1100-400", `flowSpec.id: flow spec '${flowSpec.id}' not found`);
    if (flowSpec.version !== spec.version) {
      throw flowError("1100-400", `flowSpec.version: version '${flowSpec.version}' of flow spec '${spec.name}' not found (use "${spec.version}")`);
    }
    const sources = body.sourceConnectionIds as string[];
    this.checkConnections("sourceConnections", sources, spec, scope);
    const targets = body.targetConnectionIds as string[];
    this.checkConnections("targetConnections", targets, spec, scope);
    const transformations = this.checkTransformations(spec, (body.transformations ?? []) as Transformation[], scope);
    this.checkDatasetSchema(targets[0], transformations, scope);
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
      fields.scheduleParams = this.checkSchedule(spec, body.scheduleParams as Params);
    }
    return fields;
  }

  private checkSchedule(spec: FlowSpec, params: Params): Params {
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
    const problem = check(normalized, "scheduleParams");
    if (problem) throw flowError("1100-400", problem);
    return normalized;
  }

  private checkTransformations(spec: FlowSpec, list: Transformation[], scope: Scope): Transformation[] {
    const seen = new Set<string>();
    list.forEach((t, i) => {
      const check = transformationCheck(spec, t.name);
      if (!check) {
        const names = spec.transformationSpecs.map((s) => `'${s.name}'`).join(", ");
        throw flowError("1100-400", `transformations[${i}].name: '${t.name}' is not a transformation of flow spec '${spec.name}' (expected ${names})`);
      }
      // [choice] One transformation of each kind.
      if (seen.has(t.name)) throw flowError("1100-400", `transformations[${i}].name: a second '${t.name}' transformation; send one`);
      seen.add(t.name);
      const params: Params = { ...t.params };
      if ("mappingVersion" in params) params.mappingVersion = numeric(params.mappingVersion);
      const problem = check(params, `transformations[${i}].params`);
      if (problem) throw flowError("1100-400", problem);
      if (t.name === "Mapping") this.checkMapping(params, i, scope);
    });
    for (const s of spec.transformationSpecs) {
      if (!seen.has(s.name)) throw flowError("1100-400", `transformations: flow spec '${spec.name}' requires a '${s.name}' transformation`);
    }
    return structuredClone(list);
  }

  /**
   * The mapping set exists in the same org and sandbox (Data Prep's store), and so does its version: any version
   * Data Prep stored, including one the emulator no longer keeps (dataprep/retention.ts), as Adobe keeps them all.
   */
  private checkMapping(params: Params, i: number, scope: Scope): void {
    const id = params.mappingId as string;
    const set = this.store.entity("mappingSets", id);
    if (!inScope(set, scope)) throw flowError("1100-400", `transformations[${i}].params.mappingId: mapping set '${id}' not found in sandbox '${scope.sandbox}'`);
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
  private checkDatasetSchema(targetId: string, transformations: Transformation[], scope: Scope): void {
    const target = this.store.entity("targetConnections", targetId);
    const dataSetId = String(target?.params.dataSetId);
    const dataset = this.datasets.find(dataSetId, { imsOrgId: scope.orgId, sandboxName: scope.sandbox });
    if (!dataset) throw flowError("1100-400", `targetConnectionIds[0]: the dataset '${dataSetId}' of target connection '${targetId}' no longer exists in sandbox '${scope.sandbox}'`);
    transformations.forEach((t, i) => {
      if (t.name !== "Mapping") return;
      const set = this.store.entity("mappingSets", t.params.mappingId as string);
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
  render(f: StoredFlow): Record<string, unknown> {
    const sourceConnections = f.sourceConnectionIds.map((id) => {
      const s = this.store.entity("sourceConnections", id);
      if (!s) return { id };
      const base = this.store.get(s.baseConnectionId);
      const baseConnection: Record<string, unknown> = { id: s.baseConnectionId };
      if (base) baseConnection.connectionSpec = { ...base.connectionSpec };
      return { id, connectionSpec: { ...s.connectionSpec }, baseConnection };
    });
    const targetConnections = f.targetConnectionIds.map((id) => {
      const t = this.store.entity("targetConnections", id);
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
}
