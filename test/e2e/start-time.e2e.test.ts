jest.setTimeout(240_000);

import type { Stack } from "@pulumi/pulumi/automation";
import { type Declared, declare, makeStack, pulumiOnPath, sharedProgram, useEmulator } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";

/**
 * A dataflow whose start time has passed, with the real engine and CLI, against the emulator: a new
 * startTime fails `pulumi preview` and `pulumi up` before any write, and `pulumi up --replace` (which the
 * engine runs without the provider's diff) is the way out the message names.
 */
const CLIENT = { clientId: "start-client", clientSecret: "start-time-client-secret-7d2e", orgId: "5TART00000000000@AdobeOrg", sandboxes: ["prod"] };
const SCHEMA = "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4"; // the emulator's demo Orders dataset's
// Long past, whatever day the test runs: the rule reads the real clock here.
const PASSED = 1_700_000_000;
const ref = (r: string) => ({ ref: r });

function pipeline(startTime: number): Declared[] {
  return [
    { type: "S3Connection", name: "s3", args: { accessKey: "AKIASTART", secretKey: "start-time-s3-secret-1", bucketName: "orders-bucket" } },
    { type: "SourceConnection", name: "files", args: { baseConnectionId: ref("s3.id"), connectionSpecId: ref("s3.connectionSpecId"), format: "json", path: "/orders/*.json" } },
    { type: "DatasetBaseConnection", name: "lake", args: {} },
    { type: "TargetConnection", name: "target", args: { baseConnectionId: ref("lake.id"), dataSetId: "5f3c3cedb2805c194ff0b69a", schemaId: SCHEMA } },
    { type: "MappingSet", name: "mapping", args: { schemaId: SCHEMA, mappings: [{ source: "id", destination: "_id" }] } },
    {
      type: "Dataflow",
      name: "flow",
      args: { flowSpecName: "CloudStorageToAEP", sourceConnectionId: ref("files.id"), targetConnectionId: ref("target.id"), mappingId: ref("mapping.id"), mappingVersion: ref("mapping.version"), schedule: { startTime, frequency: "hour", interval: 1 } },
    },
  ];
}

let emu: TestEmulator;
let stack: Stack;
const onOutput = (): void => undefined;

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  emu = await TestEmulator.start({ clients: [CLIENT] });
  stack = (await makeStack(sharedProgram(), {}, "start-time")).stack;
  await useEmulator(stack, emu.baseUrl, CLIENT);
  await declare(stack, pipeline(PASSED));
  await stack.up({ onOutput });
}, 300_000);

afterAll(async () => {
  await emu?.stop();
});

const writes = async () => Object.entries((await emu.requests()).counts).filter(([route]) => !route.startsWith("GET") && !route.includes("/ims/"));

it("fails preview and up on a new startTime once it has passed, naming it and the ways out, and sends nothing", async () => {
  await declare(stack, pipeline(PASSED + 86_400));
  await emu.clearRequests();
  for (const run of [() => stack.preview({ onOutput, diff: true }), () => stack.up({ onOutput })]) {
    const failed = await run().then(
      () => "succeeded",
      (e: Error) => e.message,
    );
    expect(failed).toContain(`Dataflow: schedule.startTime cannot change once the dataflow's start time has passed`);
    expect(failed).toContain(`Keep startTime: ${PASSED}`);
    expect(failed).toContain("pulumi up --replace");
  }
  expect(await writes()).toEqual([]);
  expect(emu.control.flows().map((f) => f.scheduleParams.startTime)).toEqual([String(PASSED)]);
});

it("replaces the dataflow with the new start time on `pulumi up --replace`, deleting the old one first", async () => {
  const [old] = emu.control.flows();
  const urn = (await stack.exportStack()).deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::flow")).urn;
  await emu.clearRequests();
  const up = await stack.up({ onOutput, replace: [urn] });
  expect(up.summary.resourceChanges).toMatchObject({ replace: 1 });
  const flowWrites = (await emu.requests()).entries.filter((e) => e.route.startsWith("/flows") && e.method !== "GET").map((e) => `${e.method} ${e.route}`);
  expect(flowWrites).toEqual(["DELETE /flows/{id}", "POST /flows"]);
  const flows = emu.control.flows();
  expect(flows.map((f) => [f.id === old.id, f.scheduleParams.startTime])).toEqual([[false, String(PASSED + 86_400)]]);
});
