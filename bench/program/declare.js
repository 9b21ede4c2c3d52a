// The resources the benchmark declares, by index: the kinds of the mix in turn, valid inputs for each.
// Shared by the Pulumi program and the provider-only run, so both create the same mix.
// The mix is a knob (BENCH_MIX, stack config bench:mix): a comma-separated list of resource types,
// default the five connection kinds. A kind added to the package joins the benchmark with a case in
// argsFor, its requests per create in CREATE_REQUESTS, and a lean shim.
// Pipeline kinds reference other resources by id, so in a mix each one uses the nearest resource
// before it in the same turn of the mix that it can use (a source connection the file connection
// before it, a target connection the dataset base connection, a dataflow the source, target and
// mapping set). `Pipeline` stands for one whole pipeline of six: an S3 connection, a source
// connection on it, a dataset base connection, a target connection on it, a mapping set, a dataflow.
"use strict";

const TYPES = ["FtpConnection", "SftpConnection", "S3Connection", "DatasetBaseConnection", "StreamingConnection"];
const PIPELINE_TYPES = ["SourceConnection", "TargetConnection", "MappingSet", "Dataflow"];
const PIPELINE = ["S3Connection", "SourceConnection", "DatasetBaseConnection", "TargetConnection", "MappingSet", "Dataflow"];
const KNOWN = [...TYPES, ...PIPELINE_TYPES];
/** Flow Service requests of one create by an ideal client (streaming reads its inlet back). */
const CREATE_REQUESTS = {
  FtpConnection: 1,
  SftpConnection: 1,
  S3Connection: 1,
  DatasetBaseConnection: 1,
  StreamingConnection: 2,
  SourceConnection: 1,
  TargetConnection: 1,
  MappingSet: 1,
  Dataflow: 1,
};
/** Flow Service (and Data Prep) requests of one delete by an ideal client: Data Prep cannot delete a mapping set. */
const DELETE_REQUESTS = { MappingSet: 0 };
/**
 * What a pipeline kind references: input -> [the types it may reference, the output it takes].
 * Resolved to the nearest fitting resource before it in the same turn of the mix.
 */
const REFERENCES = {
  SourceConnection: { baseConnectionId: [["S3Connection", "FtpConnection", "SftpConnection"], "id"], connectionSpecId: [["S3Connection", "FtpConnection", "SftpConnection"], "connectionSpecId"] },
  TargetConnection: { baseConnectionId: [["DatasetBaseConnection"], "id"] },
  Dataflow: {
    sourceConnectionId: [["SourceConnection"], "id"],
    targetConnectionId: [["TargetConnection"], "id"],
    mappingId: [["MappingSet"], "id"],
    mappingVersion: [["MappingSet"], "version"],
  },
};
/**
 * What each kind lists once per deployment before its first create: the entities that may already bear a
 * generated name (the leftover of an interrupted create). One engine does this for every kind: base
 * connections list /connections by their spec, the pipeline kinds their collection.
 */
const NAME_LISTING = {
  FtpConnection: "connections of the FTP spec",
  SftpConnection: "connections of the SFTP spec",
  S3Connection: "connections of the S3 spec",
  DatasetBaseConnection: "connections of the Data Lake spec",
  StreamingConnection: "connections of the streaming spec",
  SourceConnection: "sourceConnections",
  TargetConnection: "targetConnections",
  MappingSet: "mappingSets",
  Dataflow: "flows",
};

/** Where in `mix` the resource at position `p` finds each reference (positions in the same turn). */
function referencesAt(mix, p) {
  const refs = {};
  for (const [input, [types, output]] of Object.entries(REFERENCES[mix[p]] ?? {})) {
    let q = p - 1;
    while (q >= 0 && !types.includes(mix[q])) q--;
    if (q < 0) throw new Error(`bench mix: ${mix[p]} at position ${p + 1} needs a ${types.join(" or ")} before it in the mix for its ${input} (e.g. BENCH_MIX=Pipeline)`);
    refs[input] = { offset: q - p, output };
  }
  return refs;
}

/** The mix from its text (comma-separated types, `Pipeline` for the six of a pipeline; empty: all five connection kinds). */
function parseMix(text) {
  if (!text) return TYPES;
  const mix = text
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean)
    .flatMap((t) => (t === "Pipeline" ? PIPELINE : [t]));
  for (const t of mix) if (!KNOWN.includes(t)) throw new Error(`bench mix: unknown resource type ${JSON.stringify(t)} (known: ${KNOWN.join(", ")}, Pipeline)`);
  mix.forEach((_, p) => referencesAt(mix, p));
  return mix;
}
/** Whether the mix holds pipeline kinds (their figures are kept apart from the connections'). */
const hasPipelines = (mix) => mix.some((t) => PIPELINE_TYPES.includes(t));
const KIND_OF = {
  FtpConnection: "ftp",
  SftpConnection: "sftp",
  S3Connection: "s3",
  DatasetBaseConnection: "datasetBase",
  StreamingConnection: "streaming",
  SourceConnection: "sourceConnection",
  TargetConnection: "targetConnection",
  MappingSet: "mappingSet",
  Dataflow: "dataflow",
};
// The emulator's demo Orders dataset and its schema (present in every sandbox): every target writes to it.
const DATASET_ID = "5f3c3cedb2805c194ff0b69a";
const SCHEMA_ID = "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4";

const benchName = (i) => `bench-${String(i).padStart(4, "0")}`;

/**
 * Resource type, Pulumi name, args and the names of the secret args of resource `i`. A pipeline
 * kind's `refs` name, per input, the earlier resource (its Pulumi name and index) and the output of
 * it the input takes; the program puts that output in the input.
 */
function argsFor(i, revision = "1", mix = TYPES) {
  const p = i % mix.length;
  const type = mix[p];
  const name = benchName(i);
  const description = `benchmark ${PIPELINE_TYPES.includes(type) ? "pipeline resource" : "connection"} ${i}, revision ${revision}`;
  const refs = Object.fromEntries(Object.entries(referencesAt(mix, p)).map(([input, { offset, output }]) => [input, { index: i + offset, name: benchName(i + offset), output }]));
  switch (type) {
    case "SourceConnection":
      return { type, name, secretKeys: [], refs, args: { description, format: "json", path: `/bench/${i}/*.json` } };
    case "TargetConnection":
      return { type, name, secretKeys: [], refs, args: { description, dataSetId: DATASET_ID, schemaId: SCHEMA_ID } };
    case "MappingSet":
      return { type, name, secretKeys: [], refs, args: { description, schemaId: SCHEMA_ID, mappings: [{ source: "order_id", destination: "_id" }, { source: "total", destination: "commerce.order.priceTotal" }] } };
    case "Dataflow":
      return { type, name, secretKeys: [], refs, args: { description, flowSpecName: "CloudStorageToAEP", schedule: { startTime: 1767225600, frequency: "hour", interval: 1 } } };
    case "FtpConnection":
      return { type, name, secretKeys: ["password"], refs, args: { description, host: `ftp${i}.example.com`, userName: "ingest", password: `bench-ftp-password-${i}` } };
    case "SftpConnection":
      return { type, name, secretKeys: ["password"], refs, args: { description, host: `sftp${i}.example.com`, userName: "ingest", password: `bench-sftp-password-${i}` } };
    case "S3Connection":
      return { type, name, secretKeys: ["secretKey"], refs, args: { description, accessKey: "AKIABENCHMARK", secretKey: `bench-s3-secret-${i}`, bucketName: `bench-bucket-${i}` } };
    case "DatasetBaseConnection":
      return { type, name, secretKeys: [], refs, args: { description } };
    default:
      return { type, name, secretKeys: [], refs, args: { description, dataType: "xdm" } };
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

/** Flow Service requests an ideal client makes to delete the first `n` resources of the mix. */
function deleteRequests(n, mix = TYPES) {
  let r = 0;
  for (let i = 0; i < n; i++) r += DELETE_REQUESTS[mix[i % mix.length]] ?? 1;
  return r;
}

/**
 * Requests of a deployment that creates resources, once each whatever their number: one listing per
 * kind created (generated names, NAME_LISTING), and one GET /flowSpecs when it creates dataflows (one
 * flow spec in the mix).
 */
function fixedCreateRequests(n, mix = TYPES) {
  const kinds = new Set(Array.from({ length: Math.min(n, mix.length) }, (_, i) => mix[i % mix.length]));
  let r = 0;
  for (const k of kinds) if (NAME_LISTING[k]) r++;
  if (kinds.has("Dataflow")) r++;
  return r;
}

/** How many connection specs the first `n` resources of the mix use (one listing each). */
function specCount(n, mix = TYPES) {
  return new Set(Array.from({ length: Math.min(n, mix.length) }, (_, i) => mix[i % mix.length])).size;
}

/**
 * Every property each resource class registers with the engine, set or not: its declared inputs and
 * its outputs (provider/resources/resource.ts). The lean no-op registers the same, since the SDK's
 * cost in the program grows with them (four promises per property, each with a stack trace);
 * test/bench/figures.test.ts holds this table to the classes themselves.
 */
const DECLARED = {
  FtpConnection: ["connectionSpecId", "description", "etag", "host", "name", "password", "sandbox", "state", "userName", "verifyConnectivity"],
  SftpConnection: ["authType", "connectionSpecId", "description", "disableChunking", "etag", "folderPath", "host", "maxConcurrentConnections", "name", "passPhrase", "password", "port", "privateKeyContent", "sandbox", "state", "userName", "verifyConnectivity"],
  S3Connection: ["accessKey", "bucketName", "connectionSpecId", "description", "etag", "folderPath", "name", "sandbox", "secretKey", "serviceUrl", "sessionToken", "state", "verifyConnectivity"],
  DatasetBaseConnection: ["connectionSpecId", "description", "etag", "name", "sandbox", "state"],
  StreamingConnection: ["authenticationRequired", "connectionSpecId", "dataType", "description", "etag", "inletId", "inletUrl", "name", "sandbox", "sourceId", "state"],
  SourceConnection: ["baseConnectionId", "columnDelimiter", "compressionType", "connectionSpecId", "description", "etag", "format", "name", "params", "path", "recursive", "sandbox", "state"],
  TargetConnection: ["baseConnectionId", "connectionSpecId", "dataSetId", "description", "etag", "format", "name", "sandbox", "schemaId", "schemaVersion", "state"],
  MappingSet: ["description", "mappings", "name", "sandbox", "schemaContentType", "schemaId", "version"],
  Dataflow: ["description", "enabled", "etag", "flowSpecId", "flowSpecName", "mappingId", "mappingVersion", "name", "sandbox", "schedule", "sourceConnectionId", "state", "targetConnectionId"],
};

module.exports = {
  DECLARED,
  TYPES,
  PIPELINE,
  PIPELINE_TYPES,
  KIND_OF,
  argsFor,
  parseMix,
  hasPipelines,
  streamingCount,
  createRequests,
  deleteRequests,
  fixedCreateRequests,
  specCount,
};
