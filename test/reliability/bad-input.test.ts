jest.setTimeout(1_200_000);

import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { StackSettings } from "@pulumi/pulumi/automation";
import { type Declared, type StackHandle, makeStack, pulumiOnPath, sharedProgram } from "../helpers/e2e";
import { setEnv, TestEmulator } from "../helpers/emulator";
import { exploreConnection } from "../../provider/functions/explore";
import { getConnection, getConnectionSpec } from "../../provider/functions/lookups";
import { getDataset, getSchema } from "../../provider/functions/references";
import { ProviderUnderTest } from "../helpers/engine";
import { makeOpenSshKey, makePemRsaKey } from "../helpers/keys";
import { errorText, findLeaks, resolveSecrets, runPool, secretRef as S } from "../helpers/reliability-input";

/**
 * The bad input corpus: each definition is invalid in one way, and must fail a real `pulumi preview`
 * (engine, CLI and the packed provider) with a message naming the property, without a secret value
 * in any output and with no request reaching the emulator. A preview stops at the first failing
 * resource, so each definition gets a preview of its own, run WORKERS at a time on as many stacks.
 *
 * Secrets come from secret config, as users are told to give them, and a few as plain values that
 * the resource marks secret: the CLI masks the values of secret config in everything it prints, so
 * only the latter show whether a failure message can carry a secret (the engine prints the
 * program's value of the property a check failure names, secret or not: pulumi/pulumi#19465).
 */
const WORKERS = Number(process.env.AEP_BAD_INPUT_WORKERS ?? 3);

type BaseType = "FtpConnection" | "SftpConnection" | "S3Connection" | "DatasetBaseConnection" | "StreamingConnection";
type PipelineType = "SourceConnection" | "TargetConnection" | "MappingSet" | "Dataflow";
type Type = BaseType | PipelineType;
const BASE_KIND: Record<BaseType, string> = { FtpConnection: "ftp", SftpConnection: "sftp", S3Connection: "s3", DatasetBaseConnection: "datasetBase", StreamingConnection: "streaming" };
const PIPELINE_KIND: Record<PipelineType, string> = { SourceConnection: "sourceConnection", TargetConnection: "targetConnection", MappingSet: "mappingSet", Dataflow: "dataflow" };
const KIND: Record<Type, string> = { ...BASE_KIND, ...PIPELINE_KIND };
/** Params every resource marks secret, whether given from secret config or as plain values. */
const SECRET_PARAMS = ["password", "privateKeyContent", "passPhrase", "secretKey", "sessionToken"];

const key = makeOpenSshKey("ed25519");
const keyLines = key.trim().split("\n");
const armor = (body: string): string => `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
const huge = (prefix: string, n = 100_000): string => prefix + "Qz".repeat(Math.ceil((n - prefix.length) / 2)).slice(0, n - prefix.length);

/** Secret config of every stack; each value is distinctive, so that a leak is found by search. */
const SECRETS: Record<string, string> = {
  pw: "bad-input-valid-password-7c1e",
  key,
  s3secret: "bad-input-valid-s3-secret-7c1e",
  hugePw: huge("bad-input-huge-password-"),
  notAKey: "bad-input-not-a-key-7c1e",
  pemKey: makePemRsaKey(),
  ecdsaKey: makeOpenSshKey("ecdsa"),
  keyNoEnd: keyLines.slice(0, -1).join("\n"),
  keyBadHeader: armor(Buffer.from("bad-input-not-openssh-key-v1-7c1e").toString("base64")),
  keyShortBody: armor(keyLines[1].slice(0, 64)),
  publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBadInputPublicKeyNotAPrivateKey7c1e bad-input@example",
  hugeKey: armor("A".repeat(70_000)),
  encryptedKey: makeOpenSshKey("ed25519", "bad-input-phrase-7c1e"),
  emptyS3Secret: "",
  longToken: huge("bad-input-long-session-token-", 9000),
};

interface Bad {
  type: Type;
  title: string;
  args: Record<string, unknown>;
  property: string;
  reason: RegExp;
}

const FTP = { host: "ftp.example.com", userName: "ingest", password: S("pw") };
const SFTP = { host: "sftp.example.com", userName: "ingest", password: S("pw") };
const SFTP_KEY = { host: "sftp.example.com", userName: "ingest", privateKeyContent: S("key") };
const S3 = { accessKey: "AKIAEXAMPLE", secretKey: S("s3secret"), bucketName: "landing-bucket" };
const STREAM = { dataType: "xdm" };
// A pipeline resource's references are ids of other resources: literal ids here, as a preview
// with known ids sees them.
const S3_SPEC = "ecadc60c-7455-4d87-84dc-2a0e293d997b";
const STREAMING_SPEC = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb";
const SCHEMA = "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4";
const SOURCE = { baseConnectionId: "0c1d3f0a-5b7e-4c2a-9d41-7a0f3e2b8c11", connectionSpecId: S3_SPEC, format: "delimited", path: "/inbound/*.csv" };
const TARGET = { baseConnectionId: "4e9a6b2c-1d3f-4a5b-8c7d-2e0f1a3b5c7d", dataSetId: "5f3c3cedb2805c194ff0b69a", schemaId: SCHEMA };
const MAPPING = { schemaId: SCHEMA, mappings: [{ source: "id", destination: "_id" }] };
const HOURLY = { startTime: 1_900_000_000, frequency: "hour", interval: 1 };
const FLOW = {
  flowSpecName: "CloudStorageToAEP",
  sourceConnectionId: "7a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9",
  targetConnectionId: "8b2c3d4e-5f60-4172-9384-a5b6c7d8e9f0",
  mappingId: "c0ffee00c0ffee00c0ffee00c0ffee00",
  mappingVersion: 0,
  schedule: HOURLY,
};
const without = (o: Record<string, unknown>, k: string): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([x]) => x !== k));
const bad = (type: Type, title: string, args: Record<string, unknown>, property: string, reason: RegExp): Bad => ({ type, title, args, property, reason });

const CORPUS: Bad[] = [
  bad("FtpConnection", "missing host", without(FTP, "host"), "host", /is required/),
  bad("FtpConnection", "missing password", without(FTP, "password"), "password", /is required/),
  bad("FtpConnection", "host with a scheme", { ...FTP, host: "ftp://ftp.example.com" }, "host", /without a scheme/),
  bad("FtpConnection", "host with a port", { ...FTP, host: "ftp.example.com:21" }, "host", /must not include a port/),
  bad("FtpConnection", "non-ASCII host", { ...FTP, host: "ftp.exämple.com" }, "host", /not a valid host name/),
  bad("FtpConnection", "huge host (100k characters)", { ...FTP, host: huge("h") }, "host", /at most 253 characters/),
  bad("FtpConnection", "userName as an object", { ...FTP, userName: { name: "ingest" } }, "userName", /must be a string, got an object/),
  bad("FtpConnection", "huge password (secret config, 100k characters)", { ...FTP, password: S("hugePw") }, "password", /at most 4096 characters/),
  bad("FtpConnection", "huge password (plain value, marked secret by the resource)", { ...FTP, password: huge("bad-input-plain-huge-password-", 5000) }, "password", /at most 4096 characters/),
  bad("FtpConnection", "password as a number (plain value, marked secret by the resource)", { ...FTP, password: 86753091 }, "password", /must be a string/),
  bad("FtpConnection", "unknown input hostname", { ...FTP, hostname: "ftp.example.com" }, "hostname", /not a property of FtpConnection/),
  bad("FtpConnection", "port, which FTP does not have", { ...FTP, port: 21 }, "port", /not a property of FtpConnection/),
  bad("FtpConnection", "verifyConnectivity as a string", { ...FTP, verifyConnectivity: "true" }, "verifyConnectivity", /must be true or false, got "true"/),

  bad("SftpConnection", "neither password nor privateKeyContent", without(SFTP, "password"), "password", /needs password or privateKeyContent/),
  bad("SftpConnection", "both password and privateKeyContent", { ...SFTP, privateKeyContent: S("key") }, "privateKeyContent", /cannot be set together with password/),
  bad("SftpConnection", "port 0", { ...SFTP, port: 0 }, "port", /between 1 and 65535/),
  bad("SftpConnection", "port as a string", { ...SFTP, port: "22" }, "port", /must be an integer/),
  bad("SftpConnection", "malformed IPv6 host", { ...SFTP, host: "1:2:3:4:5:6:7:8:9" }, "host", /not a valid IPv6/),
  bad("SftpConnection", "disableChunking as a string", { ...SFTP, disableChunking: "yes" }, "disableChunking", /true or false/),
  bad("SftpConnection", "verifyConnectivity as a number", { ...SFTP, verifyConnectivity: 1 }, "verifyConnectivity", /must be true or false, got number 1/),
  bad("SftpConnection", "text that is no key", { ...SFTP_KEY, privateKeyContent: S("notAKey") }, "privateKeyContent", /must be an OpenSSH private key/),
  bad("SftpConnection", "PEM (not OpenSSH) RSA key", { ...SFTP_KEY, privateKeyContent: S("pemKey") }, "privateKeyContent", /must be in OpenSSH format/),
  bad("SftpConnection", "ECDSA key", { ...SFTP_KEY, privateKeyContent: S("ecdsaKey") }, "privateKeyContent", /must be an RSA or ed25519 key/),
  bad("SftpConnection", "key without its END line", { ...SFTP_KEY, privateKeyContent: S("keyNoEnd") }, "privateKeyContent", /is truncated/),
  bad("SftpConnection", "key with a bad header", { ...SFTP_KEY, privateKeyContent: S("keyBadHeader") }, "privateKeyContent", /bad header/),
  bad("SftpConnection", "key with a truncated body", { ...SFTP_KEY, privateKeyContent: S("keyShortBody") }, "privateKeyContent", /truncated/),
  bad("SftpConnection", "public key instead of the private key", { ...SFTP_KEY, privateKeyContent: S("publicKey") }, "privateKeyContent", /must be an OpenSSH private key/),
  bad("SftpConnection", "huge key (70k characters)", { ...SFTP_KEY, privateKeyContent: S("hugeKey") }, "privateKeyContent", /at most 65536 characters/),
  bad("SftpConnection", "key that is no key (plain value, marked secret by the resource)", { ...SFTP_KEY, privateKeyContent: "bad-input-plain-not-a-key-7c1e" }, "privateKeyContent", /must be an OpenSSH private key/),
  bad("SftpConnection", "encrypted key without passPhrase", { ...SFTP_KEY, privateKeyContent: S("encryptedKey") }, "passPhrase", /is required: the private key is encrypted/),
  bad("SftpConnection", "passPhrase with password authentication (plain value, marked secret by the resource)", { ...SFTP, passPhrase: "bad-input-plain-passphrase-7c1e" }, "passPhrase", /only used with privateKeyContent/),
  bad("SftpConnection", "unknown input privateKey (for privateKeyContent)", { ...without(SFTP, "password"), privateKey: S("key") }, "privateKey", /not a property of SftpConnection/),

  bad("S3Connection", "missing secretKey", without(S3, "secretKey"), "secretKey", /is required/),
  bad("S3Connection", "accessKey too long", { ...S3, accessKey: "A".repeat(200) }, "accessKey", /at most 128 characters/),
  bad("S3Connection", "empty secretKey (secret config)", { ...S3, secretKey: S("emptyS3Secret") }, "secretKey", /must not be empty/),
  bad("S3Connection", "secretKey too long (plain value, marked secret by the resource)", { ...S3, secretKey: huge("bad-input-plain-s3-secret-", 2000) }, "secretKey", /at most 1024 characters/),
  bad("S3Connection", "sessionToken too long (secret config)", { ...S3, sessionToken: S("longToken") }, "sessionToken", /at most 8192 characters/),
  bad("S3Connection", "bucketName with upper case and underscore", { ...S3, bucketName: "Bad_Bucket" }, "bucketName", /only lowercase letters, digits and hyphens/),
  bad("S3Connection", "bucketName starting with a hyphen", { ...S3, bucketName: "-landing" }, "bucketName", /start and end with a letter or digit/),
  bad("S3Connection", "bucketName that is an IP address", { ...S3, bucketName: "192.168.1.1" }, "bucketName", /must not be an IP address/),
  bad("S3Connection", "non-ASCII bucketName", { ...S3, bucketName: "bücket" }, "bucketName", /only lowercase letters, digits and hyphens/),
  bad("S3Connection", "serviceUrl over http", { ...S3, serviceUrl: "http://s3.us-east-1.amazonaws.com" }, "serviceUrl", /S3 regional endpoint/),
  bad("S3Connection", "serviceUrl without a scheme", { ...S3, serviceUrl: "s3.us-east-1.amazonaws.com" }, "serviceUrl", /S3 regional endpoint/),
  bad("S3Connection", "non-ASCII serviceUrl", { ...S3, serviceUrl: "https://s3.ūs-east-1.amazonaws.com" }, "serviceUrl", /S3 regional endpoint/),
  bad("S3Connection", "huge serviceUrl (100k characters)", { ...S3, serviceUrl: huge("https://s3.") }, "serviceUrl", /at most 256 characters/),
  bad("S3Connection", "verifyConnectivity as an object", { ...S3, verifyConnectivity: { enabled: true } }, "verifyConnectivity", /must be true or false/),
  bad("S3Connection", "unknown input secretAccessKey", { ...S3, secretAccessKey: "AWS-SDK-style-name" }, "secretAccessKey", /not a property of S3Connection/),

  bad("DatasetBaseConnection", "empty name", { name: "" }, "name", /must not be empty/),
  bad("DatasetBaseConnection", "huge name (100k characters)", { name: huge("n") }, "name", /at most 256 characters/),
  bad("DatasetBaseConnection", "huge description (100k characters)", { description: huge("d") }, "description", /at most 4096 characters/),
  bad("DatasetBaseConnection", "sandbox with upper case", { sandbox: "Prod" }, "sandbox", /must be a sandbox name/),
  bad("DatasetBaseConnection", "non-ASCII sandbox", { sandbox: "prød" }, "sandbox", /must be a sandbox name/),
  bad("DatasetBaseConnection", "empty sandbox", { sandbox: "" }, "sandbox", /must be a sandbox name/),
  bad("DatasetBaseConnection", "existingConnectionId that is a path", { existingConnectionId: "../connections" }, "existingConnectionId", /must be the id of an existing connection/),
  bad("DatasetBaseConnection", "unknown input dataType", { dataType: "xdm" }, "dataType", /not a property of DatasetBaseConnection/),
  bad("DatasetBaseConnection", "verifyConnectivity, which a dataset base has not (nothing to reach)", { verifyConnectivity: true }, "verifyConnectivity", /not a property of DatasetBaseConnection/),
  bad("DatasetBaseConnection", "the output connectionSpecId given as an input", { connectionSpecId: "c604ff05-7f1a-43c0-8e18-33bf874cb11c" }, "connectionSpecId", /not a property of DatasetBaseConnection/),

  bad("StreamingConnection", "missing dataType", {}, "dataType", /is required/),
  bad("StreamingConnection", "unknown dataType", { dataType: "json" }, "dataType", /must be one of "xdm", "raw"/),
  bad("StreamingConnection", "non-ASCII dataType", { dataType: "xdḿ" }, "dataType", /must be one of "xdm", "raw"/),
  bad("StreamingConnection", "authenticationRequired as a string", { ...STREAM, authenticationRequired: "true" }, "authenticationRequired", /true or false/),
  bad("StreamingConnection", "empty sourceId", { ...STREAM, sourceId: "" }, "sourceId", /must not be empty/),
  bad("StreamingConnection", "huge sourceId (100k characters)", { ...STREAM, sourceId: huge("s") }, "sourceId", /at most 256 characters/),
  bad("StreamingConnection", "the output inletUrl given as an input", { ...STREAM, inletUrl: "https://dcs.adobedc.net/collection/abc" }, "inletUrl", /not a property of StreamingConnection/),
  bad("StreamingConnection", "verifyConnectivity, which a streaming connection has not", { ...STREAM, verifyConnectivity: true }, "verifyConnectivity", /not a property of StreamingConnection/),
  bad("StreamingConnection", "non-ASCII existingConnectionId", { ...STREAM, existingConnectionId: "bf367b0d-ü" }, "existingConnectionId", /must be the id of an existing connection/),

  bad("SourceConnection", "S3 source without path", without(SOURCE, "path"), "path", /is required for a file-based source connection, e\.g\. "\/inbound/),
  bad("SourceConnection", "S3 source without format", without(SOURCE, "format"), "format", /is required for a file-based source connection: "delimited", "json" or "parquet"/),
  bad("SourceConnection", "two-character columnDelimiter", { ...SOURCE, columnDelimiter: ";;" }, "columnDelimiter", /must be exactly one character, e\.g\. ","/),
  bad("SourceConnection", "columnDelimiter on JSON files", { ...SOURCE, format: "json", columnDelimiter: ";" }, "columnDelimiter", /applies to delimited files only/),
  bad("SourceConnection", "existingId that is a path", { ...SOURCE, existingId: "../flows" }, "existingId", /must be the id of an existing source connection/),
  bad("SourceConnection", "unknown compressionType zip", { ...SOURCE, compressionType: "zip" }, "compressionType", /must be one of "bzip2", "gzip", "deflate", "zipDeflate", "tarGzip", "tar", got "zip"/),
  bad("SourceConnection", "unknown format csv", { ...SOURCE, format: "csv" }, "format", /must be one of "delimited", "json", "parquet", got "csv"/),
  bad("SourceConnection", "baseConnectionId that is the expression, not the id", { ...SOURCE, baseConnectionId: "s3.id" }, "baseConnectionId", /must be the id of a base connection \(e\.g\. `s3\.id`\)/),
  bad("SourceConnection", "connectionSpecId that is a path", { ...SOURCE, connectionSpecId: "../connectionSpecs" }, "connectionSpecId", /must be the id of a connection spec \(e\.g\. `s3\.connectionSpecId`\)/),
  bad("SourceConnection", "path on a streaming source connection", { ...without(SOURCE, "format"), connectionSpecId: STREAMING_SPEC }, "path", /is not used by a streaming source connection; remove it/),
  bad("SourceConnection", "recursive as a string", { ...SOURCE, recursive: "yes" }, "recursive", /must be true or false/),

  bad("TargetConnection", "missing dataSetId", without(TARGET, "dataSetId"), "dataSetId", /is required for TargetConnection/),
  bad("TargetConnection", "missing schemaId", without(TARGET, "schemaId"), "schemaId", /is required for TargetConnection/),
  bad("TargetConnection", "baseConnectionId that is the expression, not the id", { ...TARGET, baseConnectionId: "lake.id" }, "baseConnectionId", /must be the id of a DatasetBaseConnection \(e\.g\. `lake\.id`\)/),
  bad("TargetConnection", "dataSetId as a number", { ...TARGET, dataSetId: 5 }, "dataSetId", /must be a string, got/),
  bad("TargetConnection", "unknown input datasetId (for dataSetId)", { ...without(TARGET, "dataSetId"), datasetId: "5f3c3cedb2805c194ff0b69a" }, "datasetId", /not a property of TargetConnection/),
  bad("TargetConnection", "empty schemaVersion", { ...TARGET, schemaVersion: " " }, "schemaVersion", /must not be empty/),
  bad("TargetConnection", "dataSetId that is the dataset's name", { ...TARGET, dataSetId: "orders-dataset-prod" }, "dataSetId", /must be a Catalog dataset id, 24 hex characters .*getDatasetOutput\(\{ name: "<dataset name>" \}\)\.id/),
  bad("TargetConnection", "schemaId that is the meta:altId", { ...TARGET, schemaId: "_acme.schemas.995dab" }, "schemaId", /must be an XDM schema \$id of the form https:\/\/ns\.adobe\.com\/<tenant>\/schemas\/<id>.*that is its meta:altId/),

  bad("MappingSet", "two mappings to one destination", { ...MAPPING, mappings: [{ source: "id", destination: "_id" }, { source: "orderId", destination: "_id" }] }, "mappings[1].destination", /"_id" is already mapped by mappings\[0\]; each destination takes one mapping/),
  bad("MappingSet", "a mapping with an unknown field", { ...MAPPING, mappings: [{ source: "id", target: "_id" }] }, "mappings[0].target", /is not a mapping field; valid fields are sourceType, source, destination/),
  bad("MappingSet", "no mappings", { ...MAPPING, mappings: [] }, "mappings", /must hold at least one mapping/),
  bad("MappingSet", "mappings as an object", { ...MAPPING, mappings: { id: "_id" } }, "mappings", /must be a list of \{ source, destination \} mappings/),
  bad("MappingSet", "unknown sourceType", { ...MAPPING, mappings: [{ sourceType: "FIELD", source: "id", destination: "_id" }] }, "mappings[0].sourceType", /must be "ATTRIBUTE" or "EXPRESSION"/),
  bad("MappingSet", "empty destination", { ...MAPPING, mappings: [{ source: "id", destination: "" }] }, "mappings[0].destination", /must not be empty/),
  bad("MappingSet", "1001 mappings", { ...MAPPING, mappings: Array.from({ length: 1001 }, (_, i) => ({ source: `f${i}`, destination: `_tenant.f${i}` })) }, "mappings", /may hold at most 1000 mappings, got 1001/),
  bad("MappingSet", "missing schemaId", without(MAPPING, "schemaId"), "schemaId", /is required for MappingSet/),
  bad("MappingSet", "schemaId that is the schema's title", { ...MAPPING, schemaId: "Orders" }, "schemaId", /must be an XDM schema \$id of the form .*getSchemaOutput\(\{ name: "<schema title>" \}\)\.id/),

  bad("Dataflow", "both flowSpecName and flowSpecId", { ...FLOW, flowSpecId: "9753525b-82c7-4dce-8a9b-5ccfce2b9876" }, "flowSpecId", /and flowSpecName name the flow spec twice; keep one/),
  bad("Dataflow", "neither flowSpecName nor flowSpecId", without(FLOW, "flowSpecName"), "flowSpecName", /or flowSpecId is required, e\.g\. flowSpecName: "CloudStorageToAEP"/),
  bad("Dataflow", "minute schedule with interval 5", { ...FLOW, schedule: { ...HOURLY, frequency: "minute", interval: 5 } }, "schedule.interval", /must be at least 15 for frequency "minute", got 5/),
  bad("Dataflow", "a schedule on the streaming flow spec", { ...FLOW, flowSpecName: "Steam data with transformation" }, "schedule", /is not used by a streaming dataflow \(it runs continuously\); remove it/),
  bad("Dataflow", "CloudStorageToAEP without a schedule", without(FLOW, "schedule"), "schedule", /is required by CloudStorageToAEP: e\.g\. \{ startTime/),
  bad("Dataflow", "mappingId without mappingVersion", without(FLOW, "mappingVersion"), "mappingVersion", /is required with mappingId: pass mapping\.version/),
  bad("Dataflow", "enabled as a string", { ...FLOW, enabled: "false" }, "enabled", /must be true or false, got/),
  bad("Dataflow", "sourceConnectionId that is the expression, not the id", { ...FLOW, sourceConnectionId: "source.id" }, "sourceConnectionId", /must be the id of a SourceConnection \(e\.g\. `source\.id`\)/),
  bad("Dataflow", "mappingId that is a path", { ...FLOW, mappingId: "../mappingSets" }, "mappingId", /must be the id of a MappingSet \(e\.g\. `mapping\.id`\)/),
  bad("Dataflow", "unknown schedule frequency hourly", { ...FLOW, schedule: { ...HOURLY, frequency: "hourly" } }, "schedule.frequency", /must be one of once, minute, hour, day, week, got/),
  bad("Dataflow", "startTime as a date string", { ...FLOW, schedule: { ...HOURLY, startTime: "2030-03-17T00:00:00Z" } }, "schedule.startTime", /must be a whole number of seconds since the epoch \(e\.g\. 1767225600\), got "2030-03-17T00:00:00Z"/),
  bad("Dataflow", "negative mappingVersion", { ...FLOW, mappingVersion: -1 }, "mappingVersion", /must be at least 0, got -1/),
];

const BASE_SECRETS = ["pw", "key", "s3secret"];
const refsOf = (args: Record<string, unknown>): string[] =>
  Object.values(args).flatMap((v) => (v && typeof v === "object" && typeof (v as { secret?: unknown }).secret === "string" ? [(v as { secret: string }).secret] : []));

/** The secret values a definition carries (from secret config or plain values of secret params): none may show. */
function secretsOf(def: Bad): string[] {
  const out = new Set<string>();
  for (const k of refsOf(def.args)) out.add(SECRETS[k]);
  for (const [k, v] of Object.entries(def.args)) if (SECRET_PARAMS.includes(k) && (typeof v === "string" || typeof v === "number")) out.add(String(v));
  return [...out].filter((s) => s.length >= 8);
}

/** A check failure naming the property: in its property field, or (no field) first in its reason. */
const namedBy = (f: { property: string; reason: string }, property: string): boolean => f.property === property || (f.property === "" && f.reason.startsWith(`${property} `));

/**
 * The engine's line for a check failure: `property P value {…} has a problem: reason`, or, for a
 * failure without a property, `resource 'bad' has a problem: P reason`.
 */
function namesProperty(text: string, property: string, reason: RegExp): boolean {
  const lines = text.split("\n").filter((l) => l.includes("has a problem"));
  return lines.some((l) => (l.includes(`property ${property} value`) || l.includes(`has a problem: ${property} `)) && reason.test(l));
}

let emu: TestEmulator;
const handles: StackHandle[] = [];

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  emu = await TestEmulator.start();
}, 120_000);

afterAll(async () => {
  await emu?.stop();
  // The program folder is shared with other test files: only this file's stacks are removed from it.
  for (const h of handles) {
    rmSync(h.backendDir, { recursive: true, force: true });
    rmSync(join(h.programDir, `Pulumi.${h.stack.name}.yaml`), { force: true });
  }
});

it("has at least 60 definitions for the five connection kinds and 20 for the four pipeline kinds", () => {
  const ofTypes = (types: string[]) => CORPUS.filter((d) => types.includes(d.type));
  expect(ofTypes(Object.keys(BASE_KIND)).length).toBeGreaterThanOrEqual(60);
  for (const type of Object.keys(BASE_KIND)) expect(CORPUS.filter((d) => d.type === type).length).toBeGreaterThanOrEqual(8);
  expect(ofTypes(Object.keys(PIPELINE_KIND)).length).toBeGreaterThanOrEqual(20);
  for (const type of Object.keys(PIPELINE_KIND)) expect(CORPUS.filter((d) => d.type === type).length).toBeGreaterThanOrEqual(5);
  expect(new Set(CORPUS.map((d) => `${d.type} ${d.title}`)).size).toBe(CORPUS.length);
});

describe("the provider's check, called directly", () => {
  const providers = new Map<string, ProviderUnderTest>();
  beforeAll(async () => {
    for (const kind of Object.values(KIND)) providers.set(kind, await ProviderUnderTest.load(kind));
  });

  it.each(CORPUS.map((d) => [`${d.type}: ${d.title}`, d] as const))("rejects %s, naming the property", async (_t, def) => {
    const provider = providers.get(KIND[def.type]) as ProviderUnderTest;
    const { failures } = await provider.check({}, { __autoName: "bad", ...resolveSecrets(def.args, SECRETS) });
    expect(failures.some((f) => namedBy(f, def.property) && def.reason.test(f.reason))).toBe(true);
    expect(findLeaks({ failures: JSON.stringify(failures) }, secretsOf(def))).toEqual([]);
  });
});

interface PreviewResult {
  error: string;
  output: string;
  requestsSoFar: number;
}

describe("pulumi preview", () => {
  const VALID: Declared = { type: "FtpConnection", name: "bad", args: FTP };
  const results = new Map<Bad | Declared, PreviewResult>();

  beforeAll(async () => {
    const programDir = sharedProgram();
    const run = randomBytes(4).toString("hex");
    const config: Record<string, { value: string; secret?: boolean }> = {};
    for (const [k, v] of Object.entries(emu.config())) config[k] = { value: v, secret: k === "aep:clientSecret" };
    for (const [k, v] of Object.entries(SECRETS)) config[k] = { value: v, secret: true };
    const settings: StackSettings[] = [];
    for (let i = 0; i < WORKERS; i++) {
      const h = await makeStack(programDir, {}, `bad-input-${run}-${i}`);
      handles.push(h);
      // The CLI encrypts every secret once; each preview then gets a settings file holding only
      // the secrets its definition uses: the language host hands all config to the program in one
      // environment variable, 128 KiB at most.
      await h.stack.setAllConfig(config);
      settings.push(await h.stack.workspace.stackSettings(h.stack.name));
    }
    const project = Object.keys(settings[0].config ?? {}).find((k) => k.endsWith(":pw"))?.split(":")[0];
    await emu.clearRequests();
    const started = Date.now();
    // A valid definition first: a preview that passes makes no request either.
    await runPool<Bad | Declared, void>([VALID, ...CORPUS], WORKERS, async (def, worker) => {
      const { stack } = handles[worker];
      const keep = new Set([...BASE_SECRETS, ...refsOf(def.args)].map((k) => `${project}:${k}`));
      const own = Object.entries(settings[worker].config ?? {}).filter(([k]) => k.startsWith("aep:") || keep.has(k));
      const resources = JSON.stringify([{ type: def.type, name: "bad", args: def.args }]);
      await stack.workspace.saveStackSettings(stack.name, { ...settings[worker], config: { ...Object.fromEntries(own), [`${project}:resources`]: resources } });
      const seen: string[] = [];
      const err = await stack.preview({ onOutput: (s) => seen.push(s), onError: (s) => seen.push(s), onEvent: (e) => seen.push(echoesConfig(e) ? "" : JSON.stringify(e)) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      results.set(def, { error: errorText(err), output: seen.join("\n"), requestsSoFar: (await emu.requests()).total });
    });
    const s = (Date.now() - started) / 1000;
    process.stdout.write(`bad input: ${CORPUS.length + 1} previews on ${WORKERS} stacks in ${s.toFixed(1)} s (${(s / (CORPUS.length + 1)).toFixed(2)} s each)\n`);
    // A preview takes 2 to 7 s on a busy two-core machine: room for the slowest, per definition.
  }, 60_000 + ((CORPUS.length + 1) * 20_000) / WORKERS);

  it("passes for a valid definition, making no request", () => {
    expect(results.get(VALID)?.error).toBe("");
    expect(results.get(VALID)?.requestsSoFar).toBe(0);
  });

  it.each(CORPUS.map((d) => [`${d.type}: ${d.title}`, d] as const))("fails for %s, naming the property, showing no secret and making no request", (_t, def) => {
    const r = results.get(def) as PreviewResult;
    expect(r.error).toMatch(/resource 'bad'/);
    expect(namesProperty(r.error, def.property, def.reason)).toBe(true);
    expect(findLeaks({ error: r.error, "CLI output and events": r.output }, secretsOf(def))).toEqual([]);
    expect(r.requestsSoFar).toBe(0);
  });

  it("made no request to the emulator across all previews", async () => {
    expect((await emu.requests()).total).toBe(0);
  });
});

/**
 * The functions' bad arguments, called as a program calls them (in its own process): each is refused before
 * any request, with a message naming the function, the argument and what it takes.
 */
describe("the functions, called with bad arguments", () => {
  const ID = "bf367b0d-3d9b-4060-b67b-0d3d9bd06094";
  const calls: Array<[string, () => Promise<unknown>, RegExp]> = [
    ["exploreConnection without connectionId", () => exploreConnection({} as never), /^exploreConnection: connectionId must be an id/],
    ["exploreConnection with a path as connectionId", () => exploreConnection({ connectionId: "../connections" }), /^exploreConnection: connectionId must be an id .*got "\.\.\/connections"/],
    ["exploreConnection with an empty path", () => exploreConnection({ connectionId: ID, path: "" }), /^exploreConnection: path must be a non-empty string/],
    ["exploreConnection with a number as path", () => exploreConnection({ connectionId: ID, path: 7 as never }), /^exploreConnection: path must be a non-empty string .*got 7/],
    ["exploreConnection with a huge path", () => exploreConnection({ connectionId: ID, path: huge("/") }), /^exploreConnection: path must be .*at most 1024 characters, got a string of 100000 characters/],
    ["exploreConnection with an upper-case sandbox", () => exploreConnection({ connectionId: ID, sandbox: "Prod" }), /^exploreConnection: sandbox must be a sandbox name/],
    ["exploreConnection with an unknown argument", () => exploreConnection({ connectionId: ID, folder: "/in" } as never), /^exploreConnection: folder is not an argument; the arguments are connectionId, path, sandbox/],
    ["exploreConnection with null", () => exploreConnection(null as never), /^exploreConnection: takes an object of arguments/],
    ["getConnectionSpec with neither name nor id", () => getConnectionSpec({} as never), /^getConnectionSpec: give exactly one of name and id, got neither/],
    ["getConnectionSpec with both name and id", () => getConnectionSpec({ name: "FTP", id: ID } as never), /^getConnectionSpec: give exactly one of name and id, got both/],
    ["getConnectionSpec with an empty name", () => getConnectionSpec({ name: "" }), /^getConnectionSpec: name must be a non-empty string/],
    ["getConnectionSpec with a malformed id", () => getConnectionSpec({ id: "not an id" }), /^getConnectionSpec: id must be an id/],
    ["getConnection with a number as name", () => getConnection({ name: 5 as never }), /^getConnection: name must be a non-empty string .*got 5/],
    ["getConnection with a non-ASCII sandbox", () => getConnection({ name: "x", sandbox: "prød" }), /^getConnection: sandbox must be a sandbox name/],
    ["getConnection with an unknown argument", () => getConnection({ title: "x" } as never), /^getConnection: title is not an argument/],
    ["getDataset with a dataset's name as id", () => getDataset({ id: "orders-dataset-prod" }), /^getDataset: id must be a Catalog dataset id, 24 hex characters .*got "orders-dataset-prod"/],
    ["getDataset with both name and id", () => getDataset({ name: "Orders", id: "5f3c3cedb2805c194ff0b69a" } as never), /^getDataset: give exactly one of name and id, got both/],
    ["getSchema with a meta:altId as id", () => getSchema({ id: "_acme.schemas.995dab" }), /^getSchema: id must be an XDM schema \$id of the form .*that is its meta:altId/],
    ["getSchema with an unknown argument", () => getSchema({ title: "Orders" } as never), /^getSchema: title is not an argument; the arguments are name, id, sandbox/],
  ];

  it.each(calls)("refuses %s, naming the argument and making no request", async (_title, call, message) => {
    const restore = setEnv(emu.env());
    try {
      await emu.clearRequests();
      await expect(call()).rejects.toThrow(message);
      expect((await emu.requests()).total).toBe(0);
    } finally {
      restore();
    }
  });
});

/**
 * Events that repeat this harness's stack config verbatim: the prelude, and the default provider's
 * inputs. The harness passes the "plain" secrets through config (a real program has them in its
 * code, where the engine never echoes them), so these events are not where a leak would show.
 */
function echoesConfig(e: { preludeEvent?: unknown; resourcePreEvent?: { metadata?: { type?: string } }; resOutputsEvent?: { metadata?: { type?: string } } }): boolean {
  const type = e.resourcePreEvent?.metadata?.type ?? e.resOutputsEvent?.metadata?.type;
  return e.preludeEvent !== undefined || (type?.startsWith("pulumi:providers:") ?? false);
}
