import { missingCredentials } from "../../provider/clients";
import { DEFAULTS, configurationProblems, resolveSettings, setStackConfig } from "../../provider/settings";
import { check } from "../../provider/steps/check";
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
