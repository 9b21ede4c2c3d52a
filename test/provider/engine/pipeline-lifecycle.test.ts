import { ProviderUnderTest, type Props, newProviderProcess } from "../../helpers/engine";
import { DEMO, TestEmulator } from "../../helpers/emulator";
import { captureStderr } from "../../helpers/stderr";

/**
 * A whole pipeline through the serialized providers, as the engine drives them, against the
 * emulator over HTTP: S3 connection → source connection, dataset base connection → target
 * connection, mapping set, dataflow. Request counts per step are the contract's ideal.
 */
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(async () => {
  await emu.stop();
});

const SCHEMA = DEMO.orders.schemaId;
const START = 1_900_000_000;

const counts = (): Promise<Record<string, number>> => emu.stepCounts();

interface Made {
  p: ProviderUnderTest;
  id: string;
  outs: Props;
  /** What the program declares. */
  args: Props;
}

async function make(kind: string, args: Props): Promise<Made> {
  const p = await ProviderUnderTest.load(kind, emu.config());
  const inputs = await p.checked({}, { __autoName: kind, ...args });
  const { id, outs } = await p.create(inputs);
  return { p, id, outs, args: { __autoName: kind, ...args } };
}

/** What `pulumi up` does with a changed program: check against the state, diff, update. */
async function change(m: Made, args: Props): Promise<{ replaces: string[] }> {
  m.args = { ...m.args, ...args };
  const news = await m.p.checked(m.outs, m.args);
  const d = await m.p.diff(m.id, m.outs, news);
  expect(d.changes).toBe(true);
  if ((d.replaces ?? []).length === 0) m.outs = await m.p.update(m.id, m.outs, news);
  return { replaces: d.replaces ?? [] };
}

describe("a pipeline", () => {
  let s3: Made;
  let lake: Made;
  let source: Made;
  let target: Made;
  let mapping: Made;
  let flow: Made;

  it("creates each entity with one POST (and the dataflow's flow spec with one GET per deployment)", async () => {
    newProviderProcess();
    s3 = await make("s3", { accessKey: "AKIAPIPE", secretKey: "pipeline-secret-1", bucketName: "orders-bucket" });
    lake = await make("datasetBase", {});
    await emu.clearRequests();

    source = await make("sourceConnection", { name: "orders-files", baseConnectionId: s3.id, connectionSpecId: s3.outs.connectionSpecId, format: "delimited", path: "/in/*.csv", recursive: true });
    expect(await counts()).toEqual({ "POST /sourceConnections": 1 });
    expect(source.outs).toMatchObject({ name: "orders-files", state: "enabled", format: "delimited", recursive: true });
    expect((await emu.control.sourceConnection(source.id)).params).toMatchObject({ path: "/in/*.csv", recursive: "true" });

    await emu.clearRequests();
    target = await make("targetConnection", { name: "orders-dataset", baseConnectionId: lake.id, dataSetId: DEMO.orders.dataSetId, schemaId: SCHEMA });
    expect(await counts()).toEqual({ "POST /targetConnections": 1 });
    expect(target.outs).toMatchObject({ connectionSpecId: "c604ff05-7f1a-43c0-8e18-33bf874cb11c", format: "parquet_xdm" });

    await emu.clearRequests();
    mapping = await make("mappingSet", { name: "orders-mapping", schemaId: SCHEMA, mappings: [{ source: "id", destination: "_id" }] });
    expect(await counts()).toEqual({ "POST /mappingSets": 1 });
    expect(mapping.outs.version).toBe(0);

    await emu.clearRequests();
    const flowArgs = { name: "orders-flow", flowSpecName: "CloudStorageToAEP", sourceConnectionId: source.id, targetConnectionId: target.id, mappingId: mapping.id, mappingVersion: 0, schedule: { startTime: START, frequency: "hour", interval: 1 } };
    flow = await make("dataflow", flowArgs);
    expect(await counts()).toEqual({ "GET /flowSpecs": 1, "POST /flows": 1 });
    expect(flow.outs).toMatchObject({ state: "enabled", enabled: true, flowSpecId: "9753525b-82c7-4dce-8a9b-5ccfce2b9876" });

    // A second dataflow of the same spec in the same deployment asks for no flow spec; a disabled one costs one action.
    await emu.clearRequests();
    const second = await make("dataflow", { ...flowArgs, name: "orders-flow-paused", enabled: false });
    expect(await counts()).toEqual({ "POST /flows": 1, "POST /flows/{id}/action": 1 });
    expect(second.outs).toMatchObject({ state: "disabled", enabled: false });
    expect((await emu.control.flow(second.id)).state).toBe("disabled");
    await second.p.delete(second.id, second.outs);
  });

  it("reads each entity back with no change", async () => {
    for (const m of [source, target, mapping, flow]) {
      const r = await m.p.read(m.id, m.outs);
      const d = await m.p.diff(m.id, r.props as Props, await m.p.checked(r.props as Props, m.args));
      expect(d.changes).toBe(false);
    }
  });

  it("moves the dataflow to a new mapping version: one PUT, then one PATCH", async () => {
    await emu.clearRequests();
    expect(await change(mapping, { mappings: [{ source: "id", destination: "_id" }, { source: "first", destination: "person.name.firstName" }] })).toEqual({ replaces: [] });
    expect(mapping.outs.version).toBe(1);
    expect(await counts()).toEqual({ "PUT /mappingSets/{id}": 1 });

    await emu.clearRequests();
    expect(await change(flow, { mappingVersion: mapping.outs.version })).toEqual({ replaces: [] });
    expect(await counts()).toEqual({ "PATCH /flows/{id}": 1 });
    expect((await emu.control.flow(flow.id)).transformations[0].params).toMatchObject({ mappingId: mapping.id, mappingVersion: 1 });
  });

  it("changes the schedule with one PATCH and disables with one action", async () => {
    await emu.clearRequests();
    expect(await change(flow, { schedule: { startTime: START, frequency: "day", interval: 1 }, enabled: false })).toEqual({ replaces: [] });
    expect(await counts()).toEqual({ "PATCH /flows/{id}": 1, "POST /flows/{id}/action": 1 });
    expect(flow.outs).toMatchObject({ state: "disabled", enabled: false });
    const held = await emu.control.flow(flow.id);
    expect(held.state).toBe("disabled");
    expect(held.scheduleParams.frequency).toBe("day");
  });

  it("shows a dataflow enabled outside Pulumi as drift, and puts it back", async () => {
    await emu.control.driftFlow(flow.id, { state: "enabled" });
    const r = await flow.p.read(flow.id, flow.outs);
    expect(r.props).toMatchObject({ state: "enabled", enabled: true });
    const declared = await flow.p.checked(r.props as Props, flow.args);
    expect(declared.enabled).toBe(false);
    expect((await flow.p.diff(flow.id, r.props as Props, declared)).changes).toBe(true);
    await emu.clearRequests();
    flow.outs = await flow.p.update(flow.id, r.props as Props, declared);
    expect(await counts()).toEqual({ "POST /flows/{id}/action": 1 });
    expect((await emu.control.flow(flow.id)).state).toBe("disabled");
  });

  it("drops a dataflow deleted outside Pulumi on refresh", async () => {
    const other = await make("dataflow", { name: "doomed-flow", flowSpecName: "CloudStorageToAEP", sourceConnectionId: source.id, targetConnectionId: target.id, mappingId: mapping.id, mappingVersion: 1, schedule: { startTime: START, frequency: "once" } });
    await emu.control.deleteFlow(other.id);
    expect(await other.p.read(other.id, other.outs)).toEqual({});
  });

  it("refuses to delete a base connection a source connection uses, saying why (1418-400)", async () => {
    await expect(s3.p.delete(s3.id, s3.outs)).rejects.toThrow(/1418-400/);
    await expect(source.p.delete(source.id, source.outs)).rejects.toThrow(/SourceConnection: deleting source connection .*a dataflow still uses this source connection \(1418-400\)\. Delete that dataflow first/);
  });

  it("deletes in dependency order with one DELETE each, and forgets the mapping set with a log line and no request", async () => {
    await emu.clearRequests();
    await flow.p.delete(flow.id, flow.outs);
    await source.p.delete(source.id, source.outs);
    await target.p.delete(target.id, target.outs);
    const stderr = captureStderr();
    try {
      await mapping.p.delete(mapping.id, mapping.outs);
    } finally {
      stderr.restore();
    }
    expect(stderr.lines.join("")).toMatch(/mapping set .* stays in Data Prep, which cannot delete mapping sets; it is removed from the stack only/);
    await s3.p.delete(s3.id, s3.outs);
    await lake.p.delete(lake.id, lake.outs);
    expect(await counts()).toEqual({ "DELETE /flows/{id}": 1, "DELETE /sourceConnections/{id}": 1, "DELETE /targetConnections/{id}": 1, "DELETE /connections/{id}": 2 });
    expect(emu.control.flows()).toEqual([]);
    expect(emu.control.sourceConnections()).toEqual([]);
    expect(emu.control.targetConnections()).toEqual([]);
    expect(await emu.connections()).toEqual([]);
  });
});

describe("a dataflow's create", () => {
  it("names the property when the flow spec is unknown", async () => {
    newProviderProcess();
    const p = await ProviderUnderTest.load("dataflow", emu.config());
    const inputs = await p.checked({}, { __autoName: "f", flowSpecName: "NoSuchSpec", sourceConnectionId: "26b53912-1005-49f0-b539-12100559f0e2", targetConnectionId: "f7eb08fa-5f04-4e45-ab08-fa5f046e45ee" });
    await expect(p.create(inputs)).rejects.toThrow(/flowSpecName "NoSuchSpec" is not a flow spec Flow Service knows/);
  });

  it("passes on Flow Service's refusal of a source connection that does not exist, naming it", async () => {
    const p = await ProviderUnderTest.load("dataflow", emu.config());
    const inputs = await p.checked({}, { __autoName: "f", flowSpecName: "CloudStorageToAEP", sourceConnectionId: "26b53912-1005-49f0-b539-12100559f0e2", targetConnectionId: "f7eb08fa-5f04-4e45-ab08-fa5f046e45ee", mappingId: "bf5286a9c1ad4266baca76ba3adc9366", mappingVersion: 0, schedule: { startTime: START, frequency: "once" } });
    await expect(p.create(inputs)).rejects.toThrow(/Dataflow: creating dataflow .* failed: POST \/flows failed with 400.*sourceConnectionIds\[0\]/);
  });
});
