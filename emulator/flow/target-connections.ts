/**
 * Target connections (`/targetConnections`): the Data Lake dataset a flow writes to, declared as data for the
 * one engine (collection.ts). The steps shared with source connections are pipeline-connections.ts'; the body's
 * rules are here, the dataset they name included.
 */
import { isSchemaOf } from "../catalog/datasets";
import { flowError } from "../errors";
import type { Params, StoredTargetConnection } from "../types";
import { listRules } from "./listing";
import { checkDescription, renderMeta } from "./entities";
import { baseConnectionIn, declareConnectionKind, type ConnectionFields } from "./pipeline-connections";
import { DATASET_BASE_SPEC_ID } from "./specs";
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

export const TARGET_CONNECTIONS = declareConnectionKind("targetConnections", {
  path: "/targetConnections",
  what: "Target connection",
  list: listRules(["id", "name", "description", "baseConnectionId", "connectionSpec.id", "state", "params.dataSetId"]),
  shape: checkBody,

  /**
   * After shape, name and connection spec: the one allowed spec (the Data Lake's), the base connection when one is
   * named, then the dataset. [choice] Adobe documents no answer to a target connection whose dataset is missing or
   * has another schema (its catalog has 1425-400 only for a flow's mapping, see flows.ts): a `params.dataSetId`
   * that is no Catalog dataset of the caller's sandbox, and a `data.schema` that is not that dataset's schema, are
   * Flow's `1100-400` naming the field, since data written there could never land.
   */
  fieldsOf: (body, name, spec, scope, domain) => {
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
      const base = baseConnectionIn(domain.store, baseId, scope);
      if (base.connectionSpec.id !== DATASET_BASE_SPEC_ID) {
        throw flowError("1100-400", `baseConnectionId: connection '${baseId}' is not a Data Lake (dataset base) connection`);
      }
      fields.baseConnectionId = baseId;
    }
    const dataSetId = fields.params.dataSetId as string;
    const dataset = domain.datasets.find(dataSetId, scope);
    if (!dataset) {
      const form = /^[0-9a-f]{24}$/.test(dataSetId) ? "" : " (a Catalog dataset id is 24 hex characters)";
      throw flowError("1100-400", `params.dataSetId: no dataset '${dataSetId}' in sandbox '${scope.sandboxName}'${form}; Catalog lists them at GET /data/foundation/catalog/dataSets`);
    }
    const schema = fields.data.schema as { id: string; version: string } | undefined;
    if (schema && !isSchemaOf({ id: schema.id, contentType: schema.version }, dataset)) {
      throw flowError("1100-400", `data.schema.id: '${schema.id}' (${schema.version}) is not the schema of dataset '${dataSetId}', which is '${dataset.schemaRef.id}' (${dataset.schemaRef.contentType})`);
    }
    return fields;
  },

  render: (t) => renderTargetConnection(t),
});

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
