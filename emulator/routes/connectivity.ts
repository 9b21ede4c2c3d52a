/**
 * `GET /connections/{id}/test` and `GET /connections/{id}/explore`, answered from the simulated remotes
 * (flow/remotes.ts). Shapes from Flow Service's OpenAPI spec (`TestConnectionResponse`,
 * `ExploreConnectionResponse`) and the cloud-storage explore tutorials; see docs/flow-service-contract.md.
 */
import type { FastifyRequest } from "fastify";
import { flowError } from "../errors";
import { bucketsAsFolders, COLUMN_TYPES, fileAt, folderKey, listFolder, locate, MAX_PREVIEW_ROWS, type RemoteTable } from "../flow/remotes";
import type { Result } from "../types";
import type { FlowHandler } from "./common";

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const queryOf = (req: FastifyRequest) => new URLSearchParams(req.url.split("?")[1] ?? "");

/**
 * [choice] Adobe documents `{"result": true}` for a valid connection and `{"result": false}` for one that is
 * not (the spec's 200 description): an unknown host, refused credentials or a missing folder all answer
 * 200 `{"result": false}`, never an error status. The reason is in no field Adobe documents, so none is sent.
 */
export const testConnection: FlowHandler = (req, state, caller): Result => {
  const c = state.collections.connections.get(idOf(req), caller);
  return { status: 200, body: { result: state.remotes.reach(c).ok } };
};

/** [choice] Query parameters are compared case-insensitively in their values, as Adobe's docs mix cases. */
const OBJECT_TYPES = ["root", "folder", "file"];
const FILE_TYPES = ["delimited", "json", "parquet"];

export const exploreConnection: FlowHandler = (req, state, caller): Result => {
  const c = state.collections.connections.get(idOf(req), caller);
  const q = queryOf(req);
  // The spec declares objectType optional (`required: false`) and Adobe's Postman collection sends none:
  // [choice] left out (or empty) it explores the root, as `objectType=root` does. Only the cloud-storage
  // values apply to FTP, SFTP and S3: `table` and `rest` are for databases and APIs.
  const objectType = (q.get("objectType") || "root").toLowerCase();
  const object = q.get("object") ?? "";
  const database = state.specs.catalogEntry(c.connectionSpec.id)?.category === "Database";
  // A database explores tables (`objectType=table`), a file system folders and files.
  const types = database ? ["root", "table"] : OBJECT_TYPES;
  if (!types.includes(objectType)) throw flowError("1400-400", `objectType: must be one of ${types.join(", ")}, got ${JSON.stringify(q.get("objectType") ?? "")}`);
  if (objectType !== "root" && object === "") throw flowError("1400-400", `object: the path of the ${objectType} to explore is required with objectType=${objectType}`);
  const preview = (q.get("preview") ?? "false").toLowerCase();
  if (preview !== "true" && preview !== "false") throw flowError("1400-400", `preview: must be true or false, got ${JSON.stringify(q.get("preview"))}`);

  const reach = state.remotes.reach(c);
  // [choice] Adobe documents no failure shape for explore; a remote that cannot be reached is the catalog's
  // 1100-400 "Error from flow provider", naming the host or bucket and never a secret.
  if (!reach.ok) throw flowError("1100-400", `The request could not be processed. Error from flow provider: ${reach.why}`);
  const { remotes, kind } = reach;
  if (database) return exploreTables(remotes[0].tables ?? [], objectType, object, preview === "true");

  if (objectType === "root") {
    const bucket = c.auth?.params.bucketName;
    if (kind === "s3" && typeof bucket !== "string") return { status: 200, body: bucketsAsFolders(remotes) };
    return { status: 200, body: listFolder(remotes[0], "") ?? [] };
  }
  const at = locate(remotes, kind, object);
  if (objectType === "folder") {
    const items = at ? listFolder(at.remote, folderKey(at.key)) : undefined;
    if (!items) throw flowError("1100-400", `The request could not be processed. Error from flow provider: folder ${object} does not exist`);
    return { status: 200, body: items };
  }
  const file = at ? fileAt(at.remote, at.key) : undefined;
  if (!file || !at) throw flowError("1100-400", `The request could not be processed. Error from flow provider: file ${object} does not exist`);
  const fileType = (q.get("fileType") ?? q.get("FileType") ?? "").toLowerCase();
  // [choice] fileType is required for a file (the tutorial's parameter table lists it without a default).
  if (!FILE_TYPES.includes(fileType)) throw flowError("1400-400", `fileType: must be one of delimited, json, parquet, got ${JSON.stringify(q.get("fileType") ?? "")}`);
  if (!file.columns) throw flowError("1100-400", `The request could not be processed. Error from flow provider: file ${object} cannot be previewed`);
  return { status: 200, body: fileStructure(file.columns, preview === "true" ? file.rows ?? [] : undefined) };
};

/**
 * A database's explore, as Adobe's database tutorials show it: the root lists its tables
 * (`{"type":"table","name","path","canPreview","canFetchSchema"}`), `objectType=table&object=<name>` gives a table's
 * structure (and `preview=true` its sample rows) in the file structure's shape.
 */
function exploreTables(tables: RemoteTable[], objectType: string, object: string, preview: boolean): Result {
  if (objectType === "root") {
    const items = [...tables].sort((a, b) => (a.name < b.name ? -1 : 1));
    return { status: 200, body: items.map((t) => ({ type: "table", name: t.name, path: t.name, canPreview: t.columns !== undefined, canFetchSchema: t.columns !== undefined })) };
  }
  const table = tables.find((t) => t.name === object);
  if (!table) throw flowError("1100-400", `The request could not be processed. Error from flow provider: table ${object} does not exist`);
  if (!table.columns) throw flowError("1100-400", `The request could not be processed. Error from flow provider: table ${object} cannot be previewed`);
  return { status: 200, body: fileStructure(table.columns, preview ? table.rows ?? [] : undefined) };
}

/** The data landing zone tutorial's preview shape: `{format: "flat", schema: {columns}, data?}`. */
function fileStructure(columns: Array<{ name: string; type: string }>, rows?: Array<Record<string, unknown>>): Record<string, unknown> {
  const rendered = columns.map(({ name, type }) => {
    const xdm = COLUMN_TYPES[type];
    // As in Adobe's example: a date-time column is a string with "meta:xdmType".
    const dated = type === "date" || type === "date-time";
    return dated ? { name, type: "string", "meta:xdmType": type, xdm } : { name, type, xdm };
  });
  return rows === undefined ? { format: "flat", schema: { columns: rendered } } : { format: "flat", schema: { columns: rendered }, data: rows.slice(0, MAX_PREVIEW_ROWS) };
}
