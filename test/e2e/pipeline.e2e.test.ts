jest.setTimeout(240_000);

import type { Stack } from "@pulumi/pulumi/automation";
import { type Declared, type StackHandle, cliExport, declare, makeStack, pulumiOnPath, sharedProgram, useEmulator } from "../helpers/e2e";
import { DEMO, TestEmulator } from "../helpers/emulator";
import { makeOpenSshKey } from "../helpers/keys";

/**
 * An ingestion pipeline with the real engine and CLI, against the emulator: SFTP and S3 base
 * connections, source connections on them, a dataset base connection with a target connection, a
 * mapping set and enabled dataflows. One stack goes through every scenario in order.
 */
const canary = (n: string): string => `pipe-canary-${n}-93c1`;
const SECRETS = { sftpPassword: canary("sftp-password"), sftpKey: makeOpenSshKey("ed25519"), s3Secret: canary("s3-secret") };
const CLIENT = { clientId: "pipe-client", clientSecret: canary("client-secret"), orgId: "P1PE000000000000@AdobeOrg", sandboxes: ["prod", "dev"] };
const SCHEMA = DEMO.orders.schemaId;
const CLOUD_STORAGE = "9753525b-82c7-4dce-8a9b-5ccfce2b9876";
const START = 1_900_000_000;

const ref = (r: string) => ({ ref: r });
const mappings = [{ source: "id", destination: "_id" }];
function pipeline(opts: { sftpAuth?: "password" | "key"; mappings?: object[]; schedule?: object } = {}): Declared[] {
  const sftpAuth = opts.sftpAuth === "key" ? { privateKeyContent: { secret: "sftpKey" } } : { password: { secret: "sftpPassword" } };
  const flow = (name: string, source: string) => ({
    type: "Dataflow",
    name,
    args: { flowSpecName: "CloudStorageToAEP", sourceConnectionId: ref(`${source}.id`), targetConnectionId: ref("target.id"), mappingId: ref("mapping.id"), mappingVersion: ref("mapping.version"), schedule: opts.schedule ?? { startTime: START, frequency: "hour", interval: 1 } },
  });
  return [
    { type: "SftpConnection", name: "sftp", args: { host: "sftp.example.com", userName: "ingest", ...sftpAuth } },
    { type: "S3Connection", name: "s3", args: { accessKey: "AKIAPIPE", secretKey: { secret: "s3Secret" }, bucketName: "orders-bucket" } },
    { type: "SourceConnection", name: "sftpFiles", args: { baseConnectionId: ref("sftp.id"), connectionSpecId: ref("sftp.connectionSpecId"), format: "delimited", path: "/in/*.csv" } },
    { type: "SourceConnection", name: "s3Files", args: { baseConnectionId: ref("s3.id"), connectionSpecId: ref("s3.connectionSpecId"), format: "json", path: "/orders/*.json" } },
    { type: "DatasetBaseConnection", name: "lake", args: {} },
    { type: "TargetConnection", name: "target", args: { baseConnectionId: ref("lake.id"), dataSetId: DEMO.orders.dataSetId, schemaId: SCHEMA } },
    { type: "MappingSet", name: "mapping", args: { schemaId: SCHEMA, mappings: opts.mappings ?? mappings } },
    flow("sftpFlow", "sftpFiles"),
    flow("s3Flow", "s3Files"),
  ];
}

let emu: TestEmulator;
let h: StackHandle;
let stack: Stack;
const onOutput = (): void => undefined;

function changes(summary: Record<string, number> | undefined): Record<string, number> {
  const out = { ...(summary ?? {}) };
  delete out.same;
  return out;
}

async function outputsOf(s: Stack): Promise<Record<string, Record<string, unknown>>> {
  return Object.fromEntries(Object.entries(await s.outputs()).map(([k, v]) => [k, v.value as Record<string, unknown>]));
}

function entities() {
  return { connections: emu.control.connections(), sources: emu.control.sourceConnections(), targets: emu.control.targetConnections(), flows: emu.control.flows(), mappingSets: emu.control.mappingSets() };
}

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  emu = await TestEmulator.start({ clients: [CLIENT] });
  h = await makeStack(sharedProgram(), { AEP_ENDPOINT: "http://127.0.0.1:9", AEP_IMS_ENDPOINT: "http://127.0.0.1:9" }, "pipeline");
  stack = h.stack;
  await declare(stack, pipeline(), SECRETS);
}, 300_000);

afterAll(async () => {
  await emu?.stop();
});

it("previews the whole pipeline with no credentials and makes no request", async () => {
  const preview = await stack.preview({ onOutput });
  expect(changes(preview.changeSummary)).toEqual({ create: 10 });
  expect((await emu.requests()).total).toBe(0);
});

it("creates it on up: every entity once, the dataflows enabled on the mapping's version 0", async () => {
  await useEmulator(stack, emu.baseUrl, CLIENT);
  await emu.clearRequests();
  const up = await stack.up({ onOutput });
  expect(changes(up.summary.resourceChanges)).toEqual({ create: 10 });
  const e = entities();
  expect([e.connections.length, e.sources.length, e.targets.length, e.flows.length, e.mappingSets.length]).toEqual([3, 2, 1, 2, 1]);
  const outs = await outputsOf(stack);
  expect(outs.sftpFlow).toMatchObject({ state: "enabled", enabled: true, flowSpecId: CLOUD_STORAGE, mappingVersion: 0 });
  const { counts } = await emu.requests();
  expect(counts).toMatchObject({ "POST /sourceConnections": 2, "POST /targetConnections": 1, "POST /mappingSets": 1, "POST /flows": 2, "GET /flowSpecs": 1 });
  expect(counts["POST /flows/{id}/action"] ?? 0).toBe(0);
  // Secrets of the base connections never reach the state in clear.
  const exported = cliExport(h);
  for (const s of [SECRETS.sftpPassword, SECRETS.s3Secret, CLIENT.clientSecret]) expect(exported).not.toContain(s);
});

it("changes nothing on a second up", async () => {
  await emu.clearRequests();
  const up = await stack.up({ onOutput });
  expect(changes(up.summary.resourceChanges)).toEqual({});
  const { counts } = await emu.requests();
  for (const write of ["POST /sourceConnections", "POST /flows", "PATCH /flows/{id}", "PUT /mappingSets/{id}"]) expect(counts[write] ?? 0).toBe(0);
});

it("updates in place: a new mapping moves both dataflows to its new version in the same up", async () => {
  const before = await outputsOf(stack);
  await declare(stack, pipeline({ mappings: [...mappings, { source: "total", destination: "commerce.order.priceTotal" }], schedule: { startTime: START, frequency: "day", interval: 1 } }), SECRETS);
  await emu.clearRequests();
  const up = await stack.up({ onOutput });
  expect(changes(up.summary.resourceChanges)).toEqual({ update: 3 });
  const after = await outputsOf(stack);
  expect(after.mapping.version).toBe(1);
  for (const f of ["sftpFlow", "s3Flow"]) {
    expect(after[f].id).toBe(before[f].id);
    expect(after[f].mappingVersion).toBe(1);
    const held = emu.control.flow(after[f].id as string);
    expect(held.transformations[0].params.mappingVersion).toBe(1);
    expect(held.scheduleParams.frequency).toBe("day");
  }
  const { counts } = await emu.requests();
  expect(counts).toMatchObject({ "PUT /mappingSets/{id}": 1, "PATCH /flows/{id}": 2 });
});

it("replaces the SFTP connection under a live dataflow in one up: dataflow and source connection go first and come back", async () => {
  const before = await outputsOf(stack);
  await declare(stack, pipeline({ sftpAuth: "key", mappings: [...mappings, { source: "total", destination: "commerce.order.priceTotal" }], schedule: { startTime: START, frequency: "day", interval: 1 } }), SECRETS);
  await emu.clearRequests();
  const up = await stack.up({ onOutput });
  expect(changes(up.summary.resourceChanges)).toEqual({ replace: 3 });
  const after = await outputsOf(stack);
  for (const name of ["sftp", "sftpFiles", "sftpFlow"]) expect(after[name].id).not.toBe(before[name].id);
  for (const name of ["s3", "s3Files", "s3Flow", "target", "mapping"]) expect(after[name].id).toBe(before[name].id);
  const held = emu.control.flow(after.sftpFlow.id as string);
  expect(held.sourceConnectionIds).toEqual([after.sftpFiles.id]);
  expect(held.state).toBe("enabled");
  const e = entities();
  expect([e.connections.length, e.sources.length, e.flows.length]).toEqual([3, 2, 2]);
  const { entries } = await emu.requests();
  const order = entries.filter((r) => r.method === "DELETE").map((r) => r.route);
  expect(order).toEqual(["/flows/{id}", "/sourceConnections/{id}", "/connections/{id}"]);
  expect(entries.some((r) => r.status === 400)).toBe(false);
});

it("refresh shows a dataflow disabled outside Pulumi and drops one deleted outside Pulumi; the next up restores both", async () => {
  const outs = await outputsOf(stack);
  await emu.control.driftFlow(outs.sftpFlow.id as string, { state: "disabled" });
  await emu.control.deleteFlow(outs.s3Flow.id as string);
  const refresh = await stack.refresh({ onOutput });
  expect(changes(refresh.summary.resourceChanges)).toEqual({ update: 1, delete: 1 });
  const up = await stack.up({ onOutput });
  expect(changes(up.summary.resourceChanges)).toEqual({ update: 1, create: 1 });
  const after = await outputsOf(stack);
  expect(emu.control.flow(after.sftpFlow.id as string).state).toBe("enabled");
  expect(emu.control.flow(after.s3Flow.id as string).state).toBe("enabled");
});

it("destroys in order and leaves no entity but the mapping set Data Prep cannot delete", async () => {
  await emu.clearRequests();
  const destroy = await stack.destroy({ onOutput });
  expect(changes(destroy.summary.resourceChanges)).toEqual({ delete: 10 });
  const e = entities();
  expect([e.connections.length, e.sources.length, e.targets.length, e.flows.length]).toEqual([0, 0, 0, 0]);
  expect(e.mappingSets).toHaveLength(1);
  const { entries } = await emu.requests();
  expect(entries.some((r) => r.status >= 400)).toBe(false);
});
