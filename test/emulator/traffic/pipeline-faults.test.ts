import { expectFlowError, Harness } from "../../helpers/emulator";
import { createPipeline, dataPrep, expectDataPrepError, pipelineBodies } from "../support/pipeline";

describe("faults and the request log on the pipeline routes", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  it("logs each request under its route key", async () => {
    const p = await createPipeline(h);
    await h.api("GET", `/sourceConnections/${p.sourceId}`);
    await h.api("GET", `/targetConnections/${p.targetId}/`);
    await h.api("POST", `/flows/${p.flowId}/action?op=disable`, { body: {} });
    await h.api("GET", "/flowSpecs");
    await dataPrep(h, "PUT", `/mappingSets/${p.mappingId}`, { body: pipelineBodies.mappingSet() });
    await dataPrep(h, "DELETE", `/mappingSets/${p.mappingId}`);
    const log = h.control.requests();
    expect(log.counts).toMatchObject({
      "POST /sourceConnections": 1,
      "GET /sourceConnections/{id}": 1,
      "POST /targetConnections": 1,
      "GET /targetConnections/{id}": 1,
      "POST /flows": 1,
      "POST /flows/{id}/action": 1,
      "GET /flowSpecs": 1,
      "POST /mappingSets": 1,
      "PUT /mappingSets/{id}": 1,
      "DELETE /mappingSets/{id}": 1,
    });
    const action = log.entries.find((e) => e.route === "/flows/{id}/action");
    expect(action).toMatchObject({ method: "POST", path: expect.stringContaining(p.flowId), query: "op=disable", status: 200, sandbox: "prod" });
    expect(log.entries.find((e) => e.route === "/mappingSets/{id}" && e.method === "DELETE")?.status).toBe(405);
  });

  it("fires a fault rule by route key, in the route's own error shape", async () => {
    const p = await createPipeline(h);
    h.control.addFault({ kind: "503", route: "/sourceConnections/{id}", count: 1 });
    expectFlowError(await h.api("GET", `/sourceConnections/${p.sourceId}`), "1103-503");
    expect((await h.api("GET", `/sourceConnections/${p.sourceId}`)).status).toBe(200);

    h.control.addFault({ kind: "500", route: "/mappingSets/{id}", method: "GET", count: 1 });
    expectDataPrepError(await dataPrep(h, "GET", `/mappingSets/${p.mappingId}`), "1102-500");
    h.control.addFault({ kind: "429", route: "/flows", count: 1, retryAfterSeconds: 3 });
    const throttled = await h.api("GET", "/flows");
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get("retry-after")).toBe("3");
    const entries = h.control.requests().entries.filter((e) => e.fault);
    expect(entries.map((e) => `${e.method} ${e.route} ${e.fault}`)).toEqual(["GET /sourceConnections/{id} 503", "GET /mappingSets/{id} 500", "GET /flows 429"]);
  });

  it("commit-then-fail on a flow create keeps the flow the client never heard of", async () => {
    const p = await createPipeline(h);
    h.control.addFault({ kind: "commit-then-fail", route: "/flows", method: "POST", count: 1 });
    const lost = await h.api("POST", "/flows", { body: { ...pipelineBodies.flow(p.sourceId, p.targetId, p.mappingId), name: "lost answer" } });
    expectFlowError(lost, "1102-500");
    const named = await h.api("GET", `/flows?property=${encodeURIComponent('name=="lost answer"')}`);
    expect(named.body.items).toHaveLength(1);
  });

  it("refuses a fault rule on a route that does not exist, and lists the new keys", async () => {
    expect(() => h.control.addFault({ kind: "500", route: "/flows/{id}/run" })).toThrow(/route must be one of .*\/flows\/\{id\}\/action.*\/mappingSets\/\{id\}/);
  });
});
