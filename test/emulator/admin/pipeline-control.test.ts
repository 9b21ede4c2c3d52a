import type { AdminEntity } from "../../../emulator";
import { ETAG, expectFlowError, FakeClock, Harness } from "../../helpers/emulator";
import { createPipeline, dataPrep, item, pipelineBodies } from "../support/pipeline";

describe("control API for pipeline entities (in process and over HTTP)", () => {
  let h: Harness;
  const clock = new FakeClock();
  beforeAll(async () => {
    h = await Harness.start({ clock: clock.now, clients: [{ clientId: "client-a", clientSecret: "secret-a", orgId: "ORGA@AdobeOrg", sandboxes: ["prod", "dev"] }] });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  it("lists every entity of each kind across sandboxes, in process and over HTTP", async () => {
    const prod = await createPipeline(h);
    const dev = await createPipeline(h, { sandbox: "dev" });
    const ids = (items: AdminEntity[]) => items.map((e) => String(e.id)).sort();
    expect(ids(h.control.sourceConnections())).toEqual([prod.sourceId, dev.sourceId].sort());
    expect(ids(h.control.targetConnections())).toEqual([prod.targetId, dev.targetId].sort());
    expect(ids(h.control.flows())).toEqual([prod.flowId, dev.flowId].sort());
    expect(ids(h.control.mappingSets())).toEqual([prod.mappingId, dev.mappingId].sort());
    for (const kind of ["sourceConnections", "targetConnections", "flows", "mappingSets"]) {
      const res = await h.admin("GET", `/${kind}`);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(2);
    }
    expect((await h.admin("GET", `/flows/${dev.flowId}`)).body).toMatchObject({ id: dev.flowId, sandboxName: "dev" });
    expect((await h.admin("GET", `/sourceConnections/${prod.sourceId}`)).body.baseConnectionId).toBe(prod.baseId);
    expect((await h.admin("GET", `/targetConnections/${prod.targetId}`)).body.params.dataSetId).toBeDefined();
    expect((await h.admin("GET", `/mappingSets/${prod.mappingId}`)).body).toMatchObject({ id: prod.mappingId, imsOrgId: "ORGA@AdobeOrg", versions: [{ version: 0 }] });
    for (const kind of ["sourceConnections", "targetConnections", "flows", "mappingSets"]) {
      expect((await h.admin("GET", `/${kind}/7a0c5b51-0000-4000-8000-000000000000`)).status).toBe(404);
    }
  });

  it("drifts a flow's state and schedule behind the client's back, with a new etag and the admin as updater", async () => {
    const p = await createPipeline(h);
    clock.advance(1000);
    const drifted = await h.control.driftFlow(p.flowId, { state: "disabled" });
    expect(drifted).toMatchObject({ state: "disabled", updatedBy: "aep-emulator-admin", updatedAt: clock.now(), etag: expect.stringMatching(ETAG) });
    expect(drifted.etag).not.toBe(p.flowEtag);
    // The client's If-Match is stale now.
    expectFlowError(await h.api("PATCH", `/flows/${p.flowId}`, { body: [{ op: "replace", path: "/name", value: "x" }], headers: { "if-match": p.flowEtag } }), "1404-412");

    const http = await h.admin("PATCH", `/flows/${p.flowId}`, { scheduleParams: { startTime: 1700000000, frequency: "day", interval: 2 } });
    expect(http.status).toBe(200);
    expect((await item(h, "/flows", p.flowId)).scheduleParams).toEqual({ startTime: "1700000000", frequency: "day", interval: "2" });

    // Checked as a client's write is.
    const bad = await h.admin("PATCH", `/flows/${p.flowId}`, { scheduleParams: { startTime: 1, frequency: "minute", interval: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("scheduleParams.interval");
    expect((await h.admin("PATCH", `/flows/${p.flowId}`, { state: "paused" })).body.error).toContain("state");
    expect((await h.admin("PATCH", `/flows/${p.flowId}`, { owner: "x" })).body.error).toContain("unknown field 'owner'");
    expect((await h.admin("PATCH", `/flows/${p.flowId}`, {})).status).toBe(400);
  });

  it("deletes any entity behind the client's back, with no integrity check", async () => {
    const p = await createPipeline(h);
    expect((await h.admin("DELETE", `/targetConnections/${p.targetId}`)).status).toBe(204);
    expect((await h.admin("DELETE", `/sourceConnections/${p.sourceId}`)).status).toBe(204);
    expect((await h.admin("DELETE", `/mappingSets/${p.mappingId}`)).status).toBe(204);
    expectFlowError(await h.api("GET", `/sourceConnections/${p.sourceId}`), "1101-404");
    expectFlowError(await h.api("GET", `/targetConnections/${p.targetId}`), "1101-404");
    expect((await dataPrep(h, "GET", `/mappingSets/${p.mappingId}`)).status).toBe(404);
    await h.control.deleteFlow(p.flowId);
    expect(h.control.flows()).toEqual([]);
    expect((await h.admin("DELETE", `/flows/${p.flowId}`)).status).toBe(404);
  });

  it("puts a new mapping-set version behind the client's back, checked like a PUT", async () => {
    const p = await createPipeline(h);
    const res = await h.admin("PUT", `/mappingSets/${p.mappingId}`, pipelineBodies.mappingSet("from admin", ["person.age"]));
    expect(res.status).toBe(200);
    expect(res.body.versions.map((v: { version: number }) => v.version)).toEqual([0, 1]);
    const latest = await dataPrep(h, "GET", `/mappingSets/${p.mappingId}`);
    expect(latest.body).toMatchObject({ version: 1, name: "from admin", modifiedBy: "aep-emulator-admin" });
    const set = await h.control.putMappingSetVersion(p.mappingId, pipelineBodies.mappingSet("again"));
    expect(set.version).toBe(2);
    const bad = await h.admin("PUT", `/mappingSets/${p.mappingId}`, { mappings: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain("outputSchema");
  });

  it("reset clears every entity", async () => {
    await createPipeline(h);
    await h.reset();
    expect([h.control.sourceConnections(), h.control.targetConnections(), h.control.flows(), h.control.mappingSets(), h.control.connections()]).toEqual([[], [], [], [], []]);
  });

  it("describes the new calls in GET /__admin", async () => {
    const index = (await h.admin("GET", "")).body;
    const routes = index.routes.map((r: { method: string; path: string }) => `${r.method} ${r.path}`);
    expect(routes).toEqual(expect.arrayContaining(["GET /__admin/flows", "PATCH /__admin/flows/{id}", "PUT /__admin/mappingSets/{id}", "DELETE /__admin/sourceConnections/{id}"]));
    expect(index.faultRoutes).toEqual(expect.arrayContaining(["/sourceConnections/{id}", "/flows/{id}/action", "/mappingSets/{id}"]));
  });
});
