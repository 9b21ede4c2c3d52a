/**
 * What Adobe's own clients send, one contract per finding: the emulator copies what Adobe documents, accepts
 * what Adobe's clients send where Adobe is silent, and refuses only what Adobe documents as refused (or a
 * choice docs/flow-service-contract.md records).
 */
import { bodies, expectFlowError, FS, Harness, request, SPEC } from "../helpers/emulator";
import { createMappingSet, createPipeline, created, dataPrep, expectDataPrepError, FLOW_SPEC, item, pipelineBodies } from "./support/pipeline";

describe("what Adobe's clients send", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  const follow = async (href: string) => request("GET", `${h.emu.flowServiceUrl}${href}`, { headers: await h.gatewayHeaders() });

  describe("list pages", () => {
    beforeEach(async () => {
      for (let i = 0; i < 5; i++) await h.create(bodies.ftp(`conn-${i}`));
      await h.create(bodies.s3("s3-only"));
    });

    it("links the next page with the continuation token alone, as the spec's PageLink example does", async () => {
      const first = await h.api("GET", `/connections?limit=2&orderby=name&property=${encodeURIComponent(`connectionSpec.id==${SPEC.ftp}`)}`);
      const href = first.body._links.next.href as string;
      expect(href).toMatch(/^\/connections\?continuationToken=[A-Za-z0-9_-]+$/);
      // The token alone carries the query: order, page size and filters.
      const second = await follow(href);
      expect(second.body.items.map((c: { name: string }) => c.name)).toEqual(["conn-2", "conn-3"]);
    });

    it("serves a client that reads the token as what follows the link's '='", async () => {
      // Adobe's Python client: token = href.split("=")[1], then GET with its own params and that token.
      let res = await h.api("GET", "/connections?limit=2&count=False");
      const names: string[] = [];
      for (let page = 0; page < 10; page++) {
        names.push(...res.body.items.map((c: { name: string }) => c.name));
        const href = res.body._links.next?.href as string | undefined;
        if (!href) break;
        res = await h.api("GET", `/connections?limit=2&count=False&continuationToken=${href.split("=")[1]}`);
        expect(res.status).toBe(200);
      }
      expect(names).toEqual(["s3-only", "conn-4", "conn-3", "conn-2", "conn-1", "conn-0"]);
    });

    it("takes the token with the same query repeated, as the provider sends it, and refuses it with another filter", async () => {
      const filter = `property=${encodeURIComponent(`connectionSpec.id==${SPEC.ftp}`)}`;
      const first = await h.api("GET", `/connections?limit=3&${filter}`);
      const token = new URLSearchParams(first.body._links.next.href.split("?")[1]).get("continuationToken") as string;
      const same = await h.api("GET", `/connections?limit=3&${filter}&continuationToken=${token}`);
      expect(same.body.items.map((c: { name: string }) => c.name)).toEqual(["conn-1", "conn-0"]);
      const other = await h.api("GET", `/connections?limit=3&property=${encodeURIComponent("name==s3-only")}&continuationToken=${token}`);
      expect(expectFlowError(other, "1400-400")).toContain("property");
      expect(expectFlowError(await h.api("GET", `/connections?orderby=name&continuationToken=${token}`), "1400-400")).toContain("orderby");
    });

    it("reads count as a boolean in any case: count=False lists, count=TRUE counts, anything else is a 400", async () => {
      expect((await h.api("GET", "/connections?count=False")).body.items).toHaveLength(6);
      expect((await h.api("GET", "/connections?count=TRUE")).body).toEqual({ count: 6 });
      expect((await h.api("GET", "/flows?count=False")).body).toEqual({ items: [], _links: {} });
      expect(expectFlowError(await h.api("GET", "/connections?count=yes"), "1400-400")).toContain("count");
    });

    it("reads empty query values as not sent, as an unset Postman variable sends them", async () => {
      const res = await h.api("GET", "/connections?property=&limit=&orderby=&continuationToken=&count=");
      expect(res.body.items).toHaveLength(6);
    });
  });

  describe("JSON Patch op names", () => {
    it("takes the spec's enum (ADD, REPLACE, REMOVE) as well as RFC 6902's lower case, on connections", async () => {
      const c = await h.create(bodies.ftp());
      const renamed = await h.api("PATCH", `/connections/${c.id}`, { body: [{ op: "REPLACE", path: "/name", value: "upper" }], headers: { "if-match": c.etag } });
      expect(renamed.status).toBe(200);
      const described = await h.api("PATCH", `/connections/${c.id}`, { body: [{ op: "ADD", path: "/description", value: "d" }, { op: "Remove", path: "/description" }], headers: { "if-match": renamed.body.etag } });
      expect(described.status).toBe(200);
      expect(await h.get(c.id)).toMatchObject({ name: "upper", description: "" });
      expectFlowError(await h.api("PATCH", `/connections/${c.id}`, { body: [{ op: "MOVE", path: "/name", from: "/description" }], headers: { "if-match": described.body.etag } }), "1434-400");
    });

    it("takes them on flows and on source and target connections", async () => {
      const p = await createPipeline(h);
      const res = await h.api("PATCH", `/flows/${p.flowId}`, { body: [{ op: "REPLACE", path: "/name", value: "Renamed flow" }], headers: { "if-match": p.flowEtag } });
      expect(res.status).toBe(200);
      expect((await item(h, "/flows", p.flowId)).name).toBe("Renamed flow");
      const source = await item(h, "/sourceConnections", p.sourceId);
      const patched = await h.api("PATCH", `/sourceConnections/${p.sourceId}`, { body: [{ op: "REMOVE", path: "/params/recursive" }], headers: { "if-match": source.etag } });
      expect(patched.status).toBe(200);
      expect((await item(h, "/sourceConnections", p.sourceId)).params).toEqual({ path: "/acme/summer-collection.csv" });
    });
  });

  describe("if-match as a query parameter (Adobe's Postman collection)", () => {
    it("updates with the etag in the query when no header is sent, and refuses a stale one with 412", async () => {
      const c = await h.create(bodies.ftp());
      const query = `if-match=${encodeURIComponent(c.etag)}`;
      const res = await h.api("PATCH", `/connections/${c.id}/?${query}`, { body: [{ op: "replace", path: "/name", value: "via query" }] });
      expect(res.status).toBe(200);
      expectFlowError(await h.api("PATCH", `/connections/${c.id}?${query}`, { body: [{ op: "replace", path: "/name", value: "again" }] }), "1404-412");
      expect((await h.get(c.id)).name).toBe("via query");
    });

    it("lets the header win over the query, and still requires one of them", async () => {
      const c = await h.create(bodies.ftp());
      const stale = `if-match=${encodeURIComponent('"00000000-0000-0200-0000-000000000000"')}`;
      const withHeader = await h.api("PATCH", `/connections/${c.id}?${stale}`, { body: [{ op: "replace", path: "/name", value: "header" }], headers: { "if-match": c.etag } });
      expect(withHeader.status).toBe(200);
      expectFlowError(await h.api("PATCH", `/connections/${c.id}`, { body: [{ op: "replace", path: "/name", value: "none" }] }), "1403-400");
    });

    it("is honoured on a flow's update and delete", async () => {
      const p = await createPipeline(h);
      expectFlowError(await h.api("DELETE", `/flows/${p.flowId}?if-match=${encodeURIComponent('"stale"')}`), "1404-412");
      const res = await h.api("PATCH", `/flows/${p.flowId}?if-match=${encodeURIComponent(p.flowEtag)}`, { body: [{ op: "replace", path: "/name", value: "x" }] });
      expect(res.status).toBe(200);
      expect((await h.api("DELETE", `/flows/${p.flowId}?if-match=${encodeURIComponent(res.body.etag)}`)).status).toBe(204);
    });
  });

  describe("explore without objectType", () => {
    it("explores the root, as objectType=root does (the spec declares objectType optional)", async () => {
      h.control.addRemote({ kind: "ftp", host: "ftp.example.com", credentials: [{ userName: "alice", password: "ftp-secret" }], files: [{ path: "acme/a.csv" }, { path: "top.csv" }] });
      const c = await h.create(bodies.ftp());
      const bare = await h.api("GET", `/connections/${c.id}/explore`);
      expect(bare.status).toBe(200);
      expect(bare.body).toEqual((await h.api("GET", `/connections/${c.id}/explore?objectType=root`)).body);
      expect(bare.body.map((e: { name: string }) => e.name)).toEqual(["acme", "top.csv"]);
      expect(expectFlowError(await h.api("GET", `/connections/${c.id}/explore?objectType=table`), "1400-400")).toContain("objectType");
    });
  });

  describe("keys the emulator does not model", () => {
    it("accepts a source connection's providerId and stores nothing of it", async () => {
      const base = (await h.create(bodies.s3())).id;
      const s = await created(h, "/sourceConnections", { ...pipelineBodies.source(base), providerId: "0ed90a81-07f4-4586-8190-b40eccef1c5a" });
      expect(await item(h, "/sourceConnections", s.id)).not.toHaveProperty("providerId");
    });

    it("keeps a schedule's foldernameTemplate as sent and still checks the fields it models", async () => {
      const p = await createPipeline(h);
      const template = "%DESTINATION%_%DATASET_ID%_%DATETIME(YYYYMMdd_HHmmss)%";
      const scheduleParams = { startTime: "1597784298", frequency: "hour", interval: "1", foldernameTemplate: template };
      const flow = await created(h, "/flows", pipelineBodies.flow(p.sourceId, p.targetId, p.mappingId, { name: "with template", scheduleParams }));
      expect((await item(h, "/flows", flow.id)).scheduleParams).toEqual({ startTime: "1597784298", frequency: "hour", interval: "1", foldernameTemplate: template });
      const tooOften = { ...scheduleParams, frequency: "minute", interval: "5" };
      expect(expectFlowError(await h.api("POST", "/flows", { body: pipelineBodies.flow(p.sourceId, p.targetId, p.mappingId, { scheduleParams: tooOften }) }), "1100-400")).toContain("scheduleParams.interval");
    });

    it("accepts a streaming flow's empty scheduleParams, which its flow spec has no schedule for", async () => {
      const base = (await h.create(bodies.streaming())).id;
      const source = (await created(h, "/sourceConnections", pipelineBodies.streamingSource(base))).id;
      const target = (await created(h, "/targetConnections", pipelineBodies.target())).id;
      const mappingId = await createMappingSet(h);
      const flow = await created(h, "/flows", { ...pipelineBodies.streamingFlow(source, target, mappingId), scheduleParams: {} });
      expect((await item(h, "/flows", flow.id)).flowSpec.id).toBe(FLOW_SPEC.streaming);
      expect(expectFlowError(await h.api("POST", "/flows", { body: { ...pipelineBodies.streamingFlow(source, target, mappingId), scheduleParams: "hourly" } }), "1100-400")).toContain("scheduleParams");
    });

    it("accepts top-level keys it does not model on flows and target connections", async () => {
      const p = await createPipeline(h);
      const target = await created(h, "/targetConnections", { ...pipelineBodies.target(), providerId: "0ed90a81-07f4-4586-8190-b40eccef1c5a" });
      expect(await item(h, "/targetConnections", target.id)).not.toHaveProperty("providerId");
      const flow = await created(h, "/flows", pipelineBodies.flow(p.sourceId, p.targetId, p.mappingId, { name: "tagged", inheritedAttributes: {} }));
      expect((await item(h, "/flows", flow.id)).name).toBe("tagged");
    });
  });

  describe("the Data Lake connection spec's name", () => {
    it("is found by the name Adobe's Python client looks it up by", async () => {
      const res = await h.api("GET", `/connectionSpecs?property=${encodeURIComponent('name=="datalake"')}`);
      expect(res.body.items.map((s: { id: string; name: string }) => [s.id, s.name])).toEqual([[SPEC.datasetBase, "datalake"]]);
    });
  });

  describe("runs", () => {
    it("lists no runs, filtered by flowId or not, counts 0 and checks its filters", async () => {
      const p = await createPipeline(h);
      expect((await h.api("GET", `/runs?property=${encodeURIComponent(`flowId==${p.flowId}`)}`)).body).toEqual({ items: [], _links: {} });
      expect((await h.api("GET", "/runs?count=true")).body).toEqual({ count: 0 });
      expect(expectFlowError(await h.api("GET", `/runs?property=${encodeURIComponent("color==red")}`), "1400-400")).toContain("color");
    });

    it("finds no run by id (1101-404) and answers a run's creation as a route it does not have (1000-404)", async () => {
      expect(expectFlowError(await h.api("GET", "/runs/2f5b6d3e-0000-4000-8000-000000000000"), "1101-404")).toContain("Run");
      expectFlowError(await h.api("POST", "/runs", { body: { flowId: "x" } }), "1000-404");
    });

    it("asks for the gateway's headers like every Flow route", async () => {
      const res = await request("GET", `${h.emu.baseUrl}${FS}/runs`);
      expect(res.status).toBe(403);
    });
  });

  describe("Data Prep", () => {
    it("orders by lastUpdateDate (the spec's default) as by updatedDate, and refuses an unknown order", async () => {
      const a = await createMappingSet(h, pipelineBodies.mappingSet("a"));
      const b = await createMappingSet(h, pipelineBodies.mappingSet("b"));
      // a's new version makes it the last updated.
      expect((await dataPrep(h, "PUT", `/mappingSets/${a}`, { body: pipelineBodies.mappingSet("a2") })).status).toBe(200);
      const ids = async (orderBy: string) => (await dataPrep(h, "GET", `/mappingSets?limit=10&start=0&orderBy=${encodeURIComponent(orderBy)}`)).body.data.map((s: { id: string }) => s.id);
      expect(await ids("lastUpdateDate")).toEqual([a, b]);
      expect(await ids("-lastUpdateDate")).toEqual([a, b]);
      expect(await ids("+lastUpdateDate")).toEqual([b, a]);
      expect(await ids("+createdDate")).toEqual([a, b]);
      expect(expectDataPrepError(await dataPrep(h, "GET", "/mappingSets?orderBy=name"), "2000-400")).toContain("orderBy");
    });

    it("lists a mapping set's mappings with ids, finds each by its id, and gives a new version new ids", async () => {
      const id = await createMappingSet(h);
      const list = await dataPrep(h, "GET", `/mappingSets/${id}/mappings`);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([
        expect.objectContaining({ id: expect.stringMatching(/^[0-9a-f]{32}$/), version: 0, sourceType: "ATTRIBUTE", source: "column0", destination: "person.name.firstName" }),
        expect.objectContaining({ id: expect.stringMatching(/^[0-9a-f]{32}$/), version: 0, source: "column1", destination: "person.name.lastName" }),
      ]);
      const one = await dataPrep(h, "GET", `/mappingSets/${id}/mappings/${list.body[1].id}`);
      expect(one.body).toEqual(list.body[1]);
      await dataPrep(h, "PUT", `/mappingSets/${id}`, { body: pipelineBodies.mappingSet() });
      const latest = (await dataPrep(h, "GET", `/mappingSets/${id}/mappings`)).body;
      expect(latest[0]).toMatchObject({ version: 1 });
      expect(latest[0].id).not.toBe(list.body[0].id);
      expect((await dataPrep(h, "GET", `/mappingSets/${id}/mappings/${list.body[0].id}?version=0`)).body).toEqual(list.body[0]);
      expectDataPrepError(await dataPrep(h, "GET", `/mappingSets/${id}/mappings/${list.body[0].id}`), "2002-404");
      expectDataPrepError(await dataPrep(h, "GET", "/mappingSets/0123456789abcdef0123456789abcdef/mappings"), "2002-404");
    });

    it("validates a mapping set without storing it: one SUCCESS per mapping, a 2000-400 naming the property otherwise", async () => {
      const res = await dataPrep(h, "POST", "/mappingSets/validate", { body: pipelineBodies.mappingSet() });
      expect(res.body).toEqual({ validationResponse: [{ status: "SUCCESS", errors: null }, { status: "SUCCESS", errors: null }] });
      const bad = { ...pipelineBodies.mappingSet(), mappings: [{ sourceType: "ATTRIBUTE", source: "a" }] };
      expect(expectDataPrepError(await dataPrep(h, "POST", "/mappingSets/validate", { body: bad }), "2000-400")).toContain("destination");
      expect((await dataPrep(h, "GET", "/mappingSets")).body.data).toEqual([]);
    });

    it("previews records through a mapping set: attributes copied by path, static values written, expressions reported", async () => {
      const mappingSet = {
        ...pipelineBodies.mappingSet(),
        mappings: [
          { sourceType: "ATTRIBUTE", source: "user.first", destination: "person.name.firstName" },
          { sourceType: "STATIC", source: "acme", destination: "brand" },
          { sourceType: "EXPRESSION", source: "upper(user.first)", destination: "shout" },
          { sourceType: "ATTRIBUTE", source: "missing", destination: "other" },
        ],
      };
      const res = await dataPrep(h, "POST", "/mappingSets/preview", { body: { data: [{ user: { first: "Jim" } }], mappingSet } });
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(1);
      expect(res.body[0].data).toEqual({ person: { name: { firstName: "Jim" } }, brand: "acme" });
      expect(res.body[0].errors.map((e: { destination: string }) => e.destination)).toEqual(["shout", "other"]);
      const proto = { ...mappingSet, mappings: [{ sourceType: "STATIC", source: "x", destination: "__proto__.polluted" }] };
      expect(expectDataPrepError(await dataPrep(h, "POST", "/mappingSets/preview", { body: { data: [{}], mappingSet: proto } }), "2000-400")).toContain("destination");
      expect(expectDataPrepError(await dataPrep(h, "POST", "/mappingSets/preview", { body: { mappingSet } }), "2000-400")).toContain("data");
    });
  });
});
