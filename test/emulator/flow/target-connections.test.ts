import { bodies, ETAG, expectFlowError, Harness, SPEC, UUID } from "../../helpers/emulator";
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
    const c = await created(h, "/targetConnections", pipelineBodies.target("ds-1"));
    expect(c).toEqual({ id: expect.stringMatching(UUID), etag: expect.stringMatching(ETAG) });
    const got = await item(h, "/targetConnections", c.id);
    expect(Object.keys(got).sort()).toEqual(ITEM_FIELDS);
    expect(got).toMatchObject({
      connectionSpec: { id: SPEC.datasetBase, version: "1.0" },
      data: { format: "parquet_xdm", schema: { version: "application/vnd.adobe.xed-full+json;version=1" } },
      params: { dataSetId: "ds-1" },
      state: "enabled",
      etag: c.etag,
    });
    const patched = await h.api("PATCH", `/targetConnections/${c.id}`, {
      body: [{ op: "replace", path: "/params/dataSetId", value: "ds-2" }, { op: "replace", path: "/description", value: "moved" }],
      headers: { "if-match": c.etag },
    });
    expect(patched.status).toBe(200);
    expect(await item(h, "/targetConnections", c.id)).toMatchObject({ params: { dataSetId: "ds-2" }, description: "moved", etag: patched.body.etag });
    expect((await h.api("DELETE", `/targetConnections/${c.id}`)).status).toBe(204);
    expectFlowError(await h.api("GET", `/targetConnections/${c.id}`), "1101-404");
  });

  it("takes a Data Lake base connection and shows it", async () => {
    const lake = (await h.create(bodies.datasetBase())).id;
    const c = await created(h, "/targetConnections", pipelineBodies.target("ds-1", lake));
    const got = await item(h, "/targetConnections", c.id);
    expect(Object.keys(got).sort()).toEqual([...ITEM_FIELDS, "baseConnectionId"].sort());
    expect(got.baseConnectionId).toBe(lake);
  });

  it("refuses a base connection that is missing, elsewhere, or not a Data Lake connection, naming baseConnectionId", async () => {
    const s3 = (await h.create(bodies.s3())).id;
    const elsewhere = (await h.create(bodies.datasetBase(), { sandbox: "dev" })).id;
    for (const base of [s3, elsewhere, "7a0c5b51-0000-4000-8000-000000000000"]) {
      expectFlowErrorNaming(await h.api("POST", "/targetConnections", { body: pipelineBodies.target("ds", base) }), "1100-400", "baseConnectionId");
    }
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
    const a = await created(h, "/targetConnections", pipelineBodies.target("ds-a", undefined, "first"));
    const b = await created(h, "/targetConnections", pipelineBodies.target("ds-b", undefined, "second"));
    const c = await created(h, "/targetConnections", pipelineBodies.target("ds-a", undefined, "third"));
    const ids = async (query: string) => (await h.api("GET", `/targetConnections${query}`)).body.items.map((t: { id: string }) => t.id);
    expect(await ids("")).toEqual([c.id, b.id, a.id]);
    expect(await ids("?property=params.dataSetId==ds-a")).toEqual([c.id, a.id]);
    expect(await ids(`?property=params.dataSetId==ds-a&property=${encodeURIComponent('name=="first"')}`)).toEqual([a.id]);
    expect(await ids(`?property=connectionSpec.id==${SPEC.datasetBase}&property=state==enabled&orderby=%2BcreatedAt`)).toEqual([a.id, b.id, c.id]);
    const first = await h.api("GET", "/targetConnections?limit=2");
    expect(first.body.items).toHaveLength(2);
    const second = await h.api("GET", first.body._links.next.href);
    expect(second.body.items.map((t: { id: string }) => t.id)).toEqual([a.id]);
    expect(second.body._links).toEqual({});
  });
});
