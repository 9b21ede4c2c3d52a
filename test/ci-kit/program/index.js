// The CI kit's test program: a small pipeline (S3 files → a dataset, enabled every hour), and, when
// the stack's config names one, an existing FTP connection adopted by id (kept on destroy, as adopted
// connections usually are).
"use strict";
const pulumi = require("@pulumi/pulumi");
const aep = require("pulumi-aep-flow");

const config = new pulumi.Config();

const s3 = new aep.S3Connection("kit-s3", {
  accessKey: config.require("s3AccessKey"),
  secretKey: config.requireSecret("s3SecretKey"),
  serviceUrl: "https://s3.us-east-1.amazonaws.com",
  bucketName: "acme-aep-landing",
});
const lake = new aep.DatasetBaseConnection("kit-lake", {});
// The emulator's demo Orders dataset and its schema: a target connection must name both as Catalog holds them.
const schemaId = "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4";
const files = new aep.SourceConnection("kit-files", {
  baseConnectionId: s3.id,
  connectionSpecId: s3.connectionSpecId,
  format: "delimited",
  path: "/acme-aep-landing/orders/*.csv",
});
const dataset = new aep.TargetConnection("kit-dataset", { baseConnectionId: lake.id, dataSetId: "5f3c3cedb2805c194ff0b69a", schemaId });
const mapping = new aep.MappingSet("kit-mapping", { schemaId, mappings: [{ source: "order_id", destination: "_id" }] });
const flow = new aep.Dataflow("kit-flow", {
  flowSpecName: "CloudStorageToAEP",
  sourceConnectionId: files.id,
  targetConnectionId: dataset.id,
  mappingId: mapping.id,
  mappingVersion: mapping.version,
  schedule: { startTime: 1767225600, frequency: "hour", interval: 1 },
});

const adoptId = config.get("legacyFtpId");
if (adoptId) {
  new aep.FtpConnection(
    "kit-legacy-ftp",
    { existingConnectionId: adoptId, host: "ftp.example.com", userName: "legacy", password: config.requireSecret("ftpPassword") },
    { retainOnDelete: true },
  );
}

exports.s3Id = s3.id;
exports.dataflowId = flow.id;
