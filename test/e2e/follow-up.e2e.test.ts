jest.setTimeout(240_000);

import type { Stack } from "@pulumi/pulumi/automation";
import { type Declared, type StackHandle, cliExport, declare, makeStack, pulumiOnPath, sharedProgram, useEmulator } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";

/**
 * A dataflow declared disabled whose disable action fails after Flow Service acknowledged its POST,
 * with the real engine and CLI: the `up` fails, but the engine records the dataflow ("created but
 * failed to initialize"), and the next `up` finishes it with an update: one dataflow in all, never a
 * second POST.
 */
const CLIENT = { clientId: "follow-up-client", clientSecret: "follow-up-secret-4d2a", orgId: "F0110000000000000@AdobeOrg", sandboxes: ["prod"] };
const DATASET = "5f3c3cedb2805c194ff0b69a";
const SCHEMA = "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4";
const ref = (r: string) => ({ ref: r });

const RESOURCES: Declared[] = [
  { type: "S3Connection", name: "s3", args: { accessKey: "AKIAFOLLOWUP", secretKey: { secret: "s3Secret" }, bucketName: "orders-bucket" } },
  { type: "SourceConnection", name: "files", args: { baseConnectionId: ref("s3.id"), connectionSpecId: ref("s3.connectionSpecId"), format: "json", path: "/orders/*.json" } },
  { type: "DatasetBaseConnection", name: "lake", args: {} },
  { type: "TargetConnection", name: "target", args: { baseConnectionId: ref("lake.id"), dataSetId: DATASET, schemaId: SCHEMA } },
  { type: "MappingSet", name: "mapping", args: { schemaId: SCHEMA, mappings: [{ source: "id", destination: "_id" }] } },
  {
    type: "Dataflow",
    name: "nightly",
    args: { flowSpecName: "CloudStorageToAEP", sourceConnectionId: ref("files.id"), targetConnectionId: ref("target.id"), mappingId: ref("mapping.id"), mappingVersion: ref("mapping.version"), schedule: { startTime: 1_900_000_000, frequency: "day", interval: 1 }, enabled: false },
  },
];

let emu: TestEmulator;
let h: StackHandle;
let stack: Stack;
const onOutput = (): void => undefined;

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  emu = await TestEmulator.start({ clients: [CLIENT] });
  h = await makeStack(sharedProgram(), {}, `follow-up-${Date.now().toString(36)}`);
  stack = h.stack;
  await declare(stack, RESOURCES, { s3Secret: "follow-up-s3-secret" });
  await useEmulator(stack, emu.baseUrl, CLIENT);
  // Two attempts per request keep the failing `up` short; the rule is the same at eight.
  await stack.setConfig("aep:maxAttempts", { value: "2" });
}, 300_000);

afterAll(async () => {
  await stack?.destroy({ onOutput }).catch(() => undefined);
  await emu?.stop();
});

/** The dataflow resources the stack's state holds, as `pulumi stack export` shows them. */
function dataflowsInState(): Array<{ id?: string; outputs?: Record<string, unknown>; initErrors?: string[] }> {
  const deployment = JSON.parse(cliExport(h)).deployment as { resources?: Array<{ type: string; id?: string; outputs?: Record<string, unknown>; initErrors?: string[] }> };
  return (deployment.resources ?? []).filter((r) => r.type.endsWith(":Dataflow"));
}

it("records the dataflow when its disable action fails on every attempt after the POST: one POST, one dataflow, in state", async () => {
  await emu.addFault({ kind: "503", method: "POST", route: "/flows/{id}/action" });
  await emu.clearRequests();
  await expect(stack.up({ onOutput })).rejects.toThrow(/the next `pulumi up` finishes this step without creating it again/);
  const { counts } = await emu.requests();
  expect(counts["POST /flows"]).toBe(1);
  const flows = emu.control.flows();
  expect(flows).toHaveLength(1);
  expect(flows[0].state).toBe("enabled");
  const held = dataflowsInState();
  expect(held.map((r) => r.id)).toEqual([flows[0].id]);
  expect(held[0].initErrors?.length).toBeGreaterThan(0);
  expect(held[0].outputs).toMatchObject({ etag: flows[0].etag, enabled: true });
});

it("finishes it on the next up with an update: no POST, the dataflow disabled", async () => {
  await emu.control.clearFaults();
  await emu.clearRequests();
  const up = await stack.up({ onOutput });
  expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
  const { counts } = await emu.requests();
  expect(counts["POST /flows"]).toBeUndefined();
  expect(counts["POST /flows/{id}/action"]).toBe(1);
  const flows = emu.control.flows();
  expect(flows).toHaveLength(1);
  expect(flows[0].state).toBe("disabled");
  const held = dataflowsInState();
  expect(held[0].initErrors ?? []).toEqual([]);
  expect(held[0].outputs).toMatchObject({ etag: flows[0].etag, enabled: false, state: "disabled" });
});

it("changes nothing on a third up", async () => {
  await emu.clearRequests();
  const up = await stack.up({ onOutput });
  expect(Object.keys(up.summary.resourceChanges ?? {}).filter((k) => k !== "same")).toEqual([]);
  expect((await emu.requests()).counts["POST /flows"]).toBeUndefined();
});
