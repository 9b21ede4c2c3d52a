import type * as pulumi from "@pulumi/pulumi";
import { connectionSpecById } from "../catalog/index";
import { UNKNOWN, boolean, nonEmptyString, oneOf } from "../validators";
import { declarePipelineKind, optional, reference, required } from "./declaration";
import { entityId, type PipelineCommonArgs } from "./pipeline-common";
import { type KindArgs, type KindOutputs, pipelineEngineArgs, type PipelineOutputs, DynamicResource, settlePipeline } from "./resource";

export const STREAMING_SPEC_ID = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb";
const FORMATS = ["delimited", "json", "parquet"] as const;
const COMPRESSION = ["bzip2", "gzip", "deflate", "zipDeflate", "tarGzip", "tar"] as const;

export const sourceConnectionKind = declarePipelineKind({
  kind: "sourceConnection",
  typeName: "SourceConnection",
  title: "source connection",
  endpoint: "/sourceConnections",
  fixedWire: { "connectionSpec.version": "1.0" },
  properties: {
    /** The base connection the data is read through (an FTP, SFTP, S3, streaming or generic `Connection`'s `id`). Changing it replaces the source connection. */
    baseConnectionId: reference("base connection", true, { replaceOnChange: true, validate: entityId("a base connection", "s3.id") }),
    /** The base connection's connection spec: pass its `connectionSpecId` output (e.g. `s3.connectionSpecId`). Changing it replaces the source connection. */
    connectionSpecId: required<string>("string", { wire: "connectionSpec.id", replaceOnChange: true, followsFrom: "baseConnectionId", validate: entityId("a connection spec", "s3.connectionSpecId") }),
    /** Format of the files: `delimited`, `json` or `parquet`. Required for file-based sources. Changing it replaces the source connection. */
    format: optional<"delimited" | "json" | "parquet">('"delimited" | "json" | "parquet"', { wire: "data.format", replaceOnChange: true, validate: oneOf(FORMATS) }),
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
  },
  checkInputs: (inputs) => {
    const failures = [];
    const spec = inputs.connectionSpecId;
    // The base connection's spec as the catalog knows it: any spec the package ships, not only the typed kinds'.
    const entry = typeof spec === "string" && spec !== UNKNOWN ? connectionSpecById(spec) : undefined;
    if (entry && (entry.id === STREAMING_SPEC_ID || entry.category === "Streaming")) {
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

/** Where a dataflow reads: files under a path of a cloud-storage base connection, or a streaming connection's records. */
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
