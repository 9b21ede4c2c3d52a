import { DEMO, Harness } from "../../helpers/emulator";
import { ACCEPT, expectProblem, registry, schemaPath } from "../support/references";

/**
 * Schema Registry's tenant schemas as its guides document them: lookups by URL-encoded `$id` or `meta:altId`,
 * the `Accept` header choosing the format (and naming the major version on a lookup), listings with `property`,
 * `orderby`, `limit` and `start`, and the errors of the XDM troubleshooting guide.
 */
const ORDERS_ALT = "_acme.schemas.995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4";
const DEMO_TITLES = ["Orders", "Customers", "Loyalty Members"];

/** Every key anywhere in a JSON value. */
function keysIn(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => keysIn(v, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) keysIn(v, out.add(k));
  return out;
}

describe("Schema Registry tenant schemas", () => {
  let h: Harness;
  const clientB = { clientId: "client-b", clientSecret: "secret-b", orgId: "ORGB@AdobeOrg", sandboxes: ["prod"] };
  beforeAll(async () => {
    h = await Harness.start({ clients: [{ clientId: "client-a", clientSecret: "secret-a", orgId: "ORGA@AdobeOrg", sandboxes: ["prod", "dev"] }, clientB] });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  it("looks a demo schema up by URL-encoded $id or meta:altId, in every org and sandbox", async () => {
    for (const opts of [{}, { sandbox: "dev" }, { client: clientB }]) {
      for (const path of [schemaPath(DEMO.orders.schemaId), `/tenant/schemas/${ORDERS_ALT}`]) {
        const res = await registry(h, path, ACCEPT.full1, opts);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          $id: DEMO.orders.schemaId,
          "meta:altId": ORDERS_ALT,
          "meta:resourceType": "schemas",
          version: "1.0",
          title: "Orders",
          type: "object",
          "meta:class": "https://ns.adobe.com/xdm/context/profile",
          "meta:containerId": "tenant",
          "meta:tenantNamespace": "_acme",
        });
      }
    }
  });

  it("renders each lookup format the Accept header names: raw allOf or resolved properties, with or without text", async () => {
    const get = async (accept: string) => (await registry(h, schemaPath(DEMO.orders.schemaId), accept)).body;
    const raw = await get(ACCEPT.raw1);
    expect(raw.allOf[0]).toEqual({ $ref: "https://ns.adobe.com/xdm/context/profile", type: "object", "meta:xdmType": "object" });
    expect(raw.properties).toBeUndefined();
    const full = await get(ACCEPT.full1);
    expect(full.allOf).toBeUndefined();
    expect(full.properties.person.properties.name.properties.firstName).toEqual({ title: "First name", type: "string" });
    for (const accept of ["application/vnd.adobe.xed-notext+json; version=1", "application/vnd.adobe.xed-full-notext+json;version=1"]) {
      const body = await get(accept);
      expect([...keysIn(body)].filter((k) => k === "title" || k === "description")).toEqual([]);
    }
    for (const accept of ["application/vnd.adobe.xed-full-desc+json; version=1", "application/vnd.adobe.xed-deprecatefield+json; version=1"]) {
      expect((await get(accept)).properties).toEqual(full.properties);
    }
  });

  it("answers Accept errors as the XDM troubleshooting guide shows them", async () => {
    const path = schemaPath(DEMO.orders.schemaId);
    expect(expectProblem(await registry(h, path, undefined, { headers: { accept: "" } }), 406, "NotAcceptableError")).toBe("Accept header parameter is required");
    expect(expectProblem(await registry(h, path, "xed+json"), 406, "NotAcceptableError")).toBe("Unknown Accept media supplied: xed+json");
    expect(expectProblem(await registry(h, path, ACCEPT.ids), 406, "NotAcceptableError")).toContain("Unknown Accept media supplied");
    expect(expectProblem(await registry(h, path, ACCEPT.raw), 400, "BadRequestError")).toBe(
      "version must be supplied in the accept header. Example: application/vnd.adobe.xed-full-notext+json; version=1",
    );
    expect(expectProblem(await registry(h, path, "application/vnd.adobe.xed+json; version=2"), 404, "NotFoundError")).toBe(`Object ${DEMO.orders.schemaId} with version 2 not found`);
    const unknown = "https://ns.adobe.com/incorrectTenantId/schemas/ee067e31b08514d21e2b82577813409d";
    expect(expectProblem(await registry(h, schemaPath(unknown), ACCEPT.raw1), 404, "NotFoundError")).toBe(`Object ${unknown} with version 1 not found`);
  });

  it("lists ids only (xed-id) or whole raw schemas (xed), the demo ones in creation order", async () => {
    const ids = await registry(h, "/tenant/schemas", ACCEPT.ids);
    expect(ids.status).toBe(200);
    expect(ids.body.results).toEqual([
      { $id: DEMO.orders.schemaId, "meta:altId": ORDERS_ALT, version: "1.0", title: "Orders" },
      { $id: DEMO.customers.schemaId, "meta:altId": expect.stringMatching(/^_acme\.schemas\./), version: "1.0", title: "Customers" },
      { $id: DEMO.loyalty.schemaId, "meta:altId": "_acme.schemas.719c4e19184402c27595e65b931a142b", version: "1.0", title: "Loyalty Members" },
    ]);
    expect(ids.body._page).toEqual({ orderby: null, next: null, count: 3 });
    expect(ids.body._links).toEqual({ next: null, global_schemas: { href: `${h.emu.baseUrl}/data/foundation/schemaregistry/global/schemas` } });
    const raw = await registry(h, "/tenant/schemas", ACCEPT.raw);
    expect(raw.body.results.map((s: { title: string }) => s.title)).toEqual(DEMO_TITLES);
    expect(raw.body.results[0].allOf).toBeDefined();
    expectProblem(await registry(h, "/tenant/schemas", undefined, { headers: { accept: "" } }), 406, "NotAcceptableError");
    expectProblem(await registry(h, "/tenant/schemas", "application/json"), 406, "NotAcceptableError");
  });

  it("filters with `property` and pages with orderby, limit and start (`_page.next`, `_links.next`)", async () => {
    const titles = async (query: string) => (await registry(h, `/tenant/schemas${query}`, ACCEPT.ids)).body.results.map((s: { title: string }) => s.title);
    expect(await titles(`?property=${encodeURIComponent("title==Orders")}`)).toEqual(["Orders"]);
    expect(await titles(`?property=${encodeURIComponent("title!=Orders")}&property=${encodeURIComponent("version>=1.0")}`)).toEqual(["Customers", "Loyalty Members"]);
    expect(await titles(`?property=${encodeURIComponent("meta:class==https://ns.adobe.com/xdm/context/profile")}&orderby=-title`)).toEqual(["Orders", "Loyalty Members", "Customers"]);

    const first = await registry(h, "/tenant/schemas?orderby=title&limit=2", ACCEPT.ids);
    expect(first.body.results.map((s: { title: string }) => s.title)).toEqual(["Customers", "Loyalty Members"]);
    expect(first.body._page).toEqual({ orderby: "title", next: "Loyalty Members", count: 2 });
    const next = new URL(first.body._links.next.href);
    expect(next.searchParams.get("start")).toBe("Loyalty Members");
    const second = await registry(h, `${next.pathname.replace("/data/foundation/schemaregistry", "")}${next.search}`, ACCEPT.ids);
    expect(second.body.results.map((s: { title: string }) => s.title)).toEqual(["Orders"]);
    expect(second.body._page.next).toBeNull();

    // `limit` is a hint: a page takes every schema tied with its last on the primary key, so `start` skips none.
    expect(await titles("?orderby=version,title&limit=1")).toEqual(DEMO_TITLES.slice().sort());
    expect(expectProblem(await registry(h, "/tenant/schemas?limit=1", ACCEPT.ids), 400, "BadRequestError")).toContain("orderby");
    expectProblem(await registry(h, "/tenant/schemas?orderby=title&limit=0", ACCEPT.ids), 400, "BadRequestError");
    expectProblem(await registry(h, "/tenant/schemas?orderby=description", ACCEPT.ids), 400, "BadRequestError");
  });

  it("keeps a schema the control API adds to its org and sandbox, which a dataset there can use", async () => {
    const added = await h.control.addSchema({ title: "Returns", sandbox: "dev", fields: { reason: { title: "Reason", type: "string" } } });
    expect(added.$id).toMatch(/^https:\/\/ns\.adobe\.com\/acme\/schemas\/[0-9a-f]{32}$/);
    const dev = await registry(h, schemaPath(added.$id), ACCEPT.full1, { sandbox: "dev" });
    expect(dev.body).toMatchObject({ title: "Returns", "meta:sandboxType": "development", properties: { reason: { type: "string" } } });
    expect((await registry(h, `/tenant/schemas/${added["meta:altId"]}`, ACCEPT.raw1, { sandbox: "dev" })).status).toBe(200);
    expectProblem(await registry(h, schemaPath(added.$id), ACCEPT.full1), 404, "NotFoundError");
    expectProblem(await registry(h, schemaPath(added.$id), ACCEPT.full1, { client: clientB }), 404, "NotFoundError");
    const dataset = await h.control.addDataset({ name: "Returns", schemaId: added["meta:altId"], sandbox: "dev" });
    expect(dataset.schemaRef).toEqual({ id: added.$id, contentType: "application/vnd.adobe.xed+json;version=1" });
  });
});
