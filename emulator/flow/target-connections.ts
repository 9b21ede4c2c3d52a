/**
 * Target connections (`/targetConnections`): the Data Lake dataset a flow writes to. The one owner of their
 * create, read, list, patch and delete; every check-then-write runs without an `await` in between.
 */
import { flowError } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Clock, Params, StoredTargetConnection } from "../types";
import { isObject } from "../util";
import { Collection } from "./collection";
import { checkSpec, parseJsonBody } from "./create";
import { actorOf, applyOp, checkDescription, checkIfMatch, checkName, newMeta, readPatch, renderMeta, touched } from "./entities";
import { flowsUsing, refuseWhileUsed } from "./integrity";
import { visibleTo, type Caller } from "./model";
import { DATASET_BASE_SPEC_ID } from "./specs";
import { compileSchema } from "./validation";

/**
 * Adobe's cloud storage tutorial sends `data` with only a schema, so `data.format` (e.g. "parquet_xdm") is
 * optional. [choice] Strict otherwise: unknown keys in the body, `data`, `data.schema` and `params` are
 * refused, never stored.
 */
const checkBody = compileSchema({
  type: "object",
  required: ["name", "connectionSpec", "data", "params"],
  additionalProperties: false,
  properties: {
    name: { type: "string" },
    description: { type: "string" },
    baseConnectionId: { type: "string", minLength: 1 },
    connectionSpec: { type: "object" },
    data: {
      type: "object",
      additionalProperties: false,
      properties: {
        format: { type: "string", minLength: 1 },
        schema: {
          type: "object",
          required: ["id", "version"],
          additionalProperties: false,
          properties: { id: { type: "string", minLength: 1 }, version: { type: "string", minLength: 1 } },
        },
      },
    },
    params: {
      type: "object",
      required: ["dataSetId"],
      additionalProperties: false,
      properties: { dataSetId: { type: "string", minLength: 1 } },
    },
  },
});

type TargetFields = Pick<StoredTargetConnection, "name" | "description" | "baseConnectionId" | "connectionSpec" | "data" | "params">;

/** Filters of `GET /targetConnections`. */
const TARGET_LIST_RULES = {
  filterFields: ["id", "name", "description", "baseConnectionId", "connectionSpec.id", "state", "params.dataSetId"],
  orderFields: ["createdAt", "updatedAt", "name"],
  maxLimit: 100,
  defaultOrder: "-createdAt",
} as const;

export class TargetConnections extends Collection<"targetConnections"> {
  constructor(store: ConnectionStore, clock: Clock) {
    super(store, clock, "targetConnections", "Target connection", TARGET_LIST_RULES);
  }

  /** `POST /targetConnections`. */
  async create(raw: unknown, caller: Caller): Promise<StoredTargetConnection> {
    const fields = this.validate(parseJsonBody(raw), caller);
    const target: StoredTargetConnection = { ...newMeta(caller, this.store.nextSeq(), this.clock()), ...fields, state: "enabled" };
    await this.put(target);
    return target;
  }

  /** `PATCH /targetConnections/{id}`: `/name`, `/description`, `/data…`, `/params…`, re-validated as a POST. */
  async patch(id: string, caller: Caller, ifMatch: string | undefined, raw: unknown): Promise<StoredTargetConnection> {
    const current = this.get(id, caller);
    const ops = readPatch(current.etag, ifMatch, raw, "target connection");
    const doc: Params = structuredClone({ name: current.name, description: current.description, data: current.data, params: current.params });
    for (const op of ops) {
      const head = op.segments[0];
      if (head === "connectionSpec") throw flowError("1414-400", `${op.path}: the connection spec of a target connection cannot be changed; create a new target connection`);
      if (head === "baseConnectionId") throw flowError("1100-400", `${op.path}: the base connection of a target connection cannot be changed; create a new target connection`);
      if (!["name", "description", "data", "params"].includes(head) || (op.segments.length > 1 && (head === "name" || head === "description"))) {
        throw flowError("1455-400", `${op.path}: path not found or not patchable (allowed: /name, /description, /data, /data/<field>, /params, /params/<field>)`);
      }
      applyOp(doc, op);
    }
    const body: Params = { ...doc, connectionSpec: current.connectionSpec };
    if (current.baseConnectionId !== undefined) body.baseConnectionId = current.baseConnectionId;
    const fields = this.validate(body, caller);
    const next: StoredTargetConnection = { ...current, ...fields, ...touched(current, actorOf(caller), this.clock()) };
    await this.put(next);
    return next;
  }

  /** `DELETE /targetConnections/{id}`: refused with `1418-400` while a flow uses it. */
  async delete(id: string, caller: Caller, ifMatch: string | undefined): Promise<void> {
    const current = this.get(id, caller);
    checkIfMatch(ifMatch, current.etag, "target connection");
    refuseWhileUsed("Target connection", id, flowsUsing(this.store, "targetConnections", id), "delete the flows first");
    await this.store.deleteEntity("targetConnections", id);
  }

  /** Shape, name, the one allowed spec (the Data Lake's), then the base connection when one is named. */
  private validate(body: unknown, caller: Caller): TargetFields {
    if (!isObject(body)) throw flowError("1405-400", "Request body must be a JSON object");
    const problem = checkBody(body);
    if (problem) throw flowError("1100-400", problem);
    const name = checkName(body.name);
    const spec = checkSpec(body);
    if (spec.id !== DATASET_BASE_SPEC_ID) {
      throw flowError("1413-400", `connectionSpec.id: a target connection takes only the Data Lake spec '${DATASET_BASE_SPEC_ID}', not '${spec.id}'`);
    }
    const fields: TargetFields = {
      name,
      description: checkDescription(body.description),
      connectionSpec: { id: spec.id, version: spec.version },
      data: structuredClone(body.data as Params),
      params: structuredClone(body.params as Params),
    };
    if (body.baseConnectionId !== undefined) {
      const baseId = body.baseConnectionId as string;
      const base = this.store.get(baseId);
      if (!visibleTo(base, caller)) throw flowError("1100-400", `baseConnectionId: connection '${baseId}' not found in sandbox '${caller.sandbox}'`);
      if (base.connectionSpec.id !== DATASET_BASE_SPEC_ID) {
        throw flowError("1100-400", `baseConnectionId: connection '${baseId}' is not a Data Lake (dataset base) connection`);
      }
      fields.baseConnectionId = baseId;
    }
    return fields;
  }
}

/** The item of `GET /targetConnections/{id}`. */
export function renderTargetConnection(t: StoredTargetConnection): Record<string, unknown> {
  const item: Record<string, unknown> = { id: t.id, name: t.name, description: t.description };
  if (t.baseConnectionId !== undefined) item.baseConnectionId = t.baseConnectionId;
  return {
    ...item,
    connectionSpec: { ...t.connectionSpec },
    data: structuredClone(t.data),
    params: structuredClone(t.params),
    state: t.state,
    ...renderMeta(t),
  };
}
