import { type Props, ProviderUnderTest, newProviderProcess } from "../../helpers/engine";
import { FLOW_BASE, ScriptedServer } from "../../helpers/scripted-server";
import { captureStderr } from "../../helpers/stderr";

/**
 * At `up` the live spec is authoritative: the generic Connection asks `GET /connectionSpecs/{id}` once per
 * spec per deployment, checks the write against it before sending it, says when it differs from the
 * catalog, and resolves a name the catalog does not know with `GET /connectionSpecs?property=name==…`.
 * A scripted server serves the specs (the emulator serves the catalog's own).
 */
let srv: ScriptedServer;
beforeAll(async () => {
  srv = await ScriptedServer.start();
});
afterAll(() => srv.stop());
beforeEach(() => srv.reset());

const SFTP_ID = "b7bf2577-4520-42c9-bae9-cad01560f7bc";
const CONTOSO_ID = "5a1c7e0f-3b2d-4e6a-9c8b-7d6e5f4a3b2c";
const SECRET = "live-spec-canary-9Qx";

const config = () => ({
  "aep:endpoint": srv.url,
  "aep:imsEndpoint": srv.url,
  "aep:clientId": "live-spec-client",
  "aep:clientSecret": "live-spec-client-secret",
  "aep:orgId": "LIVESPEC0123456789ABCDEF@AdobeOrg",
  "aep:sandbox": "prod",
  "aep:maxAttempts": "2",
});

/** A spec as Flow Service renders it: its auth specs' JSON Schemas, `format: "password"` on the secrets. */
function spec(id: string, name: string, authName: string, properties: Record<string, unknown>, required: string[]) {
  return { items: [{ id, name, authSpec: [{ name: authName, type: "KeyBased", spec: { $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties, required, additionalProperties: false } }] }] };
}
const SFTP_LIVE = (extra: Record<string, unknown> = {}, required = ["host", "userName", "password"]) =>
  spec(SFTP_ID, "SFTP", "Basic Authentication for sftp", { host: { type: "string" }, port: { type: "integer" }, userName: { type: "string" }, password: { type: "string", format: "password" }, ...extra }, required);
const CONTOSO_LIVE = spec(CONTOSO_ID, "contoso-blob", "ConnectionStringAuth", { connectionString: { type: "string", format: "password" }, container: { type: "string" } }, ["connectionString"]);

async function up(news: Props): Promise<{ result?: { id: string; outs: Props }; error?: Error; log: string }> {
  newProviderProcess();
  const p = await ProviderUnderTest.load("connection", config());
  const inputs = await p.checked({}, { __autoName: "live", ...news });
  const stderr = captureStderr();
  try {
    return { result: await p.create(inputs), log: stderr.lines.join("") };
  } catch (error) {
    return { error: error as Error, log: stderr.lines.join("") };
  } finally {
    stderr.restore();
  }
}

const SFTP_ARGS = { connectionSpecId: SFTP_ID, authSpecName: "Basic Authentication for sftp", params: { host: "sftp.example.com", userName: "ingest" }, secretParams: { password: SECRET } };

it("refuses a write the live spec refuses, naming the param, before sending it", async () => {
  srv.always(`GET ${FLOW_BASE}/connectionSpecs/${SFTP_ID}`, { json: SFTP_LIVE({ region: { type: "string" } }, ["host", "userName", "password", "region"]) });
  const { error, log } = await up(SFTP_ARGS);
  expect(error?.message).toMatch(/^Connection: .*Flow Service's connection spec refuses the params: params\.region is required by auth spec "Basic Authentication for sftp" of "SFTP"; set it in params/);
  expect(srv.count("POST /connections")).toBe(0);
  expect(`${error?.message}${log}`).not.toContain(SECRET);
});

it("says in the log how the live spec differs from the catalog, and writes what the live spec accepts", async () => {
  srv.always(`GET ${FLOW_BASE}/connectionSpecs/${SFTP_ID}`, { json: SFTP_LIVE({ region: { type: "string" } }) });
  const { result, error, log } = await up(SFTP_ARGS);
  expect(error).toBeUndefined();
  expect(result?.outs.connectionSpecId).toBe(SFTP_ID);
  expect(log).toMatch(/warning: Connection: the auth spec "Basic Authentication for sftp" of "SFTP" as Flow Service serves it differs from the package's catalog \(region is new; maxConcurrentConnections is gone; folderPath is gone; disableChunking is gone\); the live spec decides/);
  expect(srv.count(`GET ${FLOW_BASE}/connectionSpecs/${SFTP_ID}`)).toBe(1);
  expect(log).not.toContain(SECRET);
});

it("resolves a spec name the catalog does not ship at up, checks the params against it and says so once", async () => {
  srv.always(`GET ${FLOW_BASE}/connectionSpecs`, (req) => (req.query.property?.[0] === 'name=="contoso-blob"' ? { json: CONTOSO_LIVE } : { json: { items: [] } }));
  srv.always(`GET ${FLOW_BASE}/connectionSpecs/${CONTOSO_ID}`, { json: CONTOSO_LIVE });
  const args = { connectionSpecName: "contoso-blob", authSpecName: "ConnectionStringAuth", params: { container: "orders" }, secretParams: { connectionString: SECRET } };
  const { result, error, log } = await up(args);
  expect(error).toBeUndefined();
  expect(result?.outs.connectionSpecId).toBe(CONTOSO_ID);
  const posted = JSON.parse(srv.requests.find((r) => r.route === "POST /connections")?.body ?? "{}");
  expect(posted).toEqual({ name: expect.any(String), auth: { specName: "ConnectionStringAuth", params: { container: "orders", connectionString: SECRET } }, connectionSpec: { id: CONTOSO_ID, version: "1.0" } });
  expect(log.match(/is not in the catalog this package ships/g)).toHaveLength(1);
  expect(log).not.toContain(SECRET);

  const refused = await up({ ...args, params: { container: "orders", contianer: "x" } });
  expect(refused.error?.message).toMatch(/params\.contianer is not a param of auth spec "ConnectionStringAuth" of "contoso-blob"; did you mean "container"/);
});

it("fails naming the closest catalog names when Flow Service knows no spec of that name", async () => {
  srv.always(`GET ${FLOW_BASE}/connectionSpecs`, { json: { items: [] } });
  const { error } = await up({ connectionSpecName: "google-cloud-storage-xyz", authSpecName: "Basic", params: { a: "b" } });
  expect(error?.message).toMatch(/connectionSpecName "google-cloud-storage-xyz" names no connection spec in Flow Service .*did you mean/);
  expect(srv.count("POST /connections")).toBe(0);
});
