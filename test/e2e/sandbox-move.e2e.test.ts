jest.setTimeout(600_000);

import { rmSync } from "node:fs";
import { join } from "node:path";
import { type Declared, type StackHandle, declare, makeStack, pulumiOnPath, sharedProgram, useEmulator } from "../helpers/e2e";
import { DEMO, TestEmulator } from "../helpers/emulator";

/**
 * A pipeline moved whole to another sandbox, with the real engine and CLI: every resource is replaced,
 * deleting first. The engine deletes a replaced resource's dependents in the chain of the first
 * replaced resource that reaches them, and another chain that reaches the same dependents goes on
 * without waiting for them: here the source connection's chain and the target connection's both reach
 * the dataflows, so one of them asks to delete its connection while the other is still deleting the
 * dataflows that use it (Flow Service's 1418-400). Each dataflow delete is slowed to make that overlap
 * certain. The provider waits for the deletes in flight in its process and asks again.
 */
const CLIENT = { clientId: "move-client", clientSecret: "client-secret-8c2f4b1d", orgId: "M0VE00000000000000@AdobeOrg", sandboxes: ["prod", "dev"] };
const SCHEMA = DEMO.orders.schemaId;
const ref = (r: string) => ({ ref: r });
const onOutput = (): void => undefined;

function pipeline(sandbox: string): Declared[] {
  const flow = (name: string) => ({
    type: "Dataflow",
    name,
    args: { sandbox, flowSpecName: "CloudStorageToAEP", sourceConnectionId: ref("files.id"), targetConnectionId: ref("target.id"), mappingId: ref("mapping.id"), mappingVersion: ref("mapping.version"), schedule: { startTime: 1_900_000_000, frequency: "hour", interval: 1 } },
  });
  return [
    { type: "S3Connection", name: "s3", args: { sandbox, accessKey: "AKIAMOVE01", secretKey: { secret: "s3Secret" }, bucketName: "orders-bucket" } },
    { type: "DatasetBaseConnection", name: "lake", args: { sandbox } },
    { type: "SourceConnection", name: "files", args: { sandbox, baseConnectionId: ref("s3.id"), connectionSpecId: ref("s3.connectionSpecId"), format: "delimited", path: "/in/*.csv" } },
    { type: "TargetConnection", name: "target", args: { sandbox, baseConnectionId: ref("lake.id"), dataSetId: DEMO.orders.dataSetId, schemaId: SCHEMA } },
    { type: "MappingSet", name: "mapping", args: { sandbox, schemaId: SCHEMA, mappings: [{ source: "key", destination: "_id" }] } },
    flow("flowA"),
    flow("flowB"),
    flow("flowC"),
  ];
}

let emu: TestEmulator;
let h: StackHandle;

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  emu = await TestEmulator.start({ clients: [CLIENT] });
  h = await makeStack(sharedProgram(), {}, `sandbox-move-${process.pid}`);
  await useEmulator(h.stack, emu.baseUrl, CLIENT);
}, 300_000);

afterAll(async () => {
  await h?.stack.destroy({ onOutput }).catch(() => undefined);
  await emu?.stop();
  if (h) rmSync(h.backendDir, { recursive: true, force: true });
  if (h) rmSync(join(h.programDir, `Pulumi.${h.stack.name}.yaml`), { force: true });
});

it("moves a pipeline whose dataflows two replaced connections reach to another sandbox, every entity once, nothing left behind", async () => {
  const secrets = { s3Secret: "move-s3-secret-2b7e9d" };
  await declare(h.stack, pipeline("prod"), secrets);
  expect((await h.stack.up({ onOutput })).summary.result).toBe("succeeded");
  expect(emu.control.flows()).toHaveLength(3);

  await emu.clearRequests();
  await emu.addFault({ kind: "latency", method: "DELETE", route: "/flows/{id}", latencyMs: 1500 });
  await declare(h.stack, pipeline("dev"), secrets);
  let text = "";
  const up = await h.stack.up({ onOutput: (s) => (text += s) }).catch((e: Error) => e);
  if (up instanceof Error) throw new Error(`the move failed:\n${text}\n${up.message}`);
  expect(up.summary.resourceChanges?.replace).toBe(8);

  // Every entity of the pipeline is in the new sandbox, once; none is left in the old one.
  const inSandbox = (rows: Array<{ sandboxName?: string }>, sandbox: string) => rows.filter((r) => r.sandboxName === sandbox).length;
  expect(inSandbox(emu.control.flows(), "dev")).toBe(3);
  expect(inSandbox(emu.control.flows(), "prod")).toBe(0);
  expect(inSandbox(emu.control.sourceConnections(), "prod")).toBe(0);
  expect(inSandbox(emu.control.targetConnections(), "prod")).toBe(0);
  expect(inSandbox(await emu.connections(), "prod")).toBe(0);
  expect(inSandbox(await emu.connections(), "dev")).toBe(2);
  // Each old entity deleted once: the refusals asked again, none repeated an acknowledged DELETE.
  const deletes = (await emu.requests()).entries.filter((r) => r.method === "DELETE" && r.status < 300);
  expect(deletes.map((r) => r.route).sort()).toEqual(["/connections/{id}", "/connections/{id}", "/flows/{id}", "/flows/{id}", "/flows/{id}", "/sourceConnections/{id}", "/targetConnections/{id}"]);
  const refused = (await emu.requests()).entries.filter((r) => r.method === "DELETE" && r.status === 400);
  process.stdout.write(`sandbox move: ${refused.length} DELETE(s) refused with 1418-400 while a dataflow delete was in flight, then asked again\n`);
});
