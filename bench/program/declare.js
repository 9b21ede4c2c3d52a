// The resources the benchmark declares, by index: the five kinds in turn, valid inputs for each.
// Shared by the Pulumi program and the provider-only run, so both create the same mix.
"use strict";

const TYPES = ["FtpConnection", "SftpConnection", "S3Connection", "DatasetBaseConnection", "StreamingConnection"];
const KIND_OF = { FtpConnection: "ftp", SftpConnection: "sftp", S3Connection: "s3", DatasetBaseConnection: "datasetBase", StreamingConnection: "streaming" };

/** Resource type, Pulumi name, args and the names of the secret args of resource `i`. */
function argsFor(i, revision = "1") {
  const type = TYPES[i % TYPES.length];
  const name = `bench-${String(i).padStart(4, "0")}`;
  const description = `benchmark connection ${i}, revision ${revision}`;
  switch (type) {
    case "FtpConnection":
      return { type, name, secretKeys: ["password"], args: { description, host: `ftp${i}.example.com`, userName: "ingest", password: `bench-ftp-password-${i}` } };
    case "SftpConnection":
      return { type, name, secretKeys: ["password"], args: { description, host: `sftp${i}.example.com`, userName: "ingest", password: `bench-sftp-password-${i}` } };
    case "S3Connection":
      return { type, name, secretKeys: ["secretKey"], args: { description, accessKey: "AKIABENCHMARK", secretKey: `bench-s3-secret-${i}`, bucketName: `bench-bucket-${i}` } };
    case "DatasetBaseConnection":
      return { type, name, secretKeys: [], args: { description } };
    default:
      return { type, name, secretKeys: [], args: { description, dataType: "xdm" } };
  }
}

/** How many of the first `n` resources are streaming connections (each needs a GET after its POST). */
function streamingCount(n) {
  let s = 0;
  for (let i = 0; i < n; i++) if (TYPES[i % TYPES.length] === "StreamingConnection") s++;
  return s;
}

module.exports = { TYPES, KIND_OF, argsFor, streamingCount };
