import { type Props, deploymentOf } from "../../helpers/engine";
import { DEMO, type Json, SPEC, TestEmulator, bodies } from "../../helpers/emulator";

/**
 * `existingId` on every kind: a pipeline built through the public API by another tool (as a user's UI
 * or scripts would) is adopted resource by resource through the serialized providers: no POST, a write
 * only where the declaration differs, the name and description kept when undeclared, and a refusal
 * naming the property when a value that cannot change in place differs.
 */
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const SCHEMA = DEMO.orders.schemaId;
const CLOUD_STORAGE = "9753525b-82c7-4dce-8a9b-5ccfce2b9876";
const START = 1_900_000_000;

const counts = (): Promise<Record<string, number>> => emu.stepCounts();

/** A pipeline made by hand: S3 → source connection, dataset base → target connection, a mapping set, a dataflow. */
async function handMade(): Promise<Record<string, string>> {
  const s3 = await emu.createDirect(bodies.s3("Orders bucket (hand-made)"));
  const lake = await emu.createDirect(bodies.datasetBase("Lake (hand-made)"));
  const source = await emu.publicApi("POST", "/sourceConnections", {
    name: "Orders files (hand-made)",
    description: "made in the UI",
    baseConnectionId: s3.id,
    connectionSpec: { id: SPEC.s3, version: "1.0" },
    data: { format: "delimited" },
    params: { path: "/in/*.csv" },
  });
  const target = await emu.publicApi("POST", "/targetConnections", {
    name: "Orders dataset (hand-made)",
    baseConnectionId: lake.id,
    connectionSpec: { id: SPEC.datasetBase, version: "1.0" },
    data: { format: "parquet_xdm", schema: { id: SCHEMA, version: "application/vnd.adobe.xed-full+json;version=1" } },
    params: { dataSetId: DEMO.orders.dataSetId },
  });
  const mapping = await emu.publicApi(
    "POST",
    "/mappingSets",
    { name: "Orders mapping (hand-made)", outputSchema: { schemaRef: { id: SCHEMA, contentType: "application/vnd.adobe.xed-full+json;version=1" } }, mappings: [{ sourceType: "ATTRIBUTE", source: "id", destination: "_id" }] },
    { dataPrep: true },
  );
  const flow = await emu.publicApi("POST", "/flows", {
    name: "Orders flow (hand-made)",
    flowSpec: { id: CLOUD_STORAGE, version: "1.0" },
    sourceConnectionIds: [source.id],
    targetConnectionIds: [target.id],
    transformations: [{ name: "Mapping", params: { mappingId: mapping.id, mappingVersion: 0 } }],
    scheduleParams: { startTime: START, frequency: "hour", interval: 1 },
  });
  return { s3: s3.id, lake: lake.id, source: source.id, target: target.id, mapping: mapping.id as string, flow: flow.id };
}

/** What the program declares for each resource, adopting the hand-made entities by id. */
function declared(ids: Record<string, string>): Record<string, Props> {
  return {
    sourceConnection: { baseConnectionId: ids.s3, connectionSpecId: SPEC.s3, format: "delimited", path: "/in/*.csv", existingId: ids.source },
    targetConnection: { baseConnectionId: ids.lake, dataSetId: DEMO.orders.dataSetId, schemaId: SCHEMA, existingId: ids.target },
    mappingSet: { schemaId: SCHEMA, mappings: [{ source: "id", destination: "_id" }], existingId: ids.mapping },
    dataflow: {
      flowSpecName: "CloudStorageToAEP",
      sourceConnectionId: ids.source,
      targetConnectionId: ids.target,
      mappingId: ids.mapping,
      mappingVersion: 0,
      schedule: { startTime: START, frequency: "hour", interval: 1 },
      existingId: ids.flow,
    },
  };
}

const KINDS = ["sourceConnection", "targetConnection", "mappingSet", "dataflow"] as const;

async function adopt(kind: (typeof KINDS)[number], args: Props) {
  const p = (await deploymentOf([kind], emu.config()))[kind];
  const inputs = await p.checked({}, { __autoName: kind, __nameSeed: `urn:pulumi:dev::shop::aep:x::${kind}`, ...args });
  const made = await p.create(inputs);
  return { p, inputs, ...made };
}

it("adopts every pipeline kind as declared with no POST and no write, keeping each entity's own name and description", async () => {
  const ids = await handMade();
  const before: Record<string, Json> = {
    sourceConnection: await emu.control.sourceConnection(ids.source),
    targetConnection: await emu.control.targetConnection(ids.target),
    dataflow: await emu.control.flow(ids.flow),
  };
  const args = declared(ids);
  for (const kind of KINDS) {
    await emu.clearRequests();
    const { id, outs, p, inputs } = await adopt(kind, args[kind]);
    expect(id).toBe(ids[{ sourceConnection: "source", targetConnection: "target", mappingSet: "mapping", dataflow: "flow" }[kind]]);
    const c = await counts();
    // Reads only: the entity itself (the dataflow also resolves its flow spec by name); no POST, PATCH or PUT.
    expect(Object.keys(c).filter((k) => !k.startsWith("GET "))).toEqual([]);
    expect(outs.name).toMatch(/\(hand-made\)$/);
    expect(inputs).not.toHaveProperty("name");
    // A refresh and a preview right after show no change.
    const r = await p.read(id, outs);
    const d = await p.diff(id, r.props as Props, await p.checked(r.inputs as Props, { __autoName: kind, ...args[kind] }));
    expect(d.changes).toBe(false);
  }
  expect(await emu.control.sourceConnection(ids.source)).toMatchObject({ etag: before.sourceConnection.etag, description: "made in the UI" });
  expect(await emu.control.targetConnection(ids.target)).toMatchObject({ etag: before.targetConnection.etag });
  expect(await emu.control.flow(ids.flow)).toMatchObject({ etag: before.dataflow.etag, state: "enabled" });
});

it("writes only what is declared differently: a PATCH of the changed member, a mapping set's next version, a dataflow's disable", async () => {
  const ids = await handMade();
  const args = declared(ids);

  await emu.clearRequests();
  const source = await adopt("sourceConnection", { ...args.sourceConnection, description: "managed by Pulumi" });
  expect(await counts()).toMatchObject({ "PATCH /sourceConnections/{id}": 1 });
  expect((await emu.control.sourceConnection(ids.source)).description).toBe("managed by Pulumi");
  expect(source.outs.description).toBe("managed by Pulumi");

  await emu.clearRequests();
  const mapping = await adopt("mappingSet", { ...args.mappingSet, mappings: [{ source: "id", destination: "_id" }, { source: "total", destination: "commerce.order.priceTotal" }] });
  expect(await counts()).toMatchObject({ "PUT /mappingSets/{id}": 1 });
  expect(mapping.outs.version).toBe(1);

  await emu.clearRequests();
  const flow = await adopt("dataflow", { ...args.dataflow, mappingVersion: 1, enabled: false });
  const c = await counts();
  expect(c).toMatchObject({ "PATCH /flows/{id}": 1, "POST /flows/{id}/action": 1 });
  expect(c["POST /flows"]).toBeUndefined();
  const held = await emu.control.flow(ids.flow);
  expect(held).toMatchObject({ state: "disabled" });
  expect(held.transformations[0].params.mappingVersion).toBe(1);
  expect(flow.outs).toMatchObject({ enabled: false, state: "disabled", flowSpecId: CLOUD_STORAGE });
});

it("refuses, naming the property, an entity whose value that cannot change in place differs, and an id that does not exist", async () => {
  const ids = await handMade();
  const args = declared(ids);
  await emu.clearRequests();
  await expect(adopt("sourceConnection", { ...args.sourceConnection, path: "/other/*.csv" })).rejects.toThrow(/its path is "\/in\/\*\.csv", declared "\/other\/\*\.csv"; path cannot be changed in place/);
  await expect(adopt("targetConnection", { ...args.targetConnection, dataSetId: DEMO.customers.dataSetId })).rejects.toThrow(/its dataSetId is .*; dataSetId cannot be changed in place/);
  await expect(adopt("dataflow", { ...args.dataflow, existingId: "00000000-0000-4000-8000-000000000000" })).rejects.toThrow(/no dataflow with that id exists in sandbox "prod"; check existingId and sandbox/);
  // Nothing was written by any refusal.
  expect(Object.keys(await counts()).filter((k) => !k.startsWith("GET "))).toEqual([]);
});

it("refuses existingId together with existingConnectionId, and takes either on a connection kind", async () => {
  const s3 = await emu.createDirect(bodies.s3("Bucket (hand-made)"));
  const p = (await deploymentOf(["s3"], emu.config())).s3;
  const both = await p.check({}, { accessKey: "AKIAEXAMPLE", secretKey: "s3-secret-long-enough", existingId: s3.id, existingConnectionId: s3.id });
  expect(both.failures).toEqual([expect.objectContaining({ property: "existingConnectionId", reason: expect.stringContaining("and existingId both name the entity to adopt; keep existingId") })]);
  const inputs = await p.checked({}, { __autoName: "bucket", accessKey: "AKIAEXAMPLE", secretKey: "s3-secret-long-enough", existingId: s3.id });
  const { id, outs } = await p.create(inputs);
  expect(id).toBe(s3.id);
  expect(outs.name).toBe("Bucket (hand-made)");
});
