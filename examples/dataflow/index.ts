import * as pulumi from "@pulumi/pulumi";
import { Dataflow, DatasetBaseConnection, MappingSet, S3Connection, SourceConnection, TargetConnection, getDatasetOutput } from "pulumi-aep-flow";

const config = new pulumi.Config();
// The dataset the orders land in, looked up in Catalog by name: its id, and the XDM schema its records follow
// (the target connection's and the mapping's). The emulator has an "Orders" dataset in every sandbox.
const orders = getDatasetOutput({ name: config.get("datasetName") ?? "Orders" });

const s3 = new S3Connection("landing-bucket", {
  accessKey: config.require("s3AccessKey"),
  secretKey: config.requireSecret("s3SecretKey"),
  bucketName: "acme-aep-landing",
});
const files = new SourceConnection("orders-files", { baseConnectionId: s3.id, connectionSpecId: s3.connectionSpecId, format: "json", path: "/orders/*.json" });
const lake = new DatasetBaseConnection("data-lake");
const dataset = new TargetConnection("orders-dataset", { baseConnectionId: lake.id, dataSetId: orders.id, schemaId: orders.schemaId });
const mapping = new MappingSet("orders-mapping", { schemaId: orders.schemaId, mappings: [{ source: "order_id", destination: "_id" }] });

// Hourly from 2026-01-01; `enabled: false` pauses it (Flow Service's disable action).
const flow = new Dataflow("orders-hourly", {
  flowSpecName: "CloudStorageToAEP",
  sourceConnectionId: files.id,
  targetConnectionId: dataset.id,
  mappingId: mapping.id,
  mappingVersion: mapping.version,
  schedule: { startTime: 1767225600, frequency: "hour", interval: 1 },
  enabled: config.getBoolean("enabled") ?? true,
});

export const dataflowId = flow.id;
export const state = flow.state;
export const flowSpecId = flow.flowSpecId;
