import { missingCredentials } from "../../provider/clients";
import { DEFAULTS, configurationProblems, resolveSettings, setStackConfig } from "../../provider/settings";
import { check } from "../../provider/engine/check";
import { ftpKind } from "../../provider/resources/ftp";

describe("configuration precedence", () => {
  afterEach(() => setStackConfig(() => undefined));

  it("takes Pulumi config over the AEP_* environment, and the environment over defaults", () => {
    setStackConfig((key) => ({ "aep:clientId": "from-config", "aep:sandbox": "dev" })[key]);
    const s = resolveSettings({ AEP_CLIENT_ID: "from-env", AEP_ORG_ID: "ORG@AdobeOrg", AEP_SANDBOX: "env-sandbox" });
    expect(s).toMatchObject({ clientId: "from-config", orgId: "ORG@AdobeOrg", sandbox: "dev", endpoint: DEFAULTS.endpoint, imsEndpoint: DEFAULTS.imsEndpoint });
  });

  it("falls back to Adobe's production endpoints and the prod sandbox", () => {
    expect(resolveSettings({})).toMatchObject({ endpoint: "https://platform.adobe.io", imsEndpoint: "https://ims-na1.adobelogin.com", sandbox: "prod", maxInFlight: 16, maxAttempts: 8 });
  });

  it("ignores empty values", () => {
    expect(resolveSettings({ AEP_ENDPOINT: "", AEP_MAX_IN_FLIGHT: "", AEP_MAX_ATTEMPTS: "" })).toMatchObject({ endpoint: DEFAULTS.endpoint, maxInFlight: 16, maxAttempts: 8 });
  });

  it.each([
    ["AEP_MAX_IN_FLIGHT", "zero", /aep:maxInFlight \(AEP_MAX_IN_FLIGHT\) must be a positive whole number, got "zero"/],
    ["AEP_MAX_IN_FLIGHT", "0", /aep:maxInFlight .* got "0"/],
    ["AEP_MAX_ATTEMPTS", "-1", /aep:maxAttempts \(AEP_MAX_ATTEMPTS\) must be a positive whole number/],
    ["AEP_MAX_ATTEMPTS", "2.5", /aep:maxAttempts .* got "2.5"/],
    ["AEP_TIMEOUT_SECONDS", "soon", /aep:timeoutSeconds \(AEP_TIMEOUT_SECONDS\) must be a positive number of seconds/],
  ])("refuses %s=%s, naming the setting, instead of silently using the default", (name, value, message) => {
    expect(() => resolveSettings({ [name]: value })).toThrow(message);
  });

  it("takes a total deadline per attempt from aep:timeoutSeconds (60 s by default)", () => {
    expect(resolveSettings({}).timeoutMs).toBe(60_000);
    expect(resolveSettings({ AEP_TIMEOUT_SECONDS: "1.5" }).timeoutMs).toBe(1500);
  });

  it.each([
    ["AEP_ENDPOINT", "http://platform.example.com", /aep:endpoint \(AEP_ENDPOINT\) is http:\/\/ to platform.example.com: credentials would travel in clear/],
    ["AEP_IMS_ENDPOINT", "http://10.0.0.5:8080", /aep:imsEndpoint \(AEP_IMS_ENDPOINT\) is http:\/\/ to 10.0.0.5/],
    ["AEP_IMS_ENDPOINT", "http://127.0.0.1.example.com", /aep:imsEndpoint .* is http:\/\/ to 127.0.0.1.example.com/],
    ["AEP_ENDPOINT", "127.0.0.1:19417", /aep:endpoint \(AEP_ENDPOINT\) must be/],
    ["AEP_ENDPOINT", "not a url", /aep:endpoint \(AEP_ENDPOINT\) must be a URL/],
    ["AEP_ENDPOINT", "ftp://platform.example.com", /aep:endpoint .* must be an https:\/\/ URL/],
    ["AEP_ENDPOINT", "https://user:pw@platform.example.com", /aep:endpoint .* must not hold a user name or password/],
  ])("refuses %s=%s: credentials never travel in clear, and the setting is named", (name, value, message) => {
    expect(() => resolveSettings({ [name]: value })).toThrow(message);
  });

  it.each(["http://127.0.0.1:19417", "http://localhost:8080/", "http://[::1]:9000", "http://127.1.2.3", "https://platform.example.com"])("accepts %s (https, or http to a loopback host)", (url) => {
    expect(resolveSettings({ AEP_ENDPOINT: url, AEP_IMS_ENDPOINT: url })).toMatchObject({ endpoint: url, imsEndpoint: url });
  });

  it("refuses a client secret or access token too short to redact, without showing it", () => {
    expect(() => resolveSettings({ AEP_CLIENT_SECRET: "s3cr" })).toThrow(/aep:clientSecret \(AEP_CLIENT_SECRET\) is shorter than 8 characters/);
    expect(() => resolveSettings({ AEP_ACCESS_TOKEN: "tok" })).toThrow(/aep:accessToken \(AEP_ACCESS_TOKEN\) is shorter than 8 characters/);
    try {
      resolveSettings({ AEP_CLIENT_SECRET: "s3cr" });
    } catch (err) {
      expect(String(err)).not.toContain("s3cr");
    }
  });

  it.each([
    ["AEP_TIMEOUT_SECONDS", "3000000", /aep:timeoutSeconds \(AEP_TIMEOUT_SECONDS\) must be at most 2147483 seconds \(Node's timers hold at most 2\^31-1 ms, about 24.8 days\), got "3000000"/],
    ["AEP_TIMEOUT_SECONDS", "99999999", /aep:timeoutSeconds .* must be at most 2147483 seconds .* got "99999999"/],
    ["AEP_TIMEOUT_SECONDS", "0.0004", /aep:timeoutSeconds .* must be at least 0.001 seconds, got "0.0004"/],
    ["AEP_REQUESTS_PER_SECOND", "0.0000001", /aep:requestsPerSecond \(AEP_REQUESTS_PER_SECOND\) must be at least 0.000001 requests per second, got "0.0000001"/],
    ["AEP_REQUESTS_PER_SECOND", "1e16", /aep:requestsPerSecond .* must be at most 1000000 requests per second .* got "1e16"/],
    ["AEP_MAX_ATTEMPTS", "101", /aep:maxAttempts \(AEP_MAX_ATTEMPTS\) must be at most 100 .* got "101"/],
    ["AEP_MAX_IN_FLIGHT", "5000", /aep:maxInFlight \(AEP_MAX_IN_FLIGHT\) must be at most 1000 .* got "5000"/],
  ])("refuses %s=%s, outside what the setting's timer or loop can hold, naming the range", (name, value, message) => {
    expect(() => resolveSettings({ [name]: value })).toThrow(message);
    expect(configurationProblems({ [name]: value })).toEqual([expect.stringMatching(message)]);
  });

  it("accepts each numeric setting at the ends of its range", () => {
    expect(resolveSettings({ AEP_TIMEOUT_SECONDS: "2147483" }).timeoutMs).toBe(2_147_483_000);
    expect(resolveSettings({ AEP_TIMEOUT_SECONDS: "0.001" }).timeoutMs).toBe(1);
    expect(resolveSettings({ AEP_REQUESTS_PER_SECOND: "0.000001" }).requestsPerSecond).toBe(0.000001);
    expect(resolveSettings({ AEP_REQUESTS_PER_SECOND: "1000000" }).requestsPerSecond).toBe(1_000_000);
    expect(resolveSettings({ AEP_MAX_ATTEMPTS: "100", AEP_MAX_IN_FLIGHT: "1000" })).toMatchObject({ maxAttempts: 100, maxInFlight: 1000 });
    expect(resolveSettings({ AEP_MAX_ATTEMPTS: "1", AEP_MAX_IN_FLIGHT: "1" })).toMatchObject({ maxAttempts: 1, maxInFlight: 1 });
  });

  it.each([
    ["AEP_ACCESS_TOKEN", "eyJhbGciOi.token-canary-77\n", /^aep:accessToken \(AEP_ACCESS_TOKEN\) ends with a line break \(U\+000A\), which the Authorization header cannot carry: .*a file's last line break.*pulumi config set --secret aep:accessToken <value>$/],
    ["AEP_ACCESS_TOKEN", "token-canary-77\r\n", /^aep:accessToken .* ends with a carriage return \(U\+000D\), which the Authorization header cannot carry/],
    ["AEP_ACCESS_TOKEN", "token-can\r\nary-77", /^aep:accessToken .* holds a carriage return \(U\+000D\) at character 10 of 17, which the Authorization header cannot carry/],
    ["AEP_CLIENT_ID", "0123456789abcdef\u2010cafe", /^aep:clientId \(AEP_CLIENT_ID\) holds a typographic hyphen \(U\+2010; type - instead\) at character 17 of 21, which the x-api-key header cannot carry: .*pulumi config set aep:clientId <value>$/],
    ["AEP_ORG_ID", "\u00a01234567890ABCDEF@AdobeOrg", /^aep:orgId \(AEP_ORG_ID\) begins with a no-break space \(U\+00A0\), which the x-gw-ims-org-id header cannot carry/],
    ["AEP_CLIENT_SECRET", "p8e-secret-canary-77\n", /^aep:clientSecret \(AEP_CLIENT_SECRET\) ends with a line break \(U\+000A\), which no client secret holds: .*pulumi config set --secret aep:clientSecret <value>$/],
  ])("refuses %s holding a character no header can carry, naming the setting and the character, never the value", (name, value, message) => {
    const err = (() => {
      try {
        resolveSettings({ [name]: value });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toMatch(message);
    expect(err?.message).not.toContain(value.trim().slice(0, 12));
    expect(configurationProblems({ [name]: value })).toEqual([expect.stringMatching(message)]);
  });

  it("accepts credentials of printable characters, spaces inside included", () => {
    expect(resolveSettings({ AEP_ACCESS_TOKEN: 'tok "a\\ b+c/d=e', AEP_CLIENT_ID: "0123456789abcdef", AEP_ORG_ID: "ABC@AdobeOrg" })).toMatchObject({ accessToken: 'tok "a\\ b+c/d=e', clientId: "0123456789abcdef" });
  });

  it("paces only when a request rate is set, and refuses a rate that is not a positive number, naming the setting", () => {
    expect(resolveSettings({}).requestsPerSecond).toBeUndefined();
    expect(resolveSettings({ AEP_REQUESTS_PER_SECOND: "12.5" }).requestsPerSecond).toBe(12.5);
    setStackConfig((key) => ({ "aep:requestsPerSecond": "40" })[key]);
    expect(resolveSettings({ AEP_REQUESTS_PER_SECOND: "5" }).requestsPerSecond).toBe(40);
    setStackConfig(() => undefined);
    for (const bad of ["0", "-3", "fast", "Infinity"]) {
      expect(() => resolveSettings({ AEP_REQUESTS_PER_SECOND: bad })).toThrow(/aep:requestsPerSecond \(AEP_REQUESTS_PER_SECOND\) must be a positive number/);
    }
  });

  it("names each missing credential; an access token stands in for the client secret", () => {
    expect(missingCredentials(resolveSettings({}))).toEqual(["clientId", "orgId", "clientSecret (or accessToken)"]);
    expect(missingCredentials(resolveSettings({ AEP_CLIENT_ID: "c", AEP_ORG_ID: "o", AEP_ACCESS_TOKEN: "token-0123456789" }))).toEqual([]);
  });
});

describe("configuration problems, found before anything runs (pulumi preview)", () => {
  afterEach(() => setStackConfig(() => undefined));

  it("names an unknown aep: key with the closest setting", () => {
    setStackConfig((key) => ({ "aep:clientID": "x" })[key], ["aep:clientID", "aep:sandbox", "other:thing"]);
    expect(configurationProblems({})).toEqual([expect.stringMatching(/^aep:clientID is not a setting of pulumi-aep-flow; did you mean aep:clientId\? .*pulumi config rm aep:clientID$/)]);
  });

  it("names a likely misspelt AEP_ variable, and leaves other tools' AEP_ variables alone", () => {
    expect(configurationProblems({ AEP_CLIENTID: "x", AEP_UNRELATED_TOOL_SETTING: "y" })).toEqual(["environment variable AEP_CLIENTID is not read by pulumi-aep-flow; did you mean AEP_CLIENT_ID?"]);
  });

  it.each([
    [{ AEP_ENDPOINT: "127.0.0.1:19417" }, /aep:endpoint \(AEP_ENDPOINT\) must be a URL/],
    [{ AEP_IMS_ENDPOINT: "http://ims.example.com" }, /aep:imsEndpoint .* credentials would travel in clear/],
    [{ AEP_MAX_ATTEMPTS: "abc" }, /aep:maxAttempts .* must be a positive whole number, got "abc"/],
    [{ AEP_MAX_IN_FLIGHT: "0" }, /aep:maxInFlight .* got "0"/],
    [{ AEP_ORG_ID: "1234567890ABCDEF" }, /aep:orgId \(AEP_ORG_ID\) must be an IMS organization id such as .*@AdobeOrg, got "1234567890ABCDEF"/],
  ])("reports %j, naming the setting", (env, message) => {
    const problems = configurationProblems(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it("needs no credentials: an empty configuration has no problems", () => {
    expect(configurationProblems({})).toEqual([]);
  });

  it("reports a sandbox no header can carry from check, whether set on the resource or in aep:sandbox", async () => {
    const args = { __autoName: "x", host: "ftp.example.com", userName: "u", password: "ftp-pass-1" };
    expect((await check(ftpKind, {}, { ...args, sandbox: "dev\n" })).failures).toEqual([{ property: "sandbox", reason: expect.stringMatching(/must be a sandbox name/) }]);
    setStackConfig((key) => ({ "aep:sandbox": "dev\u2010one" })[key], ["aep:sandbox"]);
    expect((await check(ftpKind, {}, args)).failures).toEqual([{ property: "", reason: expect.stringMatching(/^the sandbox from aep:sandbox \(or AEP_SANDBOX\) must be a sandbox name/) }]);
  });

  it("reports them from check, for every resource, without a network call", async () => {
    setStackConfig((key) => ({ "aep:endpoint": "platform.example.com", "aep:sandbox": "Prod" })[key], ["aep:endpoint", "aep:sandbox"]);
    const { failures } = await check(ftpKind, {}, { __autoName: "x", host: "ftp.example.com", userName: "u", password: "ftp-pass-1" });
    const reasons = failures.map((f) => `${f.property}|${f.reason}`);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\|aep:endpoint \(AEP_ENDPOINT\) must be a URL/),
        expect.stringMatching(/^\|the sandbox from aep:sandbox \(or AEP_SANDBOX\) must be a sandbox name .* got "Prod"/),
      ]),
    );
  });
});
