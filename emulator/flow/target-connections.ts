/**
 * Target connections (`/targetConnections`): the Data Lake dataset a flow writes to. The one owner of their
 * create, read, list, patch and delete: the steps, shared with source connections, are
 * ConnectionCollection's (collection.ts); the body's rules are here.
 */
import { flowError } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Clock, Params, StoredTargetConnection } from "../types";
import { ConnectionCollection, type ConnectionFields } from "./collection";
import { listRules } from "./listing";
import { checkDescription, renderMeta } from "./entities";
import type { Caller } from "./model";
import { type ConnectionSpec, DATASET_BASE_SPEC_ID } from "./specs";
import { compileSchema } from "./validation";

/**
 * Adobe's cloud storage tutorial sends `data` with only a schema, so `data.format` (e.g. "parquet_xdm") is
 * optional. Keys the emulator does not model at the top level are accepted and not stored (Adobe's spec
 * forbids none). [choice] Strict inside `data`, `data.schema` and `params`: unknown keys there are refused,
 * never stored.
 */
const checkBody = compileSchema({
  type: "object",
  required: ["name", "connectionSpec", "data", "params"],
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

/** Filters of `GET /targetConnections`. */
const TARGET_LIST_RULES = listRules(["id", "name", "description", "baseConnectionId", "connectionSpec.id", "state", "params.dataSetId"]);

export class TargetConnections extends ConnectionCollection<"targetConnections"> {
  constructor(store: ConnectionStore, clock: Clock) {
    super(store, clock, "targetConnections", "Target connection", TARGET_LIST_RULES, checkBody);
  }

  /** After shape, name and connection spec: the one allowed spec (the Data Lake's), then the base connection when one is named. */
  protected fieldsOf(body: Params, name: string, spec: ConnectionSpec, caller: Caller): ConnectionFields<"targetConnections"> {
    if (spec.id !== DATASET_BASE_SPEC_ID) {
      throw flowError("1413-400", `connectionSpec.id: a target connection takes only the Data Lake spec '${DATASET_BASE_SPEC_ID}', not '${spec.id}'`);
    }
    const fields: ConnectionFields<"targetConnections"> = {
      name,
      description: checkDescription(body.description),
      connectionSpec: { id: spec.id, version: spec.version },
      data: structuredClone(body.data as Params),
      params: structuredClone(body.params as Params),
    };
    if (body.baseConnectionId !== undefined) {
      const baseId = body.baseConnectionId as string;
      const base = this.baseConnection(baseId, caller);
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
