jest.setTimeout(240_000);

import { rmSync } from "node:fs";
import { join } from "node:path";
import { type Declared, type StackHandle, declare, makeStack, pulumiOnPath, sharedProgram } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";
import { errorText } from "../helpers/reliability-input";

/**
 * Check failures as the real engine prints them. The engine shows a failing property's value in Go's
 * notation (`{map[frequency:{minute} interval:{5} startTime:{1.7672256e+09}]}`), so a failure inside
 * an object-valued input names the nested property and quotes the values as the program wrote them.
 */
let emu: TestEmulator;
let h: StackHandle;

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh`.");
  emu = await TestEmulator.start();
  h = await makeStack(sharedProgram(), emu.env() as Record<string, string>, "check-messages");
}, 300_000);
afterAll(async () => {
  await emu?.stop();
  if (h) {
    rmSync(h.backendDir, { recursive: true, force: true });
    rmSync(join(h.programDir, `Pulumi.${h.stack.name}.yaml`), { force: true });
  }
});

const FLOW = {
  flowSpecName: "CloudStorageToAEP",
  sourceConnectionId: "7a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9",
  targetConnectionId: "8b2c3d4e-5f60-4172-9384-a5b6c7d8e9f0",
  mappingId: "c0ffee00c0ffee00c0ffee00c0ffee00",
  mappingVersion: 0,
};

/** The lines of a failed preview that report a problem, as the CLI printed them. */
async function problems(resource: Declared): Promise<string> {
  await declare(h.stack, [resource]);
  const err = await h.stack.preview().then(
    () => undefined,
    (e: unknown) => e,
  );
  const lines = errorText(err).split("\n").filter((l) => l.includes("has a problem"));
  return [...new Set(lines.map((l) => l.trim()))].join("\n");
}

it("names schedule.interval, with the interval and the start time as written, and prints no Go map", async () => {
  const text = await problems({ type: "Dataflow", name: "every-5", args: { ...FLOW, schedule: { startTime: 1767225600, frequency: "minute", interval: 5 } } });
  expect(text).toContain("schedule.interval must be at least 15");
  expect(text).toContain("got 5");
  expect(text).not.toContain("map[");
  expect(text).not.toMatch(/e\+09/);
});

it("quotes a start time that is not a whole number of seconds as the program wrote it", async () => {
  const text = await problems({ type: "Dataflow", name: "half-second", args: { ...FLOW, schedule: { startTime: 1767225600.5, frequency: "hour", interval: 1 } } });
  expect(text).toContain("schedule.startTime");
  expect(text).toContain("1767225600.5");
  expect(text).not.toContain("map[");
  expect(text).not.toMatch(/e\+09/);
});

it("names the mapping by its index and prints no Go map", async () => {
  const mappings = [
    { source: "id", destination: "_id" },
    { source: "orderId", destination: "_id" },
  ];
  const text = await problems({ type: "MappingSet", name: "twice", args: { schemaId: "https://ns.adobe.com/tenant/schemas/orders", mappings } });
  expect(text).toContain('mappings[1].destination "_id" is already mapped by mappings[0]');
  expect(text).not.toContain("map[");
});

it("refuses a schedule on a streaming dataflow without printing the schedule as a Go map", async () => {
  const text = await problems({
    type: "Dataflow",
    name: "streamed",
    args: { ...FLOW, flowSpecName: "Steam data with transformation", schedule: { startTime: 1767225600, frequency: "hour", interval: 1 } },
  });
  expect(text).toContain("schedule is not used by a streaming dataflow");
  expect(text).not.toContain("map[");
});
