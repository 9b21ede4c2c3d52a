import { type HeldResource, ProviderUnderTest, type Props, deploymentOf } from "../../helpers/engine";
import { TestEmulator } from "../../helpers/emulator";

/**
 * Refresh at the cost of a listing: `read` of many connections of one spec in one deployment costs
 * one listing of the spec (pages of 100) instead of one GET each; an id the listing lacks is confirmed
 * with one GET before it is dropped; and the listing never hides this deployment's own writes.
 * Every count is the emulator's request log; each deployment is a new provider process.
 */
const KINDS = ["ftp", "sftp", "s3", "datasetBase", "streaming"] as const;
type Kind = (typeof KINDS)[number];
const ARGS: Record<Kind, (i: number) => Props> = {
  ftp: (i) => ({ host: `ftp${i}.example.com`, userName: "ingest", password: `ftp-password-${i}` }),
  sftp: (i) => ({ host: `sftp${i}.example.com`, userName: "ingest", password: `sftp-password-${i}` }),
  s3: (i) => ({ accessKey: "AKIAEXAMPLE", secretKey: `s3-secret-key-${i}`, bucketName: `bucket-${i}` }),
  datasetBase: () => ({}),
  streaming: () => ({ dataType: "xdm" }),
};

let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

type Providers = Record<Kind, ProviderUnderTest>;

/** A new deployment: a new provider process with a provider per kind. */
const deployment = (config: Record<string, string> = {}): Promise<Providers> => deploymentOf(KINDS, emu.config(config));
type Held = HeldResource<Kind>;

/** `n` connections, the kinds in turn (or all of `only`), made by one deployment; returns their state. */
async function createMany(n: number, only?: Kind): Promise<Held[]> {
  const p = await deployment();
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const kind = only ?? KINDS[i % KINDS.length];
      const news = { __autoName: `conn-${i}`, description: `connection ${i}`, ...ARGS[kind](i) };
      const inputs = await p[kind].checked({}, news);
      const { id, outs } = await p[kind].create(inputs);
      return { kind, id, news: { ...news, name: outs.name }, outs };
    }),
  );
}

/** What a refresh does: every resource read at once, with its state. */
function refresh(p: Providers, held: Held[]) {
  return Promise.all(held.map((h) => p[h.kind].read(h.id, h.outs)));
}

async function counts(): Promise<Record<string, number>> {
  return (await emu.requests()).counts;
}

it("a refresh of 300 connections of five specs costs one listing page per spec and one IMS token", async () => {
  const held = await createMany(300);
  const p = await deployment();
  await emu.clearRequests();
  const read = await refresh(p, held);
  // ⌈60/100⌉ pages for each of the five specs; the goal is ≤ ⌈300/100⌉ × 5 + 5 = 20.
  expect(await counts()).toEqual({ "POST /ims/token/v3": 1, "GET /connections": 5 });
  const server = new Map((await emu.connections()).map((c) => [c.id, c]));
  read.forEach((r, i) => {
    expect(r.id).toBe(held[i].id);
    expect(r.props).toMatchObject({ etag: server.get(held[i].id)?.etag, name: held[i].outs.name, description: `connection ${i}` });
    // Secrets come from state, never from the masked listing.
    for (const [k, v] of Object.entries(ARGS[held[i].kind](i))) expect(r.props?.[k]).toEqual(v);
  });
});

it("reads every page of a spec's listing (pages of 100)", async () => {
  const held = await createMany(250, "datasetBase");
  const p = await deployment();
  await emu.clearRequests();
  const read = await refresh(p, held);
  expect(await counts()).toEqual({ "POST /ims/token/v3": 1, "GET /connections": 3 });
  expect(read.map((r) => r.id)).toEqual(held.map((h) => h.id));
  const pages = (await emu.requests()).entries.filter((e) => e.route === "/connections").map((e) => e.query ?? "");
  expect(pages.every((q) => q.includes("limit=100"))).toBe(true);
});

it("shows drift from the listing, as a GET would", async () => {
  const held = await createMany(10);
  await emu.drift(held[3].id, { description: "changed behind our back" });
  const p = await deployment();
  const read = await refresh(p, held);
  expect(read[3].props).toMatchObject({ description: "changed behind our back", etag: (await emu.connection(held[3].id)).etag });
  expect(read[4].props).toMatchObject({ description: "connection 4" });
});

it("confirms a connection missing from the listing with one GET before dropping it", async () => {
  const held = await createMany(10);
  await emu.deleteDirect(held[2].id);
  await emu.deleteDirect(held[7].id);
  const p = await deployment();
  await emu.clearRequests();
  const read = await refresh(p, held);
  expect(read[2].id).toBeUndefined();
  expect(read[7].id).toBeUndefined();
  expect(read.filter((r) => r.id).length).toBe(8);
  expect(await counts()).toEqual({ "POST /ims/token/v3": 1, "GET /connections": 5, "GET /connections/{id}": 2 });
});

it("never serves this deployment's own writes from a listing taken before them", async () => {
  const held = await createMany(10);
  const p = await deployment();
  await refresh(p, held); // the listing of every spec is taken now
  const [ftp, sftp] = [held[0], held[1]];

  // An update (as `pulumi up --refresh` does after its refresh), then a read in the same process.
  const edited = await p.ftp.checked(ftp.outs, { ...ftp.news, description: "updated by us" });
  const updated = await p.ftp.update(ftp.id, ftp.outs, edited);
  await emu.clearRequests();
  const afterUpdate = await p.ftp.read(ftp.id, updated);
  expect(afterUpdate.props).toMatchObject({ description: "updated by us", etag: updated.etag });
  expect(await counts()).toEqual({ "GET /connections/{id}": 1 });

  // A delete: the listing still holds it, the read must not.
  await p.sftp.delete(sftp.id, sftp.outs);
  expect((await p.sftp.read(sftp.id, sftp.outs)).id).toBeUndefined();

  // A connection created after the listing is read with a GET.
  const inputs = await p.s3.checked({}, { __autoName: "late", ...ARGS.s3(99) });
  const late = await p.s3.create(inputs);
  await emu.clearRequests();
  expect((await p.s3.read(late.id, late.outs)).id).toBe(late.id);
  expect(await counts()).toEqual({ "GET /connections/{id}": 1 });
});

it("does not trust a listing that was on its way while this deployment wrote", async () => {
  const made = await createMany(2, "ftp");
  const p = await deployment();
  await p.datasetBase.read("00000000-0000-4000-8000-000000000000", {}); // the IMS token, first
  // The listing is made at once but answered a second later; the PATCH goes through meanwhile.
  emu.control.addFault({ kind: "slow-response", latencyMs: 1000, method: "GET", route: "/connections", count: 1 });
  await emu.clearRequests();
  const first = p.ftp.read(made[0].id, made[0].outs);
  while (!(await emu.requests()).counts["GET /connections"]) await new Promise((resolve) => setImmediate(resolve));
  const second = p.ftp.read(made[1].id, made[1].outs); // waits for the same listing
  const edited = await p.ftp.checked(made[1].outs, { ...made[1].news, description: "while listing" });
  const updated = await p.ftp.update(made[1].id, made[1].outs, edited);
  expect((await first).props).toMatchObject({ etag: made[0].outs.etag });
  expect((await second).props).toMatchObject({ description: "while listing", etag: updated.etag });
  expect((await emu.requests()).counts).toEqual({ "GET /connections": 1, "PATCH /connections/{id}": 1, "GET /connections/{id}": 1 });
});

it("falls back to one GET per connection when the listing is answered with an error", async () => {
  const held = await createMany(5);
  const p = await deployment({ "aep:maxAttempts": "1" });
  emu.control.addFault({ kind: "500", method: "GET", route: "/connections" });
  await emu.clearRequests();
  const read = await refresh(p, held);
  expect(read.map((r) => r.id)).toEqual(held.map((h) => h.id));
  expect((await counts())["GET /connections/{id}"]).toBe(5);
});

it("reports a listing that got no answer at all, without a GET per connection", async () => {
  const held = await createMany(5, "ftp");
  const p = await deployment({ "aep:maxAttempts": "1" });
  await p.datasetBase.read("00000000-0000-4000-8000-000000000000", {}); // the IMS token, first
  emu.control.addFault({ kind: "reset", method: "GET", route: "/connections" });
  await emu.clearRequests();
  const outcomes = await Promise.allSettled(held.map((h) => p.ftp.read(h.id, h.outs)));
  for (const o of outcomes) {
    expect(o.status).toBe("rejected");
    expect(String((o as PromiseRejectedResult).reason.message)).toMatch(/^FtpConnection: reading connection .* failed: GET \/connections failed/);
  }
  expect(await counts()).toEqual({ "GET /connections": 1 });
});

it("still refuses to import a connection of another spec, after the GET that confirms it", async () => {
  const [ftp] = await createMany(1, "ftp");
  const p = await deployment();
  await expect(p.sftp.read(ftp.id, {})).rejects.toThrow(/it is not an SFTP connection/);
});
