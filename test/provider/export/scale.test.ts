/**
 * Export of a sandbox of 1,000 entities, seeded through the public API with a bounded number of requests
 * in flight: the requests are the listing pages and one flow spec listing, nothing is written, every
 * entity is declared once under a name of its own. The time is reported, never asserted.
 */
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, makeStack, pulumiOnPath } from "../../helpers/e2e";
import { TestEmulator } from "../../helpers/emulator";
import { DEMO, SPEC } from "../../helpers/emulator";
import { FLOW_SPEC, seedClient } from "./support/seed";
import { runExport } from "./support/run";

const SANDBOX = "dev";
const PIPELINES = 199;
const UNUSED = 4;
/** One dataset base connection, 199 pipelines of five entities, four unused connections. */
const ENTITIES = 1 + 5 * PIPELINES + UNUSED;
const IN_FLIGHT = 8;

let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start();
  const c = seedClient(emu.baseUrl, IN_FLIGHT);
  const lake = (await c.createItem("/connections", SANDBOX, { name: "Data Lake", connectionSpec: { id: SPEC.datasetBase, version: "1.0" } })).id;
  const pipeline = async (i: number) => {
    const n = String(i).padStart(3, "0");
    const base = (await c.createItem("/connections", SANDBOX, { name: `Store ${n} S3`, auth: { specName: "Access Key", params: { s3AccessKey: `AKIA${n}`, s3SecretKey: `store-${n}-secret-key` } }, connectionSpec: { id: SPEC.s3, version: "1.0" } })).id;
    const source = (await c.createItem("/sourceConnections", SANDBOX, { name: `Store ${n} files`, baseConnectionId: base, connectionSpec: { id: SPEC.s3, version: "1.0" }, data: { format: "delimited" }, params: { path: `/stores/${n}/*.csv` } })).id;
    const target = (
      await c.createItem("/targetConnections", SANDBOX, {
        name: `Store ${n} orders`,
        baseConnectionId: lake,
        connectionSpec: { id: SPEC.datasetBase, version: "1.0" },
        data: { format: "parquet_xdm", schema: { id: DEMO.orders.schemaId, version: "application/vnd.adobe.xed-full+json;version=1" } },
        params: { dataSetId: DEMO.orders.dataSetId },
      })
    ).id;
    const mapping = (await c.createMappingSet(SANDBOX, { name: `Store ${n} mapping`, outputSchema: { schemaRef: { id: DEMO.orders.schemaId, contentType: "application/vnd.adobe.xed-full+json;version=1" } }, mappings: [{ sourceType: "ATTRIBUTE", source: "id", destination: "_id" }] })).id;
    await c.createItem("/flows", SANDBOX, {
      name: `Store ${n} hourly`,
      flowSpec: { id: FLOW_SPEC.cloudStorage, version: "1.0" },
      sourceConnectionIds: [source],
      targetConnectionIds: [target],
      transformations: [{ name: "Mapping", params: { mappingId: mapping, mappingVersion: 0 } }],
      scheduleParams: { startTime: "1767225600", frequency: "hour", interval: "1" },
    });
  };
  // Workers taking the next pipeline: at most IN_FLIGHT requests at a time.
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < PIPELINES) await pipeline(next++);
    }),
  );
  for (let i = 0; i < UNUSED; i++) {
    await c.createItem("/connections", SANDBOX, { name: "Old FTP", auth: { specName: "Basic Authentication for FTP", params: { host: `ftp${i}.example.com`, userName: "u", password: "old-ftp-password" } }, connectionSpec: { id: SPEC.ftp, version: "1.0" } });
  }
}, 300_000);

afterAll(async () => {
  await emu?.stop();
});

it("exports 1,000 entities with the listing pages and one flow spec listing, writing nothing", async () => {
  await emu.clearRequests();
  const result = await runExport(emu, SANDBOX, { maxPages: 1000 });
  const log = await emu.requests();

  const pages = { flow: (n: number) => Math.max(1, Math.ceil(n / 100)), dataPrep: (n: number) => Math.floor(n / 100) + 1 };
  const connections = 1 + PIPELINES + UNUSED;
  const expected = {
    "GET /connections": pages.flow(connections),
    "GET /sourceConnections": pages.flow(PIPELINES),
    "GET /targetConnections": pages.flow(PIPELINES),
    "GET /flows": pages.flow(PIPELINES),
    "GET /mappingSets": pages.dataPrep(PIPELINES),
    "GET /flowSpecs": 1,
  };
  const listingPages = Object.values(expected).reduce((a, b) => a + b, 0) - 1;
  expect(Object.fromEntries(Object.entries(log.counts).filter(([k]) => !k.startsWith("POST /ims/")))).toEqual(expected);
  expect(log.entries.filter((e) => e.method !== "GET" && e.route !== "/ims/token/v3")).toEqual([]);
  expect(result.stats.requestCount).toBe(listingPages + 1);

  expect(result.program.written).toHaveLength(ENTITIES);
  expect(new Set(result.program.written.map((w) => w.resourceName)).size).toBe(ENTITIES);
  expect(new Set(result.program.written.map((w) => w.variable)).size).toBe(ENTITIES);
  expect(result.program.secrets).toHaveLength(PIPELINES + UNUSED);
  const index = result.program.files.get("index.ts") as string;
  expect(index.match(/= new \w+\("/g)).toHaveLength(ENTITIES);

  const figures = {
    entities: ENTITIES,
    requests: result.stats.requestCount,
    listingPages,
    flowSpecListings: 1,
    imsTokenRequests: log.counts["POST /ims/token/v3"],
    exportMs: Math.round(result.stats.elapsedMs),
    indexTsBytes: Buffer.byteLength(index),
  };
  process.stderr.write(`export of ${ENTITIES} entities: ${JSON.stringify(figures)}\n`);
  program = result.program;
}, 120_000);

let program: Awaited<ReturnType<typeof runExport>>["program"] | undefined;

it("previews the exported program of 1,000 entities with the real CLI and no credentials: every entity planned, no request", async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  if (!program) throw new Error("the export above did not run");
  const dir = mkdtempSync(join(tmpdir(), "aep-export-scale-"));
  try {
    for (const [file, text] of program.files) {
      const at = join(dir, file);
      if (!at.startsWith(dir)) throw new Error(`export wrote outside its folder: ${file}`);
      writeFileSync(at, text);
    }
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    // A preview on another stack (no ids to adopt), with no credentials: `check` makes no request.
    const h = await makeStack(dir, {}, "stage");
    const config: Record<string, { value: string; secret?: boolean }> = { "aep:sandbox": { value: "stage" } };
    for (const s of program.secrets) config[s.configKey] = { value: `scale-preview-${s.configKey}-secret`, secret: true };
    await h.stack.setAllConfig(config);
    await emu.clearRequests();
    const started = process.hrtime.bigint();
    const preview = await h.stack.preview({ onOutput: () => undefined });
    const previewMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
    expect(preview.changeSummary).toEqual({ create: ENTITIES + 1 });
    expect((await emu.requests()).entries).toEqual([]);
    process.stderr.write(`pulumi preview of the exported program of ${ENTITIES} entities: ${JSON.stringify({ previewMs })}\n`);
    rmSync(h.backendDir, { recursive: true, force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 900_000);
