import { makeOpenSshKeyPair } from "../../helpers/keys";
import { bodies, expectFlowError, Harness, SPEC } from "../../helpers/emulator";

/**
 * `GET /connections/{id}/test` and `/explore` over HTTP, answered from simulated remotes registered
 * through the admin API (HTTP) and the in-process control API.
 */
let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.stop());
beforeEach(() => h.reset());

const ftpRemote = {
  kind: "ftp",
  host: "ftp.example.com",
  credentials: [{ userName: "alice", password: "ftp-secret" }],
  files: [
    { path: "/in/orders.csv", columns: [{ name: "id", type: "string" }, { name: "total", type: "double" }, { name: "at", type: "date-time" }], rows: [{ id: "1", total: 9.5, at: "2026-12-01T00:00:00Z" }] },
    { path: "/in/raw.bin" },
    { path: "/readme.txt", columns: [{ name: "line", type: "string" }] },
  ],
  folders: ["/empty"],
};

const test_ = (id: string) => h.api("GET", `/connections/${id}/test`);
const explore = (id: string, query: string) => h.api("GET", `/connections/${id}/explore?${query}`);

describe("GET /connections/{id}/test", () => {
  it("answers {result: true} when the remote accepts the connection's credentials, {result: false} otherwise", async () => {
    expect((await h.admin("POST", "/remotes", ftpRemote)).status).toBe(201);
    const good = await h.create(bodies.ftp());
    const res = await test_(good.id);
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { result: true } });

    const wrong = bodies.ftp();
    wrong.auth.params.password = "not-the-password";
    expect((await test_((await h.create(wrong)).id)).body).toEqual({ result: false });
    const otherUser = bodies.ftp();
    otherUser.auth.params.userName = "mallory";
    expect((await test_((await h.create(otherUser)).id)).body).toEqual({ result: false });
    const unknownHost = bodies.ftp();
    unknownHost.auth.params.host = "ftp.nowhere.example";
    expect((await test_((await h.create(unknownHost)).id)).body).toEqual({ result: false });
  });

  it("follows the remote: failing before it is registered, passing after, failing again once it is removed", async () => {
    const c = await h.create(bodies.ftp());
    expect((await test_(c.id)).body).toEqual({ result: false });
    const { id } = h.control.addRemote(ftpRemote as never);
    expect((await test_(c.id)).body).toEqual({ result: true });
    h.control.removeRemote(id);
    expect((await test_(c.id)).body).toEqual({ result: false });
  });

  it("SFTP: the host and port, a password or an authorized public key, and the folder must all match", async () => {
    const { privateKey, publicKey } = makeOpenSshKeyPair("ed25519");
    h.control.addRemote({ kind: "sftp", host: "sftp.example.com", port: 2222, credentials: [{ userName: "bob", publicKey }, { userName: "carol", password: "sftp-secret" }], folders: ["/in"] });
    const key = Buffer.from(privateKey).toString("base64");
    const withKey = (params: Record<string, unknown>) => ({
      name: "sftp",
      auth: { specName: "SSH PublicKey Authentication for sftp", params: { host: "sftp.example.com", port: 2222, userName: "bob", privateKeyContent: key, ...params } },
      connectionSpec: { id: SPEC.sftp, version: "1.0" },
    });
    const withPassword = (params: Record<string, unknown>) => ({
      name: "sftp",
      auth: { specName: "Basic Authentication for sftp", params: { host: "sftp.example.com", port: 2222, userName: "carol", password: "sftp-secret", ...params } },
      connectionSpec: { id: SPEC.sftp, version: "1.0" },
    });
    const result = async (body: unknown) => (await test_((await h.create(body)).id)).body.result;
    expect(await result(withKey({}))).toBe(true);
    expect(await result(withKey({ folderPath: "/in" }))).toBe(true);
    expect(await result(withKey({ folderPath: "/out" }))).toBe(false);
    expect(await result(withKey({ userName: "carol" }))).toBe(false);
    expect(await result(withKey({ port: 22 }))).toBe(false);
    expect(await result(withPassword({}))).toBe(true);
    expect(await result(withPassword({ password: "sftp-wrong" }))).toBe(false);
  });

  it("S3: the bucket must accept the access key, secret key and (when it requires one) session token", async () => {
    h.control.addRemote({ kind: "s3", bucket: "acme-landing", credentials: [{ accessKey: "AKIAEXAMPLE", secretKey: "s3-secret-key", sessionToken: "s3-session-token" }], files: [{ path: "exports/a.json" }] });
    const s3 = (params: Record<string, unknown>) => ({
      name: "s3",
      auth: { specName: "Access Key", params: { s3AccessKey: "AKIAEXAMPLE", s3SecretKey: "s3-secret-key", s3SessionToken: "s3-session-token", bucketName: "acme-landing", ...params } },
      connectionSpec: { id: SPEC.s3, version: "1.0" },
    });
    const result = async (body: unknown) => (await test_((await h.create(body)).id)).body.result;
    expect(await result(s3({}))).toBe(true);
    expect(await result(s3({ folderPath: "exports" }))).toBe(true);
    expect(await result(s3({ bucketName: "acme-other" }))).toBe(false);
    expect(await result(s3({ s3SecretKey: "s3-wrong-key" }))).toBe(false);
    const noToken = s3({});
    delete (noToken.auth.params as Record<string, unknown>).s3SessionToken;
    expect(await result(noToken)).toBe(false);
    const noBucket = s3({});
    delete (noBucket.auth.params as Record<string, unknown>).bucketName;
    expect(await result(noBucket)).toBe(true);
  });

  it("is a Flow Service route: an unknown connection is 1101-404, the gateway checks apply, and it is logged under its key", async () => {
    expectFlowError(await test_("4f1a2c77-0000-4000-8000-000000000000"), "1101-404");
    const c = await h.create(bodies.ftp());
    expect((await h.api("GET", `/connections/${c.id}/test`, { headers: { authorization: undefined } })).status).toBe(403);
    expectFlowError(await h.api("GET", `/connections/${c.id}/test`, { sandbox: "dev" }), "1101-404");
    const log = (await h.admin("GET", "/requests")).body;
    expect(log.counts["GET /connections/{id}/test"]).toBe(3);
    // A stream or dataset base has no remote to test.
    expectFlowError(await test_((await h.create(bodies.datasetBase())).id), "1100-400");
  });
});

describe("GET /connections/{id}/explore", () => {
  let id: string;
  beforeEach(async () => {
    h.control.addRemote(ftpRemote as never);
    id = (await h.create(bodies.ftp())).id;
  });

  it("lists the root and a folder in the documented shape, folders first", async () => {
    const root = await explore(id, "objectType=root");
    expect(root.status).toBe(200);
    expect(root.body).toEqual([
      { type: "folder", name: "empty", path: "/empty/", canPreview: false, canFetchSchema: false },
      { type: "folder", name: "in", path: "/in/", canPreview: false, canFetchSchema: false },
      { type: "file", name: "readme.txt", path: "/readme.txt", canPreview: true, canFetchSchema: true },
    ]);
    const folder = await explore(id, "objectType=folder&object=/in");
    expect(folder.body).toEqual([
      { type: "file", name: "orders.csv", path: "/in/orders.csv", canPreview: true, canFetchSchema: true },
      { type: "file", name: "raw.bin", path: "/in/raw.bin", canPreview: false, canFetchSchema: false },
    ]);
    expect((await explore(id, "objectType=FOLDER&object=%2Fin%2F")).body).toEqual(folder.body);
    expect((await explore(id, "objectType=folder&object=/empty/")).body).toEqual([]);
  });

  it("shows a file's columns, and with preview=true its rows, as the preview tutorial does", async () => {
    const structure = await explore(id, "objectType=file&object=/in/orders.csv&fileType=delimited");
    const columns = [
      { name: "id", type: "string", xdm: { type: "string" } },
      { name: "total", type: "double", xdm: { type: "number" } },
      { name: "at", type: "string", "meta:xdmType": "date-time", xdm: { type: "string", format: "date-time" } },
    ];
    expect(structure.body).toEqual({ format: "flat", schema: { columns } });
    const preview = await explore(id, "objectType=file&object=/in/orders.csv&fileType=DELIMITED&preview=true");
    expect(preview.body).toEqual({ format: "flat", schema: { columns }, data: [{ id: "1", total: 9.5, at: "2026-12-01T00:00:00Z" }] });
  });

  it("refuses bad query parameters (1400-400) and what the remote does not hold (1100-400)", async () => {
    expect(expectFlowError(await explore(id, "objectType=folders"), "1400-400")).toMatch(/objectType/);
    expect(expectFlowError(await explore(id, "objectType=table&object=x"), "1400-400")).toMatch(/objectType/);
    expect(expectFlowError(await explore(id, "objectType=folder"), "1400-400")).toMatch(/object:/);
    expect(expectFlowError(await explore(id, "objectType=root&preview=yes"), "1400-400")).toMatch(/preview/);
    expect(expectFlowError(await explore(id, "objectType=file&object=/in/orders.csv"), "1400-400")).toMatch(/fileType/);
    expect(expectFlowError(await explore(id, "objectType=folder&object=/out"), "1100-400")).toMatch(/folder \/out does not exist/);
    expect(expectFlowError(await explore(id, "objectType=file&object=/in/none.csv&fileType=json"), "1100-400")).toMatch(/does not exist/);
    expect(expectFlowError(await explore(id, "objectType=file&object=/in/raw.bin&fileType=json"), "1100-400")).toMatch(/cannot be previewed/);
  });

  it("fails with the flow provider's error, naming the host and never the password, when the remote refuses", async () => {
    const wrong = bodies.ftp();
    wrong.auth.params.password = "wrong-password-1";
    const res = await explore((await h.create(wrong)).id, "objectType=root");
    const message = expectFlowError(res, "1100-400");
    expect(message).toMatch(/Error from flow provider: ftp\.example\.com refused the credentials \(user alice\)/);
    expect(res.text).not.toContain("wrong-password-1");
    expect(res.text).not.toContain("ftp-secret");
  });

  it("S3 paths start with the bucket; without bucketName the root lists the buckets that accept the keys", async () => {
    h.control.addRemote({ kind: "s3", bucket: "acme-landing", credentials: [{ accessKey: "AKIAEXAMPLE", secretKey: "s3-secret-key" }], files: [{ path: "exports/a.json", columns: [{ name: "n", type: "integer" }] }] });
    h.control.addRemote({ kind: "s3", bucket: "acme-other", credentials: [{ accessKey: "AKIAOTHER", secretKey: "s3-other-key" }] });
    const body = { name: "s3", auth: { specName: "Access Key", params: { s3AccessKey: "AKIAEXAMPLE", s3SecretKey: "s3-secret-key" } }, connectionSpec: { id: SPEC.s3, version: "1.0" } };
    const s3 = (await h.create(body)).id;
    expect((await explore(s3, "objectType=root")).body).toEqual([{ type: "folder", name: "acme-landing", path: "acme-landing/", canPreview: false, canFetchSchema: false }]);
    expect((await explore(s3, "objectType=folder&object=acme-landing/exports")).body).toEqual([
      { type: "file", name: "a.json", path: "acme-landing/exports/a.json", canPreview: true, canFetchSchema: true },
    ]);
    expect((await explore(s3, "objectType=file&object=acme-landing/exports/a.json&fileType=json")).body).toEqual({ format: "flat", schema: { columns: [{ name: "n", type: "integer", xdm: { type: "integer" } }] } });
  });
});

describe("simulated remotes through the admin API", () => {
  it("lists them with their credentials in clear (as connections are), deletes one or all, and reset clears them", async () => {
    const { body } = await h.admin("POST", "/remotes", ftpRemote);
    expect(body).toEqual({ id: expect.any(String) });
    const listed = (await h.admin("GET", "/remotes")).body.items;
    expect(listed).toEqual([expect.objectContaining({ id: body.id, kind: "ftp", host: "ftp.example.com", credentials: [{ userName: "alice", password: "ftp-secret" }] })]);
    expect((await h.admin("DELETE", `/remotes/${body.id}`)).status).toBe(204);
    expect((await h.admin("DELETE", `/remotes/${body.id}`)).status).toBe(404);
    await h.admin("POST", "/remotes", ftpRemote);
    expect((await h.admin("DELETE", "/remotes")).status).toBe(204);
    expect((await h.admin("GET", "/remotes")).body.items).toEqual([]);
    await h.admin("POST", "/remotes", ftpRemote);
    await h.reset();
    expect(h.control.remotes()).toEqual([]);
  });

  it.each([
    [{ ...ftpRemote, kind: "smb" }, /kind must be/],
    [{ ...ftpRemote, host: undefined }, /host: a host name/],
    [{ ...ftpRemote, credentials: [] }, /credentials: a non-empty array/],
    [{ ...ftpRemote, credentials: [{ userName: "a" }] }, /password is required/],
    [{ ...ftpRemote, credentials: [{ userName: "a", password: "p", accessKey: "k" }] }, /unknown field 'accessKey'/],
    [{ ...ftpRemote, port: 2222 }, /port: .*sftp remotes only/],
    [{ kind: "sftp", host: "h.example.com", credentials: [{ userName: "a", publicKey: "not a key" }] }, /publicKey must be an OpenSSH public key/],
    [{ kind: "s3", credentials: [{ accessKey: "a", secretKey: "b" }] }, /bucket: an S3 bucket name/],
    [{ ...ftpRemote, files: [{ path: "/a.csv", columns: [{ name: "x", type: "varchar" }] }] }, /columns\[0\] must be \{name, type\}/],
    [{ ...ftpRemote, files: [{ path: "/a.csv", rows: [{}] }] }, /rows need columns/],
    [{ ...ftpRemote, extra: 1 }, /unknown field 'extra'/],
  ])("refuses bad remote %#, with a message naming the field", async (remote, message) => {
    const res = await h.admin("POST", "/remotes", remote);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
  });

  it("refuses a second remote at the same address", async () => {
    await h.admin("POST", "/remotes", ftpRemote);
    const res = await h.admin("POST", "/remotes", { ...ftpRemote, host: "FTP.example.com" });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/already registered/);
  });

  it("shows the remote routes and their fields in the admin index", async () => {
    const index = (await h.admin("GET", "")).body;
    expect(index.routes.map((r: { method: string; path: string }) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(["POST /__admin/remotes", "GET /__admin/remotes", "DELETE /__admin/remotes", "DELETE /__admin/remotes/{id}"]));
    expect(index.faultRoutes).toEqual(expect.arrayContaining(["/connections/{id}/test", "/connections/{id}/explore"]));
  });
});
