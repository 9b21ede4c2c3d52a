import { CONNECTION_SPECS, connectionSpecById } from "../../../provider/catalog/index";
import { connectionKind } from "../../../provider/resources/connection";
import { KINDS } from "../../../provider/resources/registry";
import { type Props, ProviderUnderTest } from "../../helpers/engine";

/**
 * The generic Connection's check: against the catalog entry, with no request (the serialized provider
 * is given no endpoint at all). Every failure names the property path and the fix, and never a secret's value.
 */
const SFTP = { __autoName: "generic", connectionSpecName: "SFTP", authSpecName: "Basic Authentication for sftp" };
const SECRET = "sftp-canary-Zq81x";

async function failures(news: Props, olds: Props = {}) {
  const p = await ProviderUnderTest.load("connection");
  return (await p.check(olds, news)).failures;
}
const reasons = async (news: Props) => (await failures(news)).map((f) => `${f.property}|${f.reason}`);

it("accepts a connection the catalog's auth spec allows, and derives connectionSpecId from the name", async () => {
  const p = await ProviderUnderTest.load("connection");
  const r = await p.check({}, { ...SFTP, params: { host: "sftp.example.com", port: 2222, userName: "ingest" }, secretParams: { password: SECRET } });
  expect(r.failures).toEqual([]);
  expect(r.inputs.connectionSpecId).toBe("b7bf2577-4520-42c9-bae9-cad01560f7bc");
});

it.each([
  ["a required param missing", { params: { host: "sftp.example.com" }, secretParams: { password: SECRET } }, "|params.userName is required by auth spec \"Basic Authentication for sftp\" of SFTP; set it in params"],
  ["a required secret missing", { params: { host: "h.example.com", userName: "u" } }, "|secretParams.password is required by auth spec \"Basic Authentication for sftp\" of SFTP; set it in secretParams"],
  ["an unknown param, with the closest known", { params: { host: "h.example.com", userName: "u", hostname: "x" }, secretParams: { password: SECRET } }, "|params.hostname is not a param of auth spec \"Basic Authentication for sftp\" of SFTP; did you mean \"host\" or"],
  ["a param of the wrong type", { params: { host: "h.example.com", userName: "u", port: "22" }, secretParams: { password: SECRET } }, '|params.port must be an integer, got "22"'],
  ["a number out of bounds", { params: { host: "h.example.com", userName: "u", port: 70000 }, secretParams: { password: SECRET } }, "|params.port must be at most 65535, got number 70000"],
  ["a secret given in params", { params: { host: "h.example.com", userName: "u", password: SECRET } }, "|params.password is a secret of auth spec \"Basic Authentication for sftp\" of SFTP: move it to secretParams"],
])("refuses %s, naming the param path and the fix", async (_t, args, reason) => {
  const got = await reasons({ ...SFTP, ...args });
  expect(got.some((r) => r.startsWith(reason))).toBe(true);
  expect(JSON.stringify(got)).not.toContain(SECRET);
});

it("refuses a value outside the spec's enum and pattern", async () => {
  expect(await reasons({ connectionSpecName: "HTTP API", authSpecName: "Streaming Connection", params: { name: "n", dataType: "csv" } })).toEqual(['|params.dataType must be one of "xdm", "raw", got "csv"']);
  const s3 = { connectionSpecName: "Amazon S3", authSpecName: "Access Key", secretParams: { s3SecretKey: "s3-secret-canary" } };
  expect(await reasons({ ...s3, params: { s3AccessKey: "AKIA", serviceUrl: "http://s3.example.com" } })).toEqual([
    '|params.serviceUrl must match the spec\'s pattern ^https://s3\\.[a-z0-9-]+\\.amazonaws\\.com/?$, got "http://s3.example.com"',
  ]);
});

it("never shows a secret's value, even when it breaks a rule (a secret too short, a pattern not matched)", async () => {
  const got = await reasons({ connectionSpecName: "SFTP", authSpecName: "SSH PublicKey Authentication for sftp", params: { host: "h.example.com", userName: "u" }, secretParams: { privateKeyContent: "not base64 at all!" } });
  expect(got).toEqual(["|secretParams.privateKeyContent must match the spec's pattern ^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"]);
  const short = await reasons({ ...SFTP, params: { host: "h.example.com", userName: "u" }, secretParams: { password: "pw" } });
  expect(short).toEqual(["|secretParams.password must be at least 8 characters: a shorter secret could not be kept out of logs and error messages reliably"]);
});

it("refuses an unknown auth spec name and a near-miss spec name, listing the closest names", async () => {
  expect(await reasons({ ...SFTP, authSpecName: "Basic Authentication for SFTP", params: {} })).toEqual([
    'authSpecName|"Basic Authentication for SFTP" is not an auth spec of SFTP; did you mean "Basic Authentication for sftp" or "SSH PublicKey Authentication for sftp"? (names are exact)',
  ]);
  const got = await reasons({ ...SFTP, connectionSpecName: "Amazon S4" });
  expect(got).toHaveLength(1);
  expect(got[0]).toMatch(/^connectionSpecName\|"Amazon S4" is not a connection spec name; did you mean "Amazon S3"/);
});

it("accepts a spec the catalog does not ship (by id, or by a name far from every known one): the live spec decides at up", async () => {
  const params = { anything: "goes" };
  expect(await failures({ __autoName: "x", connectionSpecId: "5a1c7e0f-3b2d-4e6a-9c8b-7d6e5f4a3b2c", authSpecName: "Account Key Authentication", params })).toEqual([]);
  expect(await failures({ __autoName: "x", connectionSpecName: "google-cloud-storage-xyz", authSpecName: "Basic", params })).toEqual([]);
});

it("takes exactly one of connectionSpecId and connectionSpecName", async () => {
  expect(await reasons({ authSpecName: "a", params: {} })).toEqual([expect.stringMatching(/^connectionSpecName\|or connectionSpecId is required/)]);
  expect(await reasons({ ...SFTP, connectionSpecId: "b7bf2577-4520-42c9-bae9-cad01560f7bc", params: { host: "h.example.com", userName: "u" }, secretParams: { password: SECRET } })).toEqual([
    "connectionSpecName|and connectionSpecId name the connection spec twice; keep one",
  ]);
});

it("accepts a param that is no secret in secretParams (kept secret, never read back) and leaves a member unknown at preview to up", async () => {
  expect(await failures({ ...SFTP, params: { host: "h.example.com" }, secretParams: { password: SECRET, userName: "ingest-user" } })).toEqual([]);
  const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
  expect(await failures({ ...SFTP, params: { host: unknown, userName: "u" }, secretParams: { password: unknown } })).toEqual([]);
});

describe("diff", () => {
  const base = { ...SFTP, params: { host: "h.example.com", userName: "u" }, secretParams: { password: SECRET } };
  async function diffOf(next: Props) {
    const p = await ProviderUnderTest.load("connection");
    const olds = await p.checked({}, base);
    const news = await p.checked(olds, { ...next, name: olds.name });
    return p.diff("id", { ...olds, connectionSpecId: olds.connectionSpecId }, news);
  }
  it("updates params and secretParams in place, removing a secret in place too", async () => {
    expect(await diffOf({ ...base, params: { host: "h2.example.com", userName: "u" } })).toMatchObject({ changes: true, replaces: [] });
    expect(await diffOf({ ...base, secretParams: { password: "rotated-secret-1" } })).toMatchObject({ changes: true, replaces: [] });
  });
  it("replaces on a change of spec or auth spec", async () => {
    const key = { authSpecName: "SSH PublicKey Authentication for sftp", secretParams: { privateKeyContent: Buffer.from("an OpenSSH key").toString("base64") } };
    expect((await diffOf({ ...base, ...key })).replaces).toEqual(["authSpecName"]);
    const ftp = await diffOf({ ...base, connectionSpecName: "FTP", authSpecName: "Basic Authentication for FTP" });
    expect([...(ftp.replaces ?? [])].sort()).toEqual(["authSpecName", "connectionSpecId", "connectionSpecName"]);
  });
  it("sees no change when a spec the catalog does not know is named the same way (its id was told at create)", async () => {
    const p = await ProviderUnderTest.load("connection");
    const far = { __autoName: "x", connectionSpecName: "google-cloud-storage-xyz", authSpecName: "Basic", params: { a: "b" } };
    const olds = await p.checked({}, far);
    const d = await p.diff("id", { ...olds, connectionSpecId: "0a2b4c6d-0000-4000-8000-000000000001" }, await p.checked(olds, far));
    expect(d.changes).toBe(false);
  });
});

/** The five typed kinds are faces of the same catalog: their declarations agree with its entries. */
describe.each(KINDS.filter((k) => k !== connectionKind).map((k) => ({ typeName: k.typeName, kind: k })))("the typed kind $typeName", ({ kind }) => {
  const entry = connectionSpecById(kind.connectionSpecId);
  it("has a catalog entry of its connection spec", () => {
    expect(entry).toBeDefined();
    expect(CONNECTION_SPECS).toContain(entry);
  });
  it("sends only auth spec names and wire params the entry lists, each secret exactly when the entry says", () => {
    if (!entry) throw new Error("no entry");
    if (!kind.authSpecName) {
      expect(entry.authSpecs).toEqual([]);
      return;
    }
    const sent = kind.params.filter((p) => !p.local);
    const wire = new Set([...sent.map((p) => p.wire), ...Object.keys(kind.extraWireParams?.({ name: "n" }) ?? {})]);
    // Each auth spec the kind can send: every declared param is one of its params, secret as it says.
    for (const auth of entry.authSpecs) {
      const byName = new Map(auth.params.map((p) => [p.name, p]));
      const usedHere = sent.filter((p) => byName.has(p.wire));
      for (const p of usedHere) expect({ param: p.wire, secret: !!p.secret }).toEqual({ param: p.wire, secret: byName.get(p.wire)?.secret });
      for (const p of auth.params) if (p.required) expect({ auth: auth.name, param: p.name, sent: wire.has(p.name) || Object.values(kind.serverOutputs ?? {}).includes(p.name) }).toMatchObject({ sent: true });
    }
    const all = new Set(entry.authSpecs.flatMap((a) => a.params.map((p) => p.name)));
    for (const w of wire) expect({ wire: w, inCatalog: all.has(w) }).toEqual({ wire: w, inCatalog: true });
    // A required param of the kind is a required param of the catalog (required the same way).
    for (const p of sent.filter((x) => x.required)) expect(entry.authSpecs.every((a) => a.params.find((c) => c.name === p.wire)?.required)).toBe(true);
  });
  it("names an auth spec the entry lists, for the inputs of each way it authenticates", () => {
    if (!entry || !kind.authSpecName) return;
    const names = entry.authSpecs.map((a) => a.name);
    expect(names).toContain(kind.authSpecName({}));
    if (kind.kind === "sftp") expect(names).toContain(kind.authSpecName({ privateKeyContent: "k" }));
  });
});
