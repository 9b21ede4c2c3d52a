import type * as pulumi from "@pulumi/pulumi";
import { authParamsFailures, type ParamRule } from "../catalog/check";
import { type CatalogConnectionSpec, connectionSpecById } from "../catalog/index";
import { UNKNOWN, boolean, describe, nonEmptyString, oneOf } from "../validators";
import { declarePipelineKind, optional, reference, required } from "./declaration";
import { entityId, type PipelineCommonArgs } from "./pipeline-common";
import { type KindArgs, type KindOutputs, pipelineEngineArgs, type PipelineOutputs, DynamicResource, settlePipeline } from "./resource";

export const STREAMING_SPEC_ID = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb";
const FORMATS = ["delimited", "json", "parquet"] as const;
const COMPRESSION = ["bzip2", "gzip", "deflate", "zipDeflate", "tarGzip", "tar"] as const;
/** Adobe's `data.format` for a source read as tables ("For all table-based connectors, set the value to `tabular`": collect/crm.md). */
const TABULAR = "tabular";

/**
 * What a source connection's `params` take besides the catalog's `sourceParams`, as Adobe's tutorials send
 * them: cloud storage (collect/cloud-storage.md) `type` and `cdcEnabled`; databases and CRMs
 * (collect/database-nosql.md, collect/crm.md) `columns` beside `tableName`, and `cdcEnabled`.
 */
const TUTORIAL_PARAMS: Record<"files" | "tables", ParamRule[]> = {
  files: [
    { name: "type", type: "string", required: false, secret: false, enum: ["file", "folder"] },
    { name: "cdcEnabled", type: "boolean", required: false, secret: false },
  ],
  tables: [
    { name: "columns", type: "array", required: false, secret: false },
    { name: "cdcEnabled", type: "boolean", required: false, secret: false },
  ],
};
/** Params sent by a property of their own: given in `params`, they are refused with the property's name. */
const OWN_INPUTS = ["path", "recursive"] as const;

const isStreaming = (entry: CatalogConnectionSpec): boolean => entry.id === STREAMING_SPEC_ID || entry.category === "Streaming";
/** A source read as tables: its spec takes a `tableName` (databases, CRMs, marketing automation…). */
const readsTables = (entry: CatalogConnectionSpec | undefined): boolean => !!entry && !entry.fileBased && entry.sourceParams.some((p) => p.name === "tableName");
const catalogEntry = (spec: unknown): CatalogConnectionSpec | undefined => (typeof spec === "string" && spec !== UNKNOWN ? connectionSpecById(spec) : undefined);

/** A map of plain values by param name; its members are checked against the spec in `checkInputs`. */
const sourceParamMap = (v: unknown): string | undefined => {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return `must be a map of source param names to values, e.g. { tableName: "public.orders" }, got ${describe(v)}`;
  for (const key of Object.keys(v)) if (key.trim() === "") return "must not have an empty param name";
  return undefined;
};

/**
 * `params` against the spec the catalog knows: a param with a property of its own refused with that
 * property's name; then, where the catalog lists the spec's source params (an empty list means unknown,
 * left to Flow Service), every required one given (but `path`, the `path` property's, checked apart), none
 * unknown, each of the type and enum listed.
 */
function paramsFailures(entry: CatalogConnectionSpec | undefined, inputs: Record<string, unknown>): { property: string; reason: string }[] {
  const params = inputs.params;
  const isMap = typeof params === "object" && params !== null && !Array.isArray(params);
  // Params that are no map have failed their own rule; unknown ones are checked at `up`.
  if (params !== undefined && !isMap) return [];
  const given = isMap ? (params as Record<string, unknown>) : {};
  const failures = OWN_INPUTS.filter((name) => name in given).map((name) => ({ property: "params", reason: `.${name} is not a source param here: set the \`${name}\` property instead and remove it from params` }));
  if (!entry || entry.sourceParams.length === 0 || failures.length > 0) return failures;
  const listed = entry.sourceParams.filter((p) => !(OWN_INPUTS as readonly string[]).includes(p.name));
  const rules = [...listed, ...TUTORIAL_PARAMS[entry.fileBased ? "files" : "tables"].filter((t) => !listed.some((p) => p.name === t.name))];
  return authParamsFailures({ label: `a source connection of ${entry.title}`, params: rules, closed: true }, params, undefined);
}

export const sourceConnectionKind = declarePipelineKind({
  kind: "sourceConnection",
  typeName: "SourceConnection",
  title: "source connection",
  endpoint: "/sourceConnections",
  fixedWire: { "connectionSpec.version": "1.0" },
  // The tutorials' source connection on a table source says so: `data.format: "tabular"` (read back as no format).
  wireExtras: (inputs) => (readsTables(catalogEntry(inputs.connectionSpecId)) ? { "data.format": TABULAR } : {}),
  properties: {
    /** The base connection the data is read through (an FTP, SFTP, S3, streaming or generic `Connection`'s `id`). Changing it replaces the source connection. */
    baseConnectionId: reference("base connection", true, { replaceOnChange: true, validate: entityId("a base connection", "s3.id") }),
    /** The base connection's connection spec: pass its `connectionSpecId` output (e.g. `s3.connectionSpecId`). Changing it replaces the source connection. */
    connectionSpecId: required<string>("string", { wire: "connectionSpec.id", replaceOnChange: true, followsFrom: "baseConnectionId", validate: entityId("a connection spec", "s3.connectionSpecId") }),
    /** Format of the files: `delimited`, `json` or `parquet`. Required for file-based sources. Changing it replaces the source connection. */
    format: optional<"delimited" | "json" | "parquet">('"delimited" | "json" | "parquet"', {
      wire: "data.format",
      replaceOnChange: true,
      validate: oneOf(FORMATS),
      // The provider's own for a table source (wireExtras), never the program's.
      fromWire: (v) => (v === TABULAR ? undefined : v),
    }),
    /** Column delimiter of delimited files, one character (default `,`). Changing it replaces the source connection. */
    columnDelimiter: optional<string>("string", {
      wire: "data.columnDelimiter",
      replaceOnChange: true,
      validate: (v) => (typeof v === "string" && [...v].length === 1 ? undefined : `must be exactly one character, e.g. "," or "\\t", got ${JSON.stringify(v)}`),
    }),
    /** Compression of the files: `bzip2`, `gzip`, `deflate`, `zipDeflate`, `tarGzip` or `tar`. Changing it replaces the source connection. */
    compressionType: optional<(typeof COMPRESSION)[number]>('"bzip2" | "gzip" | "deflate" | "zipDeflate" | "tarGzip" | "tar"', {
      wire: "data.properties.compressionType",
      replaceOnChange: true,
      validate: oneOf(COMPRESSION),
    }),
    /** Path of the source files, e.g. `/inbound/orders/*.csv`. Required for file-based sources. Changing it replaces the source connection. */
    path: optional<string>("string", { wire: "params.path", replaceOnChange: true, validate: nonEmptyString(1024) }),
    /** Read the folders under `path` too. Changing it replaces the source connection. */
    recursive: optional<boolean>("boolean", {
      wire: "params.recursive",
      replaceOnChange: true,
      validate: boolean,
      // Adobe's examples send the string form.
      toWire: (v) => String(v),
      fromWire: (v) => (v === "true" || v === true ? true : v === "false" || v === false ? false : v),
    }),
    /**
     * The source's own params, sent as `params.<name>` beside `path` (e.g. `{ tableName: "public.orders" }` for a
     * database or CRM): those its spec documents (the catalog's `sourceParams`), plus `columns` and `cdcEnabled`
     * as Adobe's tutorials send them. Plain values, no secrets. Checked at preview where the catalog knows the
     * spec. Changing it replaces the source connection.
     */
    params: optional<Record<string, unknown>>("Record<string, unknown>", { wire: "params", spread: true, replaceOnChange: true, validate: sourceParamMap }),
  },
  checkInputs: (inputs) => {
    const failures = [];
    // The base connection's spec as the catalog knows it: any spec the package ships, not only the typed kinds'.
    const entry = catalogEntry(inputs.connectionSpecId);
    failures.push(...paramsFailures(entry, inputs));
    if (entry && isStreaming(entry)) {
      if (inputs.path !== undefined) failures.push({ property: "path", reason: "is not used by a streaming source connection; remove it" });
      if (inputs.format !== undefined && inputs.format !== "json") failures.push({ property: "format", reason: `must be "json" (or unset) for a streaming source connection, got ${JSON.stringify(inputs.format)}` });
    } else if (entry?.fileBased) {
      if (inputs.format === undefined) failures.push({ property: "format", reason: 'is required for a file-based source connection: "delimited", "json" or "parquet"' });
      if (inputs.path === undefined) failures.push({ property: "path", reason: 'is required for a file-based source connection, e.g. "/inbound/orders/*.csv"' });
    } else if (entry) {
      // A source that is no file store (a database, a CRM): no format, and no path unless its spec takes one.
      if (inputs.format !== undefined) failures.push({ property: "format", reason: `is for file-based sources; ${entry.title} is not one: remove it` });
      if (inputs.path !== undefined && !entry.sourceParams.some((p) => p.name === "path")) failures.push({ property: "path", reason: `is not a source param of ${entry.title}; remove it` });
    }
    // A spec the catalog does not ship: Flow Service decides at create.
    if (inputs.columnDelimiter !== undefined && inputs.format !== undefined && inputs.format !== "delimited") {
      failures.push({ property: "columnDelimiter", reason: `applies to delimited files only; the format is ${JSON.stringify(inputs.format)}` });
    }
    return failures;
  },
});

export interface SourceConnectionArgs extends PipelineCommonArgs, KindArgs<typeof sourceConnectionKind> {}

/** Where a dataflow reads: files under a path of a cloud-storage base connection, a table of a database or CRM, or a streaming connection's records. */
export class SourceConnection extends DynamicResource {
  /** Current etag (revision); changes on every write. */
  declare readonly etag: pulumi.Output<string>;
  /** State reported by Flow Service, e.g. `enabled`. */
  declare readonly state: pulumi.Output<string>;

  constructor(name: string, args: SourceConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(...pipelineEngineArgs(sourceConnectionKind, ["etag", "state"], name, args, opts));
    settlePipeline(this, sourceConnectionKind, args);
  }
}
export interface SourceConnection extends PipelineOutputs, KindOutputs<typeof sourceConnectionKind> {}
