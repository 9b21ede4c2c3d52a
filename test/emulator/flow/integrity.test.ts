import { bodies, expectFlowError, Harness } from "../../helpers/emulator";
import { createPipeline, created, expectFlowErrorNaming, item, pipelineBodies } from "../support/pipeline";

describe("referential integrity between connections, source and target connections and flows", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  const del = (path: string) => h.api("DELETE", path);

  it("refuses, with 1418-400 naming the user, every delete a flow depends on; then deletes in order", async () => {
    const p = await createPipeline(h);
    expect(expectFlowError(await del(`/sourceConnections/${p.sourceId}`), "1418-400")).toContain(p.flowId);
    expect(expectFlowError(await del(`/targetConnections/${p.targetId}`), "1418-400")).toContain(p.flowId);
    // The flow's source connection's base connection: refused because the source connection uses it.
    expect(expectFlowError(await del(`/connections/${p.baseId}`), "1418-400")).toContain(p.sourceId);

    expect((await del(`/flows/${p.flowId}`)).status).toBe(204);
    expectFlowError(await del(`/connections/${p.baseId}`), "1418-400");
    expect((await del(`/sourceConnections/${p.sourceId}`)).status).toBe(204);
    expect((await del(`/targetConnections/${p.targetId}`)).status).toBe(204);
    expect((await del(`/connections/${p.baseId}`)).status).toBe(204);
  });

  it("refuses to delete a Data Lake base connection a target connection uses", async () => {
    const lake = (await h.create(bodies.datasetBase())).id;
    const target = await created(h, "/targetConnections", pipelineBodies.target(undefined, lake));
    expect(expectFlowError(await del(`/connections/${lake}`), "1418-400")).toContain(target.id);
    expect((await del(`/targetConnections/${target.id}`)).status).toBe(204);
    expect((await del(`/connections/${lake}`)).status).toBe(204);
  });

  it("keeps the old test hook: a connection marked as used by dataflows refuses deletion", async () => {
    const c = await h.create(bodies.ftp());
    await h.control.setDataflows(c.id, 2);
    expect(expectFlowError(await del(`/connections/${c.id}`), "1418-400")).toContain("2 dataflow(s)");
    await h.control.setDataflows(c.id, 0);
    expect((await del(`/connections/${c.id}`)).status).toBe(204);
  });

  it("never lets a flow and the delete of its source connection both succeed when they race", async () => {
    const p = await createPipeline(h);
    for (let i = 0; i < 10; i++) {
      const source = await created(h, "/sourceConnections", pipelineBodies.source(p.baseId, undefined, `race-${i}`));
      const [flow, del] = await Promise.all([
        h.api("POST", "/flows", { body: pipelineBodies.flow(source.id, p.targetId, p.mappingId) }),
        h.api("DELETE", `/sourceConnections/${source.id}`),
      ]);
      // Exactly one wins; the other is refused, and no flow is left naming a missing source.
      expect([flow.status, del.status].sort()).toEqual(flow.status === 201 ? [201, 400] : [204, 400]);
    }
    const known = new Set(h.control.sourceConnections().map((s) => s.id));
    expect(h.control.flows().filter((f) => !known.has(f.sourceConnectionIds[0]))).toEqual([]);
  });

  it("lets the admin API delete behind the client's back, leaving orphans a test can find", async () => {
    const p = await createPipeline(h);
    await h.control.deleteSourceConnection(p.sourceId);
    await h.control.deleteConnection(p.baseId);
    // The flow still names its source; the inherited attributes show only the id that is gone.
    const flow = await item(h, "/flows", p.flowId);
    expect(flow.sourceConnectionIds).toEqual([p.sourceId]);
    expect(flow.inheritedAttributes.sourceConnections).toEqual([{ id: p.sourceId }]);
    const known = new Set(h.control.sourceConnections().map((s) => s.id));
    const orphans = h.control.flows().filter((f) => f.sourceConnectionIds.some((id: string) => !known.has(id)));
    expect(orphans.map((f) => f.id)).toEqual([p.flowId]);
    // A new flow cannot be made on the missing source.
    expectFlowErrorNaming(await h.api("POST", "/flows", { body: pipelineBodies.flow(p.sourceId, p.targetId, p.mappingId) }), "1100-400", "sourceConnectionIds[0]");
  });

  it("re-validates a flow whose mapping set the admin API removed: its PATCH names the mapping", async () => {
    const p = await createPipeline(h);
    await h.control.deleteMappingSet(p.mappingId);
    const res = await h.api("PATCH", `/flows/${p.flowId}`, { body: [{ op: "replace", path: "/name", value: "x" }], headers: { "if-match": p.flowEtag } });
    expectFlowErrorNaming(res, "1100-400", "transformations[0].params.mappingId");
  });
});
