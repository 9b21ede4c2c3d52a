/**
 * Source connections (`/sourceConnections`): what a flow reads, on top of a base connection, declared as data
 * for the one engine (collection.ts). The steps shared with target connections are pipeline-connections.ts';
 * the body's rules are here: the shape, the base connection, and the spec's own `params` (the catalog's
 * `sourceParams`, spec-registry.ts).
 */
import { flowError } from "../errors";
import type { Params, StoredSourceConnection } from "../types";
import { listRules } from "./listing";
import { checkDescription, renderMeta } from "./entities";
import { baseConnectionIn, declareConnectionKind } from "./pipeline-connections";
import { DATASET_BASE_SPEC_ID, STREAMING_SPEC_ID } from "./specs";
import { compileSchema } from "./validation";

/**
 * The body's shape. Adobe's cloud storage tutorial puts `columnDelimiter` and `encoding` in `data.properties`:
 * accepted, and so is the contract's `data.columnDelimiter`. Keys the emulator does not model at the top level
 * (Adobe's streaming tutorial sends a `providerId`) are accepted and not stored: Adobe's spec forbids none.
 * [choice] Strict inside `data` and `data.properties`: unknown keys there are refused, never stored. `params`
 * is checked against the spec (spec-registry.ts's sourceParamsCheck) once the spec is known.
 */
const checkBody = compileSchema({
  type: "object",
  required: ["name", "baseConnectionId", "connectionSpec"],
  properties: {
    name: { type: "string" },
    description: { type: "string" },
    baseConnectionId: { type: "string", minLength: 1 },
    connectionSpec: { type: "object" },
    data: {
      type: "object",
      additionalProperties: false,
      properties: {
        format: { enum: ["delimited", "json", "parquet", "tabular"] },
        columnDelimiter: { type: "string", minLength: 1, maxLength: 1 },
        properties: {
          type: "object",
          additionalProperties: false,
          properties: {
            columnDelimiter: { type: "string", minLength: 1, maxLength: 1 },
            encoding: { enum: ["UTF-8", "ISO-8859-1"] },
            compressionType: { enum: ["bzip2", "gzip", "deflate", "zipDeflate", "tarGzip", "tar"] },
          },
        },
      },
    },
    params: { type: "object" },
  },
});

export const SOURCE_CONNECTIONS = declareConnectionKind("sourceConnections", {
  path: "/sourceConnections",
  what: "Source connection",
  list: listRules(["id", "name", "description", "baseConnectionId", "connectionSpec.id", "state"]),
  shape: checkBody,

  /**
   * After shape, name and connection spec: the base connection (exists in the sandbox, is not a Data Lake
   * connection, has the same spec), then the spec's own rules: a file-based spec's `data.format`, the
   * catalog's required source params, each param against the spec's check.
   */
  fieldsOf: (body, name, spec, scope, domain) => {
    const baseId = body.baseConnectionId as string;
    const base = baseConnectionIn(domain.store, baseId, scope);
    if (base.connectionSpec.id === DATASET_BASE_SPEC_ID) {
      throw flowError("1100-400", `baseConnectionId: connection '${baseId}' is a Data Lake (dataset base) connection; a source connection reads from a source's base connection`);
    }
    if (base.connectionSpec.id !== spec.id) {
      throw flowError("1100-400", `connectionSpec.id: '${spec.id}' is not the connection spec of base connection '${baseId}' ('${base.connectionSpec.id}'); baseConnectionId and connectionSpec.id must agree`);
    }
    const data = (body.data ?? {}) as Params;
    const params = (body.params ?? {}) as Params;
    if (domain.specs.fileBased(spec.id) && data.format === undefined) throw flowError("1100-400", `data.format: is required for a source connection of '${spec.name}'`);
    for (const key of domain.specs.requiredSourceParams(spec.id)) {
      if (params[key] === undefined) throw flowError("1100-400", `params.${key}: is required for a source connection of '${spec.name}'`);
    }
    const problem = domain.specs.sourceParamsCheck(spec.id)(params, "params");
    if (problem) throw flowError("1100-400", problem);
    if (spec.id === STREAMING_SPEC_ID) {
      if (params.path !== undefined) throw flowError("1100-400", "params.path: not allowed for a streaming source connection");
      if (data.format !== undefined && data.format !== "json") throw flowError("1100-400", `data.format: must be "json" for a streaming source connection`);
    }
    return {
      name,
      description: checkDescription(body.description),
      baseConnectionId: baseId,
      connectionSpec: { id: spec.id, version: spec.version },
      data: structuredClone(data),
      params: structuredClone(params),
    };
  },

  render: (s) => renderSourceConnection(s),
});

/** The item of `GET /sourceConnections/{id}`. */
export function renderSourceConnection(s: StoredSourceConnection): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    baseConnectionId: s.baseConnectionId,
    connectionSpec: { ...s.connectionSpec },
    data: structuredClone(s.data ?? {}),
    params: structuredClone(s.params ?? {}),
    state: s.state,
    ...renderMeta(s),
  };
}
