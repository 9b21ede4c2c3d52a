import { DEFAULT_RETRY_POLICY } from "../../../provider/client/retry";
import { FlowServiceClient } from "../../../provider/client/client";
import { FlowServiceError } from "../../../provider/client/flow-service-error";
import { FLOW_BASE, flowErrorBody, ScriptedServer, type Answer } from "../../helpers/scripted-server";

/**
 * The client's connectivity and lookup reads against a scripted server (not the emulator): an answer of the
 * wrong shape is an error naming the request, never a `true`, an empty listing or a spec; a 404 in another
 * shape than Flow Service's is never taken for "not found".
 */
let srv: ScriptedServer;
let client: FlowServiceClient;
const ID = "bf367b0d-3d9b-4060-b67b-0d3d9bd06094";

beforeAll(async () => {
  srv = await ScriptedServer.start();
  client = new FlowServiceClient({
    endpoint: srv.url,
    imsEndpoint: srv.url,
    clientId: "scripted-client",
    clientSecret: "scripted-secret-1",
    orgId: "SCRIPTED@AdobeOrg",
    scopes: "openid",
    maxInFlight: 2,
    timeoutMs: 5_000,
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
  });
});
afterAll(() => srv.stop());
beforeEach(() => srv.reset());

const TEST = "GET /connections/{id}/test";
const EXPLORE = `GET ${FLOW_BASE}/connections/${ID}/explore`;
const SPECS = `GET ${FLOW_BASE}/connectionSpecs`;

async function failure(run: Promise<unknown>): Promise<FlowServiceError> {
  const err = await run.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(FlowServiceError);
  return err as FlowServiceError;
}

it("reads {result: true|false} from /test, and undefined only for Flow's 1101-404", async () => {
  srv.script(TEST, { json: { result: true } }, { json: { result: false } }, { status: 404, json: flowErrorBody("1101-404", "not found") });
  expect(await client.testConnection("/connections", "prod", ID)).toBe(true);
  expect(await client.testConnection("/connections", "prod", ID)).toBe(false);
  expect(await client.testConnection("/connections", "prod", ID)).toBeUndefined();
});

it.each<[string, Answer, RegExp]>([
  ["an empty object", { json: {} }, /"result" is nothing, not true or false/],
  ["a string result", { json: { result: "true" } }, /"result" is string, not true or false/],
  ["an HTML page", { raw: "<html>login</html>", headers: { "content-type": "text/html" } }, /its body is not JSON/],
  ["a gateway's 404", { status: 404, json: { error_code: "404050", message: "Resource not found" } }, /not Flow Service's "connection not found"/],
])("refuses %s from /test, naming the request", async (_t, answer, message) => {
  srv.script(TEST, answer);
  const err = await failure(client.testConnection("/connections", "prod", ID));
  expect(err.message).toContain(`/connections/${ID}/test`);
  expect(err.message).toMatch(message);
});

it("lists explore entries and refuses entries of the wrong shape", async () => {
  srv.script(EXPLORE, { json: [{ type: "File", name: "a.csv", path: "/a.csv", canPreview: true }] });
  expect(await client.exploreConnection("/connections", "prod", ID, "/")).toEqual([{ type: "File", name: "a.csv", path: "/a.csv", canPreview: true }]);
  expect(srv.requests.at(-1)?.query).toEqual({ objectType: ["folder"], object: ["/"] });
  for (const [json, message] of [
    [{ items: [] }, /expected an array of files and folders/],
    [[{ type: "file", name: "a.csv" }], /entry 0: "path" is nothing/],
    [[{ type: "file", name: "a", path: "/a", canPreview: "yes" }], /entry 0: "canPreview" is string/],
  ] as const) {
    srv.script(EXPLORE, { json });
    expect((await failure(client.exploreConnection("/connections", "prod", ID))).message).toMatch(message);
  }
});

it("reads connection specs, and refuses a listing or a spec of the wrong shape", async () => {
  srv.script(SPECS, { json: { items: [{ id: "s1", name: "FTP", version: "1.0", authSpec: [{ name: "Basic" }] }] } });
  expect(await client.listConnectionSpecs("prod", [])).toEqual([{ id: "s1", name: "FTP", version: "1.0", authSpecNames: ["Basic"] }]);
  srv.script(SPECS, { json: { items: [{ id: "s1" }] } });
  expect((await failure(client.listConnectionSpecs("prod", []))).message).toMatch(/item 0: "name" is nothing/);
  srv.script(`GET ${FLOW_BASE}/connectionSpecs/${ID}`, { json: { items: [{ id: "other", name: "FTP" }] } }, { status: 404, json: flowErrorBody("1413-404", "no spec") });
  expect((await failure(client.getConnectionSpec("prod", ID))).message).toMatch(/holds connection spec "other"/);
  expect(await client.getConnectionSpec("prod", ID)).toBeUndefined();
});
