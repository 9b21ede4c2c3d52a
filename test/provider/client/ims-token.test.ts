import { FlowServiceClient } from "../../../provider/client/client";
import type { FlowServiceError } from "../../../provider/client/flow-service-error";
import { ProviderUnderTest, newProviderProcess } from "../../helpers/engine";
import { ScriptedServer } from "../../helpers/scripted-server";

/**
 * IMS tokens against a scripted IMS, with a clock the test moves: how long a token is reused, which
 * IMS answers are unusable, and a refusal of the credentials told once per deployment.
 */
const IMS = "POST /ims/token/v3";
const LIST = "GET /connections";
let server: ScriptedServer;
let clock = 0;

beforeEach(async () => {
  server = await ScriptedServer.start();
  clock = 1_000_000;
});
afterEach(() => server.stop());

function client(maxAttempts = 3): FlowServiceClient {
  return new FlowServiceClient({
    endpoint: server.url,
    imsEndpoint: server.url,
    clientId: "ims-test-client",
    orgId: "IMSTEST0123456789ABCDEF@AdobeOrg",
    clientSecret: "ims-test-secret-1",
    scopes: "openid",
    maxInFlight: 4,
    timeoutMs: 5_000,
    retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    now: () => clock,
  });
}

const read = (c: FlowServiceClient) => c.request("GET", "/connections", { sandbox: "prod" });
const failureOf = (c: FlowServiceClient) =>
  read(c).then(
    () => {
      throw new Error("the read succeeded");
    },
    (e: unknown) => e as FlowServiceError,
  );

function issues(expiresIn: unknown): void {
  let n = 0;
  server.always(IMS, () => ({ status: 200, json: { access_token: `short-lived-token-${++n}`, token_type: "bearer", expires_in: expiresIn } }));
}

describe("how long an IMS token is reused", () => {
  it("asks IMS once for 21 reads with a token of 30 s, and again once 90 % of its life has passed", async () => {
    issues(30);
    const c = client();
    for (let i = 0; i < 21; i++) await read(c);
    expect(server.count(IMS)).toBe(1);
    clock += 26_999;
    await read(c);
    expect(server.count(IMS)).toBe(1);
    clock += 1;
    await read(c);
    expect(server.count(IMS)).toBe(2);
    const tokens = server.requests.filter((r) => r.route === LIST).map((r) => r.headers.authorization);
    expect(new Set(tokens)).toEqual(new Set(["Bearer short-lived-token-1", "Bearer short-lived-token-2"]));
  });

  it("renews a day-long token five minutes before it expires, not 2.4 hours before", async () => {
    issues(86_399);
    const c = client();
    await read(c);
    clock += 86_399_000 - 300_001;
    await read(c);
    expect(server.count(IMS)).toBe(1);
    clock += 1;
    await read(c);
    expect(server.count(IMS)).toBe(2);
  });

  it.each([
    ["0", 0],
    ["negative", -5],
    ["a string", "3600"],
    ["missing", undefined],
    ["null", null],
  ])("refuses expires_in %s as an unusable IMS answer, asking once and sending nothing to Flow Service", async (_label, expiresIn) => {
    issues(expiresIn);
    const err = await failureOf(client());
    expect(err.kind).toBe("ims");
    expect(err.message).toMatch(/^POST \/ims\/token\/v3 answered 200 with expires_in .*, where IMS gives the token's lifetime as a positive number of seconds: not a usable IMS answer\. Check aep:imsEndpoint/);
    expect(err.message).not.toContain("short-lived-token");
    expect(server.count(IMS)).toBe(1);
    expect(server.count(LIST)).toBe(0);
  });

  it.each([
    ["CR/LF inside", "issued-token\r\nX-Injected: 1"],
    ["a line break at the end", "issued-token-abcdef\n"],
    ["a character past U+00FF", "issued\u2010token-abcdef"],
  ])("refuses an access token with %s as an unusable IMS answer, without showing it", async (_label, token) => {
    server.always(IMS, { status: 200, json: { access_token: token, token_type: "bearer", expires_in: 86_399 } });
    const err = await failureOf(client());
    expect(err).toMatchObject({ kind: "ims", ambiguous: false });
    expect(err.message).toMatch(/^POST \/ims\/token\/v3 answered 200 with an access token that (ends with|holds) .*, which the Authorization header cannot carry: not a usable IMS answer/);
    expect(err.message).not.toContain("issued");
    expect(server.count(IMS)).toBe(1);
    expect(server.count(LIST)).toBe(0);
  });
});

describe("IMS refusing the client credentials", () => {
  const refused = { label: "401 invalid_client", status: 401, json: { error: "invalid_client", error_description: "invalid client_secret parameter" } };

  it("asks IMS once: the first request gets IMS's answer, naming the settings; every other, waiting or later, fails as not attempted", async () => {
    server.always(IMS, refused);
    const c = client();
    const waiting = await Promise.all(Array.from({ length: 5 }, () => failureOf(c)));
    const later: FlowServiceError[] = [];
    for (let i = 0; i < 3; i++) later.push(await failureOf(c));
    const errors = [...waiting, ...later];
    expect(server.count(IMS)).toBe(1);
    expect(server.count(LIST)).toBe(0);
    const first = errors.filter((e) => !e.message.startsWith("not attempted"));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ kind: "ims", status: 401, code: "invalid_client" });
    expect(first[0].message).toMatch(/^IMS rejected the client credentials: POST \/ims\/token\/v3 failed with 401 \[invalid_client\]: invalid client_secret parameter.*Fix aep:clientId \(AEP_CLIENT_ID\) and aep:clientSecret \(AEP_CLIENT_SECRET\)/);
    for (const e of errors.filter((x) => x !== first[0])) {
      expect(e).toMatchObject({ kind: "ims", status: 401, code: "invalid_client" });
      expect(e.message).toMatch(/^not attempted: IMS rejected the client credentials earlier in this deployment \(HTTP 401 invalid_client\), so no token was asked for again; fix aep:clientId \(AEP_CLIENT_ID\) and aep:clientSecret \(AEP_CLIENT_SECRET\)/);
    }
  });

  it("fails every create of a deployment after one IMS request, the first in IMS's words and the others as not attempted", async () => {
    server.always(IMS, refused);
    newProviderProcess();
    const p = await ProviderUnderTest.load("ftp", {
      "aep:endpoint": server.url,
      "aep:imsEndpoint": server.url,
      "aep:clientId": "ims-test-client",
      "aep:clientSecret": "a-wrong-secret-canary",
      "aep:orgId": "IMSTEST0123456789ABCDEF@AdobeOrg",
    });
    const created = await Promise.all(
      ["a", "b", "c", "d"].map(async (name) => {
        const inputs = await p.checked({}, { __autoName: name, host: "ftp.example.com", userName: "ingest", password: "ftp-pass-123" });
        return p.create(inputs).then(
          () => "created",
          (e: Error) => e.message,
        );
      }),
    );
    expect(server.count(IMS)).toBe(1);
    expect(server.count("POST /connections") + server.count(LIST)).toBe(0);
    expect(created.filter((m) => /: creating connection .* failed: IMS rejected the client credentials: .*aep:clientSecret/.test(m))).toHaveLength(1);
    expect(created.filter((m) => /: creating connection .* failed: not attempted: IMS rejected the client credentials earlier in this deployment/.test(m))).toHaveLength(3);
    for (const m of created) expect(m).not.toContain("a-wrong-secret-canary");
  });
});
