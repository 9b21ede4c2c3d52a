import { FakeClock, Harness } from "../../helpers/emulator";
import { createMappingSet, dataPrep, expectDataPrepError, MAPPING_SET_ID, pipelineBodies } from "../support/pipeline";

describe("Data Prep mapping sets", () => {
  let h: Harness;
  const clock = new FakeClock();
  const clientB = { clientId: "client-b", clientSecret: "secret-b", orgId: "ORGB@AdobeOrg", sandboxes: ["prod"] };
  beforeAll(async () => {
    h = await Harness.start({ clock: clock.now, clients: [{ clientId: "client-a", clientSecret: "secret-a", orgId: "ORGA@AdobeOrg", sandboxes: ["prod", "dev"] }, clientB] });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  it("creates a mapping set: 200 with its id, version 0, dates in epoch ms and the caller's API key", async () => {
    const res = await dataPrep(h, "POST", "/mappingSets", { body: pipelineBodies.mappingSet() });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(MAPPING_SET_ID),
      version: 0,
      createdDate: clock.now(),
      modifiedDate: clock.now(),
      createdBy: "client-a",
      modifiedBy: "client-a",
    });
  });

  it("reads the mapping set itself (not wrapped in items) with every field sent", async () => {
    const body = { ...pipelineBodies.mappingSet(), description: "summer", inputSchema: { id: "in-schema", version: 0 } };
    body.mappings[0] = { ...body.mappings[0], name: "first", description: "the first name" } as (typeof body.mappings)[0];
    const id = await createMappingSet(h, body);
    const res = await dataPrep(h, "GET", `/mappingSets/${id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id,
      name: "Summer collection mapping",
      description: "summer",
      version: 0,
      outputSchema: body.outputSchema,
      inputSchema: { id: "in-schema", version: 0 },
      mappings: body.mappings,
      createdDate: clock.now(),
      modifiedDate: clock.now(),
      createdBy: "client-a",
      modifiedBy: "client-a",
      sandboxName: "prod",
      status: "PUBLISHED",
    });
  });

  it("PUT stores a new version; earlier versions stay readable with ?version=", async () => {
    const id = await createMappingSet(h);
    clock.advance(1000);
    const put = await dataPrep(h, "PUT", `/mappingSets/${id}`, { body: pipelineBodies.mappingSet("renamed", ["person.gender"]) });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id, version: 1, name: "renamed", mappings: [{ destination: "person.gender" }], modifiedDate: clock.now(), createdDate: clock.now() - 1000 });
    const put2 = await dataPrep(h, "PUT", `/mappingSets/${id}`, { body: pipelineBodies.mappingSet("third") });
    expect(put2.body.version).toBe(2);
    expect((await dataPrep(h, "GET", `/mappingSets/${id}`)).body).toMatchObject({ version: 2, name: "third" });
    expect((await dataPrep(h, "GET", `/mappingSets/${id}?version=0`)).body).toMatchObject({ version: 0, name: "Summer collection mapping" });
    expect((await dataPrep(h, "GET", `/mappingSets/${id}?version=1`)).body).toMatchObject({ version: 1, name: "renamed" });
    expect(expectDataPrepError(await dataPrep(h, "GET", `/mappingSets/${id}?version=3`), "2002-404")).toContain("version 3");
    expectDataPrepError(await dataPrep(h, "GET", `/mappingSets/${id}?version=latest`), "2000-400");
    expectDataPrepError(await dataPrep(h, "PUT", `/mappingSets/${id}`, { body: { mappings: [] } }), "2000-400");
    expect((await dataPrep(h, "GET", `/mappingSets/${id}`)).body.version).toBe(2);
  });

  it("PUT takes the set's own id in the body, as Data Prep's guide sends it, and refuses another's", async () => {
    const id = await createMappingSet(h);
    const own = await dataPrep(h, "PUT", `/mappingSets/${id}`, { body: { id, ...pipelineBodies.mappingSet("with its id") } });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id, version: 1, name: "with its id" });
    const other = await dataPrep(h, "PUT", `/mappingSets/${id}`, { body: { id: "0".repeat(32), ...pipelineBodies.mappingSet("another's id") } });
    expect(expectDataPrepError(other, "2000-400")).toContain("is not this mapping set's id");
    expect((await dataPrep(h, "GET", `/mappingSets/${id}`)).body.version).toBe(1);
  });

  it("answers DELETE with 405 and an Allow header, and keeps the set", async () => {
    const id = await createMappingSet(h);
    const res = await dataPrep(h, "DELETE", `/mappingSets/${id}`);
    expectDataPrepError(res, "2000-405");
    expect(res.headers.get("allow")).toBe("GET, PUT");
    expect((await dataPrep(h, "GET", `/mappingSets/${id}`)).status).toBe(200);
  });

  const valid = pipelineBodies.mappingSet();
  it.each([
    ["no outputSchema", { outputSchema: undefined }, "outputSchema"],
    ["no schemaRef id", { outputSchema: { schemaRef: { contentType: "x" } } }, "outputSchema.schemaRef"],
    ["no mappings", { mappings: [] }, "mappings"],
    ["an unknown sourceType", { mappings: [{ ...valid.mappings[0], sourceType: "CONSTANT" }] }, "mappings[0].sourceType"],
    ["a mapping without source", { mappings: [{ sourceType: "STATIC", destination: "a" }] }, "mappings[0]"],
    ["an unknown mapping field", { mappings: [{ ...valid.mappings[0], identity: true }] }, "mappings[0]"],
    ["an unknown top-level key", { xdmSchema: "x" }, "xdmSchema"],
    ["a duplicate destination", { mappings: [valid.mappings[0], { ...valid.mappings[1], destination: valid.mappings[0].destination }] }, "mappings[1].destination"],
    ["1001 mappings", { mappings: Array.from({ length: 1001 }, (_, i) => ({ sourceType: "STATIC", source: "x", destination: `d${i}` })) }, "mappings"],
  ])("refuses %s with 2000-400 naming the field", async (_what, change, field) => {
    const body = JSON.parse(JSON.stringify({ ...valid, ...change }));
    expect(expectDataPrepError(await dataPrep(h, "POST", "/mappingSets", { body }), "2000-400")).toContain(field);
  });

  it("refuses a body that is not JSON, and passes the gateway checks first", async () => {
    expectDataPrepError(await dataPrep(h, "POST", "/mappingSets", { raw: "{", headers: { "content-type": "application/json" } }), "2000-400");
    const noType = await dataPrep(h, "POST", "/mappingSets", { raw: JSON.stringify(valid), headers: { "content-type": "text/plain" } });
    expect(noType.status).toBe(400);
    expect(noType.body.detail).toBe("A valid content-type must be specified");
    const noToken = await dataPrep(h, "GET", "/mappingSets", { headers: { authorization: undefined } });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error_code).toBe("403010");
  });

  it("answers a body over the size limit in Data Prep's shape", async () => {
    const huge = { ...valid, description: "x".repeat(2 * 1024 * 1024) };
    expectDataPrepError(await dataPrep(h, "POST", "/mappingSets", { body: huge }), "2000-413");
  });

  it("is isolated by org and sandbox: another's mapping set is a 2002-404", async () => {
    const id = await createMappingSet(h);
    for (const opts of [{ sandbox: "dev" }, { client: clientB }]) {
      expectDataPrepError(await dataPrep(h, "GET", `/mappingSets/${id}`, opts), "2002-404");
      expectDataPrepError(await dataPrep(h, "PUT", `/mappingSets/${id}`, { ...opts, body: valid }), "2002-404");
      expect((await dataPrep(h, "GET", "/mappingSets", opts)).body.data).toEqual([]);
    }
    expectDataPrepError(await dataPrep(h, "GET", `/mappingSets/${"0".repeat(32)}`), "2002-404");
  });

  it("lists with limit, start, name and orderBy", async () => {
    const ids: string[] = [];
    for (const name of ["a", "b", "c", "b"]) {
      clock.advance(1000);
      ids.push(await createMappingSet(h, pipelineBodies.mappingSet(name)));
    }
    const list = async (query: string) => (await dataPrep(h, "GET", `/mappingSets${query}`)).body;
    const first = await list("");
    expect(first.data.map((s: { id: string }) => s.id)).toEqual([...ids].reverse());
    expect(first._page).toEqual({ count: 4, limit: 10 });
    expect(first._links).toBeUndefined();
    expect((await list("?name=b")).data.map((s: { id: string }) => s.id)).toEqual([ids[3], ids[1]]);
    expect((await list("?orderBy=%2BcreatedDate")).data.map((s: { id: string }) => s.id)).toEqual(ids);
    // Updating the oldest makes it the most recently updated.
    clock.advance(1000);
    await dataPrep(h, "PUT", `/mappingSets/${ids[0]}`, { body: pipelineBodies.mappingSet("a") });
    expect((await list("?orderBy=-updatedDate&limit=1")).data.map((s: { id: string }) => s.id)).toEqual([ids[0]]);

    const page = await list("?limit=3&start=0&orderBy=%2BcreatedDate");
    expect(page.data).toHaveLength(3);
    expect(page._page).toEqual({ count: 3, limit: 3 });
    expect(page._links.next.href).toBe("/mappingSets?start=3&limit=3&orderBy=%2BcreatedDate");
    const rest = await list(page._links.next.href.replace("/mappingSets", ""));
    expect(rest.data.map((s: { id: string }) => s.id)).toEqual([ids[3]]);
    expect(rest._links).toBeUndefined();
    for (const bad of ["?limit=0", "?limit=101", "?start=-1", "?limit=x", "?orderBy=name"]) {
      expect(expectDataPrepError(await dataPrep(h, "GET", `/mappingSets${bad}`), "2000-400")).toMatch(/limit|start|orderBy/);
    }
  });
});
