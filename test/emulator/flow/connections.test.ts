import { bodies, ETAG, expectFlowError, Harness, SPEC, UUID } from "../../helpers/emulator";

const ITEM_FIELDS = [
  "id", "name", "description", "connectionSpec", "state", "auth", "createdAt", "updatedAt", "createdBy", "updatedBy",
  "createdClient", "updatedClient", "sandboxId", "sandboxName", "imsOrgId", "version", "etag",
].sort();

describe("connections: create, read, update, delete", () => {
  let h: Harness;
  const orgB = { clientId: "client-b", clientSecret: "secret-b", orgId: "ORGB@AdobeOrg", sandboxes: ["prod"] };
  beforeAll(async () => {
    h = await Harness.start({ clients: [{ clientId: "client-a", clientSecret: "secret-a", orgId: "ORGA@AdobeOrg", sandboxes: ["prod", "dev"] }, orgB] });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  const kinds = Object.entries(bodies).map(([kind, make]) => [kind, make] as const);

  it.each(kinds)("round-trips a %s connection: create, get, patch, delete", async (_kind, make) => {
    const body = make("first name") as { name: string; connectionSpec: { id: string } };
    const created = await h.create(body);
    expect(created).toEqual({ id: expect.stringMatching(UUID), etag: expect.stringMatching(ETAG) });

    const item = await h.get(created.id);
    expect(item).toMatchObject({ id: created.id, name: "first name", connectionSpec: { id: body.connectionSpec.id, version: "1.0" }, state: "enabled", etag: created.etag, version: created.etag });

    const patched = await h.api("PATCH", `/connections/${created.id}`, {
      body: [{ op: "replace", path: "/name", value: "second name" }, { op: "replace", path: "/description", value: "changed" }],
      headers: { "if-match": created.etag },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ id: created.id, etag: expect.stringMatching(ETAG) });
    expect(patched.body.etag).not.toBe(created.etag);
    const after = await h.get(created.id);
    expect(after).toMatchObject({ name: "second name", description: "changed", etag: patched.body.etag, version: patched.body.etag, createdAt: item.createdAt });
    expect(after.updatedAt).toBeGreaterThanOrEqual(item.updatedAt);

    expect((await h.api("DELETE", `/connections/${created.id}`)).status).toBe(204);
    expectFlowError(await h.api("GET", `/connections/${created.id}`), "1101-404");
    expectFlowError(await h.api("DELETE", `/connections/${created.id}`), "1101-404");
  });

  it("returns exactly the contract's fields on GET", async () => {
    const ftp = await h.get((await h.create(bodies.ftp())).id);
    expect(Object.keys(ftp).sort()).toEqual(ITEM_FIELDS);
    expect(ftp).toMatchObject({
      description: "FTP connector password",
      createdBy: "client-a",
      updatedBy: "client-a",
      sandboxName: "prod",
      sandboxId: expect.stringMatching(UUID),
      imsOrgId: "ORGA@AdobeOrg",
      auth: { specName: "Basic Authentication for FTP", params: { host: "ftp.example.com", userName: "alice", password: "********" } },
    });
    const streaming = await h.get((await h.create(bodies.streaming())).id);
    expect(Object.keys(streaming).sort()).toEqual([...ITEM_FIELDS, "providerId"].sort());
    const base = await h.get((await h.create(bodies.datasetBase())).id);
    expect(Object.keys(base).sort()).toEqual([...ITEM_FIELDS.filter((f) => f !== "auth"), "providerId"].sort());
    expect(base.providerId).toBe("0ed90a81-07f4-4586-8190-b40eccef1c5a");
  });

  it("masks secret params on GET and in lists, and keeps them in clear in the emulator", async () => {
    const key = await h.create(bodies.sftpKey());
    const s3 = await h.create({ ...bodies.s3(), auth: { specName: "Access Key", params: { s3AccessKey: "AK", s3SecretKey: "sk", s3SessionToken: "st", bucketName: "my-bucket" } } });
    expect((await h.get(key.id)).auth.params).toMatchObject({ privateKeyContent: "********", passPhrase: "********", host: "sftp.example.com", port: 2222 });
    expect((await h.get(s3.id)).auth.params).toEqual({ s3AccessKey: "AK", s3SecretKey: "********", s3SessionToken: "********", bucketName: "my-bucket" });
    const listed = (await h.api("GET", "/connections")).body.items;
    expect(JSON.stringify(listed)).not.toMatch(/"sk"|"st"|"pp"/);
    const admin = (await h.admin("GET", `/connections/${s3.id}`)).body;
    expect(admin.auth.params).toMatchObject({ s3SecretKey: "sk", s3SessionToken: "st" });
  });

  it("stores a new secret sent by PATCH (checked through the admin API, since GET masks it)", async () => {
    const c = await h.create(bodies.ftp());
    const res = await h.api("PATCH", `/connections/${c.id}`, { body: [{ op: "replace", path: "/auth/params/password", value: "rotated" }], headers: { "if-match": c.etag } });
    expect(res.status).toBe(200);
    expect((await h.get(c.id)).auth.params.password).toBe("********");
    expect((await h.admin("GET", `/connections/${c.id}`)).body.auth.params.password).toBe("rotated");
  });

  it("renews the etag on every write", async () => {
    const c = await h.create(bodies.ftp());
    const seen = new Set([c.etag]);
    let etag = c.etag;
    for (let i = 0; i < 5; i++) {
      const res = await h.api("PATCH", `/connections/${c.id}`, { body: [{ op: "replace", path: "/name", value: "same" }], headers: { "if-match": etag } });
      etag = res.body.etag;
      seen.add(etag);
    }
    const drifted = await h.admin("PATCH", `/connections/${c.id}`, { description: "x" });
    seen.add(drifted.body.etag);
    expect(seen.size).toBe(7);
  });

  it("does not make names unique", async () => {
    const a = await h.create(bodies.ftp("twin"));
    const b = await h.create(bodies.ftp("twin"));
    expect(a.id).not.toBe(b.id);
    expect((await h.api("GET", "/connections?property=name==twin&count=true")).body).toEqual({ count: 2 });
  });

  it("answers 404 for another sandbox's connection, on every verb, and leaves it out of lists", async () => {
    const c = await h.create(bodies.ftp(), { sandbox: "prod" });
    expectFlowError(await h.api("GET", `/connections/${c.id}`, { sandbox: "dev" }), "1101-404");
    expectFlowError(await h.api("PATCH", `/connections/${c.id}`, { sandbox: "dev", body: [{ op: "replace", path: "/name", value: "x" }], headers: { "if-match": c.etag } }), "1101-404");
    expectFlowError(await h.api("DELETE", `/connections/${c.id}`, { sandbox: "dev" }), "1101-404");
    expect((await h.api("GET", "/connections", { sandbox: "dev" })).body.items).toEqual([]);
    expect((await h.get(c.id, { sandbox: "prod" })).name).toBe(bodies.ftp().name);
  });

  it("answers 404 for another org's connection in a sandbox of the same name", async () => {
    const c = await h.create(bodies.ftp(), { sandbox: "prod" });
    expectFlowError(await h.api("GET", `/connections/${c.id}`, { client: orgB, sandbox: "prod" }), "1101-404");
    expectFlowError(await h.api("DELETE", `/connections/${c.id}`, { client: orgB, sandbox: "prod" }), "1101-404");
    expect((await h.api("GET", "/connections", { client: orgB, sandbox: "prod" })).body.items).toEqual([]);
    const other = await h.get((await h.create(bodies.ftp(), { client: orgB })).id, { client: orgB });
    expect(other.sandboxId).not.toBe((await h.get(c.id)).sandboxId);
  });

  it("answers 404 for an unknown id", async () => {
    expectFlowError(await h.api("GET", "/connections/00000000-0000-0000-0000-000000000000"), "1101-404");
  });

  it("answers 400 1418-400 when deleting a connection still used by a dataflow", async () => {
    const c = await h.create(bodies.ftp());
    expect((await h.admin("PUT", `/connections/${c.id}/dataflows`, { count: 2 })).status).toBe(204);
    expect(expectFlowError(await h.api("DELETE", `/connections/${c.id}`), "1418-400")).toMatch(/dataflow/);
    expect((await h.get(c.id)).id).toBe(c.id);
    await h.admin("PUT", `/connections/${c.id}/dataflows`, { count: 0 });
    expect((await h.api("DELETE", `/connections/${c.id}`)).status).toBe(204);
  });

  it("honours If-Match on DELETE when it is sent", async () => {
    const c = await h.create(bodies.ftp());
    expectFlowError(await h.api("DELETE", `/connections/${c.id}`, { headers: { "if-match": '"stale"' } }), "1404-412");
    expect((await h.api("DELETE", `/connections/${c.id}`, { headers: { "if-match": c.etag } })).status).toBe(204);
  });

  it("reads its own writes at once", async () => {
    for (let i = 0; i < 20; i++) {
      const c = await h.create(bodies.s3(`s3-${i}`));
      expect((await h.get(c.id)).name).toBe(`s3-${i}`);
    }
  });

  it("fills the streaming defaults: sourceId from name, authenticationRequired false", async () => {
    const body = bodies.streaming("stream");
    body.auth.params = { name: "only name", dataType: "raw" } as typeof body.auth.params;
    const item = await h.get((await h.create(body)).id);
    expect(item.auth.params).toEqual({
      name: "only name",
      dataType: "raw",
      sourceId: "only name",
      authenticationRequired: false,
      inletId: expect.stringMatching(/^[0-9a-f]{64}$/),
      inletUrl: `${h.emu.baseUrl}/collection/${item.auth.params.inletId}`,
    });
    expect(item.connectionSpec.id).toBe(SPEC.streaming);
  });
});
