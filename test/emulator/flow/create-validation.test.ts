import fc from "fast-check";
import { bodies, expectFlowError, Harness, SPEC } from "../../helpers/emulator";

describe("POST /connections validation", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  const post = (body: unknown) => h.api("POST", "/connections", { body });
  const postRaw = (raw: string) => h.api("POST", "/connections", { raw, headers: { "content-type": "application/json" } });
  const withParams = <T extends { auth: { params: object } }>(body: T, params: object, replace = false): T => ({
    ...body,
    auth: { ...body.auth, params: replace ? params : { ...body.auth.params, ...params } },
  });

  it("answers 1405-400 for an empty body, malformed JSON, or a body that is not an object", async () => {
    expect(expectFlowError(await postRaw(""), "1405-400")).toMatch(/empty/);
    expect(expectFlowError(await postRaw("{"), "1405-400")).toMatch(/not valid JSON/);
    expect(expectFlowError(await postRaw("[]"), "1405-400")).toMatch(/object/);
  });

  it("answers 1413-400 without connectionSpec.id or for an unknown one", async () => {
    const { connectionSpec: _c, ...noSpec } = bodies.ftp();
    expect(expectFlowError(await post(noSpec), "1413-400")).toMatch(/connectionSpec.id/);
    expectFlowError(await post({ ...bodies.ftp(), connectionSpec: { version: "1.0" } }), "1413-400");
    expect(expectFlowError(await post({ ...bodies.ftp(), connectionSpec: { id: "nope", version: "1.0" } }), "1413-400")).toMatch(/nope/);
    expectFlowError(await post({ ...bodies.ftp(), connectionSpec: { id: SPEC.ftp, version: "2.0" } }), "1413-400");
  });

  it("answers 422 without connectionSpec.version", async () => {
    expect(expectFlowError(await post({ ...bodies.ftp(), connectionSpec: { id: SPEC.ftp } }), "1100-422")).toMatch(/connectionSpec.version/);
  });

  it("answers 1415-400 when auth.specName is not an auth spec of that connection spec", async () => {
    const wrong = { ...bodies.sftpPassword(), auth: { ...bodies.sftpPassword().auth, specName: "Basic Authentication for FTP" } };
    expect(expectFlowError(await post(wrong), "1415-400")).toMatch(/Basic Authentication for FTP/);
    const { specName: _s, ...noName } = bodies.ftp().auth;
    expectFlowError(await post({ ...bodies.ftp(), auth: noName }), "1415-400");
  });

  it("answers 1100-400 naming auth when auth is missing", async () => {
    const { auth: _a, ...noAuth } = bodies.ftp();
    expect(expectFlowError(await post(noAuth), "1100-400")).toMatch(/auth/);
    expect(expectFlowError(await post({ ...bodies.ftp(), auth: { specName: "Basic Authentication for FTP" } }), "1100-400")).toMatch(/auth.params/);
  });

  it("refuses an auth block on a dataset base connection", async () => {
    expect(expectFlowError(await post({ ...bodies.datasetBase(), auth: bodies.ftp().auth }), "1100-400")).toMatch(/^auth: not allowed/);
  });

  it.each([
    ["missing required host", bodies.ftp(), { userName: "u", password: "p" }, true, /auth.params: missing required property 'host'/],
    ["host of the wrong type", bodies.ftp(), { host: 42 }, false, /auth.params.host: must be string/],
    ["an unknown param", bodies.ftp(), { colour: "blue" }, false, /must NOT have additional property 'colour'/],
    ["a port that is a string", bodies.sftpPassword(), { port: "22" }, false, /auth.params.port: must be integer/],
    ["a port out of range", bodies.sftpPassword(), { port: 70000 }, false, /auth.params.port: must be <= 65535/],
    ["a port of 0", bodies.sftpPassword(), { port: 0 }, false, /auth.params.port: must be >= 1/],
    ["maxConcurrentConnections of 0", bodies.sftpPassword(), { maxConcurrentConnections: 0 }, false, /auth.params.maxConcurrentConnections: must be >= 1/],
    ["disableChunking not a boolean", bodies.sftpPassword(), { disableChunking: "yes" }, false, /auth.params.disableChunking: must be boolean/],
    ["a private key that is not Base64", bodies.sftpKey(), { privateKeyContent: "-----BEGIN OPENSSH PRIVATE KEY-----" }, false, /auth.params.privateKeyContent: must match pattern/],
    ["a password on SSH key auth", bodies.sftpKey(), { password: "p" }, false, /additional property 'password'/],
    ["an uppercase bucket name", bodies.s3(), { bucketName: "MyBucket" }, false, /auth.params.bucketName: must match pattern/],
    ["a two-letter bucket name", bodies.s3(), { bucketName: "ab" }, false, /auth.params.bucketName: must NOT have fewer than 3 characters/],
    ["a bucket name starting with a hyphen", bodies.s3(), { bucketName: "-bucket" }, false, /auth.params.bucketName/],
    ["a bucket name that is an IP address", bodies.s3(), { bucketName: "192.168.1.10" }, false, /auth.params.bucketName/],
    ["a 64-character bucket name", bodies.s3(), { bucketName: "a".repeat(64) }, false, /auth.params.bucketName: must NOT have more than 63 characters/],
    ["a serviceUrl that is not an S3 endpoint", bodies.s3(), { serviceUrl: "http://s3.eu-west-1.amazonaws.com" }, false, /auth.params.serviceUrl: must match pattern/],
    ["a streaming dataType other than xdm or raw", bodies.streaming(), { dataType: "json" }, false, /auth.params.dataType: must be one of \["xdm","raw"\]/],
    ["a streaming connection without name", bodies.streaming(), { dataType: "xdm" }, true, /missing required property 'name'/],
    ["a client-sent inletId", bodies.streaming(), { inletId: "a".repeat(64) }, false, /auth.params.inletId: is set by the server/],
  ])("answers 1100-400 naming the property for %s", async (_what, body, params, replace, message) => {
    expect(expectFlowError(await post(withParams(body as never, params, replace)), "1100-400")).toMatch(message);
  });

  it("accepts every optional param with valid values", async () => {
    const s3 = withParams(bodies.s3(), { s3SessionToken: "t", serviceUrl: "https://s3.eu-west-1.amazonaws.com", bucketName: "my-bucket-01", folderPath: "/in" });
    expect((await post(s3)).status).toBe(201);
    expect((await post(withParams(bodies.sftpPassword(), { port: 22, maxConcurrentConnections: 4, folderPath: "/", disableChunking: false }))).status).toBe(201);
    expect((await post(bodies.sftpKey())).status).toBe(201);
  });

  it("answers 400 for a providerId that is not the spec's", async () => {
    expect(expectFlowError(await post({ ...bodies.streaming(), providerId: "00000000-0000-0000-0000-000000000000" }), "1100-400")).toMatch(/providerId/);
    expect(expectFlowError(await post({ ...bodies.ftp(), providerId: "521eee4d-8cbe-4906-bb48-fb6bd4450033" }), "1100-400")).toMatch(/providerId/);
    expect((await post({ ...bodies.datasetBase(), providerId: "0ed90a81-07f4-4586-8190-b40eccef1c5a" })).status).toBe(201);
  });

  it("answers 400 naming name when it is missing or empty", async () => {
    const { name: _n, ...noName } = bodies.ftp();
    expect(expectFlowError(await post(noName), "1100-400")).toMatch(/^name: missing required property/);
    expect(expectFlowError(await post({ ...bodies.ftp(), name: "  " }), "1100-400")).toMatch(/^name: must be a non-empty string/);
    expect(expectFlowError(await post({ ...bodies.ftp(), name: 7 }), "1100-400")).toMatch(/^name/);
  });

  it("refuses unknown top-level fields", async () => {
    expect(expectFlowError(await post({ ...bodies.ftp(), state: "disabled" }), "1100-400")).toMatch(/^state: not allowed/);
  });

  it("answers 201 or a 400 with a message for any params, never a server error", async () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
    const params = fc.dictionary(fc.constantFrom("host", "port", "userName", "password", "privateKeyContent", "folderPath", "extra"), value);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("Basic Authentication for sftp", "SSH PublicKey Authentication for sftp"), params, async (specName, p) => {
        const res = await post({ name: "fuzz", auth: { specName, params: p }, connectionSpec: { id: SPEC.sftp, version: "1.0" } });
        expect([201, 400]).toContain(res.status);
        if (res.status === 400) expect(res.body.errorMessage).toMatch(/^auth\.params/);
      }),
      { numRuns: 60, seed: 42 },
    );
  });
});
