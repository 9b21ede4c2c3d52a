import { makeOpenSshKey } from "../helpers/keys";
import { ProviderUnderTest, type Props } from "../helpers/engine";
import { TestEmulator } from "../helpers/emulator";

/**
 * Each resource through the whole lifecycle, with the serialized provider loaded the way the
 * engine loads it, against the emulator over HTTP.
 */
let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(async () => {
  await emu.stop();
});

const sshKey = makeOpenSshKey("ed25519");

interface Case {
  kind: string;
  args: Props;
  inPlace: Props;
  replace: Props;
  replaces: string[];
  /** Wire param checked after the in-place update. */
  wireCheck?: [string, unknown];
}

const cases: Case[] = [
  {
    kind: "ftp",
    args: { host: "ftp.example.com", userName: "ingest", password: "ftp-pass-1" },
    inPlace: { description: "orders", password: "ftp-pass-2" },
    replace: { sandbox: "dev" },
    replaces: ["sandbox"],
    wireCheck: ["password", "ftp-pass-2"],
  },
  {
    kind: "sftp",
    args: { host: "sftp.example.com", port: 2222, userName: "ingest", password: "sftp-pass-1", folderPath: "/in" },
    inPlace: { host: "sftp2.example.com", folderPath: "/in2" },
    replace: { password: undefined, privateKeyContent: sshKey },
    replaces: ["password", "privateKeyContent"],
    wireCheck: ["host", "sftp2.example.com"],
  },
  {
    kind: "s3",
    args: { accessKey: "AKIAEXAMPLE", secretKey: "s3-secret-1", serviceUrl: "https://s3.us-east-1.amazonaws.com", bucketName: "orders-bucket" },
    inPlace: { secretKey: "s3-secret-2", sessionToken: "s3-token-1", bucketName: "orders-bucket-2" },
    replace: { sandbox: "dev" },
    replaces: ["sandbox"],
    wireCheck: ["s3SecretKey", "s3-secret-2"],
  },
  { kind: "datasetBase", args: {}, inPlace: { description: "lake" }, replace: { sandbox: "dev" }, replaces: ["sandbox"] },
  {
    kind: "streaming",
    args: { dataType: "xdm" },
    inPlace: { name: "renamed-stream", description: "events" },
    replace: { dataType: "raw" },
    replaces: ["dataType"],
    wireCheck: ["name", "renamed-stream"],
  },
];

describe.each(cases)("$kind connection", (c) => {
  it("creates, reads, updates in place, diffs a replacement and deletes, one request per step", async () => {
    const p = await ProviderUnderTest.load(c.kind, emu.config());
    const news = { __autoName: `my-${c.kind}`, ...c.args };

    // check + diff make no request (preview needs no credentials and no network).
    await emu.clearRequests();
    const inputs = await p.checked({}, news);
    expect(inputs.name).toMatch(new RegExp(`^my-${c.kind}-[a-z0-9]{7}$`));
    expect((await emu.requests()).total).toBe(0);

    const created = await p.create(inputs);
    const held = await emu.connection(created.id);
    expect(created.outs).toMatchObject({ etag: held.etag, name: held.name, sandbox: "prod", state: "enabled", connectionSpecId: held.connectionSpec.id });
    let counts = (await emu.requests()).counts;
    expect(counts["POST /connections"]).toBe(1);
    expect(counts["GET /connections/{id}"] ?? 0).toBe(c.kind === "streaming" ? 1 : 0);
    if (c.kind === "streaming") {
      expect(created.outs).toMatchObject({ inletId: held.auth.params.inletId, inletUrl: `${emu.baseUrl}/collection/${held.auth.params.inletId}`, sourceId: held.name });
    }

    await emu.clearRequests();
    const read = await p.read(created.id, created.outs);
    expect(read.id).toBe(created.id);
    expect(read.props).toMatchObject({ etag: held.etag, name: held.name });
    // The first read of a spec in a process lists the spec (see test/provider/engine/read-listing-connections.test.ts).
    expect((await emu.requests()).counts).toEqual({ "GET /connections": 1 });
    // Secrets come from state, never from the masked GET.
    for (const [k, v] of Object.entries(c.args)) expect(read.props?.[k]).toEqual(v);

    const edited = await p.checked(inputs, { ...news, ...c.inPlace, name: c.inPlace.name ?? inputs.name });
    const inPlaceDiff = await p.diff(created.id, created.outs, edited);
    expect(inPlaceDiff).toMatchObject({ changes: true });
    expect(inPlaceDiff.replaces ?? []).toEqual([]);
    await emu.clearRequests();
    const updated = await p.update(created.id, created.outs, edited);
    expect((await emu.requests()).counts).toEqual({ "PATCH /connections/{id}": 1 });
    const afterUpdate = await emu.connection(created.id);
    expect(updated.etag).toBe(afterUpdate.etag);
    expect(updated.etag).not.toBe(created.outs.etag);
    if (c.inPlace.description) expect(afterUpdate.description).toBe(c.inPlace.description);
    if (c.wireCheck) expect(afterUpdate.auth.params[c.wireCheck[0]]).toEqual(c.wireCheck[1]);

    const unchanged = await p.diff(created.id, updated, await p.checked(edited, { ...news, ...c.inPlace, name: edited.name }));
    expect(unchanged.changes).toBe(false);

    const replacing = await p.checked(edited, { ...news, ...c.inPlace, ...c.replace, name: edited.name });
    const replaceDiff = await p.diff(created.id, updated, replacing);
    expect(replaceDiff.changes).toBe(true);
    expect([...(replaceDiff.replaces ?? [])].sort()).toEqual([...c.replaces].sort());

    await emu.clearRequests();
    await p.delete(created.id, updated);
    expect((await emu.requests()).counts).toEqual({ "DELETE /connections/{id}": 1 });
    expect((await emu.connections()).find((x) => x.id === created.id)).toBeUndefined();
    // Deleting again is not an error: 404 means already gone.
    await p.delete(created.id, updated);
    // Read after delete reports it gone, so refresh drops it.
    expect((await p.read(created.id, updated)).id).toBeUndefined();
  });
});

it("uses one IMS token for a whole run of many resources", async () => {
  // A fresh emulator means a fresh client in the provider process, with no token yet.
  const fresh = await TestEmulator.start();
  try {
    const kinds = ["ftp", "sftp", "s3", "datasetBase", "streaming"];
    const providers = await Promise.all(kinds.map((k) => ProviderUnderTest.load(k, fresh.config())));
    const made = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const p = providers[i % kinds.length];
        const inputs = await p.checked({}, { __autoName: `bulk-${i}`, ...cases[i % kinds.length].args });
        return p.create(inputs);
      }),
    );
    const counts = (await fresh.requests()).counts;
    expect(new Set(made.map((m) => m.id)).size).toBe(40);
    expect(counts).toEqual({ "POST /ims/token/v3": 1, "POST /connections": 40, "GET /connections/{id}": 8 });
    expect(await fresh.connections()).toHaveLength(40);
  } finally {
    await fresh.stop();
  }
});

it("reads a connection it has no state for (import): inputs from the server, secrets absent", async () => {
  const sftp = await ProviderUnderTest.load("sftp", emu.config());
  const inputs = await sftp.checked({}, { __autoName: "imp", host: "sftp.example.com", port: 2222, userName: "u", password: "imported-pass" });
  const { id } = await sftp.create(inputs);
  const r = await sftp.read(id, {});
  expect(r.id).toBe(id);
  expect(r.inputs).toMatchObject({ name: inputs.name, sandbox: "prod", host: "sftp.example.com", port: 2222, userName: "u" });
  expect(r.inputs?.password).toBeUndefined();
  expect(JSON.stringify(r)).not.toContain("imported-pass");
});
