import { DEFAULTS, missingCredentials, resolveSettings, setStackConfig } from "../../provider/config";

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

  it("ignores empty values and malformed numbers", () => {
    expect(resolveSettings({ AEP_ENDPOINT: "", AEP_MAX_IN_FLIGHT: "zero", AEP_MAX_ATTEMPTS: "-1" })).toMatchObject({ endpoint: DEFAULTS.endpoint, maxInFlight: 16, maxAttempts: 8 });
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
    expect(missingCredentials(resolveSettings({ AEP_CLIENT_ID: "c", AEP_ORG_ID: "o", AEP_ACCESS_TOKEN: "t" }))).toEqual([]);
  });
});
