import { bodies, expectFlowError, Harness } from "../../helpers/emulator";

describe("PATCH /connections/{id}", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  const patch = (id: string, etag: string | undefined, ops: unknown) =>
    h.api("PATCH", `/connections/${id}`, { body: ops, headers: etag === undefined ? {} : { "if-match": etag } });
  const clear = async (id: string) => (await h.admin("GET", `/connections/${id}`)).body;

  it("answers 400 1403-400 without If-Match", async () => {
    const c = await h.create(bodies.ftp());
    expect(expectFlowError(await patch(c.id, undefined, [{ op: "replace", path: "/name", value: "x" }]), "1403-400")).toMatch(/If-Match/);
  });

  it("answers 412 when If-Match is stale", async () => {
    const c = await h.create(bodies.ftp());
    const first = await patch(c.id, c.etag, [{ op: "replace", path: "/name", value: "one" }]);
    expect(first.status).toBe(200);
    expectFlowError(await patch(c.id, c.etag, [{ op: "replace", path: "/name", value: "two" }]), "1404-412");
    expect((await h.get(c.id)).name).toBe("one");
  });

  it("answers 412 for an etag without its double quotes", async () => {
    const c = await h.create(bodies.ftp());
    expectFlowError(await patch(c.id, c.etag.replace(/"/g, ""), [{ op: "replace", path: "/name", value: "x" }]), "1404-412");
  });

  it("answers 412 after a change behind the client's back", async () => {
    const c = await h.create(bodies.ftp());
    await h.admin("PATCH", `/connections/${c.id}`, { name: "renamed elsewhere" });
    expectFlowError(await patch(c.id, c.etag, [{ op: "replace", path: "/name", value: "mine" }]), "1404-412");
  });

  it("adds, replaces and removes single params and validates the result", async () => {
    const c = await h.create(bodies.sftpPassword());
    const res = await patch(c.id, c.etag, [
      { op: "replace", path: "/auth/params/host", value: "new.example.com" },
      { op: "add", path: "/auth/params/port", value: 2022 },
      { op: "add", path: "/auth/params/folderPath", value: "/data" },
      { op: "remove", path: "/auth/params/folderPath" },
      { op: "remove", path: "/description" },
    ]);
    expect(res.status).toBe(200);
    expect((await clear(c.id)).auth.params).toEqual({ host: "new.example.com", port: 2022, userName: "bob", password: "sftp-secret" });
    expect((await h.get(c.id)).description).toBe("");
  });

  it("replaces the whole params object", async () => {
    const c = await h.create(bodies.ftp());
    const params = { host: "h2", userName: "u2", password: "p2" };
    expect((await patch(c.id, c.etag, [{ op: "replace", path: "/auth/params", value: params }])).status).toBe(200);
    expect((await clear(c.id)).auth.params).toEqual(params);
  });

  it("answers 1100-400 naming the property when the patched params fail the schema", async () => {
    const c = await h.create(bodies.sftpPassword());
    expect(expectFlowError(await patch(c.id, c.etag, [{ op: "add", path: "/auth/params/port", value: "x" }]), "1100-400")).toMatch(/auth.params.port: must be integer/);
    expect(expectFlowError(await patch(c.id, c.etag, [{ op: "remove", path: "/auth/params/host" }]), "1100-400")).toMatch(/missing required property 'host'/);
    expect(expectFlowError(await patch(c.id, c.etag, [{ op: "add", path: "/auth/params/colour", value: "x" }]), "1100-400")).toMatch(/colour/);
    expect(expectFlowError(await patch(c.id, c.etag, [{ op: "replace", path: "/name", value: "" }]), "1100-400")).toMatch(/^name/);
    expect(expectFlowError(await patch(c.id, c.etag, [{ op: "remove", path: "/name" }]), "1100-400")).toMatch(/^name/);
    expect((await h.get(c.id)).etag).toBe(c.etag);
  });

  it("answers 1434-400 for an op other than add, replace, remove", async () => {
    const c = await h.create(bodies.ftp());
    for (const op of ["move", "copy", "test", "merge"]) {
      expectFlowError(await patch(c.id, c.etag, [{ op, path: "/name", from: "/description", value: "x" }]), "1434-400");
    }
  });

  it("answers 1414-400 for a change of connection spec", async () => {
    const c = await h.create(bodies.ftp());
    expectFlowError(await patch(c.id, c.etag, [{ op: "replace", path: "/connectionSpec/id", value: "x" }]), "1414-400");
    expectFlowError(await patch(c.id, c.etag, [{ op: "replace", path: "/connectionSpec", value: {} }]), "1414-400");
  });

  it("answers 1455-400 for any other path, the SFTP auth type included", async () => {
    const c = await h.create(bodies.sftpPassword());
    for (const path of ["/auth/specName", "/auth", "/state", "/id", "/auth/params/host/x", "/etag"]) {
      expectFlowError(await patch(c.id, c.etag, [{ op: "replace", path, value: "x" }]), "1455-400");
    }
    expectFlowError(await patch(c.id, c.etag, [{ op: "replace", path: "/auth/params/folderPath", value: "/x" }]), "1455-400");
    expectFlowError(await patch(c.id, c.etag, [{ op: "remove", path: "/auth/params/folderPath" }]), "1455-400");
    const base = await h.create(bodies.datasetBase());
    expectFlowError(await patch(base.id, base.etag, [{ op: "add", path: "/auth/params/x", value: "y" }]), "1455-400");
  });

  it("answers 1405-400 for a body that is not a JSON Patch array", async () => {
    const c = await h.create(bodies.ftp());
    expectFlowError(await patch(c.id, c.etag, { op: "replace", path: "/name", value: "x" }), "1405-400");
    expectFlowError(await patch(c.id, c.etag, []), "1405-400");
    expectFlowError(await patch(c.id, c.etag, [{ op: "replace", path: "/name" }]), "1405-400");
    const raw = await h.api("PATCH", `/connections/${c.id}`, { raw: "[{", headers: { "content-type": "application/json", "if-match": c.etag } });
    expectFlowError(raw, "1405-400");
  });

  it("answers 404 for an unknown connection", async () => {
    expectFlowError(await patch("00000000-0000-0000-0000-000000000000", '"x"', [{ op: "replace", path: "/name", value: "x" }]), "1101-404");
  });

  it("lets a streaming connection's name change but not its inlet or fixed params", async () => {
    const c = await h.create(bodies.streaming());
    const item = await h.get(c.id);
    const ok = await patch(c.id, c.etag, [{ op: "replace", path: "/auth/params/name", value: "renamed inlet" }, { op: "replace", path: "/name", value: "n" }]);
    expect(ok.status).toBe(200);
    for (const [field, value] of [["inletId", "b".repeat(64)], ["inletUrl", "http://elsewhere/collection/x"], ["dataType", "raw"], ["sourceId", "other"], ["authenticationRequired", true]] as const) {
      const res = await patch(c.id, ok.body.etag, [{ op: "replace", path: `/auth/params/${field}`, value }]);
      expect(expectFlowError(res, "1100-400")).toMatch(new RegExp(`auth.params.${field}: cannot be changed`));
    }
    for (const field of ["dataType", "inletId", "sourceId"]) {
      const res = await patch(c.id, ok.body.etag, [{ op: "remove", path: `/auth/params/${field}` }]);
      expect(expectFlowError(res, "1100-400")).toMatch(new RegExp(`auth.params.${field}: cannot be changed`));
    }
    // A whole-object replace may leave the server-filled params out, or repeat them unchanged.
    const whole = { ...item.auth.params, name: "again" };
    const res = await patch(c.id, ok.body.etag, [{ op: "replace", path: "/auth/params", value: whole }]);
    expect(res.status).toBe(200);
    const res2 = await patch(c.id, res.body.etag, [{ op: "replace", path: "/auth/params", value: { name: "third", dataType: "xdm" } }]);
    expect(res2.status).toBe(200);
    const after = await h.get(c.id);
    expect(after.auth.params).toEqual({ ...item.auth.params, name: "third" });
  });
});
