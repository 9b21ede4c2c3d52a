import { checkInputs } from "../../../provider/engine/inputs";
import type { EntityKind, Inputs } from "../../../provider/resources/declaration";
import { KINDS, kindByName } from "../../../provider/resources/registry";
import { UNKNOWN } from "../../../provider/validators";
import { VALID, encryptedKey } from "../fixtures/valid-inputs";

function failuresOf(kind: EntityKind, news: Inputs, olds: Inputs = {}) {
  return checkInputs(kind, olds, { __autoName: "res", ...news }).failures;
}

describe("check accepts valid inputs", () => {
  it.each(KINDS.map((k) => [k.typeName, k] as const))("%s", (_name, kind) => {
    expect(failuresOf(kind, VALID[kind.kind])).toEqual([]);
  });

  it("accepts unknown values (preview) of any type without validating them", () => {
    expect(failuresOf(kindByName("sftp"), { host: UNKNOWN, port: UNKNOWN, userName: UNKNOWN, password: UNKNOWN })).toEqual([]);
  });
});

const cases: Array<[string, Inputs, string, RegExp]> = [
  ["ftp", { host: undefined }, "host", /is required/],
  ["ftp", { host: "ftp://ftp.example.com" }, "host", /without a scheme/],
  ["ftp", { host: "ftp.example.com:21" }, "host", /port/],
  ["ftp", { host: "ftp.example.com/dir" }, "host", /path/],
  ["ftp", { host: "bad_host!.com" }, "host", /valid host name/],
  ["ftp", { host: "999.1.1.1" }, "host", /IPv4/],
  ["ftp", { userName: "" }, "userName", /empty/],
  ["ftp", { password: 42 }, "password", /must be a string/],
  ["ftp", { hostname: "x" }, "hostname", /not a property of FtpConnection/],
  ["ftp", { name: "" }, "name", /empty/],
  ["ftp", { name: "x".repeat(300) }, "name", /at most 256/],
  ["ftp", { sandbox: "Prod Sandbox" }, "sandbox", /sandbox name/],
  ["ftp", { existingConnectionId: "not an id!" }, "existingConnectionId", /must be the id of an existing/],
  ["ftp", { host: "ftp.example.com:2121" }, "host", /must not include a port \(Flow Service's FTP connection takes no port: its auth params are host, userName and password\), e\.g\. ftp\.example\.com/],
  ["sftp", { host: "sftp.example.com:2222" }, "host", /must not include a port \(set port instead\)/],
  ["ftp", { password: "short" }, "password", /^must be at least 8 characters: a shorter secret could not be kept out of logs/],
  ["sftp", { port: 0 }, "port", /between 1 and 65535/],
  ["sftp", { port: 22.5 }, "port", /integer/],
  ["sftp", { port: "22" }, "port", /integer/],
  ["sftp", { privateKeyContent: "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----" }, "privateKeyContent", /OpenSSH format/],
  ["sftp", { privateKeyContent: undefined }, "password", /needs password or privateKeyContent/],
  ["sftp", { password: "sftp-pass-1" }, "privateKeyContent", /cannot be set together with password/],
  ["sftp", { privateKeyContent: encryptedKey }, "passPhrase", /encrypted/],
  ["sftp", { maxConcurrentConnections: 0 }, "maxConcurrentConnections", /at least 1/],
  ["sftp", { disableChunking: "yes" }, "disableChunking", /true or false/],
  ["s3", { bucketName: "My_Bucket" }, "bucketName", /lowercase/],
  ["s3", { bucketName: "ab" }, "bucketName", /3 to 63/],
  ["s3", { bucketName: "-bucket" }, "bucketName", /start and end/],
  ["s3", { bucketName: "192.168.1.1" }, "bucketName", /IP address/],
  ["s3", { serviceUrl: "http://s3.us-east-1.amazonaws.com" }, "serviceUrl", /regional endpoint/],
  ["s3", { serviceUrl: "https://example.com" }, "serviceUrl", /regional endpoint/],
  ["s3", { secretKey: undefined }, "secretKey", /is required/],
  ["streaming", { dataType: "json" }, "dataType", /"xdm", "raw"/],
  ["streaming", { dataType: undefined }, "dataType", /is required/],
  ["streaming", { authenticationRequired: "true" }, "authenticationRequired", /true or false/],
  ["datasetBase", { host: "x" }, "host", /not a property/],
];

/** The property a failure names: its own, or for a secret given a value, the reason's first word. */
function named(f: { property: string; reason: string }): { property: string; reason: string } {
  return f.property ? f : { property: f.reason.split(" ")[0], reason: f.reason.slice(f.reason.indexOf(" ") + 1) };
}

describe("check rejects bad inputs, naming the property", () => {
  it.each(cases)("%s %j → %s", (kindName, change, property, reason) => {
    const failures = failuresOf(kindByName(kindName), { ...VALID[kindName], ...change }).map(named);
    expect(failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
  });

  it("never puts a secret value in a reason, and names a secret in the reason only (the engine prints a named property's value)", () => {
    const secret = "x".repeat(5000);
    const failures = failuresOf(kindByName("ftp"), { ...VALID.ftp, password: secret });
    expect(failures).toEqual([{ property: "", reason: expect.stringMatching(/^password must be at most/) }]);
    expect(JSON.stringify(failures)).not.toContain(secret);
    const numeric = failuresOf(kindByName("ftp"), { ...VALID.ftp, password: 86753091 });
    expect(numeric).toEqual([{ property: "", reason: expect.stringMatching(/^password must be a string/) }]);
    expect(JSON.stringify(numeric)).not.toContain("86753091");
  });
});

describe("check names connections", () => {
  const ftp = kindByName("ftp");
  it("generates <resource name>-<7 chars> when name is absent", () => {
    const { inputs } = checkInputs(ftp, {}, { __autoName: "orders-ftp", ...VALID.ftp });
    expect(inputs.name).toMatch(/^orders-ftp-[a-z0-9]{7}$/);
  });

  it("keeps the generated name on later runs", () => {
    const first = checkInputs(ftp, {}, { __autoName: "orders-ftp", ...VALID.ftp }).inputs;
    const second = checkInputs(ftp, first, { __autoName: "orders-ftp", ...VALID.ftp }).inputs;
    expect(second.name).toBe(first.name);
  });

  it("keeps the generated name after a refresh saw the connection renamed outside Pulumi", () => {
    const first = checkInputs(ftp, {}, { __autoName: "orders-ftp", ...VALID.ftp }).inputs;
    const refreshed = { ...first, name: "renamed elsewhere" };
    expect(checkInputs(ftp, refreshed, { __autoName: "orders-ftp", ...VALID.ftp }).inputs.name).toBe(first.name);
  });

  it("uses the declared name, and generates a new one when the declared name is removed", () => {
    const named = checkInputs(ftp, {}, { __autoName: "orders-ftp", ...VALID.ftp, name: "Orders FTP" }).inputs;
    expect(named.name).toBe("Orders FTP");
    expect(checkInputs(ftp, named, { __autoName: "orders-ftp", ...VALID.ftp }).inputs.name).toMatch(/^orders-ftp-/);
  });

  const URN = "urn:pulumi:dev::shop::aep:FtpConnection::orders-ftp";
  it("derives the suffix from the resource's URN, so a repeated create of the same resource gets the same name", () => {
    const a = checkInputs(ftp, {}, { __autoName: "orders-ftp", __nameSeed: URN, ...VALID.ftp }).inputs;
    const b = checkInputs(ftp, {}, { __autoName: "orders-ftp", __nameSeed: URN, ...VALID.ftp, password: "another" }).inputs;
    const other = checkInputs(ftp, {}, { __autoName: "orders-ftp", __nameSeed: URN.replace("dev::", "prod::"), ...VALID.ftp }).inputs;
    expect(a.name).toMatch(/^orders-ftp-[a-z0-9]{7}$/);
    expect(b.name).toBe(a.name);
    expect(other.name).not.toBe(a.name);
  });

  it("gives a replacement a name of its own, also when Pulumi checks it afresh without the old inputs, and an in-place change none", () => {
    const first = checkInputs(ftp, {}, { __autoName: "orders-ftp", __nameSeed: URN, ...VALID.ftp }).inputs;
    const inPlace = checkInputs(ftp, first, { __autoName: "orders-ftp", __nameSeed: URN, ...VALID.ftp, host: "other.example.com" }).inputs;
    expect(inPlace.name).toBe(first.name);
    const replaced = checkInputs(ftp, first, { __autoName: "orders-ftp", __nameSeed: URN, ...VALID.ftp, sandbox: "dev" }).inputs;
    const again = checkInputs(ftp, first, { __autoName: "orders-ftp", __nameSeed: URN, ...VALID.ftp, sandbox: "dev" }).inputs;
    expect(replaced.name).toMatch(/^orders-ftp-[a-z0-9]{7}$/);
    expect(replaced.name).not.toBe(first.name);
    expect(again.name).toBe(replaced.name);
    expect(replaced.__generatedName).toBe(replaced.name);
    // The engine re-checks a replacement with no olds.
    expect(checkInputs(ftp, {}, { __autoName: "orders-ftp", __nameSeed: URN, ...VALID.ftp, sandbox: "dev" }).inputs.name).toBe(replaced.name);
  });

  it("fills the sandbox from AEP_SANDBOX when absent", () => {
    const before = process.env.AEP_SANDBOX;
    process.env.AEP_SANDBOX = "dev";
    try {
      expect(checkInputs(ftp, {}, { ...VALID.ftp }).inputs.sandbox).toBe("dev");
      expect(checkInputs(ftp, {}, { ...VALID.ftp, sandbox: "prod" }).inputs.sandbox).toBe("prod");
    } finally {
      if (before === undefined) delete process.env.AEP_SANDBOX;
      else process.env.AEP_SANDBOX = before;
    }
  });
});
