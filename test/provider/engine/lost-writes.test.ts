import { ProviderUnderTest, type Props, newProviderProcess } from "../../helpers/engine";
import { DEMO, TestEmulator } from "../../helpers/emulator";

/**
 * The pipeline kinds under lost and failed writes, one fault at a time: an answer lost after the
 * write was applied is resolved by reading back (nothing duplicated), a write that was not applied
 * is sent again, and a resource whose create an interrupted deployment never recorded is adopted.
 */
let emu: TestEmulator;
let ids: { s3: string; s3Spec: string; lake: string; source: string; target: string; mapping: string };

beforeAll(async () => {
  emu = await TestEmulator.start();
  const make = async (kind: string, args: Props) => {
    const p = await ProviderUnderTest.load(kind, emu.config());
    return p.create(await p.checked({}, { __autoName: kind, ...args }));
  };
  const s3 = await make("s3", { accessKey: "AKIALOST", secretKey: "lost-writes-secret", bucketName: "lost-bucket" });
  const lake = await make("datasetBase", {});
  const source = await make("sourceConnection", { baseConnectionId: s3.id, connectionSpecId: s3.outs.connectionSpecId, format: "json", path: "/in/*.json" });
  const target = await make("targetConnection", { baseConnectionId: lake.id, dataSetId: DEMO.orders.dataSetId, schemaId: DEMO.orders.schemaId });
  const mapping = await make("mappingSet", { schemaId: DEMO.orders.schemaId, mappings: [{ source: "id", destination: "_id" }] });
  ids = { s3: s3.id, s3Spec: String(s3.outs.connectionSpecId), lake: lake.id, source: source.id, target: target.id, mapping: mapping.id };
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  await emu.control.clearFaults();
  await emu.clearRequests();
});

const flowArgs = (name?: string): Props => ({
  ...(name ? { name } : {}),
  flowSpecName: "CloudStorageToAEP",
  sourceConnectionId: ids.source,
  targetConnectionId: ids.target,
  mappingId: ids.mapping,
  mappingVersion: 0,
  schedule: { startTime: 1_900_000_000, frequency: "once" },
});

async function load(kind: string): Promise<ProviderUnderTest> {
  return ProviderUnderTest.load(kind, emu.config());
}

const named = (items: Array<Record<string, unknown>>, name: unknown) => items.filter((i) => i.name === name);

describe("an answer lost after the create was applied", () => {
  it.each([
    ["a 500", { thenStatus: 500 }],
    ["a reset", { thenStatus: "reset" }],
  ])("adopts the dataflow after %s: one POST, one flow", async (_label, extra) => {
    newProviderProcess();
    const p = await load("dataflow");
    const inputs = await p.checked({}, { __autoName: "lost", ...flowArgs(`lost-flow-${String(extra.thenStatus)}`) });
    await emu.addFault({ kind: "commit-then-fail", count: 1, method: "POST", route: "/flows", ...extra });
    const { id, outs } = await p.create(inputs);
    expect(named(emu.control.flows(), inputs.name).map((f) => f.id)).toEqual([id]);
    expect(outs).toMatchObject({ state: "enabled", flowSpecId: "9753525b-82c7-4dce-8a9b-5ccfce2b9876" });
    expect((await emu.requests()).counts["POST /flows"]).toBe(1);
  });

  it("adopts the source connection after a reset", async () => {
    const p = await load("sourceConnection");
    const inputs = await p.checked({}, { __autoName: "lost", name: "lost-source", baseConnectionId: ids.s3, connectionSpecId: ids.s3Spec, format: "json", path: "/lost/*.json" });
    await emu.addFault({ kind: "commit-then-fail", count: 1, method: "POST", route: "/sourceConnections", thenStatus: "reset" });
    const { id } = await p.create(inputs);
    expect(named(emu.control.sourceConnections(), "lost-source").map((s) => s.id)).toEqual([id]);
  });

  it("adopts the mapping set after a 500, found by its name in Data Prep", async () => {
    const p = await load("mappingSet");
    const inputs = await p.checked({}, { __autoName: "lost", name: "lost-mapping", schemaId: DEMO.orders.schemaId, mappings: [{ source: "a", destination: "_id" }] });
    await emu.addFault({ kind: "commit-then-fail", count: 1, method: "POST", route: "/mappingSets", thenStatus: 500 });
    const { id, outs } = await p.create(inputs);
    expect(named(emu.control.mappingSets(), "lost-mapping").map((m) => m.id)).toEqual([id]);
    expect(outs.version).toBe(0);
    expect((await emu.requests()).counts).toMatchObject({ "POST /mappingSets": 1, "GET /mappingSets": 1 });
  });
});

it("posts a dataflow again when the failed POST created nothing: two POSTs, one flow", async () => {
  const p = await load("dataflow");
  const inputs = await p.checked({}, { __autoName: "again", ...flowArgs("again-flow") });
  await emu.addFault({ kind: "503", count: 1, method: "POST", route: "/flows" });
  const { id } = await p.create(inputs);
  expect(named(emu.control.flows(), "again-flow").map((f) => f.id)).toEqual([id]);
  expect((await emu.requests()).counts["POST /flows"]).toBe(2);
});

it("confirms a lost PATCH of a dataflow by reading it back, and a lost enable action by its state", async () => {
  const p = await load("dataflow");
  const args = { __autoName: "patched", ...flowArgs("patched-flow") };
  let { id, outs } = await p.create(await p.checked({}, args));
  await emu.addFault({ kind: "commit-then-fail", count: 1, method: "PATCH", route: "/flows/{id}", thenStatus: 500 });
  await emu.addFault({ kind: "commit-then-fail", count: 1, method: "POST", route: "/flows/{id}/action", thenStatus: "reset" });
  const news = await p.checked(outs, { ...args, description: "nightly", enabled: false });
  outs = await p.update(id, outs, news);
  const held = emu.control.flow(id);
  expect(held).toMatchObject({ description: "nightly", state: "disabled" });
  expect(outs).toMatchObject({ etag: held.etag, state: "disabled" });
  const { counts } = await emu.requests();
  expect(counts).toMatchObject({ "PATCH /flows/{id}": 1, "POST /flows/{id}/action": 1 });
});

it("refuses a lost PATCH when the dataflow was changed by someone else meanwhile", async () => {
  const p = await load("dataflow");
  const args = { __autoName: "raced", ...flowArgs("raced-flow") };
  const { id, outs } = await p.create(await p.checked({}, args));
  await emu.control.driftFlow(id, { description: "theirs" });
  const news = await p.checked(outs, { ...args, name: "raced-flow-2" });
  await expect(p.update(id, outs, news)).rejects.toThrow(/Dataflow: updating dataflow .* was changed outside Pulumi since it was last read \(its etag no longer matches\)/);
  expect(emu.control.flow(id).description).toBe("theirs");
});

describe("an interrupted deployment", () => {
  it("adopts the dataflow its lost create left (generated name), in a new process, creating nothing", async () => {
    newProviderProcess();
    const first = await load("dataflow");
    const args = { __autoName: "resumed", __nameSeed: "urn:pulumi:stack::proj::pulumi-nodejs:dynamic/aep:Dataflow::resumed", ...flowArgs() };
    const inputs = await first.checked({}, args);
    const { id } = await first.create(inputs);
    // The engine never recorded it; the next deployment creates the same resource again.
    newProviderProcess();
    const second = await load("dataflow");
    await emu.clearRequests();
    const again = await second.create(await second.checked({}, args));
    expect(again.id).toBe(id);
    expect(named(emu.control.flows(), inputs.name)).toHaveLength(1);
    expect((await emu.requests()).counts["POST /flows"] ?? 0).toBe(0);
  });

  it("lists each collection once per deployment for generated names: 3 dataflows, 3 POSTs, 1 listing, 1 flow spec lookup", async () => {
    newProviderProcess();
    const p = await load("dataflow");
    await emu.clearRequests();
    for (const n of ["g1", "g2", "g3"]) {
      await p.create(await p.checked({}, { __autoName: n, __nameSeed: `urn:pulumi:stack::proj::pulumi-nodejs:dynamic/aep:Dataflow::${n}`, ...flowArgs() }));
    }
    expect(await emu.requests().then((r) => r.counts)).toMatchObject({ "POST /flows": 3, "GET /flows": 1, "GET /flowSpecs": 1 });
  });
});

describe("a mapping set's PUT", () => {
  it("is confirmed by its new version when the answer is lost: one PUT, version 1", async () => {
    const p = await load("mappingSet");
    const args = { __autoName: "versioned", name: "versioned-mapping", schemaId: DEMO.orders.schemaId, mappings: [{ source: "a", destination: "_id" }] };
    let { id, outs } = await p.create(await p.checked({}, args));
    await emu.clearRequests();
    await emu.addFault({ kind: "commit-then-fail", count: 1, method: "PUT", route: "/mappingSets/{id}", thenStatus: "reset" });
    outs = await p.update(id, outs, await p.checked(outs, { ...args, mappings: [{ source: "b", destination: "_id" }] }));
    expect(outs.version).toBe(1);
    expect((await emu.requests()).counts["PUT /mappingSets/{id}"]).toBe(1);
    // Stored once: versions 0 and 1, not a second new version.
    expect(emu.control.mappingSet(id).versions.map((v: { version: number }) => v.version)).toEqual([0, 1]);
  });

  it("is sent again when the PUT stored nothing: two PUTs, version 1", async () => {
    const p = await load("mappingSet");
    const args = { __autoName: "retried", name: "retried-mapping", schemaId: DEMO.orders.schemaId, mappings: [{ source: "a", destination: "_id" }] };
    let { id, outs } = await p.create(await p.checked({}, args));
    await emu.clearRequests();
    await emu.addFault({ kind: "503", count: 1, method: "PUT", route: "/mappingSets/{id}" });
    outs = await p.update(id, outs, await p.checked(outs, { ...args, mappings: [{ source: "c", destination: "_id" }] }));
    expect(outs.version).toBe(1);
    expect((await emu.requests()).counts["PUT /mappingSets/{id}"]).toBe(2);
    expect(emu.control.mappingSet(id).versions.map((v: { version: number }) => v.version)).toEqual([0, 1]);
  });
});
