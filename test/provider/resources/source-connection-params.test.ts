import { connectionSpecByName } from "../../../provider/catalog/index";
import { UNKNOWN } from "../../../provider/validators";
import { type Props, ProviderUnderTest, newProviderProcess } from "../../helpers/engine";
import { DEMO, TestEmulator } from "../../helpers/emulator";

/**
 * A source connection on a database or CRM source: its own source params (`params.tableName`, `columns`…),
 * sent beside `path` as Adobe's tutorials send them, checked at preview against the catalog with no request,
 * through the serialized providers over HTTP against the emulator.
 */
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(async () => {
  await emu.stop();
});

const POSTGRES = connectionSpecByName("PostgreSQL")!;
const SALESFORCE = connectionSpecByName("Salesforce")!;
const S3_SPEC = "ecadc60c-7455-4d87-84dc-2a0e293d997b";
const BASE = "9e2541a0-b143-4d23-a541-a0b143dd2301";
const START = 1_900_000_000;

const counts = (): Promise<Record<string, number>> => emu.stepCounts();

interface Made {
  p: ProviderUnderTest;
  id: string;
  outs: Props;
  args: Props;
}

async function make(kind: string, args: Props): Promise<Made> {
  const p = await ProviderUnderTest.load(kind, emu.config());
  const withName = { __autoName: kind, ...args };
  const { id, outs } = await p.create(await p.checked({}, withName));
  return { p, id, outs, args: withName };
}

describe("a source connection's params at preview", () => {
  let p: ProviderUnderTest;
  beforeAll(async () => {
    newProviderProcess();
    p = await ProviderUnderTest.load("sourceConnection", emu.config());
  });
  const on = (spec: string, extra: Props) => ({ __autoName: "src", baseConnectionId: BASE, connectionSpecId: spec, ...extra });
  const reasons = async (news: Props) => (await p.check({}, news)).failures.map((f) => `${f.property === "" ? "" : `${f.property} `}${f.reason}`);

  it("refuses a database source connection without its table, naming params.tableName and the fix, with no request", async () => {
    await emu.clearRequests();
    expect(await reasons(on(POSTGRES.id, {}))).toEqual(["params.tableName is required by a source connection of PostgreSQL; set it in params"]);
    expect(await counts()).toEqual({});
  });

  it("refuses an unknown source param, naming the closest known ones", async () => {
    expect(await reasons(on(POSTGRES.id, { params: { tableName: "public.orders", tablename: "x" } }))).toEqual([
      'params.tablename is not a param of a source connection of PostgreSQL; did you mean "tableName" or "cdcEnabled" or "columns"? Its params are tableName, columns, cdcEnabled',
    ]);
  });

  it("refuses a source param of the wrong type, naming it", async () => {
    expect(await reasons(on(SALESFORCE.id, { params: { tableName: 42 } }))).toEqual(["params.tableName must be a string, got number 42"]);
    expect(await reasons(on(POSTGRES.id, { params: { tableName: "public.orders", cdcEnabled: "yes" } }))).toEqual(['params.cdcEnabled must be true or false, got "yes"']);
    expect(await reasons(on(S3_SPEC, { format: "json", path: "/in/*.json", params: { type: "files" } }))).toEqual(['params.type must be one of "file", "folder", got "files"']);
  });

  it("refuses path or recursive inside params, saying to use the property", async () => {
    expect(await reasons(on(S3_SPEC, { format: "json", params: { path: "/in/*.json" } }))).toEqual([
      "params.path is not a source param here: set the `path` property instead and remove it from params",
      'path is required for a file-based source connection, e.g. "/inbound/orders/*.csv"',
    ]);
    // Whatever the spec, even one unknown at preview.
    expect(await reasons(on(UNKNOWN, { params: { recursive: true } }))).toEqual(["params.recursive is not a source param here: set the `recursive` property instead and remove it from params"]);
  });

  it("refuses params that are no map, naming the property", async () => {
    expect(await reasons(on(POSTGRES.id, { params: "public.orders" }))).toEqual(['params must be a map of source param names to values, e.g. { tableName: "public.orders" }, got "public.orders"']);
  });

  it("takes the tutorials' params, and leaves what it cannot know at preview to the up", async () => {
    const columns = [{ name: "id", type: "string", xdm: { type: "string" } }];
    expect(await reasons(on(POSTGRES.id, { params: { tableName: "public.orders", columns, cdcEnabled: true } }))).toEqual([]);
    expect(await reasons(on(S3_SPEC, { format: "json", path: "/in/", params: { type: "folder" } }))).toEqual([]);
    // The base connection's spec unknown (it is being created): nothing of the spec is checked.
    expect(await reasons(on(UNKNOWN, { params: { anything: 1 } }))).toEqual([]);
    // The params unknown as a whole, or one member unknown: the required and that member are left to the up.
    expect(await reasons(on(POSTGRES.id, { params: UNKNOWN }))).toEqual([]);
    expect(await reasons(on(POSTGRES.id, { params: { tableName: UNKNOWN } }))).toEqual([]);
  });
});

describe("a source connection on a database connection", () => {
  let pg: Made;
  let source: Made;

  it("creates it with one POST, its table in params and the tutorials' tabular format", async () => {
    newProviderProcess();
    pg = await make("connection", { connectionSpecName: "PostgreSQL", authSpecName: "Connection String Based Authentication", secretParams: { connectionString: "Server=db.example.com;Database=shop;Port=5432;UID=etl;Password=pg-secret-1" } });
    expect(pg.outs.connectionSpecId).toBe(POSTGRES.id);
    await emu.clearRequests();
    source = await make("sourceConnection", { baseConnectionId: pg.id, connectionSpecId: pg.outs.connectionSpecId, params: { tableName: "public.orders" } });
    expect(await counts()).toEqual({ "POST /sourceConnections": 1 });
    const held = await emu.control.sourceConnection(source.id);
    expect(held.params).toEqual({ tableName: "public.orders" });
    expect(held.data).toEqual({ format: "tabular" });
    expect(source.outs).toMatchObject({ params: { tableName: "public.orders" }, state: "enabled" });
    expect(source.outs.format).toBeUndefined();
  });

  it("reads it back with one listing and no change", async () => {
    newProviderProcess();
    const p = await ProviderUnderTest.load("sourceConnection", emu.config());
    await emu.clearRequests();
    const r = await p.read(source.id, source.outs);
    expect(await counts()).toEqual({ "GET /sourceConnections": 1 });
    expect(r.props).toMatchObject({ params: { tableName: "public.orders" } });
    expect((r.props as Props).format).toBeUndefined();
    const d = await p.diff(source.id, r.props as Props, await p.checked(r.props as Props, source.args));
    expect(d.changes).toBe(false);
  });

  it("replaces it when the table changes: one POST for the new, one DELETE for the old", async () => {
    const args = { ...source.args, params: { tableName: "public.returns" } };
    const news = await source.p.checked(source.outs, args);
    const d = await source.p.diff(source.id, source.outs, news);
    expect(d).toMatchObject({ changes: true, replaces: ["params"] });
    await emu.clearRequests();
    // The engine creates the replacement first, then deletes the old one.
    const { id, outs } = await source.p.create(await source.p.checked({}, args));
    await source.p.delete(source.id, source.outs);
    expect(await counts()).toEqual({ "POST /sourceConnections": 1, "DELETE /sourceConnections/{id}": 1 });
    expect((await emu.control.sourceConnection(id)).params).toEqual({ tableName: "public.returns" });
    source = { ...source, id, outs, args };
  });

  it("adopts it after the answer to its POST is lost, comparing its params: one POST, one source connection", async () => {
    const p = await ProviderUnderTest.load("sourceConnection", emu.config());
    const inputs = await p.checked({}, { __autoName: "lost", name: "lost-table", baseConnectionId: pg.id, connectionSpecId: POSTGRES.id, params: { tableName: "public.lost", cdcEnabled: true } });
    await emu.addFault({ kind: "commit-then-fail", count: 1, method: "POST", route: "/sourceConnections", thenStatus: "reset" });
    await emu.clearRequests();
    const { id, outs } = await p.create(inputs);
    expect(emu.control.sourceConnections().filter((s) => s.name === "lost-table").map((s) => s.id)).toEqual([id]);
    expect((await counts())["POST /sourceConnections"]).toBe(1);
    expect(outs).toMatchObject({ params: { tableName: "public.lost", cdcEnabled: true } });
    await p.delete(id, outs);
  });

  it("deletes it with one DELETE", async () => {
    await emu.clearRequests();
    await source.p.delete(source.id, source.outs);
    await pg.p.delete(pg.id, pg.outs);
    expect(await counts()).toEqual({ "DELETE /sourceConnections/{id}": 1, "DELETE /connections/{id}": 1 });
    expect(emu.control.sourceConnections()).toEqual([]);
  });
});

describe("a pipeline from a CRM", () => {
  it("runs Salesforce's Account table into a dataset through CRMToAEP", async () => {
    newProviderProcess();
    const sf = await make("connection", {
      connectionSpecName: "Salesforce",
      authSpecName: "Basic Authentication",
      params: { username: "etl@example.com" },
      secretParams: { password: "sf-password-1", securityToken: "sf-security-token-1" },
    });
    const lake = await make("datasetBase", {});
    const columns = [{ name: "Name", type: "string", xdm: { type: "String" } }];
    const source = await make("sourceConnection", { baseConnectionId: sf.id, connectionSpecId: sf.outs.connectionSpecId, params: { tableName: "Account", columns } });
    expect((await emu.control.sourceConnection(source.id)).params).toEqual({ tableName: "Account", columns });
    const target = await make("targetConnection", { baseConnectionId: lake.id, dataSetId: DEMO.orders.dataSetId, schemaId: DEMO.orders.schemaId });
    const mapping = await make("mappingSet", { schemaId: DEMO.orders.schemaId, mappings: [{ source: "Name", destination: "_id" }] });
    await emu.clearRequests();
    const flow = await make("dataflow", {
      flowSpecName: "CRMToAEP",
      sourceConnectionId: source.id,
      targetConnectionId: target.id,
      mappingId: mapping.id,
      mappingVersion: 0,
      schedule: { startTime: START, frequency: "hour", interval: 1 },
    });
    expect(await counts()).toEqual({ "GET /flowSpecs": 1, "POST /flows": 1 });
    expect(flow.outs).toMatchObject({ state: "enabled", flowSpecId: "14518937-270c-4525-bdec-c2ba7cce3860" });

    await flow.p.delete(flow.id, flow.outs);
    await source.p.delete(source.id, source.outs);
    await target.p.delete(target.id, target.outs);
    await mapping.p.delete(mapping.id, mapping.outs);
    await sf.p.delete(sf.id, sf.outs);
    await lake.p.delete(lake.id, lake.outs);
  });
});
