import { captureStderr } from "../../helpers/stderr";
import { ProviderUnderTest, type Props } from "../../helpers/engine";
import { TestEmulator } from "../../helpers/emulator";

/** Retries, ambiguous writes, conflicts and refusals, with the emulator's fault injection. */
let emu: TestEmulator;
let ftp: ProviderUnderTest;
const ftpArgs = { host: "ftp.example.com", userName: "ingest", password: "fault-pass-1" };

beforeAll(async () => {
  emu = await TestEmulator.start();
  ftp = await ProviderUnderTest.load("ftp", emu.config());
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

async function createFtp(extra: Props = {}) {
  const inputs = await ftp.checked({}, { __autoName: "faulty", ...ftpArgs, ...extra });
  return { inputs, ...(await ftp.create(inputs)) };
}

function statuses(log: Awaited<ReturnType<TestEmulator["requests"]>>, key: string): number[] {
  return log.entries.filter((e) => `${e.method} ${e.route}` === key).map((e) => e.status);
}

describe("retries", () => {
  it("retries a GET after 429, waiting at least the Retry-After it was given", async () => {
    const { id, outs } = await createFtp();
    // The read's listing of the spec (the first read of it in this process) is the GET here.
    await emu.addFault({ kind: "429", count: 1, method: "GET", route: "/connections", retryAfterSeconds: 1 });
    await emu.clearRequests();
    expect((await ftp.read(id, outs)).id).toBe(id);
    const log = await emu.requests();
    expect(statuses(log, "GET /connections")).toEqual([429, 200]);
    const [first, second] = log.entries.map((e) => (e as unknown as { at: number }).at);
    expect(second - first).toBeGreaterThanOrEqual(1000);
  });

  it.each([
    ["503", { kind: "503", count: 2 }, [503, 503, 200]],
    ["500", { kind: "500", count: 1 }, [500, 200]],
  ])("retries a GET after %s", async (_label, fault, expected) => {
    const { id, outs } = await createFtp();
    await emu.addFault({ ...fault, method: "GET", route: "/connections/{id}" });
    await emu.clearRequests();
    expect((await ftp.read(id, outs)).id).toBe(id);
    expect(statuses(await emu.requests(), "GET /connections/{id}")).toEqual(expected);
  });

  it("retries a DELETE whose connection was reset, and counts the 404 that follows as done", async () => {
    const { id, outs } = await createFtp();
    await emu.addFault({ kind: "commit-then-fail", thenStatus: "reset", count: 1, method: "DELETE" });
    await ftp.delete(id, outs);
    expect(await emu.connections()).toHaveLength(0);
  });

  it("retries a throttled POST, which the gateway rejected before the service saw it", async () => {
    await emu.addFault({ kind: "429", count: 2, method: "POST", route: "/connections", retryAfterSeconds: 0 });
    await createFtp();
    expect(statuses(await emu.requests(), "POST /connections")).toEqual([429, 429, 201]);
    expect(await emu.connections()).toHaveLength(1);
  });
});

describe("ambiguous creates", () => {
  it.each([
    ["a 500 after the write was committed", { thenStatus: 500 }],
    ["a reset after the write was committed", { thenStatus: "reset" }],
  ])("adopts the connection after %s: exactly one exists", async (_label, extra) => {
    await emu.addFault({ kind: "commit-then-fail", count: 1, method: "POST", route: "/connections", ...extra });
    const { id, inputs } = await createFtp();
    const all = await emu.connections();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ id, name: inputs.name });
    const counts = (await emu.requests()).counts;
    expect(counts["POST /connections"]).toBe(1);
    expect(counts["GET /connections"]).toBe(1);
  });

  it("posts again when the failed POST created nothing", async () => {
    await emu.addFault({ kind: "503", count: 1, method: "POST", route: "/connections" });
    await createFtp();
    expect(await emu.connections()).toHaveLength(1);
    expect(statuses(await emu.requests(), "POST /connections")).toEqual([503, 201]);
  });

  it("streaming: fetches the inlet after adopting", async () => {
    const streaming = await ProviderUnderTest.load("streaming", emu.config());
    await emu.addFault({ kind: "commit-then-fail", count: 1, method: "POST", route: "/connections" });
    const inputs = await streaming.checked({}, { __autoName: "s", dataType: "raw" });
    const { outs } = await streaming.create(inputs);
    const [held] = await emu.connections();
    expect(outs).toMatchObject({ inletId: held.auth.params.inletId, etag: held.etag });
  });
});

describe("updates", () => {
  it("resolves a PATCH whose response was lost by reading the connection back", async () => {
    const { id, inputs, outs } = await createFtp();
    await emu.addFault({ kind: "commit-then-fail", count: 1, method: "PATCH" });
    const news = await ftp.checked(inputs, { ...inputs, description: "after a lost response" });
    const updated = await ftp.update(id, outs, news);
    const held = await emu.connection(id);
    expect(held.description).toBe("after a lost response");
    expect(updated.etag).toBe(held.etag);
    expect(statuses(await emu.requests(), "PATCH /connections/{id}")).toEqual([500]);
  });

  it("fails with 'changed outside Pulumi' when the etag is stale (412), changing nothing", async () => {
    const { id, inputs, outs } = await createFtp();
    await emu.admin("PATCH", `/connections/${id}`, { name: "renamed behind Pulumi's back" });
    const news = await ftp.checked(inputs, { ...inputs, description: "mine" });
    await expect(ftp.update(id, outs, news)).rejects.toThrow(/changed outside Pulumi.*pulumi refresh/);
    const held = await emu.connection(id);
    expect(held.name).toBe("renamed behind Pulumi's back");
    expect(held.description ?? "").toBe("");
  });
});

describe("deletes", () => {
  it("explains a connection still used by dataflows (1418)", async () => {
    const { id, outs } = await createFtp();
    await emu.admin("PUT", `/connections/${id}/dataflows`, { count: 1 });
    await expect(ftp.delete(id, outs)).rejects.toThrow(/dataflows still use this connection \(1418-400\).*retainOnDelete/);
    expect(await emu.connections()).toHaveLength(1);
  });
});

describe("adoption through existingConnectionId", () => {
  it("adopts an existing connection: same id, declared name and secrets written", async () => {
    const original = await createFtp();
    const inputs = await ftp.checked({}, { __autoName: "adopter", ...ftpArgs, name: "adopted", password: "adopted-pass", existingConnectionId: original.id });
    await emu.clearRequests();
    const adopted = await ftp.create(inputs);
    expect(adopted.id).toBe(original.id);
    const held = await emu.connection(original.id);
    expect(held).toMatchObject({ name: "adopted", etag: adopted.outs.etag });
    expect(held.auth.params.password).toBe("adopted-pass");
    expect((await emu.requests()).counts).toEqual({ "GET /connections/{id}": 1, "PATCH /connections/{id}": 1 });
    expect(await emu.connections()).toHaveLength(1);
  });

  it("refuses a connection of another kind, naming it", async () => {
    const original = await createFtp();
    const s3 = await ProviderUnderTest.load("s3", emu.config());
    const inputs = await s3.checked({}, { __autoName: "x", accessKey: "A", secretKey: "s3-secret-1", existingConnectionId: original.id });
    await expect(s3.create(inputs)).rejects.toThrow(/not an Amazon S3 connection.*fb2e94c9/);
    expect((await emu.connection(original.id)).name).toBe(original.inputs.name);
  });

  it("refuses an id that does not exist in the sandbox", async () => {
    const inputs = await ftp.checked({}, { __autoName: "x", ...ftpArgs, existingConnectionId: "00000000-0000-0000-0000-000000000000" });
    await expect(ftp.create(inputs)).rejects.toThrow(/no connection with that id exists in sandbox "prod"/);
  });
});

describe("credentials", () => {
  it("names both ways to set missing credentials, before any request", async () => {
    const { "aep:clientSecret": _s, "aep:clientId": _c, ...rest } = emu.config();
    const p = await ProviderUnderTest.load("ftp", rest);
    try {
      const inputs = await p.checked({}, { __autoName: "x", ...ftpArgs });
      await emu.clearRequests();
      await expect(p.create(inputs)).rejects.toThrow(/credentials are missing: clientId, clientSecret \(or accessToken\).*aep:clientId.*AEP_CLIENT_ID/);
      expect((await emu.requests()).total).toBe(0);
    } finally {
      await ProviderUnderTest.load("ftp", emu.config());
    }
  });

  it("reports rejected client credentials without the secret", async () => {
    const secret = "wrong-secret-canary-123";
    const p = await ProviderUnderTest.load("ftp", emu.config({ "aep:clientSecret": secret }));
    try {
      const inputs = await p.checked({}, { __autoName: "x", ...ftpArgs });
      const err = await p.create(inputs).then(() => undefined, (e: Error) => e);
      expect(err?.message).toMatch(/IMS rejected the client credentials.*aep:clientSecret/);
      expect(`${err?.message}${err?.stack}`).not.toContain(secret);
    } finally {
      await ProviderUnderTest.load("ftp", emu.config());
    }
  });
});

describe("IMS failures say IMS", () => {
  /** A loopback port nothing listens on: bound, then closed. */
  async function closedPort(): Promise<number> {
    const net = await import("node:net");
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it("names aep:imsEndpoint (not aep:endpoint) when IMS cannot be reached, printing each retry", async () => {
    const port = await closedPort();
    const p = await ProviderUnderTest.load("ftp", emu.config({ "aep:imsEndpoint": `http://127.0.0.1:${port}`, "aep:maxAttempts": "3" }));
    const log = captureStderr();
    try {
      const err = await p.create(await p.checked({}, { __autoName: "x", ...ftpArgs })).then(() => undefined, (e: Error) => e);
      expect(err?.message).toMatch(/POST \/ims\/token\/v3 failed: ECONNREFUSED.*Check aep:imsEndpoint \(AEP_IMS_ENDPOINT\)/);
      expect(err?.message).not.toContain("aep:endpoint");
      expect(log.lines.filter((l) => /POST \/ims\/token\/v3 \(IMS\): attempt \d\/3 failed \(ECONNREFUSED\): retrying/.test(l))).toHaveLength(2);
      expect((await emu.requests()).counts["POST /connections"]).toBeUndefined();
    } finally {
      log.restore();
      await ProviderUnderTest.load("ftp", emu.config());
    }
  });

  it("never explains an IMS failure as Flow Service throttling", async () => {
    const p = await ProviderUnderTest.load("ftp", emu.config({ "aep:maxAttempts": "2" }));
    try {
      await emu.addFault({ kind: "429", count: 5, route: "/ims/token/v3", retryAfterSeconds: 0 });
      const err = await p.create(await p.checked({}, { __autoName: "x", ...ftpArgs })).then(() => undefined, (e: Error) => e);
      expect(err?.message).toMatch(/POST \/ims\/token\/v3 failed with 429.*from IMS, aep:imsEndpoint/);
      expect(err?.message).not.toMatch(/Flow Service kept throttling|--parallel/);
    } finally {
      await emu.clearFaults();
      await ProviderUnderTest.load("ftp", emu.config());
    }
  });

  it("does not retry an IMS answer that no retry can change (400 invalid_client)", async () => {
    const p = await ProviderUnderTest.load("ftp", emu.config({ "aep:clientSecret": "not-the-right-secret" }));
    try {
      await emu.clearRequests();
      await expect(p.create(await p.checked({}, { __autoName: "x", ...ftpArgs }))).rejects.toThrow(/IMS rejected the client credentials/);
      expect((await emu.requests()).counts["POST /ims/token/v3"]).toBe(1);
    } finally {
      await ProviderUnderTest.load("ftp", emu.config());
    }
  });
});
