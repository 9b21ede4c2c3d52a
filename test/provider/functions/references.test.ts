import * as pulumi from "@pulumi/pulumi";
import { getDataset, getDatasetOutput, getSchema, getSchemaOutput } from "../../../provider/functions/references";
import { DEMO, setEnv, TestEmulator } from "../../helpers/emulator";
import { type Answer, ScriptedServer } from "../../helpers/scripted-server";

/** The dataset and schema lookups, in the test's own process as in a program's. */
function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

describe("against the emulator", () => {
  let emu: TestEmulator;
  let restore: () => void;
  beforeAll(async () => {
    emu = await TestEmulator.start();
    restore = setEnv(emu.env());
  });
  afterAll(async () => {
    restore();
    await emu.stop();
  });
  beforeEach(() => emu.reset());

  const requests = async () => (await emu.requests()).entries.filter((e) => e.route !== "/ims/token/v3");

  describe("getDataset", () => {
    it("finds a dataset by name with one filtered request, and by id, with its schema", async () => {
      await emu.clearRequests();
      const orders = await getDataset({ name: "Orders" });
      expect(orders).toEqual({
        id: DEMO.orders.dataSetId,
        name: "Orders",
        description: "Orders from the landing bucket.",
        sandbox: "prod",
        schemaId: DEMO.orders.schemaId,
        schemaContentType: "application/vnd.adobe.xed+json;version=1",
        tags: {},
      });
      const sent = await requests();
      expect(sent.map((e) => e.route)).toEqual(["/dataSets"]);
      expect(new URLSearchParams(sent[0].query).get("property")).toBe("name==Orders");
      expect(await getDataset({ id: DEMO.customers.dataSetId })).toMatchObject({ name: "Customers", schemaId: DEMO.customers.schemaId });
      expect(await valueOf(getDatasetOutput({ name: pulumi.output("Orders") }))).toEqual(orders);
    });

    it("looks in the sandbox asked for, and compares names exactly (a * is no wildcard)", async () => {
      const dev = await emu.control.addDataset({ name: "Returns", schemaId: DEMO.orders.schemaId, sandbox: "dev" });
      expect((await getDataset({ name: "Returns", sandbox: "dev" })).id).toBe(dev.id);
      await expect(getDataset({ name: "Returns" })).rejects.toThrow(/^getDataset: no dataset is named "Returns" in sandbox "prod"/);

      const star = await emu.control.addDataset({ name: "orders*", schemaId: DEMO.orders.schemaId });
      await emu.control.addDataset({ name: "orders-2026", schemaId: DEMO.orders.schemaId });
      await emu.clearRequests();
      expect((await getDataset({ name: "orders*" })).id).toBe(star.id);
      expect(new URLSearchParams((await requests())[0].query).get("property")).toBe("name==orders**");
    });

    it("says what is wrong, naming the argument: no such name or id, several, both or neither", async () => {
      await emu.control.addDataset({ name: "Twice", schemaId: DEMO.orders.schemaId, id: "aaaaaaaaaaaaaaaaaaaaaaaa" });
      await emu.control.addDataset({ name: "Twice", schemaId: DEMO.orders.schemaId, id: "bbbbbbbbbbbbbbbbbbbbbbbb" });
      await expect(getDataset({ name: "Twice" })).rejects.toThrow(
        /^getDataset: 2 datasets are named "Twice" in sandbox "prod" \(aaaaaaaaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbbbbbb\): look it up by id/,
      );
      await expect(getDataset({ id: "5f3c3cedb2805c194ff0b69b" })).rejects.toThrow(/^getDataset: no dataset 5f3c3cedb2805c194ff0b69b exists in sandbox "prod" \(Catalog answered 404\)/);
      await expect(getDataset({ name: "Orders", id: DEMO.orders.dataSetId } as never)).rejects.toThrow(/^getDataset: give exactly one of name and id, got both/);
      await expect(getDataset({} as never)).rejects.toThrow(/^getDataset: give exactly one of name and id, got neither/);
    });

    it("refuses bad arguments before any request", async () => {
      await emu.clearRequests();
      await expect(getDataset({ id: "orders-dataset-prod" })).rejects.toThrow(/^getDataset: id must be a Catalog dataset id, 24 hex characters such as "5f3c3cedb2805c194ff0b69a", got "orders-dataset-prod"$/);
      await expect(getDataset({ id: "4e9a6b2c-1d3f-4a5b-8c7d-2e0f1a3b5c7d" })).rejects.toThrow(/that is a Flow Service id/);
      await expect(getDataset({ name: "" })).rejects.toThrow(/^getDataset: name must be a non-empty string/);
      await expect(getDataset({ datasetId: DEMO.orders.dataSetId } as never)).rejects.toThrow(/^getDataset: datasetId is not an argument; the arguments are name, id, sandbox/);
      await expect(getDataset({ name: "Orders", sandbox: "Prod" })).rejects.toThrow(/^getDataset: sandbox must be a sandbox name/);
      expect(await requests()).toEqual([]);
    });
  });

  describe("getSchema", () => {
    it("finds a tenant schema by title and by $id; a dataset's schemaId is its id", async () => {
      await emu.clearRequests();
      const orders = await getSchema({ name: "Orders" });
      expect(orders).toEqual({
        id: DEMO.orders.schemaId,
        altId: "_acme.schemas.995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4",
        title: "Orders",
        description: "Orders exported to the landing bucket.",
        version: "1.0",
        className: "https://ns.adobe.com/xdm/context/profile",
        sandbox: "prod",
      });
      const sent = await requests();
      expect(sent.map((e) => e.route)).toEqual(["/tenant/schemas"]);
      expect(new URLSearchParams(sent[0].query).get("property")).toBe("title==Orders");
      expect(await getSchema({ id: DEMO.loyalty.schemaId })).toMatchObject({ title: "Loyalty Members" });
      const [viaDataset, viaTitle] = await Promise.all([valueOf(getDatasetOutput({ name: "Orders" })), valueOf(getSchemaOutput({ name: pulumi.output("Orders") }))]);
      expect(viaDataset.schemaId).toBe(viaTitle.id);
    });

    it("says what is wrong, naming the argument", async () => {
      await expect(getSchema({ name: "Invoices" })).rejects.toThrow(/^getSchema: no schema is titled "Invoices" in sandbox "prod"/);
      const missing = "https://ns.adobe.com/acme/schemas/0000000000000000";
      await expect(getSchema({ id: missing })).rejects.toThrow(new RegExp(`^getSchema: no schema ${missing} \\(major version 1\\) exists in sandbox "prod" \\(Schema Registry answered 404\\)`));
      await emu.clearRequests();
      await expect(getSchema({ id: "_acme.schemas.995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4" })).rejects.toThrow(/^getSchema: id must be an XDM schema \$id of the form https:\/\/ns\.adobe\.com\/<tenant>\/schemas\/<id>.*\(that is its meta:altId; use its \$id\)$/);
      await expect(getSchema({ title: "Orders" } as never)).rejects.toThrow(/^getSchema: title is not an argument; the arguments are name, id, sandbox/);
      expect(await requests()).toEqual([]);
    });
  });
});

describe("answers of the wrong shape (a scripted server)", () => {
  let srv: ScriptedServer;
  let restore: () => void;
  beforeAll(async () => {
    srv = await ScriptedServer.start();
    restore = setEnv({
      AEP_ENDPOINT: srv.url,
      AEP_IMS_ENDPOINT: srv.url,
      AEP_CLIENT_ID: "scripted-client",
      AEP_CLIENT_SECRET: "scripted-secret-1",
      AEP_ORG_ID: "SCRIPTED@AdobeOrg",
      AEP_SANDBOX: "prod",
      AEP_MAX_ATTEMPTS: "1",
      AEP_ACCESS_TOKEN: undefined,
    });
  });
  afterAll(async () => {
    restore();
    await srv.stop();
  });
  beforeEach(() => srv.reset());

  const ID = DEMO.orders.dataSetId;
  const DATASET = `GET /data/foundation/catalog/dataSets/${ID}`;
  const DATASETS = "GET /data/foundation/catalog/dataSets";
  const SCHEMA = `GET /data/foundation/schemaregistry/tenant/schemas/${encodeURIComponent(DEMO.orders.schemaId)}`;
  const SCHEMAS = "GET /data/foundation/schemaregistry/tenant/schemas";
  const orders = { name: "Orders", schemaRef: { id: DEMO.orders.schemaId, contentType: "application/vnd.adobe.xed+json;version=1" } };

  it.each<[string, string, Answer, () => Promise<unknown>, RegExp]>([
    ["an array for a dataset", DATASET, { json: [orders] }, () => getDataset({ id: ID }), /expected an object keyed by dataset id, got an array/],
    ["another dataset than the one asked for", DATASET, { json: { bbbbbbbbbbbbbbbbbbbbbbbb: orders } }, () => getDataset({ id: ID }), /it holds dataset "bbbbbbbbbbbbbbbbbbbbbbbb", not 5f3c/],
    ["a dataset without a name", DATASETS, { json: { [ID]: { schemaRef: orders.schemaRef } } }, () => getDataset({ name: "Orders" }), /dataset "5f3c3cedb2805c194ff0b69a" has no "name"/],
    ["a schemaRef without an id", DATASETS, { json: { [ID]: { name: "Orders", schemaRef: { contentType: "x" } } } }, () => getDataset({ name: "Orders" }), /"schemaRef" has no "id"/],
    ["an HTML login page", DATASETS, { raw: "<html>login</html>", headers: { "content-type": "text/html" } }, () => getDataset({ name: "Orders" }), /its body is not JSON/],
    ["another schema than the one asked for", SCHEMA, { json: { $id: DEMO.customers.schemaId, title: "Customers" } }, () => getSchema({ id: DEMO.orders.schemaId }), /it holds schema "https:\/\/ns\.adobe\.com\/acme\/schemas\/89abc/],
    ["a listing without results", SCHEMAS, { json: { items: [] } }, () => getSchema({ name: "Orders" }), /expected \{"results": \[\.\.\.\]\}/],
    ["a schema without a title", SCHEMAS, { json: { results: [{ $id: DEMO.orders.schemaId }] } }, () => getSchema({ name: "Orders" }), /result 0: schema "https:.*" has no "title"/],
  ])("refuses %s, naming the function, the request and the problem", async (_what, route, answer, call, problem) => {
    srv.script(route, answer);
    const err = (await call().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/^get(Dataset|Schema): (reading|looking up) .* failed: GET \/(dataSets|tenant\/schemas)/);
    expect(err.message).toMatch(problem);
  });

  it("sends Schema Registry the Accept header each read needs", async () => {
    srv.script(SCHEMA, { json: { $id: DEMO.orders.schemaId, title: "Orders" } });
    srv.script(SCHEMAS, { json: { results: [{ $id: DEMO.orders.schemaId, title: "Orders" }], _page: { next: null } } });
    await getSchema({ id: DEMO.orders.schemaId });
    await getSchema({ name: "Orders" });
    const accepts = srv.requests.filter((r) => r.path.includes("/schemaregistry/")).map((r) => r.headers.accept);
    expect(accepts).toEqual(["application/vnd.adobe.xed+json; version=1", "application/vnd.adobe.xed+json"]);
  });

  it("follows _page.next, and refuses a page that starts where it did", async () => {
    const page = (title: string, next: string | null): Answer => ({ json: { results: [{ $id: `https://ns.adobe.com/acme/schemas/${title}`, title }], _page: { next } } });
    srv.script(SCHEMAS, page("A", "A"), page("Orders", null));
    expect((await getSchema({ name: "Orders" })).id).toBe("https://ns.adobe.com/acme/schemas/Orders");
    expect(srv.requests.filter((r) => r.path.endsWith("/tenant/schemas")).map((r) => r.query.start?.[0])).toEqual([undefined, "A"]);
    srv.script(SCHEMAS, page("A", "A"), page("B", "A"));
    await expect(getSchema({ name: "Orders" })).rejects.toThrow(/"_page\.next" repeats the start of this page/);
  });

  it("refuses a dataset with no schema: no dataflow can write to it", async () => {
    srv.script(DATASET, { json: { [ID]: { name: "Raw" } } });
    await expect(getDataset({ id: ID })).rejects.toThrow(/^getDataset: dataset 5f3c3cedb2805c194ff0b69a \("Raw"\) has no XDM schema/);
  });
});
