import { ProviderUnderTest, newProviderProcess, type Props } from "../../helpers/engine";
import { type AdminRequests, TestEmulator } from "../../helpers/emulator";

/**
 * A create with a URN-derived name after a deployment that was interrupted (CLI or provider killed
 * before Pulumi recorded the create): the connection the lost attempt made is adopted, never
 * duplicated. Each deployment is a new provider process, which lists the connections of a spec once
 * and keeps that listing current with its own creates and deletes.
 */
let emu: TestEmulator;
const FTP_SPEC = "fb2e94c9-c031-467d-8103-6bd6e0a432f2";
const ftpArgs = { host: "ftp.example.com", userName: "ingest", password: "fault-pass-1" };
const seedOf = (name: string) => `urn:pulumi:dev::shop::aep:FtpConnection::${name}`;

beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

/** The providers of a new deployment: a fresh process, configured for the emulator. */
async function deployment(kinds: string[] = ["ftp"], config: Record<string, string> = {}): Promise<ProviderUnderTest[]> {
  newProviderProcess();
  return Promise.all(kinds.map((k) => ProviderUnderTest.load(k, emu.config(config))));
}

async function ftpDeployment(config: Record<string, string> = {}): Promise<ProviderUnderTest> {
  return (await deployment(["ftp"], config))[0];
}

function ftpNews(name: string, extra: Props = {}): Props {
  return { __autoName: name, __nameSeed: seedOf(name), ...ftpArgs, ...extra };
}

/** A connection with this generated name, created by the same client with the declared values, as a lost attempt leaves it. */
function leftover(name: unknown, params: Props = { host: ftpArgs.host, userName: ftpArgs.userName, password: "lost-attempt-pass" }): Promise<{ id: string; etag: string }> {
  return emu.createDirect({ name, connectionSpec: { id: FTP_SPEC, version: "1.0" }, auth: { specName: "Basic Authentication for FTP", params } });
}

function listingQueries(log: AdminRequests): string[] {
  return log.entries.filter((e) => e.method === "GET" && e.route === "/connections").map((e) => decodeURIComponent((e.query ?? "").replace(/\+/g, " ")));
}

it("adopts the connection the lost attempt created (same URN, same generated name) instead of posting again", async () => {
  const lost = await ftpDeployment();
  const first = await lost.create(await lost.checked({}, ftpNews("orders")));
  await emu.clearRequests();
  // Pulumi never recorded `first`: the next deployment checks from scratch.
  const next = await ftpDeployment();
  const again = await next.create(await next.checked({}, ftpNews("orders", { password: "changed-meanwhile" })));
  expect(again.id).toBe(first.id);
  expect(again.outs.name).toBe(first.outs.name);
  expect((await emu.requests()).counts).toEqual({ "POST /ims/token/v3": 1, "GET /connections": 1, "GET /connections/{id}": 1, "PATCH /connections/{id}": 1 });
  expect(await emu.connections()).toHaveLength(1);
});

it.each([
  ["streaming", { dataType: "xdm" }],
  ["streaming", { dataType: "raw", authenticationRequired: true }],
  ["datasetBase", { description: "lake" }],
  ["s3", { accessKey: "AKIA", secretKey: "s3-secret", bucketName: "b-1" }],
  ["sftp", { host: "sftp.example.com", userName: "u", password: "sftp-pass" }],
])("adopts a %s connection left by a lost attempt, its fixed params untouched", async (kind, args) => {
  const news = { __autoName: "left", __nameSeed: `urn:pulumi:dev::shop::aep:${kind}::left`, ...args };
  const [lost] = await deployment([kind]);
  const first = await lost.create(await lost.checked({}, news));
  const [next] = await deployment([kind]);
  const again = await next.create(await next.checked({}, news));
  expect(again.id).toBe(first.id);
  expect(await emu.connections()).toHaveLength(1);
});

it("lists each connection spec once per deployment, however many connections it creates", async () => {
  const [ftp, sftp] = await deployment(["ftp", "sftp"]);
  const made = await Promise.all([
    ...Array.from({ length: 20 }, async (_, i) => ftp.create(await ftp.checked({}, ftpNews(`f${i}`)))),
    ...Array.from({ length: 10 }, async (_, i) => sftp.create(await sftp.checked({}, { __autoName: `s${i}`, __nameSeed: `urn:pulumi:dev::shop::aep:SftpConnection::s${i}`, host: "sftp.example.com", userName: "u", password: "sftp-pass" }))),
  ]);
  expect(new Set(made.map((m) => m.id)).size).toBe(30);
  const log = await emu.requests();
  expect(log.counts).toEqual({ "POST /ims/token/v3": 1, "GET /connections": 2, "POST /connections": 30 });
  // One listing per spec, by spec alone: never a lookup by name.
  expect(listingQueries(log).every((q) => q.includes("connectionSpec.id==") && !q.includes("name=="))).toBe(true);
});

it("posts after one listing when no such connection exists", async () => {
  const ftp = await ftpDeployment();
  await emu.clearRequests();
  await ftp.create(await ftp.checked({}, ftpNews("orders")));
  expect((await emu.requests()).counts).toMatchObject({ "GET /connections": 1, "POST /connections": 1 });
});

it("creates a replacement anew after deleting the connection bearing its name in the same deployment", async () => {
  // deleteBeforeReplace with unchanged inputs (pulumi up --replace): same generated name.
  const ftp = await ftpDeployment();
  const inputs = await ftp.checked({}, ftpNews("orders"));
  const old = await ftp.create(inputs);
  await ftp.delete(old.id, old.outs);
  await emu.clearRequests();
  const replacement = await ftp.create(inputs);
  expect(replacement.id).not.toBe(old.id);
  expect((await emu.requests()).counts).toEqual({ "POST /connections": 1 });
  expect((await emu.connections()).map((c) => c.id)).toEqual([replacement.id]);
});

it("posts when a listed leftover is deleted by someone else before it is adopted", async () => {
  const ftp = await ftpDeployment();
  const inputs = await ftp.checked({}, ftpNews("orders"));
  const left = await leftover(inputs.name);
  await ftp.create(await ftp.checked({}, ftpNews("other"))); // lists the spec, leftover included
  await emu.deleteDirect(left.id);
  const made = await ftp.create(inputs);
  expect(made.id).not.toBe(left.id);
  expect((await emu.connections()).map((c) => c.name).sort()).toEqual([inputs.name, (await ftp.checked({}, ftpNews("other"))).name].sort());
});

it("never looks up a name the user chose: it may belong to another connection", async () => {
  const ftp = await ftpDeployment();
  await ftp.create(await ftp.checked({}, ftpNews("orders", { name: "Orders" })));
  await emu.clearRequests();
  await ftp.create(await ftp.checked({}, ftpNews("orders", { name: "Orders" })));
  expect((await emu.requests()).counts).toEqual({ "POST /connections": 1 });
  expect(await emu.connections()).toHaveLength(2);
});

it("refuses to choose between several connections bearing the generated name, listing them", async () => {
  const ftp = await ftpDeployment();
  const inputs = await ftp.checked({}, ftpNews("orders"));
  const a = await leftover(inputs.name);
  const b = await leftover(inputs.name);
  const err = await ftp.create(inputs).then(() => undefined, (e: Error) => e);
  expect(err?.message).toContain(`2 connections named "${inputs.name}" exist`);
  expect(err?.message).toContain(a.id);
  expect(err?.message).toContain(b.id);
  expect(await emu.connections()).toHaveLength(2);
});

it("fails a create whose listing fails, posting nothing, and lists again for the next create", async () => {
  const ftp = await ftpDeployment({ "aep:maxAttempts": "2" });
  await emu.addFault({ kind: "500", count: 2, method: "GET", route: "/connections" });
  const inputs = await ftp.checked({}, ftpNews("orders"));
  const err = await ftp.create(inputs).then(() => undefined, (e: Error) => e);
  expect(err?.message).toContain(`creating connection "${inputs.name}"`);
  expect((await emu.requests()).counts["POST /connections"]).toBeUndefined();
  await ftp.create(inputs);
  expect((await emu.requests()).counts).toMatchObject({ "GET /connections": 3, "POST /connections": 1 });
  expect(await emu.connections()).toHaveLength(1);
});

it("looks each name up instead when the sandbox holds more than 1000 connections of the spec", async () => {
  const ftp = await ftpDeployment();
  const inputs = await ftp.checked({}, ftpNews("orders"));
  // Made first, so the oldest: past the first 1000 of a newest-first listing.
  const left = await leftover(inputs.name);
  for (let i = 0; i < 1000; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => leftover(`someone-else-${i + j}`, { host: "h.example.com", userName: "u", password: "their-password" })));
  await emu.clearRequests();
  const adopted = await ftp.create(inputs);
  await ftp.create(await ftp.checked({}, ftpNews("new-1")));
  await ftp.create(await ftp.checked({}, ftpNews("new-2")));
  expect(adopted.id).toBe(left.id);
  const log = await emu.requests();
  // 10 pages of 100, then given up; one lookup per name.
  expect(log.counts["GET /connections"]).toBe(10 + 3);
  expect(listingQueries(log).filter((q) => q.includes("name==")).length).toBe(3);
  expect(log.counts["POST /connections"]).toBe(2);
}, 60_000);
