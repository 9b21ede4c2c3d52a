/**
 * Export of a sandbox built through the public API (S3 → dataset, SFTP → dataset, a streaming pipeline,
 * Azure Blob through the generic Connection → dataset, two unused connections sharing a name), read from
 * the emulator over HTTP: what is declared, how it is wired, where secrets go, and what was requested.
 */
import type { ExportResult } from "../../../provider/export/export-sandbox";
import { TestEmulator, type AdminRequests } from "../../helpers/emulator";
import { AZURE_BLOB_SPEC, SEEDED_SECRETS, type Seeded, UNUSED_NAME, seedClient, seedSandbox } from "./support/seed";
import { block, idsByType, runExport } from "./support/run";

const SANDBOX = "dev";
let emu: TestEmulator;
let seeded: Seeded;
let result: ExportResult;
let log: AdminRequests;
let index: string;

beforeAll(async () => {
  emu = await TestEmulator.start();
  seeded = await seedSandbox(seedClient(emu.baseUrl), SANDBOX);
  await emu.clearRequests();
  result = await runExport(emu, SANDBOX);
  log = await emu.requests();
  index = result.program.files.get("index.ts") as string;
});

afterAll(async () => {
  await emu?.stop();
});

const nameOf = (id: string): string => {
  const w = result.program.written.find((d) => d.id === id);
  if (!w) throw new Error(`entity ${id} was not exported`);
  return w.resourceName;
};
const variableOf = (id: string): string => result.program.written.find((d) => d.id === id)?.variable as string;

describe("what an export declares", () => {
  it("declares every entity once, as the typed kind that fits it and the generic Connection otherwise", () => {
    const pipelines = [seeded.s3, seeded.sftp, seeded.streaming, seeded.azure];
    const sorted = (ids: string[]) => [...ids].sort();
    expect(idsByType(result)).toEqual({
      DatasetBaseConnection: [seeded.lake],
      S3Connection: [seeded.s3.base],
      SftpConnection: sorted([seeded.sftp.base, seeded.unusedSftp]),
      StreamingConnection: [seeded.streaming.base],
      FtpConnection: [seeded.unusedFtp],
      Connection: [seeded.azure.base],
      SourceConnection: sorted(pipelines.map((p) => p.source)),
      TargetConnection: sorted(pipelines.map((p) => p.target)),
      MappingSet: sorted(pipelines.map((p) => p.mapping)),
      Dataflow: sorted(pipelines.map((p) => p.flow)),
    });
    // index.ts: one declaration per entity, each entity's id named once (in its declaration's comment).
    expect(index.match(/= new \w+\("/g)).toHaveLength(23);
    for (const w of result.program.written) expect(index.split(w.id)).toHaveLength(2);
    expect(result.stats.skipped).toBe(0);
  });

  it("wires every reference as the referenced resource's output", () => {
    for (const p of [seeded.s3, seeded.sftp, seeded.streaming, seeded.azure]) {
      const source = block(index, nameOf(p.source));
      expect(source).toContain(`  baseConnectionId: ${variableOf(p.base)}.id,\n`);
      expect(source).toContain(`  connectionSpecId: ${variableOf(p.base)}.connectionSpecId,\n`);
      expect(block(index, nameOf(p.target))).toContain(`  baseConnectionId: ${variableOf(seeded.lake)}.id,\n`);
      const flow = block(index, nameOf(p.flow));
      expect(flow).toContain(`  sourceConnectionId: ${variableOf(p.source)}.id,\n`);
      expect(flow).toContain(`  targetConnectionId: ${variableOf(p.target)}.id,\n`);
      expect(flow).toContain(`  mappingId: ${variableOf(p.mapping)}.id,\n`);
      expect(flow).toContain(`  mappingVersion: ${variableOf(p.mapping)}.version,\n`);
    }
    // Every variable is declared before it is used.
    for (const w of result.program.written) {
      const declaredAt = index.indexOf(`const ${w.variable} = new `);
      const firstUse = index.search(new RegExp(`[^\\w]${w.variable}\\.`));
      if (firstUse >= 0) expect(firstUse).toBeGreaterThan(declaredAt);
    }
  });

  it("declares each entity's values as the provider reads them, and no sandbox", () => {
    expect(block(index, nameOf(seeded.s3.base))).toBe(
      [
        'const ordersS3 = new S3Connection("orders-s3", {',
        '  name: "Orders S3",',
        '  description: "The orders bucket",',
        '  accessKey: "AKIAORDERSEXAMPLE",',
        '  secretKey: config.requireSecret("ordersS3SecretKey"),',
        '  bucketName: "acme-orders",',
        '  existingId: adopt["orders-s3"],',
        "});",
        "",
      ].join("\n"),
    );
    const sftp = block(index, nameOf(seeded.sftp.base));
    for (const line of ['  host: "sftp.partner.example.com",', "  port: 2222,", '  userName: "aep",', '  password: config.requireSecret("partnerSftpPassword"),', '  folderPath: "/outbound",']) expect(sftp).toContain(line);
    const streaming = block(index, nameOf(seeded.streaming.base));
    for (const line of ['  dataType: "xdm",', '  sourceId: "web-events",', "  authenticationRequired: true,"]) expect(streaming).toContain(line);
    const files = block(index, nameOf(seeded.s3.source));
    for (const line of ['  format: "delimited",', '  columnDelimiter: ";",', '  path: "/inbound/orders/*.csv",', "  recursive: true,"]) expect(files).toContain(line);
    const flow = block(index, nameOf(seeded.s3.flow));
    expect(flow).toContain('  flowSpecName: "CloudStorageToAEP",\n');
    expect(flow).toContain('  schedule: { startTime: 1767225600, frequency: "hour", interval: 1 },\n');
    const streamingFlow = block(index, nameOf(seeded.streaming.flow));
    expect(streamingFlow).toContain('  flowSpecName: "Steam data with transformation",\n');
    expect(streamingFlow).not.toContain("schedule");
    // The Data Lake defaults (format parquet_xdm, the full schema version) are left to the kind.
    expect(block(index, nameOf(seeded.s3.target))).not.toMatch(/format|schemaVersion/);
    expect(index).not.toMatch(/^\s+sandbox:/m);
  });

  it("declares a connection of a spec no typed kind has with the generic Connection: its spec, auth spec, params and secret params", () => {
    expect(block(index, nameOf(seeded.azure.base))).toBe(
      [
        'const archiveBlob = new Connection("archive-blob", {',
        '  name: "Archive blob",',
        '  description: "Azure Blob Storage archive",',
        `  connectionSpecId: "${AZURE_BLOB_SPEC}", // Azure Blob Storage`,
        '  authSpecName: "ConnectionString",',
        '  secretParams: { connectionString: config.requireSecret("archiveBlobConnectionString") },',
        '  existingId: adopt["archive-blob"],',
        "});",
        "",
      ].join("\n"),
    );
  });
});

describe("secrets", () => {
  const EXPECTED_SECRETS = () => [
    { resource: nameOf(seeded.azure.base), what: "secretParams.connectionString" },
    { resource: nameOf(seeded.unusedSftp), what: "privateKeyContent" },
    { resource: nameOf(seeded.unusedSftp), what: "passPhrase" },
    { resource: nameOf(seeded.unusedFtp), what: "password" },
    { resource: nameOf(seeded.s3.base), what: "secretKey" },
    { resource: nameOf(seeded.sftp.base), what: "password" },
  ];

  it("reads every secret from stack config, and no file holds a secret or its mask", () => {
    const secrets = result.program.secrets.map((s) => ({ resource: s.resourceName, what: s.what }));
    expect(secrets.sort((a, b) => `${a.resource}${a.what}`.localeCompare(`${b.resource}${b.what}`))).toEqual(
      EXPECTED_SECRETS().sort((a, b) => `${a.resource}${a.what}`.localeCompare(`${b.resource}${b.what}`)),
    );
    expect(index.match(/config\.requireSecret\(/g)).toHaveLength(6);
    for (const s of result.program.secrets) expect(index).toContain(`config.requireSecret(${JSON.stringify(s.configKey)})`);
    for (const [file, text] of result.program.files) {
      for (const secret of Object.values(SEEDED_SECRETS)) expect({ file, holds: text.includes(secret) }).toEqual({ file, holds: false });
      expect({ file, masked: text.includes("********") }).toEqual({ file, masked: false });
    }
  });

  it("lists a `pulumi config set --secret` command for each secret in the README", () => {
    const readme = result.program.files.get("README.md") as string;
    for (const s of result.program.secrets) expect(readme).toContain(`pulumi config set --secret ${s.configKey} <value>`);
    expect(readme.match(/^pulumi config set --secret (?!aep:)/gm)).toHaveLength(2 * 6);
  });
});

describe("names and adoption", () => {
  it("tells the two connections named alike apart, and names every entity alike in a second run", async () => {
    const ftp = nameOf(seeded.unusedFtp);
    const sftp = nameOf(seeded.unusedSftp);
    expect(ftp).not.toBe(sftp);
    expect(ftp).toBe(`legacy-partner-drop-${seeded.unusedFtp.replace(/-/g, "").slice(0, 8)}`);
    expect(sftp).toBe(`legacy-partner-drop-${seeded.unusedSftp.replace(/-/g, "").slice(0, 8)}`);
    expect(block(index, ftp)).toContain(`  name: ${JSON.stringify(UNUSED_NAME)},`);
    const again = await runExport(emu, SANDBOX);
    expect(again.program.written.map((w) => [w.id, w.resourceName, w.variable])).toEqual(result.program.written.map((w) => [w.id, w.resourceName, w.variable]));
    // Nothing depends on the time or the listings' order: the files are the same bytes.
    expect(again.program.files).toEqual(result.program.files);
  });

  it("gives every resource existingId from the adopt map, which the source stack's file holds", () => {
    const names = result.program.written.map((w) => w.resourceName);
    for (const name of names) expect(block(index, name)).toContain(`  existingId: adopt[${JSON.stringify(name)}],\n`);
    expect(index).toContain('const adopt = config.getObject<Record<string, string>>("adopt") ?? {};');
    const stackFile = result.program.files.get("Pulumi.dev.yaml") as string;
    expect(stackFile).toContain('\nconfig:\n  aep:sandbox: "dev"\n  aep-dev:adopt:\n');
    const entries = [...stackFile.matchAll(/^ {4}("[^"]+"): ("[^"]+")$/gm)].map((m) => [JSON.parse(m[1]), JSON.parse(m[2])]);
    expect(Object.fromEntries(entries)).toEqual(Object.fromEntries(result.program.written.map((w) => [w.resourceName, w.id])));
    expect(result.program.files.get("Pulumi.yaml")).toMatch(/^name: aep-dev\n/);
  });

  it("adds retainOnDelete to every resource with `retain`", async () => {
    const retained = await runExport(emu, SANDBOX, { program: { retain: true } });
    const text = retained.program.files.get("index.ts") as string;
    expect(text.match(/^}, \{ retainOnDelete: true \}\);$/gm)).toHaveLength(23);
    expect(text).not.toMatch(/^}\);$/m);
    expect(index).not.toContain("retainOnDelete");
  });
});

describe("requests", () => {
  it("lists each collection once and the flow specs once, and writes nothing", () => {
    const flowAndDataPrep = Object.fromEntries(Object.entries(log.counts).filter(([key]) => !key.startsWith("POST /ims/")));
    // 7 base connections and 4 of each other kind: one page each (Data Prep's ends on a page shorter than 100).
    expect(flowAndDataPrep).toEqual({
      "GET /connections": 1,
      "GET /sourceConnections": 1,
      "GET /targetConnections": 1,
      "GET /flows": 1,
      "GET /mappingSets": 1,
      "GET /flowSpecs": 1,
    });
    expect(log.counts["POST /ims/token/v3"]).toBe(1);
    expect(log.entries.filter((e) => e.method !== "GET" && e.route !== "/ims/token/v3")).toEqual([]);
    expect(log.entries.every((e) => e.status === 200 && (e.route === "/ims/token/v3" || e.sandbox === SANDBOX))).toBe(true);
    expect(result.stats.requestCount).toBe(6);
    expect(result.stats.requests).toEqual(flowAndDataPrep);
  });
});
