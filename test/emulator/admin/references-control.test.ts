import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DEMO, Harness } from "../../helpers/emulator";
import { catalog } from "../support/references";

/** Datasets and schemas through the control API, in process and over HTTP (`/__admin/dataSets`, `/__admin/schemas`). */
describe("control API for datasets and schemas", () => {
  let h: Harness;
  const orgA = { clientId: "client-a", clientSecret: "secret-a", orgId: "ORGA@AdobeOrg", sandboxes: ["prod", "dev"] };
  const orgB = { clientId: "client-b", clientSecret: "secret-b", orgId: "ORGB@AdobeOrg", sandboxes: ["staging"] };
  beforeAll(async () => {
    h = await Harness.start({ clients: [orgA, orgB] });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  it("shows the demo datasets and schemas as in every org and sandbox, then those added", async () => {
    const datasets = await h.admin("GET", "/dataSets");
    expect(datasets.body.items.map((d: { id: string }) => d.id)).toEqual([DEMO.orders.dataSetId, DEMO.customers.dataSetId, DEMO.loyalty.dataSetId]);
    expect(datasets.body.items[0]).toMatchObject({ name: "Orders", imsOrg: "*", sandboxName: "*", seed: true, schemaRef: { id: DEMO.orders.schemaId } });
    const schemas = await h.admin("GET", "/schemas");
    expect(schemas.body.items.map((s: { $id: string }) => s.$id)).toEqual([DEMO.orders.schemaId, DEMO.customers.schemaId, DEMO.loyalty.schemaId]);
    expect((await h.admin("GET", `/schemas/${encodeURIComponent(DEMO.customers.schemaId)}`)).body).toMatchObject({ title: "Customers", seed: true });
    expect((await h.admin("GET", `/dataSets/${DEMO.loyalty.dataSetId}`)).body).toMatchObject({ name: "LoyaltyMembersDataset" });
    expect((await h.admin("GET", "/dataSets/000000000000000000000000")).status).toBe(404);
    expect((await h.admin("GET", "/schemas/_acme.schemas.nothing")).status).toBe(404);
  });

  it("adds a schema and a dataset on it over HTTP, to the org and sandbox named (default: the first client's org, prod)", async () => {
    const schema = await h.admin("POST", "/schemas", { title: "Returns", id: "returns-1", orgId: "ORGB@AdobeOrg", sandbox: "staging" });
    expect(schema.status).toBe(201);
    expect(schema.body).toMatchObject({ $id: "https://ns.adobe.com/acme/schemas/returns-1", "meta:altId": "_acme.schemas.returns-1", imsOrg: "ORGB@AdobeOrg", sandboxName: "staging", seed: false });
    const dataset = await h.admin("POST", "/dataSets", { name: "Returns", schemaId: schema.body.$id, id: "aaaaaaaaaaaaaaaaaaaaaaaa", orgId: "ORGB@AdobeOrg", sandbox: "staging", tags: { team: ["returns"] } });
    expect(dataset.status).toBe(201);
    expect(dataset.body).toMatchObject({ id: "aaaaaaaaaaaaaaaaaaaaaaaa", imsOrg: "ORGB@AdobeOrg", sandboxName: "staging", seed: false, tags: { team: ["returns"] } });
    const inStaging = await catalog(h, "/dataSets/aaaaaaaaaaaaaaaaaaaaaaaa", { client: orgB, sandbox: "staging" });
    expect(inStaging.body.aaaaaaaaaaaaaaaaaaaaaaaa.schemaRef.id).toBe("https://ns.adobe.com/acme/schemas/returns-1");

    const onDemo = await h.control.addDataset({ name: "More orders", schemaId: DEMO.orders.schemaId });
    expect(onDemo).toMatchObject({ id: expect.stringMatching(/^[0-9a-f]{24}$/), imsOrg: "ORGA@AdobeOrg", sandboxName: "prod" });
  });

  it("refuses bad input with a 400 naming the field, the same in process and over HTTP", async () => {
    const cases: Array<[string, "/dataSets" | "/schemas", Record<string, unknown>, RegExp]> = [
      ["an unknown field", "/dataSets", { name: "x", schemaId: DEMO.orders.schemaId, datasetId: "x" }, /unknown field 'datasetId'/],
      ["no name", "/dataSets", { schemaId: DEMO.orders.schemaId }, /name must be a non-empty string/],
      ["an id that is not 24 hex", "/dataSets", { name: "x", schemaId: DEMO.orders.schemaId, id: "orders-dataset-prod" }, /id must be 24 lowercase hex characters/],
      ["a demo dataset's id", "/dataSets", { name: "x", schemaId: DEMO.orders.schemaId, id: DEMO.orders.dataSetId }, /already exists/],
      ["a schema that is not there", "/dataSets", { name: "x", schemaId: "https://ns.adobe.com/acme/schemas/nothing" }, /schemaId: no schema/],
      ["an org with no client", "/dataSets", { name: "x", schemaId: DEMO.orders.schemaId, orgId: "ORGC@AdobeOrg" }, /orgId: no client of org 'ORGC@AdobeOrg'/],
      ["a sandbox the org lacks", "/dataSets", { name: "x", schemaId: DEMO.orders.schemaId, sandbox: "staging" }, /sandbox: org 'ORGA@AdobeOrg' has no sandbox 'staging'/],
      ["tags that are not lists", "/dataSets", { name: "x", schemaId: DEMO.orders.schemaId, tags: { team: "a" } }, /tags must be/],
      ["a demo schema's title", "/schemas", { title: "Orders" }, /Title must be unique/],
      ["a tenant with a slash", "/schemas", { title: "x", tenant: "a/b" }, /tenant must be/],
      ["fields that are not an object", "/schemas", { title: "x", fields: [] }, /fields must be an object/],
    ];
    for (const [what, route, body, message] of cases) {
      const http = await h.admin("POST", route, body);
      expect({ what, status: http.status }).toEqual({ what, status: 400 });
      expect(http.body.error).toMatch(message);
      const call = route === "/dataSets" ? () => h.control.addDataset(body as never) : () => h.control.addSchema(body as never);
      await expect(call()).rejects.toThrow(message);
    }
  });

  it("removes what was added, not the demo ones, and not a schema a dataset still uses; reset keeps the demo ones only", async () => {
    const schema = await h.control.addSchema({ title: "Returns" });
    const dataset = await h.control.addDataset({ name: "Returns", schemaId: schema.$id });
    expect((await h.admin("DELETE", `/schemas/${encodeURIComponent(schema.$id)}`)).body.error).toContain(`used by dataset '${dataset.id}'`);
    expect((await h.admin("DELETE", `/dataSets/${DEMO.orders.dataSetId}`)).body.error).toContain("demo dataset");
    expect((await h.admin("DELETE", `/schemas/${encodeURIComponent(DEMO.orders.schemaId)}`)).body.error).toContain("demo schema");
    expect((await h.admin("DELETE", `/dataSets/${dataset.id}`)).status).toBe(204);
    expect((await h.admin("DELETE", `/dataSets/${dataset.id}`)).status).toBe(404);
    expect((await h.admin("DELETE", `/schemas/${schema["meta:altId"]}`)).status).toBe(204);

    await h.control.addDataset({ name: "Kept until reset", schemaId: DEMO.orders.schemaId });
    await h.reset();
    expect(h.control.datasets()).toHaveLength(3);
    expect(h.control.schemas()).toHaveLength(3);
  });

  it("keeps what was added in the data directory across a restart, and never stores the demo ones", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "aep-emu-refs-"));
    const first = await Harness.start({ dataDir });
    const schema = await first.control.addSchema({ title: "Returns", id: "returns" });
    const dataset = await first.control.addDataset({ name: "Returns", schemaId: schema.$id });
    const before = { datasets: first.control.datasets(), schemas: first.control.schemas() };
    await first.stop();
    expect(readdirSync(path.join(dataDir, "dataSets"))).toEqual([`${dataset.id}.json`]);
    expect(readdirSync(path.join(dataDir, "schemas"))).toEqual(["returns.json"]);
    const second = await Harness.start({ dataDir });
    try {
      expect({ datasets: second.control.datasets(), schemas: second.control.schemas() }).toEqual(before);
      expect((await catalog(second, `/dataSets/${dataset.id}`)).status).toBe(200);
    } finally {
      await second.stop();
    }
  });
});
