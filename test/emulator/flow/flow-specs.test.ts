import { expectFlowError, Harness, SPEC } from "../../helpers/emulator";
import { FLOW_SPEC } from "../support/pipeline";

describe("flow specs", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  it("lists both specs as Adobe's tutorials show them", async () => {
    const res = await h.api("GET", "/flowSpecs");
    expect(res.status).toBe(200);
    const byId = (id: string) => res.body.items.find((s: { id: string }) => s.id === id);
    const [cloud, streaming] = [byId(FLOW_SPEC.cloudStorage), byId(FLOW_SPEC.streaming)];
    expect(cloud).toMatchObject({
      id: FLOW_SPEC.cloudStorage,
      name: "CloudStorageToAEP",
      version: "1.0",
      providerId: "0ed90a81-07f4-4586-8190-b40eccef1c5a",
      targetConnectionSpecIds: [SPEC.datasetBase],
      transformationSpecs: [{ name: "Mapping", spec: { required: ["mappingId", "mappingVersion"] } }],
      scheduleSpec: { name: "PeriodicSchedule", type: "Periodic", spec: { required: ["startTime", "frequency"] } },
    });
    expect(cloud.sourceConnectionSpecIds).toEqual(expect.arrayContaining([SPEC.ftp, SPEC.sftp, SPEC.s3]));
    expect(cloud.scheduleSpec.spec.properties.frequency.enum).toEqual(["once", "minute", "hour", "day", "week"]);
    expect(streaming).toMatchObject({ id: FLOW_SPEC.streaming, name: "Steam data with transformation", providerId: "521eee4d-8cbe-4906-bb48-fb6bd4450033" });
    expect(streaming.sourceConnectionSpecIds).toContain(SPEC.streaming);
    expect(streaming.transformationSpecs[0].spec.required).toEqual(["mappingId"]);
    expect(streaming.scheduleSpec).toBeUndefined();
  });

  it("filters by name and id", async () => {
    const byName = await h.api("GET", `/flowSpecs?property=${encodeURIComponent('name=="CloudStorageToAEP"')}`);
    expect(byName.body.items.map((s: { id: string }) => s.id)).toEqual([FLOW_SPEC.cloudStorage]);
    const byId = await h.api("GET", `/flowSpecs?property=id==${FLOW_SPEC.streaming}`);
    expect(byId.body.items.map((s: { name: string }) => s.name)).toEqual(["Steam data with transformation"]);
    expectFlowError(await h.api("GET", "/flowSpecs?property=color==red"), "1400-400");
  });

  it("reads one spec, and answers 1000-404 for an unknown one", async () => {
    const res = await h.api("GET", `/flowSpecs/${FLOW_SPEC.cloudStorage}`);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0].name).toBe("CloudStorageToAEP");
    expect(expectFlowError(await h.api("GET", "/flowSpecs/00000000-0000-0000-0000-000000000000"), "1000-404")).toContain("00000000-0000-0000-0000-000000000000");
  });
});
