// The resources the benchmark declares, by index: the kinds of the mix in turn, valid inputs for each.
// Shared by the Pulumi program and the provider-only run, so both create the same mix.
// The mix is a knob (BENCH_MIX, stack config bench:mix): a comma-separated list of resource types,
// default the five connection kinds. A kind added to the package (a pipeline kind) joins the
// benchmark with a case in argsFor, its requests per create in CREATE_REQUESTS, and a lean shim.
"use strict";

const TYPES = ["FtpConnection", "SftpConnection", "S3Connection", "DatasetBaseConnection", "StreamingConnection"];
/** Flow Service requests of one create by an ideal client (streaming reads its inlet back). */
const CREATE_REQUESTS = { FtpConnection: 1, SftpConnection: 1, S3Connection: 1, DatasetBaseConnection: 1, StreamingConnection: 2 };

/** The mix from its text (comma-separated types; empty: all five connection kinds). */
function parseMix(text) {
  if (!text) return TYPES;
  const mix = text.split(",").map((t) => t.trim()).filter(Boolean);
  for (const t of mix) if (!TYPES.includes(t)) throw new Error(`bench mix: unknown resource type ${JSON.stringify(t)} (known: ${TYPES.join(", ")})`);
  return mix;
}
const KIND_OF = { FtpConnection: "ftp", SftpConnection: "sftp", S3Connection: "s3", DatasetBaseConnection: "datasetBase", StreamingConnection: "streaming" };

/** Resource type, Pulumi name, args and the names of the secret args of resource `i`. */
function argsFor(i, revision = "1", mix = TYPES) {
  const type = mix[i % mix.length];
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
function streamingCount(n, mix = TYPES) {
  let s = 0;
  for (let i = 0; i < n; i++) if (mix[i % mix.length] === "StreamingConnection") s++;
  return s;
}

/** Flow Service requests an ideal client makes to create the first `n` resources of the mix. */
function createRequests(n, mix = TYPES) {
  let r = 0;
  for (let i = 0; i < n; i++) r += CREATE_REQUESTS[mix[i % mix.length]];
  return r;
}

/** How many connection specs the first `n` resources of the mix use (one listing each). */
function specCount(n, mix = TYPES) {
  return new Set(Array.from({ length: Math.min(n, mix.length) }, (_, i) => mix[i % mix.length])).size;
}

module.exports = { TYPES, KIND_OF, argsFor, parseMix, streamingCount, createRequests, specCount };
