/**
 * Source connections (`/sourceConnections`): what a flow reads, on top of a base connection. The one owner
 * of their create, read, list, patch and delete: the steps, shared with target connections, are
 * ConnectionCollection's (collection.ts); the body's rules are here.
 */
import { flowError } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Clock, Params, StoredSourceConnection } from "../types";
import { ConnectionCollection, type ConnectionFields } from "./collection";
import { listRules } from "./listing";
import { checkDescription, renderMeta } from "./entities";
import type { Caller } from "./model";
import { type ConnectionSpec, DATASET_BASE_SPEC_ID, FTP_SPEC_ID, S3_SPEC_ID, SFTP_SPEC_ID, STREAMING_SPEC_ID } from "./specs";
import { compileSchema } from "./validation";

/** Specs whose source connections name files: `data.format` and `params.path` are required. */
const FILE_SPECS = new Set([FTP_SPEC_ID, SFTP_SPEC_ID, S3_SPEC_ID]);

/**
 * The body's shape. Adobe's cloud storage tutorial puts `columnDelimiter` and `encoding` in `data.properties`
 * and documents `params.type` (file or folder) and `params.cdcEnabled`: all accepted, and so is the contract's
 * `data.columnDelimiter`. Keys the emulator does not model at the top level (Adobe's streaming tutorial sends
 * a `providerId`) are accepted and not stored: Adobe's spec forbids none. [choice] Strict inside `data`,
 * `data.properties` and `params`: unknown keys there are refused, never stored.
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
    params: {
      type: "object",
      additionalProperties: false,
      properties: {
        path: { type: "string", minLength: 1 },
        recursive: { enum: ["true", "false", true, false] },
        type: { enum: ["file", "folder"] },
        cdcEnabled: { type: "boolean" },
      },
    },
  },
});

/** Filters of `GET /sourceConnections`. */
const SOURCE_LIST_RULES = listRules(["id", "name", "description", "baseConnectionId", "connectionSpec.id", "state"]);

export class SourceConnections extends ConnectionCollection<"sourceConnections"> {
  constructor(store: ConnectionStore, clock: Clock) {
    super(store, clock, "sourceConnections", "Source connection", SOURCE_LIST_RULES, checkBody);
  }

  /**
   * After shape, name and connection spec: the base connection (exists in the caller's sandbox, is not a
   * Data Lake connection, has the same spec), then the spec's own rules.
   */
  protected fieldsOf(body: Params, name: string, spec: ConnectionSpec, caller: Caller): ConnectionFields<"sourceConnections"> {
    const baseId = body.baseConnectionId as string;
    const base = this.baseConnection(baseId, caller);
    if (base.connectionSpec.id === DATASET_BASE_SPEC_ID) {
      throw flowError("1100-400", `baseConnectionId: connection '${baseId}' is a Data Lake (dataset base) connection; a source connection reads from a source's base connection`);
    }
    if (base.connectionSpec.id !== spec.id) {
      throw flowError("1100-400", `connectionSpec.id: '${spec.id}' is not the connection spec of base connection '${baseId}' ('${base.connectionSpec.id}'); baseConnectionId and connectionSpec.id must agree`);
    }
    const data = (body.data ?? {}) as Params;
    const params = (body.params ?? {}) as Params;
    if (FILE_SPECS.has(spec.id)) {
      if (data.format === undefined) throw flowError("1100-400", `data.format: is required for a source connection of '${spec.name}'`);
      if (params.path === undefined) throw flowError("1100-400", `params.path: is required for a source connection of '${spec.name}'`);
    }
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
  }
}

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
