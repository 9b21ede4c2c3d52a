import { DEMO, expectFlowError, FakeClock, Harness } from "../../helpers/emulator";
import { catalog, expectProblem } from "../support/references";

/**
 * Catalog's datasets as its API guides document them (filter-data, look-up-object, list-objects): an object keyed
 * by id, `limit` (default 20, at most 100), `start`, `orderBy`, simple filters, `property`, `properties`, `tags`.
 */
const DATASET_FIELDS = ["name", "description", "imsOrg", "tags", "version", "created", "updated", "createdClient", "createdUser", "updatedUser", "viewId", "files", "schemaRef"].sort();
const DEMO_IDS = [DEMO.orders.dataSetId, DEMO.customers.dataSetId, DEMO.loyalty.dataSetId];

describe("Catalog datasets", () => {
  let h: Harness;
  const orgA = { clientId: "client-a", clientSecret: "secret-a", orgId: "ORGA@AdobeOrg", sandboxes: ["prod", "dev"] };
  const clientB = { clientId: "client-b", clientSecret: "secret-b", orgId: "ORGB@AdobeOrg", sandboxes: ["prod"] };
  const clock = new FakeClock();
  beforeAll(async () => {
    h = await Harness.start({ clients: [orgA, clientB], clock: clock.now });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  const ids = async (query: string, opts = {}) => {
    const res = await catalog(h, `/dataSets${query}`, opts);
    expect(res.status).toBe(200);
    return Object.keys(res.body);
  };
  /** Adds `n` datasets on the Orders schema to org A's prod sandbox, named `name-<i>`. */
  async function addMany(n: number, name = "extra"): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push((await h.control.addDataset({ name: `${name}-${String(i).padStart(2, "0")}`, schemaId: DEMO.orders.schemaId })).id as string);
    return out;
  }

  it("lists the demo datasets in every org and sandbox as an object keyed by their 24-hex ids, each with its schema reference", async () => {
    for (const opts of [{}, { sandbox: "dev" }, { client: clientB }]) {
      const res = await catalog(h, "/dataSets", opts);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(DEMO_IDS);
      for (const id of DEMO_IDS) {
        expect(id).toMatch(/^[0-9a-f]{24}$/);
        expect(Object.keys(res.body[id]).sort()).toEqual(DATASET_FIELDS);
        expect(res.body[id].files).toBe(`@/dataSetFiles?dataSetId=${id}`);
      }
      expect(res.body[DEMO.orders.dataSetId]).toMatchObject({ name: "Orders", schemaRef: { id: DEMO.orders.schemaId, contentType: "application/vnd.adobe.xed+json;version=1" } });
    }
  });

  it("looks one up by id as {id: dataset}, cut to `properties`; a missing id is a 404 in the problem shape", async () => {
    const res = await catalog(h, `/dataSets/${DEMO.customers.dataSetId}?properties=name,schemaRef,nothing`);
    expect(res.body).toEqual({ [DEMO.customers.dataSetId]: { name: "Customers", schemaRef: { id: DEMO.customers.schemaId, contentType: "application/vnd.adobe.xed+json;version=1" } } });
    expect(expectProblem(await catalog(h, "/dataSets/5f3c3cedb2805c194ff0b69b"), 404, "NotFoundError")).toContain("5f3c3cedb2805c194ff0b69b");
    expectProblem(await catalog(h, "/dataSets/orders"), 404, "NotFoundError");
  });

  it("keeps what the control API adds to its org and sandbox: another sandbox's or org's is missing", async () => {
    const dev = await h.control.addDataset({ name: "Returns", schemaId: DEMO.orders.schemaId, sandbox: "dev" });
    expect((await catalog(h, `/dataSets/${dev.id}`, { sandbox: "dev" })).body[dev.id]).toMatchObject({ name: "Returns", imsOrg: "ORGA@AdobeOrg", schemaRef: { id: DEMO.orders.schemaId } });
    expect(await ids("", { sandbox: "dev" })).toEqual([...DEMO_IDS, dev.id]);
    expectProblem(await catalog(h, `/dataSets/${dev.id}`), 404, "NotFoundError");
    expectProblem(await catalog(h, `/dataSets/${dev.id}`, { client: clientB }), 404, "NotFoundError");
    expect(await ids("")).toEqual(DEMO_IDS);
  });

  it("pages: 20 without a limit, `limit` up to 100, `start` an offset, in creation order", async () => {
    const added = await addMany(20);
    const all = [...DEMO_IDS, ...added];
    expect(await ids("")).toEqual(all.slice(0, 20));
    expect(await ids("?limit=100")).toEqual(all);
    expect(await ids("?limit=5&start=2")).toEqual(all.slice(2, 7));
    expect(await ids("?start=21")).toEqual(all.slice(21));
    expect(await ids("?start=40")).toEqual([]);
    for (const bad of ["limit=0", "limit=101", "limit=x", "start=-1", "start=1.5"]) {
      expect(expectProblem(await catalog(h, `/dataSets?${bad}`), 400, "BadRequestError")).toContain(bad.split("=")[0]);
    }
  });

  it("filters: simple filters (any of, none of), `property` (exists, ==, != with * on name, <, >), `tags`, ANDed", async () => {
    const [a, b] = await addMany(2, "orders*export");
    await h.control.addDataset({ name: "Tagged", schemaId: DEMO.customers.schemaId, description: "with tags", tags: { team: ["crm-emea"], tier: ["gold"] } });
    const tagged = (await ids("?name=Tagged"))[0];
    expect(await ids("?name=Orders,Customers")).toEqual([DEMO.orders.dataSetId, DEMO.customers.dataSetId]);
    expect(await ids("?name=!Orders,Customers,Tagged")).toEqual([DEMO.loyalty.dataSetId, a, b]);
    expect(await ids(`?property=${encodeURIComponent("name==Ord*")}`)).toEqual([DEMO.orders.dataSetId]);
    expect(await ids(`?property=${encodeURIComponent("name==orders**export*")}`)).toEqual([a, b]);
    expect(await ids(`?property=${encodeURIComponent("name!=*s")}`)).toEqual([DEMO.loyalty.dataSetId, a, b, tagged]);
    expect(await ids(`?property=${encodeURIComponent("created>1597784298000")}&property=${encodeURIComponent("name==Tag*")}`)).toEqual([tagged]);
    expect(await ids(`?property=${encodeURIComponent("version<=1.0.0")}&limit=2`)).toEqual(DEMO_IDS.slice(0, 2));
    expect(await ids("?property=description&name=Tagged")).toEqual([tagged]);
    expect(await ids("?property=!nothing&limit=1")).toEqual([DEMO.orders.dataSetId]);
    expect(await ids(`?tags=${encodeURIComponent("team:crm-*,tier:gold")}`)).toEqual([tagged]);
    expect(await ids(`?tags=${encodeURIComponent("team:*,tier:silver")}`)).toEqual([]);
    expect(expectProblem(await catalog(h, `/dataSets?property=${encodeURIComponent("name~^Ord")}`), 400, "BadRequestError")).toContain("'~'");
    expect(expectProblem(await catalog(h, `/dataSets?property=${encodeURIComponent("name=Orders")}`), 400, "BadRequestError")).toContain("property");
    expectProblem(await catalog(h, "/dataSets?tags=team"), 400, "BadRequestError");
  });

  it("orders by `orderBy` (asc by default, desc:, then a second key), ties in creation order", async () => {
    const [x0] = await addMany(1, "Ab");
    clock.advance(1000);
    const [x1] = await addMany(1, "Aa");
    expect(await ids("?orderBy=name")).toEqual([x1, x0, DEMO.customers.dataSetId, DEMO.loyalty.dataSetId, DEMO.orders.dataSetId]);
    expect(await ids("?orderBy=desc:name")).toEqual([DEMO.orders.dataSetId, DEMO.loyalty.dataSetId, DEMO.customers.dataSetId, x0, x1]);
    // The demo datasets share one creation time: the second key orders them.
    expect(await ids("?orderBy=desc:created,asc:name")).toEqual([x1, x0, DEMO.customers.dataSetId, DEMO.loyalty.dataSetId, DEMO.orders.dataSetId]);
    expect(await ids("?orderBy=created")).toEqual([DEMO.orders.dataSetId, DEMO.customers.dataSetId, DEMO.loyalty.dataSetId, x0, x1]);
    expect(expectProblem(await catalog(h, "/dataSets?orderBy=sideways:name"), 400, "BadRequestError")).toContain("orderBy");
    expectProblem(await catalog(h, "/dataSets?orderBy=schemaRef"), 400, "BadRequestError");
  });

  it("sits behind the gateway's checks, logs by route and answers faults in its own shape", async () => {
    expect((await catalog(h, "/dataSets", { bare: true })).body).toEqual({ error_code: "403010", message: "Oauth token is missing." });
    expectFlowError(await catalog(h, "/dataSets", { headers: { "x-sandbox-name": undefined } }), "2105-400");
    await h.control.clearRequests();
    await catalog(h, `/dataSets/${DEMO.orders.dataSetId}`);
    await catalog(h, "/dataSets?limit=1");
    expect(h.control.requests().counts).toEqual({ "GET /dataSets/{id}": 1, "GET /dataSets": 1 });
    h.control.addFault({ kind: "503", route: "/dataSets/{id}", count: 1 });
    expectProblem(await catalog(h, `/dataSets/${DEMO.orders.dataSetId}`), 503, "ServiceUnavailableError");
    expect((await catalog(h, `/dataSets/${DEMO.orders.dataSetId}`)).status).toBe(200);
  });
});
