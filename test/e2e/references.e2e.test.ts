jest.setTimeout(300_000);

import { rmSync } from "node:fs";
import { join } from "node:path";
import { type Declared, type StackHandle, declare, makeStack, pulumiOnPath, sharedProgram, useEmulator } from "../helpers/e2e";
import { DEFAULT_CLIENT, DEMO, TestEmulator } from "../helpers/emulator";

/**
 * References are checked, with the real engine and CLI against the emulator: a dataset id that is a name fails the
 * preview, one that is a connection's id (known only at up) fails the up's check, one of the right form that names
 * no dataset fails the up at Flow Service; each names `dataSetId`, and nothing is left in Flow Service. A program
 * that looks its dataset and schema up by name deploys an enabled dataflow.
 */
let emu: TestEmulator;
let h: StackHandle;
const onOutput = (): void => undefined;
const ref = (r: string) => ({ ref: r });
const lookup = (fn: string, args: Record<string, unknown>, field: string) => ({ lookup: { fn, args, field } });

function pipeline(target: Record<string, unknown>, mappingSchemaId: unknown): Declared[] {
  return [
    { type: "S3Connection", name: "s3", args: { accessKey: "AKIAREFS", secretKey: { secret: "s3Secret" }, bucketName: "orders-bucket" } },
    { type: "SourceConnection", name: "files", args: { baseConnectionId: ref("s3.id"), connectionSpecId: ref("s3.connectionSpecId"), format: "json", path: "/orders/*.json" } },
    { type: "DatasetBaseConnection", name: "lake", args: {} },
    { type: "TargetConnection", name: "target", args: { baseConnectionId: ref("lake.id"), ...target } },
    { type: "MappingSet", name: "mapping", args: { schemaId: mappingSchemaId, mappings: [{ source: "order_id", destination: "_id" }] } },
    {
      type: "Dataflow",
      name: "flow",
      args: { flowSpecName: "CloudStorageToAEP", sourceConnectionId: ref("files.id"), targetConnectionId: ref("target.id"), mappingId: ref("mapping.id"), mappingVersion: ref("mapping.version"), schedule: { startTime: 1_900_000_000, frequency: "hour", interval: 1 } },
    },
  ];
}

const SECRETS = { s3Secret: "refs-canary-s3-secret-51d0" };

async function failure(run: Promise<unknown>): Promise<string> {
  const err = await run.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  return (err as Error).message;
}

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  emu = await TestEmulator.start();
  h = await makeStack(sharedProgram(), { AEP_ENDPOINT: "http://127.0.0.1:9", AEP_IMS_ENDPOINT: "http://127.0.0.1:9" }, `references-${process.pid}`);
  await useEmulator(h.stack, emu.baseUrl, DEFAULT_CLIENT);
}, 300_000);

afterAll(async () => {
  await h?.stack.destroy({ onOutput }).catch(() => undefined);
  await emu?.stop();
  if (h) rmSync(h.backendDir, { recursive: true, force: true });
  if (h) rmSync(join(h.programDir, `Pulumi.${h.stack.name}.yaml`), { force: true });
});

it("fails the preview on a dataset name in dataSetId, naming it, the form and the lookup, before any request", async () => {
  await declare(h.stack, pipeline({ dataSetId: "orders-dataset-prod", schemaId: DEMO.orders.schemaId }, DEMO.orders.schemaId), SECRETS);
  await emu.clearRequests();
  const message = await failure(h.stack.preview({ onOutput }));
  expect(message).toContain("dataSetId");
  expect(message).toContain('must be a Catalog dataset id, 24 hex characters such as "5f3c3cedb2805c194ff0b69a", got "orders-dataset-prod"');
  expect(message).toContain("getDatasetOutput({ name:");
  expect((await emu.requests()).total).toBe(0);
});

it("fails the up on a connection's id in dataSetId (known only then), naming dataSetId; no target connection or dataflow is made", async () => {
  await declare(h.stack, pipeline({ dataSetId: ref("lake.id"), schemaId: DEMO.orders.schemaId }, DEMO.orders.schemaId), SECRETS);
  const message = await failure(h.stack.up({ onOutput }));
  expect(message).toContain("dataSetId");
  expect(message).toContain("that is a Flow Service id");
  expect(emu.control.targetConnections()).toEqual([]);
  expect(emu.control.flows()).toEqual([]);
});

it("fails the up on a well-formed id of no dataset, with Flow Service's answer naming dataSetId; nothing enabled", async () => {
  await declare(h.stack, pipeline({ dataSetId: "5f3c3cedb2805c194ff0b69b", schemaId: DEMO.orders.schemaId }, DEMO.orders.schemaId), SECRETS);
  await emu.clearRequests();
  const message = await failure(h.stack.up({ onOutput }));
  expect(message).toContain("params.dataSetId: no dataset '5f3c3cedb2805c194ff0b69b' in sandbox 'prod'");
  expect((await emu.requests()).counts["POST /targetConnections"]).toBe(1);
  expect(emu.control.targetConnections()).toEqual([]);
  expect(emu.control.flows()).toEqual([]);
});

it("deploys a program that looks its dataset and schema up by name: the dataflow comes up enabled on the Orders dataset", async () => {
  const orders = (field: string) => lookup("getDataset", { name: "Orders" }, field);
  await declare(h.stack, pipeline({ dataSetId: orders("id"), schemaId: orders("schemaId") }, lookup("getSchema", { name: "Orders" }, "id")), SECRETS);
  await emu.clearRequests();
  const up = await h.stack.up({ onOutput });
  expect(up.summary.result).toBe("succeeded");
  const counts = (await emu.requests()).counts;
  expect(counts["GET /dataSets"]).toBeGreaterThanOrEqual(1);
  expect(counts["GET /tenant/schemas"]).toBeGreaterThanOrEqual(1);
  const [target] = emu.control.targetConnections();
  expect(target).toMatchObject({ params: { dataSetId: DEMO.orders.dataSetId }, data: { schema: { id: DEMO.orders.schemaId } } });
  const [flow] = emu.control.flows();
  expect(flow).toMatchObject({ state: "enabled", targetConnectionIds: [target.id] });
  const outputs = await h.stack.outputs();
  expect(outputs.flow.value).toMatchObject({ state: "enabled", enabled: true });
});
