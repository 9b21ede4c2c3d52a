/**
 * Hardening of the emulator against hostile or careless local traffic: the admin API's access rules, the
 * data directory's permissions and start-up checks, reset atomicity, bounded memory, and input that must be
 * refused rather than stored. All traffic goes to 127.0.0.1 and is bounded in count.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { parseArgs } from "../../emulator/cli";
import { sameSecret } from "../../emulator/util";
import { bodies, CLI_SCRIPT, expectFlowError, Harness, rawRequest, request, startCli } from "../helpers/emulator";

const freshDir = () => mkdtempSync(path.join(tmpdir(), "aep-emu-sec-"));
const mode = (p: string) => statSync(p).mode & 0o777;

describe("admin API access", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  it("refuses an empty admin token at start-up, from code and from the CLI", async () => {
    await expect(startEmulator({ port: 0, adminToken: "" })).rejects.toThrow(/admin token must not be empty/);
    expect(() => parseArgs(["--admin-token", ""])).toThrow(/--admin-token must not be empty/);
    const res = spawnSync(process.execPath, [CLI_SCRIPT, "--port", "0", "--admin-token="], { encoding: "utf8" });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/--admin-token must not be empty/);
  });

  it("refuses an empty or wrong x-admin-token when a token is set, and accepts the right one from any Host", async () => {
    const guarded = await Harness.start({ adminToken: "let-me-in" });
    try {
      const url = `${guarded.emu.adminUrl}/clients`;
      expect((await rawRequest("GET", url, { "x-admin-token": "" })).status).toBe(401);
      expect((await rawRequest("GET", url, { "x-admin-token": "let-me-i" })).status).toBe(401);
      expect((await rawRequest("GET", url, { "x-admin-token": "let-me-in", host: "emulator.internal:8080" })).status).toBe(200);
    } finally {
      await guarded.stop();
    }
  });

  it("without a token, answers only requests whose Host is loopback (DNS rebinding)", async () => {
    const url = `${h.emu.adminUrl}/clients`;
    for (const host of ["127.0.0.1", "127.0.0.1:9", "localhost", "localhost:8080", "[::1]", "[::1]:8080"]) {
      expect({ host, status: (await rawRequest("GET", url, { host })).status }).toEqual({ host, status: 200 });
    }
    for (const host of ["attacker.example", "attacker.example:8080", "localhost.attacker.example", "127.0.0.1.nip.io", "[::2]"]) {
      const res = await rawRequest("GET", url, { host });
      expect({ host, status: res.status }).toEqual({ host, status: 403 });
      expect(JSON.parse(res.body).error).toMatch(/Host/);
    }
    // However the path is spelled, and for routes that do not exist.
    for (const p of ["//__admin/clients", "/%5F_admin/clients", "/__admin/clients/", "/__admin/no-such-route"]) {
      expect({ p, status: (await rawRequest("GET", `${h.emu.baseUrl}${p}`, { host: "attacker.example" })).status }).toEqual({ p, status: 403 });
    }
  });

  it("takes writes only as application/json (a body-less DELETE excepted)", async () => {
    const A = h.emu.adminUrl;
    for (const [method, p, headers, body] of [
      ["POST", "/reset", {}, undefined],
      ["POST", "/reset", { "content-type": "text/plain" }, "{}"],
      ["POST", "/faults", { "content-type": "application/x-www-form-urlencoded" }, "kind=500"],
      ["PUT", "/rate-limit", { "content-type": "text/plain" }, '{"requestsPerSecond":1}'],
      ["DELETE", "/faults", { "content-type": "text/plain", "content-length": "1" }, "x"],
    ] as const) {
      const res = await rawRequest(method, `${A}${p}`, headers, body);
      expect({ method, p, status: res.status }).toEqual({ method, p, status: 415 });
    }
    expect((await rawRequest("POST", `${A}/reset`, { "content-type": "application/json" })).status).toBe(204);
    expect((await rawRequest("POST", `${A}/reset`, { "content-type": "application/json; charset=utf-8" }, "{}")).status).toBe(204);
    expect((await rawRequest("DELETE", `${A}/faults`)).status).toBe(204);
    expect((await h.admin("GET", "/faults")).body.items).toEqual([]); // the refused POST added nothing
  });

  it("compares secrets over equal-length digests", () => {
    expect(sameSecret("abc", "abc")).toBe(true);
    expect(sameSecret("abc", "abd")).toBe(false);
    expect(sameSecret("abc", "abcd")).toBe(false);
    expect(sameSecret("", "x")).toBe(false);
    expect(sameSecret(undefined, "x")).toBe(false);
  });
});

describe("data directory", () => {
  it("writes files 0600 and folders 0700", async () => {
    const dataDir = path.join(freshDir(), "data");
    const h = await Harness.start({ dataDir });
    const s = await h.create(bodies.streaming());
    const { inletId, inletUrl } = (await h.get(s.id)).auth.params;
    await request("POST", inletUrl, { body: { a: 1 } });
    await h.stop();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, "ims-signing-key"))).toBe(0o600);
    for (const dir of ["connections", "events", `events/${inletId}`]) {
      expect({ dir, mode: mode(path.join(dataDir, dir)) }).toEqual({ dir, mode: 0o700 });
      for (const f of readdirSync(path.join(dataDir, dir))) {
        const file = path.join(dataDir, dir, f);
        if (statSync(file).isFile()) expect({ file, mode: mode(file) }).toEqual({ file, mode: 0o600 });
      }
    }
  });

  it.each([
    ["empty", ""],
    ["too short", "abcd1234"],
    ["not hex", "z".repeat(64)],
  ])("fails start-up on a signing key that is %s, naming the file", async (_what, content) => {
    const dataDir = freshDir();
    writeFileSync(path.join(dataDir, "ims-signing-key"), content);
    await expect(startEmulator({ port: 0, dataDir })).rejects.toThrow(path.join(dataDir, "ims-signing-key"));
    expect(readFileSync(path.join(dataDir, "ims-signing-key"), "utf8")).toBe(content); // never overwritten
  });

  it.each([
    ["empty", ""],
    ["corrupt", '{"id": "x", '],
    ["not a connection", "[1, 2]"],
  ])("fails start-up on a connection file that is %s, naming the file", async (_what, content) => {
    const dataDir = freshDir();
    const first = await Harness.start({ dataDir });
    await first.create(bodies.ftp());
    await first.stop();
    const file = path.join(dataDir, "connections", "0000-bad.json");
    writeFileSync(file, content);
    await expect(startEmulator({ port: 0, dataDir })).rejects.toThrow(file);
  });
});

describe("reset racing writes with a data directory", () => {
  it("is atomic: no 500, and exactly the creates acknowledged after the reset survive a restart", async () => {
    const dataDir = freshDir();
    const h = await Harness.start({ dataDir });
    const headers = { ...(await h.gatewayHeaders()), "content-type": "application/json" };
    let order = 0; // the order in which answers reach this client
    const create = (i: number) =>
      fetch(`${h.emu.flowServiceUrl}/connections`, { method: "POST", headers, body: JSON.stringify(bodies.ftp(`c${i}`)) }).then(async (r) => ({
        status: r.status,
        at: ++order,
        id: ((await r.json()) as { id?: string }).id,
      }));
    const N = 35;
    const early = Array.from({ length: N }, (_, i) => create(i));
    await Promise.race(early); // writes are in flight
    const reset = fetch(`${h.emu.adminUrl}/reset`, { method: "POST", headers: { "content-type": "application/json" } }).then((r) => ({ status: r.status, at: ++order }));
    const late = Array.from({ length: N }, (_, i) => create(N + i));
    const creates = await Promise.all([...early, ...late]);
    const { status: resetStatus, at: resetAt } = await reset;
    const inMemory = new Set((await h.admin("GET", "/connections")).body.items.map((c: { id: string }) => c.id));
    await h.stop();
    const again = await Harness.start({ dataDir });
    const onDisk = new Set((await again.admin("GET", "/connections")).body.items.map((c: { id: string }) => c.id));
    await again.stop();

    const acknowledgedAfter = creates.filter((c) => c.status === 201 && c.at > resetAt).map((c) => c.id);
    const acknowledgedBefore = creates.filter((c) => c.status === 201 && c.at < resetAt).map((c) => c.id);
    expect({
      resetStatus,
      failed: creates.filter((c) => c.status !== 201).map((c) => c.status),
      lostAfterRestart: acknowledgedAfter.filter((id) => !onDisk.has(id)).length,
      keptThoughCleared: acknowledgedBefore.filter((id) => onDisk.has(id)).length,
      diskEqualsMemory: [...onDisk].sort().join() === [...inMemory].sort().join(),
      survivors: onDisk.size,
    }).toEqual({ resetStatus: 204, failed: [], lostAfterRestart: 0, keptThoughCleared: 0, diskEqualsMemory: true, survivors: acknowledgedAfter.length });
    expect(acknowledgedAfter.length).toBeGreaterThan(0);
  });
});

describe("memory bounded under unauthenticated traffic", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  it("counts unknown routes under one key and caps the stored path, query and sandbox", async () => {
    const N = 2000;
    const long = (n: number) => "x".repeat(n * 1024);
    for (let i = 0; i < N; i += 50) {
      // Within Node's 16 KB header limit: an 8 KB path, a 3 KB query and a 3 KB sandbox header.
      const batch = Array.from({ length: 50 }, (_, j) => request("GET", `${h.emu.baseUrl}/nothing/${i + j}/${long(8)}?q=${long(3)}`, { headers: { "x-sandbox-name": long(3) } }));
      expect(new Set((await Promise.all(batch)).map((r) => r.status))).toEqual(new Set([404]));
    }
    const res = await request("GET", `${h.emu.adminUrl}/requests`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(N);
    expect(res.body.counts).toEqual({ "GET (unmatched)": N });
    // 2,000 entries of 14 KB each as sent: bounded by the caps, not by what was sent.
    expect(res.text.length).toBeLessThan(N * 1024);
    const entry = res.body.entries[0];
    expect(entry.path.length).toBeLessThanOrEqual(256 + 20);
    expect(entry.path).toMatch(/^\/nothing\/0\/x+…\(cut, \d+ chars\)$/);
    expect(entry.query).toMatch(/^q=x+…\(cut, \d+ chars\)$/);
    expect(entry.sandbox.length).toBeLessThanOrEqual(256 + 20);
  });

  it("keeps at most 16 MiB of events per inlet, dropping the oldest, and answers 413 past 1 MiB per event", async () => {
    const { id } = await h.create(bodies.streaming());
    const { inletId, inletUrl } = (await h.get(id)).auth.params;
    const event = (n: number) => JSON.stringify({ n, pad: "p".repeat(1_000_000) });
    for (let n = 0; n < 20; n++) expect((await request("POST", inletUrl, { raw: event(n), headers: { "content-type": "application/json" } })).status).toBe(200);
    const items = (await h.admin("GET", `/inlets/${inletId}/events`)).body.items as Array<{ body: { n: number } }>;
    const ns = items.map((e) => e.body.n);
    expect(ns.length * 1_000_020).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(ns).toEqual(Array.from({ length: ns.length }, (_, i) => 20 - ns.length + i)); // the newest, in order
    const tooBig = await request("POST", inletUrl, { raw: JSON.stringify({ pad: "p".repeat(1024 * 1024) }), headers: { "content-type": "application/json" } });
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ status: "413", title: "Payload Too Large" });
  });

  it("answers 400 to deeply nested JSON on the inlet and stores nothing", async () => {
    const { id } = await h.create(bodies.streaming());
    const { inletId, inletUrl } = (await h.get(id)).auth.params;
    const deep = "[".repeat(500_000) + "]".repeat(500_000);
    const res = await request("POST", inletUrl, { raw: deep, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.report.message).toMatch(/nested deeper than 64/);
    const read = await h.admin("GET", `/inlets/${inletId}/events`);
    expect({ status: read.status, items: read.body.items }).toEqual({ status: 200, items: [] });
    // 64 levels are fine; strings holding brackets do not count.
    const ok = await request("POST", inletUrl, { raw: `${"[".repeat(63)}"[[[[\\"]]"${"]".repeat(63)}`, headers: { "content-type": "application/json" } });
    expect(ok.status).toBe(200);
    // Flow Service bodies get the same limit.
    expectFlowError(await h.api("POST", "/connections", { raw: deep, headers: { "content-type": "application/json" } }), "1405-400");
  });
});

describe("input that must be refused", () => {
  let h: Harness;
  const prodOnly = { clientId: "prod-client", clientSecret: "prod-secret", orgId: "ORG@AdobeOrg", sandboxes: ["prod"] };
  const devOnly = { clientId: "dev-client", clientSecret: "dev-secret", orgId: "ORG@AdobeOrg", sandboxes: ["dev"] };
  beforeAll(async () => {
    h = await Harness.start({ clients: [prodOnly, devOnly] });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  it.each(["/auth/params/__proto__", "/auth/params/constructor", "/auth/params/prototype", "/__proto__/polluted", "/name/constructor"])(
    "answers 1100-400 to a JSON Patch path through %s and keeps the etag",
    async (p) => {
      const c = await h.create(bodies.ftp());
      const res = await h.api("PATCH", `/connections/${c.id}`, { body: [{ op: "add", path: p, value: { polluted: true } }], headers: { "if-match": c.etag } });
      expectFlowError(res, "1100-400");
      expect((await h.get(c.id)).etag).toBe(c.etag);
    },
  );

  it("validates admin drift as the public API does", async () => {
    const c = await h.create(bodies.ftp());
    const before = (await h.admin("GET", `/connections/${c.id}`)).body;
    for (const body of [{ auth: { params: { host: null } } }, { auth: { params: { host: "" } } }, { auth: { params: { extra: 1 } } }, { name: " " }, { color: "red" }]) {
      const res = await h.admin("PATCH", `/connections/${c.id}`, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    const proto = await request("PATCH", `${h.emu.adminUrl}/connections/${c.id}`, { raw: '{"auth":{"params":{"__proto__":{"host":"x"}}}}', headers: { "content-type": "application/json" } });
    expect(proto.status).toBe(400);
    expect((await h.admin("GET", `/connections/${c.id}`)).body).toEqual(before);
    const s = await h.create(bodies.streaming());
    expect((await h.admin("PATCH", `/connections/${s.id}`, { auth: { params: { dataType: "raw" } } })).status).toBe(400);
  });

  it.each([
    ["not base64", "Basic !!!"],
    ["no colon", `Basic ${Buffer.from("just-an-id").toString("base64")}`],
    ["bad percent-encoding", `Basic ${Buffer.from("a%:b").toString("base64")}`],
  ])("answers 400 to malformed Basic auth (%s) on IMS and on the inlet", async (_what, authorization) => {
    const ims = await request("POST", `${h.emu.imsUrl}/ims/token/v3`, {
      raw: `grant_type=client_credentials&client_id=${prodOnly.clientId}&client_secret=${prodOnly.clientSecret}`,
      headers: { "content-type": "application/x-www-form-urlencoded", authorization },
    });
    expect({ status: ims.status, error: ims.body.error }).toEqual({ status: 400, error: "invalid_request" });
    const { id } = await h.create(bodies.streaming("s", true), { client: prodOnly });
    const { inletUrl } = (await h.get(id, { client: prodOnly })).auth.params;
    const inlet = await request("POST", inletUrl, { raw: "{}", headers: { "content-type": "application/json", authorization } });
    expect({ status: inlet.status, title: inlet.body.title }).toEqual({ status: 400, title: "Bad Request" });
  });

  it("refuses an inlet token whose client has no access to the connection's sandbox", async () => {
    const { id } = await h.create(bodies.streaming("s", true), { client: prodOnly });
    const { inletId, inletUrl } = (await h.get(id, { client: prodOnly })).auth.params;
    const res = await request("POST", inletUrl, { raw: "{}", headers: { "content-type": "application/json", authorization: `Bearer ${await h.token(devOnly)}` } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      type: "https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization",
      status: "403",
      title: "Forbidden",
      report: { message: expect.stringMatching(/sandbox 'prod'/) },
    });
    expect((await h.admin("GET", `/inlets/${inletId}/events`)).body.items).toEqual([]);
    const own = await request("POST", inletUrl, { raw: "{}", headers: { "content-type": "application/json", authorization: `Bearer ${await h.token(prodOnly)}` } });
    expect(own.status).toBe(200);
  });

  it("keeps no client secret from the IMS query string in the request log", async () => {
    const secret = prodOnly.clientSecret;
    const res = await request("POST", `${h.emu.imsUrl}/ims/token/v3?grant_type=client_credentials&client_id=${prodOnly.clientId}&client_secret=${secret}&scope=openid`);
    expect(res.status).toBe(200);
    const log = await request("GET", `${h.emu.adminUrl}/requests`);
    expect(log.text).not.toContain(secret);
    expect(log.body.entries[0].query).toBe(`grant_type=client_credentials&client_id=${prodOnly.clientId}&client_secret=********&scope=openid`);
  });

  it("prints a client secret in the start-up banner only for the built-in demo client", async () => {
    const dir = freshDir();
    const file = path.join(dir, "clients.json");
    writeFileSync(file, JSON.stringify([{ clientId: "ci", clientSecret: "do-not-print-me", orgId: "CI@AdobeOrg", sandboxes: ["qa"] }]));
    const cli = await startCli(["--port=0", "--clients", file]);
    try {
      expect(cli.stdout()).toContain("export AEP_CLIENT_ID=ci\n");
      expect(cli.stdout()).not.toContain("do-not-print-me");
      expect(cli.stdout()).toContain("export AEP_CLIENT_SECRET=<the client's secret from the clients file>\n");
    } finally {
      cli.child.kill("SIGTERM");
    }
    expect(await cli.exited).toBe(0);
  });
});
