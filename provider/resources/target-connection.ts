import type * as pulumi from "@pulumi/pulumi";
import { catalogDatasetId, nonEmptyString, xdmSchemaId } from "../validators";
import { declarePipelineKind, optional, reference, required } from "./declaration";
import { entityId, type PipelineCommonArgs } from "./pipeline-common";
import { type KindArgs, type KindOutputs, pipelineEngineArgs, type PipelineOutputs, DynamicResource, settlePipeline } from "./resource";

/** The Data Lake connection spec: every target connection of an ingestion dataflow uses it. */
export const DATA_LAKE_SPEC_ID = "c604ff05-7f1a-43c0-8e18-33bf874cb11c";
export const FULL_SCHEMA_VERSION = "application/vnd.adobe.xed-full+json;version=1";

export const targetConnectionKind = declarePipelineKind({
  kind: "targetConnection",
  typeName: "TargetConnection",
  title: "target connection",
  endpoint: "/targetConnections",
  fixedWire: { "connectionSpec.id": DATA_LAKE_SPEC_ID, "connectionSpec.version": "1.0" },
  constants: { connectionSpecId: DATA_LAKE_SPEC_ID },
  properties: {
    /** The dataset base connection data lands through (a `DatasetBaseConnection`'s `id`). Changing it replaces the target connection. */
    baseConnectionId: reference("DatasetBaseConnection", true, { replaceOnChange: true, validate: entityId("a DatasetBaseConnection", "lake.id") }),
    /** The dataset the data lands in: its Catalog id, 24 hex characters (e.g. `5f3c3cedb2805c194ff0b69a`); by name: `getDatasetOutput({ name }).id`. Changing it replaces the target connection. */
    dataSetId: required<string>("string", { wire: "params.dataSetId", replaceOnChange: true, validate: catalogDatasetId }),
    /** The `$id` of the dataset's XDM schema, `https://ns.adobe.com/<tenant>/schemas/<id>`: `getDatasetOutput({ name }).schemaId`. Changing it replaces the target connection. */
    schemaId: required<string>("string", { wire: "data.schema.id", replaceOnChange: true, validate: xdmSchemaId }),
    /** The schema's version. Default `application/vnd.adobe.xed-full+json;version=1` (the latest minor version). Changing it replaces the target connection. */
    schemaVersion: optional<string>("string", { wire: "data.schema.version", default: FULL_SCHEMA_VERSION, replaceOnChange: true, validate: nonEmptyString(256) }),
    /** Format data is written in. Default `parquet_xdm`. Changing it replaces the target connection. */
    format: optional<string>("string", { wire: "data.format", default: "parquet_xdm", replaceOnChange: true, validate: nonEmptyString(64) }),
  },
});

export interface TargetConnectionArgs extends PipelineCommonArgs, KindArgs<typeof targetConnectionKind> {}

/** Where a dataflow writes: a dataset, through a dataset base connection. */
export class TargetConnection extends DynamicResource {
  /** Current etag (revision); changes on every write. */
  declare readonly etag: pulumi.Output<string>;
  /** State reported by Flow Service, e.g. `enabled`. */
  declare readonly state: pulumi.Output<string>;
  /** The Data Lake connection spec id. */
  declare readonly connectionSpecId: pulumi.Output<string>;

  constructor(name: string, args: TargetConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(...pipelineEngineArgs(targetConnectionKind, ["etag", "state"], name, args, opts));
    settlePipeline(this, targetConnectionKind, args);
  }
}
export interface TargetConnection extends PipelineOutputs, KindOutputs<typeof targetConnectionKind> {}
