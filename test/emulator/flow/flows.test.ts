import { bodies, DEMO, ETAG, expectFlowError, FakeClock, Harness, SPEC, UUID } from "../../helpers/emulator";
import { createMappingSet, createPipeline, created, dataPrep, expectFlowErrorNaming, FLOW_SPEC, item, pipelineBodies, type Pipeline } from "../support/pipeline";

const ITEM_FIELDS = [
  "id", "name", "description", "flowSpec", "state", "version", "etag", "sourceConnectionIds", "targetConnectionIds", "inheritedAttributes",
  "scheduleParams", "transformations", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient",
  "sandboxId", "sandboxName", "imsOrgId",
].sort();

describe("flows", () => {
  let h: Harness;
  const clock = new FakeClock();
  const nowSeconds = () => Math.floor(clock.now() / 1000);
  const clientB = { clientId: "client-b", clientSecret: "secret-b", orgId: "ORGB@AdobeOrg", sandboxes: ["prod"] };
  let p: Pipeline;
  beforeAll(async () => {
    h = await Harness.start({ clock: clock.now, clients: [{ clientId: "client-a", clientSecret: "secret-a", orgId: "ORGA@AdobeOrg", sandboxes: ["prod", "dev"] }, clientB] });
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    await h.reset();
    p = await createPipeline(h);
  });

  const post = (body: unknown, opts = {}) => h.api("POST", "/flows", { ...opts, body });
  const patch = (id: string, body: unknown, ifMatch?: string) => h.api("PATCH", `/flows/${id}`, { body, headers: { "if-match": ifMatch } });

  it("creates an enabled flow and reads it with its inherited attributes, numbers as strings", async () => {
    expect(p.flowId).toMatch(UUID);
    expect(p.flowEtag).toMatch(ETAG);
    const f = await item(h, "/flows", p.flowId);
    expect(Object.keys(f).sort()).toEqual(ITEM_FIELDS);
    expect(f).toMatchObject({
      name: "Cloud storage flow",
      flowSpec: { id: FLOW_SPEC.cloudStorage, version: "1.0" },
      state: "enabled",
      etag: p.flowEtag,
      version: p.flowEtag,
      sourceConnectionIds: [p.sourceId],
      targetConnectionIds: [p.targetId],
      inheritedAttributes: {
        sourceConnections: [{ id: p.sourceId, connectionSpec: { id: SPEC.s3, version: "1.0" }, baseConnection: { id: p.baseId, connectionSpec: { id: SPEC.s3, version: "1.0" } } }],
        targetConnections: [{ id: p.targetId, connectionSpec: { id: SPEC.datasetBase, version: "1.0" } }],
      },
      scheduleParams: { startTime: "1597784298", frequency: "minute", interval: "15" },
      transformations: [{ name: "Mapping", params: { mappingId: p.mappingId, mappingVersion: 0 } }],
      createdBy: "client-a",
      createdClient: "client-a@techacct.adobe.com",
      createdAt: clock.now(),
    });
  });

  it("accepts schedule numbers and mappingVersion as JSON numbers or decimal strings", async () => {
    const body = pipelineBodies.flow(p.sourceId, p.targetId, p.mappingId, {
      transformations: [{ name: "Mapping", params: { mappingId: p.mappingId, mappingVersion: "0" } }],
      scheduleParams: { startTime: 1597784298, frequency: "hour", interval: 2, backfill: true },
    });
    const f = await item(h, "/flows", (await created(h, "/flows", body)).id);
    // Rendered as Adobe renders them: every value a string.
    expect(f.scheduleParams).toEqual({ startTime: "1597784298", frequency: "hour", interval: "2", backfill: "true" });
    expect(f.transformations[0].params.mappingVersion).toBe("0");
  });

  it("creates a streaming flow without a schedule, and keeps scheduleParams sent to it as sent", async () => {
    const streamBase = (await h.create(bodies.streaming())).id;
    const source = (await created(h, "/sourceConnections", pipelineBodies.streamingSource(streamBase))).id;
    const f = await created(h, "/flows", pipelineBodies.streamingFlow(source, p.targetId, p.mappingId));
    expect((await item(h, "/flows", f.id)).scheduleParams).toBeUndefined();
    // Adobe's streaming tutorial sends a mappingVersion the spec does not require: it is taken, and checked.
    const tutorial = (mappingVersion: number) => ({
      ...pipelineBodies.streamingFlow(source, p.targetId, p.mappingId),
      transformations: [{ name: "Mapping", params: { mappingId: p.mappingId, mappingVersion } }],
    });
    expect((await post(tutorial(0))).status).toBe(201);
    expectFlowErrorNaming(await post(tutorial(5)), "1100-400", "transformations[0].params.mappingVersion");
    // Its flow spec has no schedule, and Adobe forbids none: what is sent is kept, never interpreted.
    const scheduled = { ...pipelineBodies.streamingFlow(source, p.targetId, p.mappingId), scheduleParams: { startTime: 1, frequency: "once" } };
    const kept = await created(h, "/flows", scheduled);
    // Rendered as every flow's schedule is: numbers as strings.
    expect((await item(h, "/flows", kept.id)).scheduleParams).toEqual({ startTime: "1", frequency: "once" });
    expectFlowErrorNaming(await post({ ...scheduled, scheduleParams: [] }), "1100-400", "scheduleParams");
    // A streaming source does not fit the cloud storage spec, nor a file source the streaming spec.
    expectFlowErrorNaming(await post(pipelineBodies.flow(source, p.targetId, p.mappingId)), "1100-400", "sourceConnectionIds[0]");
    expectFlowErrorNaming(await post(pipelineBodies.streamingFlow(p.sourceId, p.targetId, p.mappingId)), "1100-400", "sourceConnectionIds[0]");
  });

  describe("validation names the field", () => {
    const other = "7a0c5b51-0000-4000-8000-000000000000";
    const cases: Array<[string, (p: Pipeline) => Record<string, unknown>, string]> = [
      ["an unknown flow spec", (p) => ({ flowSpec: { id: other, version: "1.0" } }), "flowSpec.id"],
      ["another flow spec version", (p) => ({ flowSpec: { id: FLOW_SPEC.cloudStorage, version: "2.0" } }), "flowSpec.version"],
      ["a missing source connection", (p) => ({ sourceConnectionIds: [other] }), "sourceConnectionIds[0]"],
      ["a missing target connection", (p) => ({ targetConnectionIds: [other] }), "targetConnectionIds[0]"],
      ["a target given as source", (p) => ({ sourceConnectionIds: [p.targetId] }), "sourceConnectionIds[0]"],
      ["two sources", (p) => ({ sourceConnectionIds: [p.sourceId, p.sourceId] }), "sourceConnectionIds"],
      ["no sources", (p) => ({ sourceConnectionIds: [] }), "sourceConnectionIds"],
      ["no Mapping transformation", () => ({ transformations: [] }), "transformations"],
      ["an unknown transformation", (p) => ({ transformations: [{ name: "Filter", params: {} }] }), "transformations[0].name"],
      ["a missing mapping set", () => ({ transformations: [{ name: "Mapping", params: { mappingId: "0".repeat(32), mappingVersion: 0 } }] }), "transformations[0].params.mappingId"],
      ["a missing mapping version", (p) => ({ transformations: [{ name: "Mapping", params: { mappingId: p.mappingId, mappingVersion: 3 } }] }), "transformations[0].params.mappingVersion"],
      ["no mapping version", (p) => ({ transformations: [{ name: "Mapping", params: { mappingId: p.mappingId } }] }), "transformations[0].params"],
      ["no schedule", () => ({ scheduleParams: undefined }), "scheduleParams"],
      ["a minute interval under 15", () => ({ scheduleParams: { startTime: "1597784298", frequency: "minute", interval: "5" } }), "scheduleParams.interval"],
      ["an hour interval of 0", () => ({ scheduleParams: { startTime: "1597784298", frequency: "hour", interval: 0 } }), "scheduleParams.interval"],
      ["no interval", () => ({ scheduleParams: { startTime: "1597784298", frequency: "day" } }), "interval"],
      ["an unknown frequency", () => ({ scheduleParams: { startTime: "1597784298", frequency: "month", interval: 1 } }), "scheduleParams.frequency"],
      ["a startTime that is not a number", () => ({ scheduleParams: { startTime: "soon", frequency: "once" } }), "scheduleParams.startTime"],
      ["an interval on a once schedule", () => ({ scheduleParams: { startTime: 1, frequency: "once", interval: 15 } }), "scheduleParams.interval"],
      ["backfill on a once schedule", () => ({ scheduleParams: { startTime: 1, frequency: "once", backfill: true } }), "scheduleParams.backfill"],
      ["a blank name", () => ({ name: " " }), "name"],
    ];
    it.each(cases)("refuses %s", async (_what, change, field) => {
      const body = JSON.parse(JSON.stringify({ ...pipelineBodies.flow(p.sourceId, p.targetId, p.mappingId), ...change(p) }));
      expectFlowErrorNaming(await post(body), "1100-400", field);
    });

    it("takes a once schedule without an interval", async () => {
      const body = pipelineBodies.flow(p.sourceId, p.targetId, p.mappingId, { scheduleParams: { startTime: "1597784298", frequency: "once" } });
      expect((await post(body)).status).toBe(201);
    });

    it("refuses connections and mapping sets of another sandbox as if they did not exist", async () => {
      const dev = await createPipeline(h, { sandbox: "dev" });
      expectFlowErrorNaming(await post(pipelineBodies.flow(dev.sourceId, p.targetId, p.mappingId)), "1100-400", "sourceConnectionIds[0]");
      expectFlowErrorNaming(await post(pipelineBodies.flow(p.sourceId, dev.targetId, p.mappingId)), "1100-400", "targetConnectionIds[0]");
      expectFlowErrorNaming(await post(pipelineBodies.flow(p.sourceId, p.targetId, dev.mappingId)), "1100-400", "transformations[0].params.mappingId");
    });
  });

  describe("[Adobe] the mapping writes with the target dataset's schema (1425-400)", () => {
    it("refuses a mapping set of another schema, naming the dataset, the mapping set and the field", async () => {
      const customers = await createMappingSet(h, pipelineBodies.mappingSet("Customers mapping", undefined, DEMO.customers.schemaId));
      const message = expectFlowErrorNaming(await post(pipelineBodies.flow(p.sourceId, p.targetId, customers, {})), "1425-400", "transformations[0].params.mappingId");
      expect(message).toContain(`Error while matching schema in target dataset ${DEMO.orders.dataSetId}`);
      expect(message).toContain(`with schema in mapping ${customers}`);
      expect(message).toContain("Schema with same id and version must be used in both mapping and target dataset.");
    });

    it("checks the version the flow names: an older version of another schema is refused, the latest taken", async () => {
      const set = await createMappingSet(h, pipelineBodies.mappingSet("Moving mapping", undefined, DEMO.customers.schemaId));
      expect((await dataPrep(h, "PUT", `/mappingSets/${set}`, { body: pipelineBodies.mappingSet("Moving mapping") })).status).toBe(200);
      const at = (version: number) => pipelineBodies.flow(p.sourceId, p.targetId, set, { transformations: [{ name: "Mapping", params: { mappingId: set, mappingVersion: version } }] });
      expectFlowError(await post(at(0)), "1425-400");
      expect((await post(at(1))).status).toBe(201);
    });

    it("re-checks a PATCH that moves the flow to a mapping of another schema", async () => {
      const customers = await createMappingSet(h, pipelineBodies.mappingSet("Customers mapping", undefined, DEMO.customers.schemaId));
      const to = [{ op: "replace", path: "/transformations/0", value: { name: "Mapping", params: { mappingId: customers, mappingVersion: 0 } } }];
      expectFlowError(await patch(p.flowId, to, p.flowEtag), "1425-400");
      expect((await item(h, "/flows", p.flowId)).etag).toBe(p.flowEtag);
    });

    it("[choice] refuses a flow whose target's dataset was removed behind its back, naming the target connection", async () => {
      const added = await h.control.addDataset({ name: "Returns", schemaId: DEMO.orders.schemaId, orgId: "ORGA@AdobeOrg" });
      const target = await created(h, "/targetConnections", pipelineBodies.target({ dataSetId: added.id, schemaId: DEMO.orders.schemaId }));
      await h.control.deleteDataset(added.id);
      const message = expectFlowErrorNaming(await post(pipelineBodies.flow(p.sourceId, target.id, p.mappingId)), "1100-400", "targetConnectionIds[0]");
      expect(message).toContain(added.id);
    });
  });

  describe("PATCH", () => {
    it("changes name, description, schedule fields and transformations, with a new etag", async () => {
      const v1 = await dataPrep(h, "PUT", `/mappingSets/${p.mappingId}`, { body: pipelineBodies.mappingSet("v1") });
      expect(v1.body.version).toBe(1);
      const res = await patch(
        p.flowId,
        [
          { op: "replace", path: "/name", value: "renamed" },
          { op: "replace", path: "/scheduleParams/interval", value: "30" },
          { op: "add", path: "/scheduleParams/backfill", value: false },
          { op: "replace", path: "/transformations/0/params/mappingVersion", value: 1 },
        ],
        p.flowEtag,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ id: p.flowId, etag: expect.stringMatching(ETAG) });
      expect(res.body.etag).not.toBe(p.flowEtag);
      const f = await item(h, "/flows", p.flowId);
      expect(f).toMatchObject({ name: "renamed", etag: res.body.etag, scheduleParams: { startTime: "1597784298", frequency: "minute", interval: "30", backfill: "false" } });
      expect(f.transformations).toEqual([{ name: "Mapping", params: { mappingId: p.mappingId, mappingVersion: 1 } }]);
      const whole = await patch(p.flowId, [{ op: "replace", path: "/transformations", value: [{ name: "Mapping", params: { mappingId: p.mappingId, mappingVersion: "0" } }] }], res.body.etag);
      expect(whole.status).toBe(200);
    });

    it("needs If-Match and refuses a stale one", async () => {
      const rename = [{ op: "replace", path: "/name", value: "x" }];
      expectFlowError(await patch(p.flowId, rename), "1403-400");
      expectFlowError(await patch(p.flowId, rename, '"stale"'), "1404-412");
    });

    it.each(["/flowSpec", "/sourceConnectionIds", "/targetConnectionIds/0", "/state"])("refuses a patch of %s", async (path) => {
      expectFlowErrorNaming(await patch(p.flowId, [{ op: "replace", path, value: "x" }], p.flowEtag), "1100-400", path);
    });

    it("refuses an unknown path and re-validates the result like a POST", async () => {
      expectFlowError(await patch(p.flowId, [{ op: "replace", path: "/owner", value: "x" }], p.flowEtag), "1455-400");
      expectFlowErrorNaming(await patch(p.flowId, [{ op: "replace", path: "/scheduleParams/interval", value: 10 }], p.flowEtag), "1100-400", "scheduleParams.interval");
      expectFlowErrorNaming(await patch(p.flowId, [{ op: "remove", path: "/scheduleParams" }], p.flowEtag), "1100-400", "scheduleParams");
      expectFlowErrorNaming(await patch(p.flowId, [{ op: "remove", path: "/transformations/0" }], p.flowEtag), "1100-400", "transformations");
      expectFlowErrorNaming(
        await patch(p.flowId, [{ op: "replace", path: "/transformations/0/params/mappingId", value: "f".repeat(32) }], p.flowEtag),
        "1100-400",
        "transformations[0].params.mappingId",
      );
      expectFlowErrorNaming(await patch(p.flowId, [{ op: "replace", path: "/transformations/0/params/mappingVersion", value: 9 }], p.flowEtag), "1100-400", "mappingVersion");
      // `-` appends: a second Mapping is refused, naming it.
      const second = { name: "Mapping", params: { mappingId: p.mappingId, mappingVersion: 0 } };
      expectFlowErrorNaming(await patch(p.flowId, [{ op: "add", path: "/transformations/-", value: second }], p.flowEtag), "1100-400", "transformations[1].name");
      expectFlowError(await patch(p.flowId, [{ op: "replace", path: "/transformations/7", value: second }], p.flowEtag), "1455-400");
      expectFlowError(await patch(p.flowId, [{ op: "add", path: "/scheduleParams/__proto__", value: {} }], p.flowEtag), "1100-400");
      expect((await item(h, "/flows", p.flowId)).etag).toBe(p.flowEtag);
    });

    it("takes Adobe's update-dataflows patches: /scheduleParams/frequency, and /transformations/0 replaced whole", async () => {
      await dataPrep(h, "PUT", `/mappingSets/${p.mappingId}`, { body: pipelineBodies.mappingSet("v1") });
      await dataPrep(h, "PUT", `/mappingSets/${p.mappingId}`, { body: pipelineBodies.mappingSet("v2") });
      const first = await patch(
        p.flowId,
        [
          { op: "replace", path: "/scheduleParams/frequency", value: "day" },
          { op: "replace", path: "/scheduleParams/interval", value: "1" },
          { op: "replace", path: "/description", value: "Database dataflow for testing update API" },
        ],
        p.flowEtag,
      );
      expect(first.status).toBe(200);
      const mapping = await patch(p.flowId, [{ op: "replace", path: "/transformations/0", value: { name: "Mapping", params: { mappingId: p.mappingId, mappingVersion: 2 } } }], first.body.etag);
      expect(mapping.status).toBe(200);
      expect(await item(h, "/flows", p.flowId)).toMatchObject({
        scheduleParams: { frequency: "day", interval: "1" },
        transformations: [{ name: "Mapping", params: { mappingId: p.mappingId, mappingVersion: 2 } }],
        etag: mapping.body.etag,
      });
    });

    it("[Adobe] refuses to change startTime once it has passed, and allows it before (injected clock)", async () => {
      const start = nowSeconds() + 3600;
      const f = await created(h, "/flows", pipelineBodies.flow(p.sourceId, p.targetId, p.mappingId, { scheduleParams: { startTime: String(start), frequency: "hour", interval: 1 } }));
      const later = await patch(f.id, [{ op: "replace", path: "/scheduleParams/startTime", value: String(start + 60) }], f.etag);
      expect(later.status).toBe(200);
      clock.advance(2 * 3600 * 1000);
      const passed = await patch(f.id, [{ op: "replace", path: "/scheduleParams/startTime", value: start + 7200 * 2 }], later.body.etag);
      expectFlowErrorNaming(passed, "1100-400", "scheduleParams.startTime");
      // Other schedule fields still change, and the same startTime may be sent again.
      const interval = await patch(f.id, [{ op: "replace", path: "/scheduleParams", value: { startTime: start + 60, frequency: "hour", interval: 3 } }], later.body.etag);
      expect(interval.status).toBe(200);
    });

    it("[Adobe] holds a passed startTime from the second it passes, for a disabled flow too, however the PATCH names it", async () => {
      const start = nowSeconds() + 10;
      const f = await created(h, "/flows", pipelineBodies.flow(p.sourceId, p.targetId, p.mappingId, { scheduleParams: { startTime: String(start), frequency: "hour", interval: 1 } }));
      const off = await h.api("POST", `/flows/${f.id}/action?op=disable`, { body: {}, headers: { "if-match": f.etag } });
      // A millisecond before it passes, it moves by a second; from that new second on, it is fixed.
      clock.advance(10_000 - 1);
      const lastMoment = await patch(f.id, [{ op: "replace", path: "/scheduleParams/startTime", value: start + 1 }], off.body.etag);
      expect(lastMoment.status).toBe(200);
      clock.advance(1001);
      for (const ops of [
        [{ op: "replace", path: "/scheduleParams/startTime", value: start + 3600 }],
        [{ op: "replace", path: "/scheduleParams", value: { startTime: String(start + 3600), frequency: "hour", interval: 1 } }],
        [{ op: "add", path: "/scheduleParams/startTime", value: start }],
      ]) {
        expectFlowErrorNaming(await patch(f.id, ops, lastMoment.body.etag), "1100-400", "scheduleParams.startTime");
      }
      const flow = await item(h, "/flows", f.id);
      expect({ state: flow.state, startTime: flow.scheduleParams.startTime, etag: flow.etag }).toEqual({ state: "disabled", startTime: String(start + 1), etag: lastMoment.body.etag });
      // The passed value itself, as a string as Adobe renders it, is taken with another change.
      const same = await patch(f.id, [{ op: "replace", path: "/scheduleParams", value: { startTime: String(start + 1), frequency: "day", interval: 1 } }], lastMoment.body.etag);
      expect(same.status).toBe(200);
    });
  });

  describe("actions", () => {
    const action = (id: string, op: string, ifMatch?: string) => h.api("POST", `/flows/${id}/action?op=${op}`, { body: {}, headers: { "if-match": ifMatch } });

    it("disables and enables a flow with new etags", async () => {
      const off = await action(p.flowId, "disable");
      expect(off.status).toBe(200);
      expect(off.body).toEqual({ id: p.flowId, etag: expect.stringMatching(ETAG) });
      expect(off.body.etag).not.toBe(p.flowEtag);
      expect(await item(h, "/flows", p.flowId)).toMatchObject({ state: "disabled", etag: off.body.etag });
      expect((await h.api("GET", "/flows?property=state==disabled")).body.items.map((f: { id: string }) => f.id)).toEqual([p.flowId]);
      const on = await action(p.flowId, "ENABLE", off.body.etag);
      expect(on.status).toBe(200);
      expect((await item(h, "/flows", p.flowId)).state).toBe("enabled");
    });

    it("takes the action as Adobe's tutorial sends it: no body, no content type", async () => {
      const res = await h.api("POST", `/flows/${p.flowId}/action?op=disable`);
      expect(res.status).toBe(200);
      expect((await item(h, "/flows", p.flowId)).state).toBe("disabled");
      // A body still needs the JSON content type.
      const typed = await h.api("POST", `/flows/${p.flowId}/action?op=enable`, { raw: "{}", headers: { "content-type": "text/plain" } });
      expect(typed.status).toBe(400);
      expect(typed.body.detail).toBe("A valid content-type must be specified");
    });

    it("honours a sent If-Match and refuses an unknown op", async () => {
      expectFlowError(await action(p.flowId, "disable", '"stale"'), "1404-412");
      expectFlowErrorNaming(await action(p.flowId, "pause"), "1400-400", "op");
      expectFlowErrorNaming(await h.api("POST", `/flows/${p.flowId}/action`, { body: {} }), "1400-400", "op");
      expectFlowError(await action("7a0c5b51-0000-4000-8000-000000000000", "disable"), "1101-404");
      expect((await item(h, "/flows", p.flowId)).state).toBe("enabled");
    });
  });

  it("deletes a flow (If-Match honoured when sent)", async () => {
    expectFlowError(await h.api("DELETE", `/flows/${p.flowId}`, { headers: { "if-match": '"stale"' } }), "1404-412");
    expect((await h.api("DELETE", `/flows/${p.flowId}`, { headers: { "if-match": p.flowEtag } })).status).toBe(204);
    expectFlowError(await h.api("GET", `/flows/${p.flowId}`), "1101-404");
    expectFlowError(await h.api("DELETE", `/flows/${p.flowId}`), "1101-404");
  });

  it("is isolated by sandbox and org", async () => {
    for (const opts of [{ sandbox: "dev" }, { client: clientB }]) {
      expectFlowError(await h.api("GET", `/flows/${p.flowId}`, opts), "1101-404");
      expectFlowError(await h.api("POST", `/flows/${p.flowId}/action?op=disable`, { ...opts, body: {} }), "1101-404");
      expectFlowError(await h.api("DELETE", `/flows/${p.flowId}`, opts), "1101-404");
      expect((await h.api("GET", "/flows", opts)).body.items).toEqual([]);
    }
  });

  it("lists with filters on array fields (any element) and the other fields, and pages", async () => {
    const secondSource = (await created(h, "/sourceConnections", pipelineBodies.source(p.baseId))).id;
    const mapping = await createMappingSet(h);
    const second = await created(h, "/flows", pipelineBodies.flow(secondSource, p.targetId, mapping, { name: "second flow" }));
    const ids = async (query: string) => (await h.api("GET", `/flows${query}`)).body.items.map((f: { id: string }) => f.id);
    expect(await ids("")).toEqual([second.id, p.flowId]);
    expect(await ids(`?property=sourceConnectionIds==${secondSource}`)).toEqual([second.id]);
    expect(await ids(`?property=targetConnectionIds==${p.targetId}`)).toEqual([second.id, p.flowId]);
    expect(await ids(`?property=targetConnectionIds!=${p.targetId}`)).toEqual([]);
    expect(await ids(`?property=flowSpec.id==${FLOW_SPEC.cloudStorage}&property=${encodeURIComponent('name=="second flow"')}`)).toEqual([second.id]);
    expect((await h.api("GET", "/flows?count=true")).body).toEqual({ count: 2 });
    const first = await h.api("GET", "/flows?limit=1&orderby=%2Bname");
    expect(first.body.items.map((f: { id: string }) => f.id)).toEqual([p.flowId]);
    const next = await h.api("GET", first.body._links.next.href);
    expect(next.body.items.map((f: { id: string }) => f.id)).toEqual([second.id]);
    expectFlowError(await h.api("GET", "/flows?property=scheduleParams.frequency==minute"), "1400-400");
  });
});
