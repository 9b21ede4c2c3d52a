/**
 * Source connections (`/sourceConnections`): what a flow reads, on top of a base connection. The one owner
 * of their create, read, list, patch and delete; every check-then-write runs without an `await` in between.
 */
import { flowError } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Clock, Params, StoredSourceConnection } from "../types";
import { isObject } from "../util";
import { Collection } from "./collection";
import { checkSpec, parseJsonBody } from "./create";
import { actorOf, applyOp, checkDescription, checkIfMatch, checkName, newMeta, readPatch, renderMeta, touched, type Actor } from "./entities";
import { flowsUsing, refuseWhileUsed } from "./integrity";
import { visibleTo, type Caller } from "./model";
import { DATASET_BASE_SPEC_ID, FTP_SPEC_ID, S3_SPEC_ID, SFTP_SPEC_ID, STREAMING_SPEC_ID } from "./specs";
import { compileSchema } from "./validation";

/** Specs whose source connections name files: `data.format` and `params.path` are required. */
const FILE_SPECS = new Set([FTP_SPEC_ID, SFTP_SPEC_ID, S3_SPEC_ID]);

/**
 * The body's shape. Adobe's cloud storage tutorial puts `columnDelimiter` and `encoding` in `data.properties`
 * and documents `params.type` (file or folder) and `params.cdcEnabled`: all accepted, and so is the contract's
 * `data.columnDelimiter`. [choice] Strict otherwise: unknown keys in the body, `data`, `data.properties` and
 * `params` are refused, never stored.
 */
const checkBody = compileSchema({
  type: "object",
  required: ["name", "baseConnectionId", "connectionSpec"],
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

/** What a valid body sets. */
type SourceFields = Pick<StoredSourceConnection, "name" | "description" | "baseConnectionId" | "connectionSpec" | "data" | "params">;

/** Filters of `GET /sourceConnections`. */
const SOURCE_LIST_RULES = {
  filterFields: ["id", "name", "description", "baseConnectionId", "connectionSpec.id", "state"],
  orderFields: ["createdAt", "updatedAt", "name"],
  maxLimit: 100,
  defaultOrder: "-createdAt",
} as const;

export class SourceConnections extends Collection<"sourceConnections"> {
  constructor(store: ConnectionStore, clock: Clock) {
    super(store, clock, "sourceConnections", "Source connection", SOURCE_LIST_RULES);
  }

  /** `POST /sourceConnections`. */
  async create(raw: unknown, caller: Caller): Promise<StoredSourceConnection> {
    const fields = this.validate(parseJsonBody(raw), caller);
    const source: StoredSourceConnection = { ...newMeta(caller, this.store.nextSeq(), this.clock()), ...fields, state: "enabled" };
    await this.put(source);
    return source;
  }

  /** `PATCH /sourceConnections/{id}`: `/name`, `/description`, `/data…`, `/params…`, re-validated as a POST. */
  async patch(id: string, caller: Caller, ifMatch: string | undefined, raw: unknown): Promise<StoredSourceConnection> {
    const current = this.get(id, caller);
    const ops = readPatch(current.etag, ifMatch, raw, "source connection");
    const doc: Params = structuredClone({ name: current.name, description: current.description, data: current.data ?? {}, params: current.params ?? {} });
    for (const op of ops) {
      const head = op.segments[0];
      if (head === "connectionSpec") throw flowError("1414-400", `${op.path}: the connection spec of a source connection cannot be changed; create a new source connection`);
      if (head === "baseConnectionId") throw flowError("1100-400", `${op.path}: the base connection of a source connection cannot be changed; create a new source connection`);
      if (!["name", "description", "data", "params"].includes(head) || (op.segments.length > 1 && (head === "name" || head === "description"))) {
        throw flowError("1455-400", `${op.path}: path not found or not patchable (allowed: /name, /description, /data, /data/<field>, /params, /params/<field>)`);
      }
      applyOp(doc, op);
    }
    const fields = this.validate({ ...doc, baseConnectionId: current.baseConnectionId, connectionSpec: current.connectionSpec }, caller);
    return this.write(current, fields, actorOf(caller));
  }

  /** `DELETE /sourceConnections/{id}`: refused with `1418-400` while a flow uses it. */
  async delete(id: string, caller: Caller, ifMatch: string | undefined): Promise<void> {
    const current = this.get(id, caller);
    checkIfMatch(ifMatch, current.etag, "source connection");
    refuseWhileUsed("Source connection", id, flowsUsing(this.store, "sourceConnections", id), "delete the flows first");
    await this.store.deleteEntity("sourceConnections", id);
  }

  private async write(current: StoredSourceConnection, fields: SourceFields, actor: Actor): Promise<StoredSourceConnection> {
    const next: StoredSourceConnection = { ...current, ...fields, ...touched(current, actor, this.clock()) };
    await this.put(next);
    return next;
  }

  /**
   * The body's rules in a fixed order: shape, name, connection spec, then the base connection (exists in the
   * caller's sandbox, is not a Data Lake connection, has the same spec), then the spec's own rules.
   */
  private validate(body: unknown, caller: Caller): SourceFields {
    if (!isObject(body)) throw flowError("1405-400", "Request body must be a JSON object");
    const problem = checkBody(body);
    if (problem) throw flowError("1100-400", problem);
    const name = checkName(body.name);
    const spec = checkSpec(body);
    const baseId = body.baseConnectionId as string;
    const base = this.store.get(baseId);
    if (!visibleTo(base, caller)) throw flowError("1100-400", `baseConnectionId: connection '${baseId}' not found in sandbox '${caller.sandbox}'`);
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
