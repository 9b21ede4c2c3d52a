// The quickstart: one connection of each kind. `npm run demo` runs it against the local emulator;
// with real credentials (aep:* config or AEP_* env) it runs against Adobe Experience Platform.
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

const events = new aep.StreamingConnection("quickstart-events", { dataType: "xdm" });

exports.ftpId = ftp.id;
exports.sftpId = sftp.id;
exports.s3Id = s3.id;
exports.lakeId = lake.id;
exports.streamingId = events.id;
exports.streamingEtag = events.etag;
exports.inletUrl = events.inletUrl;
exports.inletId = events.inletId;
