// An ingestion pipeline: the CSV files that land in an S3 bucket, read every hour and written to a
// dataset through a Data Prep mapping. The aep:* settings (stack config or AEP_* environment) say
// which Experience Platform organization and sandbox; see the pulumi-aep-flow README.
import * as pulumi from "@pulumi/pulumi";
import { DatasetBaseConnection, Dataflow, MappingSet, S3Connection, SourceConnection, TargetConnection, getDatasetOutput } from "pulumi-aep-flow";

const config = new pulumi.Config();
// The dataset, looked up in Catalog by name: its id, and the XDM schema its records follow (the target
// connection's and the mapping's). A lookup runs at `pulumi preview` too, with the aep:* settings.
const target = getDatasetOutput({ name: config.require("datasetName") });

const s3 = new S3Connection("landing-bucket", {
  description: "Where the partner drops the files",
  accessKey: config.require("s3AccessKey"),
  secretKey: config.requireSecret("s3SecretKey"),
  bucketName: config.require("bucketName"),
});
const files = new SourceConnection("landing-files", {
  baseConnectionId: s3.id,
  connectionSpecId: s3.connectionSpecId,
  format: "delimited",
  path: config.get("filePath") ?? "/inbound/*.csv",
});
const lake = new DatasetBaseConnection("data-lake", { description: "The data lake the dataset is in" });
const dataset = new TargetConnection("dataset", { baseConnectionId: lake.id, dataSetId: target.id, schemaId: target.schemaId });
// Source columns to XDM paths of the dataset's schema: one line per field of the files.
const mapping = new MappingSet("mapping", { schemaId: target.schemaId, mappings: [{ source: "id", destination: "_id" }] });

const flow = new Dataflow("hourly", {
  flowSpecName: "CloudStorageToAEP",
  sourceConnectionId: files.id,
  targetConnectionId: dataset.id,
  mappingId: mapping.id,
  mappingVersion: mapping.version, // the dataflow moves to each new version in the same `pulumi up`
  schedule: { startTime: 1767225600, frequency: "hour", interval: 1 },
});

export const dataflowId = flow.id;
export const dataflowState = flow.state;
