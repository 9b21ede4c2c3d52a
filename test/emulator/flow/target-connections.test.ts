import { bodies, DEMO, ETAG, expectFlowError, Harness, SPEC, UUID } from "../../helpers/emulator";
import { created, expectFlowErrorNaming, item, pipelineBodies } from "../support/pipeline";

const ITEM_FIELDS = [
  "id", "name", "description", "connectionSpec", "data", "params", "state", "createdAt", "updatedAt",
  "createdBy", "updatedBy", "createdClient", "updatedClient", "sandboxId", "sandboxName", "imsOrgId", "version", "etag",
].sort();

describe("target connections", () => {
  let h: Harness;
  const clientB = { clientId: "client-b", clientSecret: "secret-b", orgId: "ORGB@AdobeOrg", sandboxes: ["prod"] };
  beforeAll(async () => {
    h = await Harness.start({ clients: [{ clientId: "client-a", clientSecret: "secret-a", orgId: "ORGA@AdobeOrg", sandboxes: ["prod", "dev"] }, clientB] });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  it("creates, reads, patches and deletes a target connection without a base connection", async () => {
    const c = await created(h, "/targetConnections", pipelineBodies.target(DEMO.orders));
    expect(c).toEqual({ id: expect.stringMatching(UUID), etag: expect.stringMatching(ETAG) });
    const got = await item(h, "/targetConnections", c.id);
    expect(Object.keys(got).sort()).toEqual(ITEM_FIELDS);
    expect(got).toMatchObject({
      connectionSpec: { id: SPEC.datasetBase, version: "1.0" },
      data: { format: "parquet_xdm", schema: { version: "application/vnd.adobe.xed-full+json;version=1" } },
      params: { dataSetId: DEMO.orders.dataSetId },
      state: "enabled",
      etag: c.etag,
    });
    const patched = await h.api("PATCH", `/targetConnections/${c.id}`, {
      body: [
        { op: "replace", path: "/params/dataSetId", value: DEMO.customers.dataSetId },
        { op: "replace", path: "/data/schema/id", value: DEMO.customers.schemaId },
        { op: "replace", path: "/description", value: "moved" },
      ],
      headers: { "if-match": c.etag },
    });
    expect(patched.status).toBe(200);
    expect(await item(h, "/targetConnections", c.id)).toMatchObject({ params: { dataSetId: DEMO.customers.dataSetId }, description: "moved", etag: patched.body.etag });
    expect((await h.api("DELETE", `/targetConnections/${c.id}`)).status).toBe(204);
    expectFlowError(await h.api("GET", `/targetConnections/${c.id}`), "1101-404");
  });

  it("takes a Data Lake base connection and shows it", async () => {
    const lake = (await h.create(bodies.datasetBase())).id;
    const c = await created(h, "/targetConnections", pipelineBodies.target(DEMO.orders, lake));
    const got = await item(h, "/targetConnections", c.id);
    expect(Object.keys(got).sort()).toEqual([...ITEM_FIELDS, "baseConnectionId"].sort());
    expect(got.baseConnectionId).toBe(lake);
  });

  it("refuses a base connection that is missing, elsewhere, or not a Data Lake connection, naming baseConnectionId", async () => {
    const s3 = (await h.create(bodies.s3())).id;
    const elsewhere = (await h.create(bodies.datasetBase(), { sandbox: "dev" })).id;
    for (const base of [s3, elsewhere, "7a0c5b51-0000-4000-8000-000000000000"]) {
      expectFlowErrorNaming(await h.api("POST", "/targetConnections", { body: pipelineBodies.target(DEMO.orders, base) }), "1100-400", "baseConnectionId");
    }
  });

  describe("the dataset it names", () => {
    const withDataset = (dataSetId: string, schemaId: string = DEMO.orders.schemaId) => pipelineBodies.target({ dataSetId, schemaId });

    it("refuses a dataSetId that is no dataset of the caller's sandbox, naming params.dataSetId", async () => {
      const inDev = await h.control.addDataset({ name: "Returns", schemaId: DEMO.orders.schemaId, orgId: "ORGA@AdobeOrg", sandbox: "dev" });
      for (const dataSetId of ["5f3c3cedb2805c194ff0b69b", inDev.id]) {
        const message = expectFlowErrorNaming(await h.api("POST", "/targetConnections", { body: withDataset(dataSetId) }), "1100-400", "params.dataSetId");
        expect(message).toContain(`no dataset '${dataSetId}' in sandbox 'prod'`);
      }
      // A made-up name, or a Flow Service id in its place, is told the form Catalog's ids have.
      for (const dataSetId of ["orders-dataset-prod", "4e9a6b2c-1d3f-4a5b-8c7d-2e0f1a3b5c7d"]) {
        expect(expectFlowErrorNaming(await h.api("POST", "/targetConnections", { body: withDataset(dataSetId) }), "1100-400", "params.dataSetId")).toContain("24 hex characters");
      }
      expect((await h.api("POST", "/targetConnections", { sandbox: "dev", body: withDataset(inDev.id) })).status).toBe(201);
      expectFlowErrorNaming(await h.api("POST", "/targetConnections", { client: clientB, body: withDataset(inDev.id) }), "1100-400", "params.dataSetId");
    });

    it("takes every demo dataset in every org and sandbox", async () => {
      for (const opts of [{}, { sandbox: "dev" }, { client: clientB }]) {
        for (const demo of [DEMO.orders, DEMO.customers, DEMO.loyalty]) expect((await h.api("POST", "/targetConnections", { ...opts, body: pipelineBodies.target(demo) })).status).toBe(201);
      }
    });

    it("refuses a schema that is not the dataset's, naming data.schema.id; takes the dataset's in any format, or none", async () => {
      const message = expectFlowErrorNaming(await h.api("POST", "/targetConnections", { body: withDataset(DEMO.orders.dataSetId, DEMO.customers.schemaId) }), "1100-400", "data.schema.id");
      expect(message).toContain(DEMO.orders.schemaId);
      const body = (version: string | undefined) => ({ ...withDataset(DEMO.orders.dataSetId), data: version === undefined ? { format: "parquet_xdm" } : { schema: { id: DEMO.orders.schemaId, version } } });
      expectFlowErrorNaming(await h.api("POST", "/targetConnections", { body: body("application/vnd.adobe.xed-full+json;version=2") }), "1100-400", "data.schema.id");
      for (const version of ["application/vnd.adobe.xed+json;version=1", "application/vnd.adobe.xed-full-notext+json; version=1", undefined]) {
        expect((await h.api("POST", "/targetConnections", { body: body(version) })).status).toBe(201);
      }
    });

    it("re-checks on PATCH: another dataset needs its schema, and a dataset removed behind the back fails the next write", async () => {
      const c = await created(h, "/targetConnections", pipelineBodies.target());
      const patch = (body: unknown, etag: string) => h.api("PATCH", `/targetConnections/${c.id}`, { body, headers: { "if-match": etag } });
      expectFlowErrorNaming(await patch([{ op: "replace", path: "/params/dataSetId", value: DEMO.customers.dataSetId }], c.etag), "1100-400", "data.schema.id");
      expectFlowErrorNaming(await patch([{ op: "replace", path: "/params/dataSetId", value: "000000000000000000000000" }], c.etag), "1100-400", "params.dataSetId");

      const added = await h.control.addDataset({ name: "Returns", schemaId: DEMO.orders.schemaId, orgId: "ORGA@AdobeOrg" });
      const moved = await patch([{ op: "replace", path: "/params/dataSetId", value: added.id }], c.etag);
      expect(moved.status).toBe(200);
      await h.control.deleteDataset(added.id);
      expectFlowErrorNaming(await patch([{ op: "replace", path: "/description", value: "later" }], moved.body.etag), "1100-400", "params.dataSetId");
    });
  });

  it.each([
    ["another connection spec", { connectionSpec: { id: SPEC.s3, version: "1.0" } }, "1413-400", "connectionSpec.id"],
    ["no data", { data: undefined }, "1100-400", "data"],
    ["an empty data.format", { data: { format: "" } }, "1100-400", "data.format"],
    ["a schema without a version", { data: { format: "parquet_xdm", schema: { id: "s" } } }, "1100-400", "data.schema"],
    ["no dataSetId", { params: {} }, "1100-400", "params"],
    ["a non-string dataSetId", { params: { dataSetId: 5 } }, "1100-400", "params.dataSetId"],
  ])("refuses %s", async (_what, change, code, field) => {
    const body = JSON.parse(JSON.stringify({ ...pipelineBodies.target(), ...change }));
    const message = expectFlowErrorNaming(await h.api("POST", "/targetConnections", { body }), code, field);
    expect(message.length).toBeGreaterThan(field.length);
  });

  it("PATCH: If-Match rules, fixed fields refused, the result re-validated", async () => {
    const c = await created(h, "/targetConnections", pipelineBodies.target());
    const patch = (body: unknown, ifMatch?: string) => h.api("PATCH", `/targetConnections/${c.id}`, { body, headers: { "if-match": ifMatch } });
    expectFlowError(await patch([{ op: "replace", path: "/name", value: "x" }]), "1403-400");
    expectFlowError(await patch([{ op: "replace", path: "/name", value: "x" }], '"other"'), "1404-412");
    expectFlowErrorNaming(await patch([{ op: "replace", path: "/connectionSpec/id", value: SPEC.s3 }], c.etag), "1414-400", "/connectionSpec/id");
    expectFlowErrorNaming(await patch([{ op: "add", path: "/baseConnectionId", value: "x" }], c.etag), "1100-400", "/baseConnectionId");
    expectFlowErrorNaming(await patch([{ op: "remove", path: "/params/dataSetId" }], c.etag), "1100-400", "dataSetId");
    expectFlowErrorNaming(await patch([{ op: "remove", path: "/name" }], c.etag), "1100-400", "name");
    expect((await item(h, "/targetConnections", c.id)).etag).toBe(c.etag);
  });

  it("is isolated by sandbox and org", async () => {
    const c = await created(h, "/targetConnections", pipelineBodies.target());
    for (const opts of [{ sandbox: "dev" }, { client: clientB }]) {
      expectFlowError(await h.api("GET", `/targetConnections/${c.id}`, opts), "1101-404");
      expectFlowError(await h.api("DELETE", `/targetConnections/${c.id}`, opts), "1101-404");
      expect((await h.api("GET", "/targetConnections", opts)).body.items).toEqual([]);
    }
  });

  it("lists with filters on params.dataSetId and the other fields, and pages", async () => {
    const a = await created(h, "/targetConnections", pipelineBodies.target(DEMO.orders, undefined, "first"));
    const b = await created(h, "/targetConnections", pipelineBodies.target(DEMO.customers, undefined, "second"));
    const c = await created(h, "/targetConnections", pipelineBodies.target(DEMO.orders, undefined, "third"));
    const ids = async (query: string) => (await h.api("GET", `/targetConnections${query}`)).body.items.map((t: { id: string }) => t.id);
    expect(await ids("")).toEqual([c.id, b.id, a.id]);
    expect(await ids(`?property=params.dataSetId==${DEMO.orders.dataSetId}`)).toEqual([c.id, a.id]);
    expect(await ids(`?property=params.dataSetId==${DEMO.orders.dataSetId}&property=${encodeURIComponent('name=="first"')}`)).toEqual([a.id]);
    expect(await ids(`?property=connectionSpec.id==${SPEC.datasetBase}&property=state==enabled&orderby=%2BcreatedAt`)).toEqual([a.id, b.id, c.id]);
    const first = await h.api("GET", "/targetConnections?limit=2");
    expect(first.body.items).toHaveLength(2);
    const second = await h.api("GET", first.body._links.next.href);
    expect(second.body.items.map((t: { id: string }) => t.id)).toEqual([a.id]);
    expect(second.body._links).toEqual({});
  });
});
