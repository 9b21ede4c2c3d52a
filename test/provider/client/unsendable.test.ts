import { FlowServiceClient, type ClientSettings } from "../../../provider/client/client";
import type { FlowServiceError } from "../../../provider/client/flow-service-error";
import { headerValueProblem } from "../../../provider/client/header-value";
import { ScriptedServer } from "../../helpers/scripted-server";

/**
 * Values no HTTP header can carry: nothing is sent, nothing is retried, the write is not ambiguous,
 * and the error names where the value comes from and the character, never the value.
 */
let server: ScriptedServer;
let logged: string[];

beforeEach(async () => {
  server = await ScriptedServer.start();
  logged = [];
});
afterEach(() => server.stop());

function client(over: Partial<ClientSettings> = {}): FlowServiceClient {
  return new FlowServiceClient({
    endpoint: server.url,
    imsEndpoint: server.url,
    clientId: "unsendable-client",
    orgId: "UNSENDABLE0123456789ABCD@AdobeOrg",
    clientSecret: "unsendable-secret-1",
    scopes: "openid",
    maxInFlight: 4,
    timeoutMs: 5_000,
    retry: { maxAttempts: 8, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    log: (line) => logged.push(line),
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<FlowServiceError> {
  return p.then(
    () => {
      throw new Error("the request succeeded");
    },
    (e: unknown) => e as FlowServiceError,
  );
}

const post = (c: FlowServiceClient, sandbox = "prod") => c.request("POST", "/connections", { sandbox, body: { name: "n" } });

it.each([
  ["an access token ending in a secret file's line break", { accessToken: "static-token-canary\n", clientSecret: undefined }, /^POST \/connections was not sent: aep:accessToken \(AEP_ACCESS_TOKEN\) ends with a line break \(U\+000A\), which the Authorization header cannot carry/],
  ["an API key pasted with a typographic hyphen", { clientId: "unsendable\u2010client" }, /^POST \/connections was not sent: aep:clientId \(AEP_CLIENT_ID\) holds a typographic hyphen \(U\+2010; type - instead\) at character 11 of 17, which the x-api-key header cannot carry/],
  ["an org id with CR/LF", { orgId: "UNSENDABLE\r\n@AdobeOrg" }, /^POST \/connections was not sent: aep:orgId \(AEP_ORG_ID\) holds a carriage return \(U\+000D\) at character 11 of 21, which the x-gw-ims-org-id header cannot carry/],
])("sends nothing for %s: a configuration error, neither retried nor ambiguous", async (_label, over, message) => {
  const err = await failure(post(client(over)));
  expect(err).toMatchObject({ kind: "config", ambiguous: false, method: "POST", path: "/connections" });
  expect(err.message).toMatch(message);
  expect(err.message).not.toMatch(/aep:endpoint|network|canary/);
  expect(server.count("POST /connections")).toBe(0);
  expect(logged).toEqual([]);
});

it("sends nothing for a sandbox no header can carry, naming the sandbox setting", async () => {
  const err = await failure(post(client(), "prod\n"));
  expect(err).toMatchObject({ kind: "config", ambiguous: false });
  expect(err.message).toMatch(/^POST \/connections was not sent: the sandbox \(the resource's sandbox, else aep:sandbox \/ AEP_SANDBOX\) ends with a line break \(U\+000A\), which the x-sandbox-name header cannot carry/);
  // The token was fetched (IMS is asked first), but nothing went to Flow Service.
  expect(server.count("POST /connections")).toBe(0);
});

it("sends nothing for an etag no If-Match header can carry", async () => {
  const err = await failure(client().request("PATCH", "/connections/abc", { sandbox: "prod", body: [], ifMatch: '"etag"\r\nX-Injected: 1' }));
  expect(err).toMatchObject({ kind: "config", ambiguous: false });
  expect(err.message).toMatch(/the etag kept in the stack's state holds a carriage return \(U\+000D\) at character 7 of 21, which the If-Match header cannot carry/);
  expect(server.count("PATCH /connections/{id}")).toBe(0);
});

describe("which values a header can carry", () => {
  it.each([
    ["token\n", "ends with a line break (U+000A)"],
    ["token\r\n", "ends with a carriage return (U+000D)"],
    ["to\r\nken", "holds a carriage return (U+000D) at character 3 of 7"],
    [" token", "begins with a space"],
    ["token ", "ends with a space"],
    ["to\tken", "holds a tab (U+0009) at character 3 of 6"],
    ["ab\u2010cd", "holds a typographic hyphen (U+2010; type - instead) at character 3 of 5"],
    ["ab\u2013cd", "holds an en dash (U+2013; type - instead) at character 3 of 5"],
    ["\ufeffabcd", "begins with a byte order mark (U+FEFF)"],
    ["abcé", "ends with the character U+00E9"],
    ["ab\u0000cd", "holds a control character (U+0000) at character 3 of 5"],
    ["ab😀cd", "holds the character U+1F600 at character 3 of 5"],
  ])("%j %s", (value, problem) => {
    expect(headerValueProblem(value)).toBe(problem);
  });

  it.each(["eyJhbGciOiJSUzI1NiJ9.eyJ1c2VyX2lkIjoiYSJ9.c2ln", 'static-token "w\\ g+h/i=j 2F6B8D0E', "1234567890ABCDEF@AdobeOrg", "dev-1", '"0a00-0000"'])("%j can be carried", (value) => {
    expect(headerValueProblem(value)).toBeUndefined();
  });
});
