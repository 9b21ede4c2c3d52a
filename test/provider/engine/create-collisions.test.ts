import { DEFAULT_CLIENT } from "../../../emulator";
import { newProviderProcess, ProviderUnderTest, type Props } from "../../helpers/engine";
import { TestEmulator, type Json } from "../../helpers/emulator";

/**
 * Two parties in one sandbox: a lost response, a shared generated name or a concurrent edit must
 * never make one party adopt, overwrite or delete the other's connection. Each case ends with both
 * parties' connections intact and, where not ours, unchanged.
 */
const FTP_SPEC = "fb2e94c9-c031-467d-8103-6bd6e0a432f2";
const THEIRS = { clientId: "other-team-client", clientSecret: "other-team-secret-1", orgId: DEFAULT_CLIENT.orgId, sandboxes: ["prod"] };
const ours = { host: "ours.example.com", userName: "ingest", password: "our-password-1" };
const URN_SEED = "urn:pulumi:dev::quickstart::pulumi-nodejs:dynamic:Resource$aep:FtpConnection::orders";

let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start({ clients: [DEFAULT_CLIENT, THEIRS] });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

/** A new deployment (a new provider process) with the demo client's or the other team's credentials. */
async function deployment(as: "us" | "them", config: Record<string, string> = {}): Promise<ProviderUnderTest> {
  newProviderProcess();
  const creds: Record<string, string> = as === "us" ? {} : { "aep:clientId": THEIRS.clientId, "aep:clientSecret": THEIRS.clientSecret };
  return ProviderUnderTest.load("ftp", emu.config({ "aep:maxAttempts": "3", ...creds, ...config }));
}

/** Their connection, made through the API with their credentials (createdBy = their API key). */
function theirConnection(name: string): Promise<{ id: string; etag: string }> {
  return emu.createDirect(
    { name, connectionSpec: { id: FTP_SPEC, version: "1.0" }, auth: { specName: "Basic Authentication for FTP", params: { host: "theirs.example.com", userName: "them", password: "their-password-1" } } },
    "prod",
    THEIRS,
  );
}

async function snapshot(id: string): Promise<Json> {
  const c = await emu.connection(id);
  return { etag: c.etag, name: c.name, params: c.auth.params, createdBy: c.createdBy };
}

function count(log: Awaited<ReturnType<TestEmulator["requests"]>>, key: string): number {
  return log.counts[key] ?? 0;
}

describe("a lost create adopts only what this deployment created", () => {
  it("posts again rather than adopt another client's connection bearing the chosen name", async () => {
    const theirs = await theirConnection("shared-name");
    const before = await snapshot(theirs.id);
    const ftp = await deployment("us");
    await emu.clearRequests();
    await emu.addFault({ kind: "500", count: 1, method: "POST", route: "/connections" });
    const made = await ftp.create(await ftp.checked({}, { __autoName: "orders", name: "shared-name", ...ours }));

    expect(made.id).not.toBe(theirs.id);
    expect(await snapshot(theirs.id)).toEqual(before);
    expect((await emu.connection(made.id)).auth.params.host).toBe("ours.example.com");
    expect(count(await emu.requests(), "POST /connections")).toBe(2);
    // Destroying ours leaves theirs.
    await ftp.delete(made.id, made.outs);
    expect((await emu.connections()).map((c) => c.id)).toEqual([theirs.id]);
  });

  it("adopts its own connection when the POST was applied and its answer lost, leaving theirs of the same name alone", async () => {
    const theirs = await theirConnection("shared-name");
    const before = await snapshot(theirs.id);
    const ftp = await deployment("us");
    await emu.clearRequests();
    await emu.addFault({ kind: "commit-then-fail", thenStatus: 500, count: 1, method: "POST", route: "/connections" });
    const made = await ftp.create(await ftp.checked({}, { __autoName: "orders", name: "shared-name", ...ours }));

    expect(made.id).not.toBe(theirs.id);
    expect(await emu.connections()).toHaveLength(2);
    expect((await emu.connection(made.id)).createdBy).toBe(DEFAULT_CLIENT.clientId);
    expect(await snapshot(theirs.id)).toEqual(before);
    expect(count(await emu.requests(), "POST /connections")).toBe(1);
  });

  it("posts again rather than adopt a same-named connection of ours whose values differ from what was posted", async () => {
    const ftp = await deployment("us");
    const earlier = await ftp.create(await ftp.checked({}, { __autoName: "a", name: "shared-name", ...ours, host: "earlier.example.com" }));
    const before = await snapshot(earlier.id);
    await emu.addFault({ kind: "500", count: 1, method: "POST", route: "/connections" });
    const made = await ftp.create(await ftp.checked({}, { __autoName: "b", name: "shared-name", ...ours }));
    expect(made.id).not.toBe(earlier.id);
    expect(await snapshot(earlier.id)).toEqual(before);
  });

  it("gives up after aep:maxAttempts POSTs, naming the connections it left alone", async () => {
    const theirs = await theirConnection("shared-name");
    const ftp = await deployment("us");
    await emu.clearRequests();
    await emu.addFault({ kind: "500", count: 5, method: "POST", route: "/connections" });
    const err = await ftp.create(await ftp.checked({}, { __autoName: "orders", name: "shared-name", ...ours })).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/FtpConnection: creating connection "shared-name" in sandbox "prod": 3 attempts failed/);
    expect(err?.message).toContain(`${theirs.id} (created by another client (${THEIRS.clientId}))`);
    expect(count(await emu.requests(), "POST /connections")).toBe(3);
    expect((await emu.connections()).map((c) => c.id)).toEqual([theirs.id]);
  });
});

describe("generated names cannot capture another stack's connection", () => {
  // Two stacks with the same project and stack name in different backends derive the same URN, so
  // the same generated name.
  const resource = (extra: Props = {}): Props => ({ __autoName: "orders", __nameSeed: URN_SEED, ...ours, ...extra });

  it("refuses a connection of another client that bears the generated name, naming it and the ways out", async () => {
    const first = await deployment("them");
    const theirs = await first.create(await first.checked({}, resource({ password: "their-password-1" })));
    const before = await snapshot(theirs.id);

    const second = await deployment("us");
    await emu.clearRequests();
    const err = await second.create(await second.checked({}, resource())).then(() => undefined, (e: Error) => e);
    expect(err?.message).toContain(`connection ${theirs.id} already bears the generated name "${theirs.outs.name}"`);
    expect(err?.message).toContain(`created by another client (${THEIRS.clientId})`);
    expect(err?.message).toContain(`existingId: "${theirs.id}"`);
    expect(err?.message).toContain("the name property");
    const log = await emu.requests();
    expect(count(log, "POST /connections") + count(log, "PATCH /connections/{id}") + count(log, "DELETE /connections/{id}")).toBe(0);
    expect(await snapshot(theirs.id)).toEqual(before);
  });

  it("refuses a connection of the same client whose declared values differ (another stack, same credentials)", async () => {
    const first = await deployment("us");
    const theirs = await first.create(await first.checked({}, resource({ host: "theirs.example.com", password: "their-password-1" })));
    const before = await snapshot(theirs.id);
    const second = await deployment("us");
    const err = await second.create(await second.checked({}, resource())).then(() => undefined, (e: Error) => e);
    expect(err?.message).toContain(`host is "theirs.example.com", declared "ours.example.com"`);
    expect(await snapshot(theirs.id)).toEqual(before);
    expect(await emu.connections()).toHaveLength(1);
  });

  it("still adopts the leftover of its own interrupted deployment (same client, same values)", async () => {
    const lost = await deployment("us");
    const first = await lost.create(await lost.checked({}, resource()));
    const next = await deployment("us");
    const again = await next.create(await next.checked({}, resource({ password: "rotated-password-2" })));
    expect(again.id).toBe(first.id);
    expect((await emu.connection(first.id)).auth.params.password).toBe("rotated-password-2");
  });
});

describe("a lost PATCH never turns a conflict into success", () => {
  const args: Props = { __autoName: "orders", ...ours };
  async function created() {
    const ftp = await deployment("us");
    const inputs = await ftp.checked({}, args);
    const made = await ftp.create(inputs);
    return { ftp, id: made.id, outs: made.outs, next: (change: Props) => ftp.checked(made.outs, { ...args, ...change }) };
  }

  it("fails as changed outside Pulumi when someone else changed host and password and the PATCH answer was lost", async () => {
    const { ftp, id, outs, next } = await created();
    await emu.admin("PATCH", `/connections/${id}`, { auth: { params: { host: "moved.example.com", password: "their-new-password" } } });
    const before = await snapshot(id);
    await emu.addFault({ kind: "500", count: 1, method: "PATCH" });
    const news = await next({ description: "ours now" });
    const err = await ftp.update(id, outs, news).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/changed outside Pulumi .*host is "moved.example.com", declared "ours.example.com"/);
    expect(err?.message).toContain("pulumi refresh");
    expect(await snapshot(id)).toEqual(before);
  });

  it("fails as changed outside Pulumi when the answer to a password rotation was lost and the etag moved under a different host", async () => {
    const { ftp, id, outs, next } = await created();
    await emu.admin("PATCH", `/connections/${id}`, { auth: { params: { host: "moved.example.com" } } });
    const before = await snapshot(id);
    await emu.addFault({ kind: "500", count: 1, method: "PATCH" });
    const err = await ftp.update(id, outs, await next({ password: "rotated-password-2" })).then(() => undefined, (e: Error) => e);
    expect(err?.message).toContain("changed outside Pulumi");
    expect(await snapshot(id)).toEqual(before);
  });

  it("accepts its own applied PATCH whose answer was lost, for a connection without a description", async () => {
    const { ftp, id, outs, next } = await created();
    expect(outs.description).toBeUndefined();
    await emu.clearRequests();
    await emu.addFault({ kind: "commit-then-fail", thenStatus: 500, count: 1, method: "PATCH" });
    const r = (await ftp.update(id, outs, await next({ host: "ours-2.example.com" }))) as Props;
    expect(r.etag).toBe((await emu.connection(id)).etag);
    expect(count(await emu.requests(), "PATCH /connections/{id}")).toBe(1);
  });

  it("writes a secret again under the new etag when the answer to its rotation was lost (the secret cannot be compared)", async () => {
    const { ftp, id, outs, next } = await created();
    await emu.addFault({ kind: "commit-then-fail", thenStatus: 500, count: 1, method: "PATCH" });
    await emu.clearRequests();
    const r = (await ftp.update(id, outs, await next({ password: "rotated-password-2" }))) as Props;
    const now = await emu.connection(id);
    expect(now.auth.params.password).toBe("rotated-password-2");
    expect(r.etag).toBe(now.etag);
    expect(count(await emu.requests(), "PATCH /connections/{id}")).toBe(2);
  });
});
