// The quickstart: a small ingestion pipeline (S3 files → a dataset: base connection, source
// connection, dataset base connection, target connection, mapping set, enabled dataflow) plus a
// connection of every other kind. `npm run demo` runs it against the local emulator; with real
// credentials (aep:* config or AEP_* env) and the name of your own dataset (datasetName config) it
// runs against Adobe Experience Platform.
"use strict";
const pulumi = require("@pulumi/pulumi");
// Inside this repository this resolves to the package itself (package.json "exports").
const aep = require("pulumi-aep-flow");

const config = new pulumi.Config();

const ftp = new aep.FtpConnection("quickstart-ftp", {
  description: "Nightly order exports",
  host: "ftp.example.com",
  userName: "aep-ingest",
  password: config.requireSecret("ftpPassword"),
});

const sftp = new aep.SftpConnection("quickstart-sftp", {
  host: "sftp.example.com",
  userName: "aep-ingest",
  password: config.requireSecret("sftpPassword"),
  folderPath: "/outbound",
});

const s3 = new aep.S3Connection("quickstart-s3", {
  accessKey: config.require("s3AccessKey"),
  secretKey: config.requireSecret("s3SecretKey"),
  serviceUrl: "https://s3.us-east-1.amazonaws.com",
  bucketName: "acme-aep-landing",
});

const lake = new aep.DatasetBaseConnection("quickstart-lake", { description: "Data Lake target" });

// The pipeline: the S3 connection's CSV files, mapped onto the dataset's XDM schema, every hour. The
// dataset is looked up in Catalog by name: its id and its schema's $id (the emulator has "Orders").
const orders = aep.getDatasetOutput({ name: config.get("datasetName") ?? "Orders" });
const ordersFiles = new aep.SourceConnection("quickstart-orders-files", {
  baseConnectionId: s3.id,
  connectionSpecId: s3.connectionSpecId,
  format: "delimited",
  path: "/acme-aep-landing/orders/*.csv",
});
const ordersDataset = new aep.TargetConnection("quickstart-orders-dataset", {
  baseConnectionId: lake.id,
  dataSetId: orders.id,
  schemaId: orders.schemaId,
});
const ordersMapping = new aep.MappingSet("quickstart-orders-mapping", {
  schemaId: orders.schemaId,
  mappings: [
    { source: "order_id", destination: "_id" },
    { source: "email", destination: "personalEmail.address" },
    { sourceType: "EXPRESSION", source: "upper(country)", destination: "homeAddress.countryCode" },
  ],
});
const ordersFlow = new aep.Dataflow("quickstart-orders-flow", {
  flowSpecName: "CloudStorageToAEP",
  sourceConnectionId: ordersFiles.id,
  targetConnectionId: ordersDataset.id,
  mappingId: ordersMapping.id,
  mappingVersion: ordersMapping.version,
  schedule: { startTime: 1767225600, frequency: "hour", interval: 1 },
});

const events = new aep.StreamingConnection("quickstart-events", { dataType: "xdm" });

exports.ftpId = ftp.id;
exports.sftpId = sftp.id;
exports.s3Id = s3.id;
exports.lakeId = lake.id;
exports.streamingId = events.id;
exports.streamingEtag = events.etag;
exports.inletUrl = events.inletUrl;
exports.inletId = events.inletId;
exports.pipeline = {
  dataSetId: orders.id,
  sourceConnectionId: ordersFiles.id,
  targetConnectionId: ordersDataset.id,
  mappingSetId: ordersMapping.id,
  mappingVersion: ordersMapping.version,
  dataflowId: ordersFlow.id,
  dataflowState: ordersFlow.state,
  flowSpecId: ordersFlow.flowSpecId,
};
