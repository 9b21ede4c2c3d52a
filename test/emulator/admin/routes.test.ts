import { bodies, expectFlowError, FakeClock, Harness, request } from "../../helpers/emulator";

describe("admin API", () => {
  let h: Harness;
  const clock = new FakeClock();
  beforeAll(async () => {
    h = await Harness.start({ clock: clock.now });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  it("logs every request with counts per method and route, normalising trailing slashes", async () => {
    await h.token();
    const c = await h.create(bodies.ftp());
    await h.api("GET", `/connections/${c.id}`);
    await h.api("GET", `/connections/${c.id}/`);
    await h.api("PATCH", `/connections/${c.id}`, { body: [{ op: "replace", path: "/name", value: "x" }], headers: { "if-match": c.etag } });
    await h.api("GET", "/connections?limit=1");
    await h.api("GET", "/connectionSpecs");
    await h.api("GET", "/connectionSpecs/fb2e94c9-c031-467d-8103-6bd6e0a432f2");
    await request("POST", `${h.emu.baseUrl}/collection/${"a".repeat(64)}`, { body: {} });
    await h.api("DELETE", `/connections/${c.id}`);
    await h.admin("GET", "/connections");
    const log = (await h.admin("GET", "/requests")).body;
    expect(log.counts).toEqual({
      "POST /ims/token/v3": 1,
      "POST /connections": 1,
      "GET /connections/{id}": 2,
      "PATCH /connections/{id}": 1,
      "GET /connections": 1,
      "GET /connectionSpecs": 1,
      "GET /connectionSpecs/{id}": 1,
      "POST /collection/{inletId}": 1,
      "DELETE /connections/{id}": 1,
    });
    expect(log.total).toBe(10);
    expect(log.entries[1]).toEqual({ method: "POST", route: "/connections", path: "/data/foundation/flowservice/connections", status: 201, sandbox: "prod", at: expect.any(Number) });
    expect(log.entries[8]).toMatchObject({ route: "/collection/{inletId}", status: 404 });
    expect(log.entries[0].sandbox).toBeUndefined();
  });

  it("records faulted requests with their fault, and clears the log on DELETE", async () => {
    await h.token();
    await h.admin("POST", "/faults", { kind: "503", count: 1 });
    await h.admin("POST", "/faults", { kind: "reset", count: 1 });
    await h.api("GET", "/connections");
    await h.api("GET", "/connections").catch(() => undefined);
    const entries = (await h.admin("GET", "/requests")).body.entries;
    const flow = entries.filter((e: { route: string }) => e.route === "/connections");
    expect(flow.map((e: { status: number; fault: string }) => [e.status, e.fault])).toEqual([[503, "503"], [0, "reset"]]);
    expect((await h.admin("DELETE", "/requests")).status).toBe(204);
    expect((await h.admin("GET", "/requests")).body).toEqual({ total: 0, counts: {}, entries: [] });
  });

  it("resets connections, faults, rate limit, log and inlet events, but keeps clients", async () => {
    const s = await h.create(bodies.streaming());
    const { inletId, inletUrl } = (await h.get(s.id)).auth.params;
    await request("POST", inletUrl, { body: { x: 1 } });
    await h.admin("POST", "/faults", { kind: "500", route: "/connectionSpecs" });
    await h.admin("PUT", "/rate-limit", { requestsPerSecond: 100 });
    await h.reset();
    expect((await h.admin("GET", "/connections")).body.items).toEqual([]);
    expect((await h.admin("GET", "/faults")).body.items).toEqual([]);
    expect((await h.admin("GET", `/inlets/${inletId}/events`)).body.items).toEqual([]);
    expect((await h.admin("GET", "/requests")).body.total).toBe(0);
    expect((await h.admin("GET", "/clients")).body.items).toEqual(h.emu.clients);
    expect((await h.api("GET", "/connectionSpecs")).status).toBe(200);
  });

  it("shows every connection with secrets in clear, sandbox, org and dataflow count", async () => {
    const c = await h.create(bodies.ftp(), { sandbox: "dev" });
    await h.admin("PUT", `/connections/${c.id}/dataflows`, { count: 1 });
    const item = (await h.admin("GET", `/connections/${c.id}`)).body;
    expect(item).toMatchObject({ id: c.id, sandboxName: "dev", imsOrgId: h.client.orgId, usedByDataflows: 1, auth: { params: { password: "ftp-secret" } } });
    expect((await h.admin("GET", "/connections")).body.items).toEqual([item]);
    expect((await h.admin("GET", "/connections/nope")).status).toBe(404);
  });

  it("renames a connection behind the client's back: new name, new etag, new updatedAt", async () => {
    const c = await h.create(bodies.ftp("mine"));
    const before = await h.get(c.id);
    clock.advance(5);
    const res = await h.admin("PATCH", `/connections/${c.id}`, { name: "theirs", description: "d" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "theirs", description: "d" });
    const after = await h.get(c.id);
    expect(after).toMatchObject({ name: "theirs", description: "d", etag: res.body.etag });
    expect(after.etag).not.toBe(before.etag);
    expect(after.updatedAt).toBeGreaterThan(before.updatedAt);
  });

  it("merges params behind the client's back, null removing one, and validates them", async () => {
    const c = await h.create(bodies.sftpPassword());
    const res = await h.admin("PATCH", `/connections/${c.id}`, { auth: { params: { host: "moved.example.com", port: 2200, password: "changed" } } });
    expect(res.body.auth.params).toEqual({ host: "moved.example.com", port: 2200, userName: "bob", password: "changed" });
    expect((await h.admin("PATCH", `/connections/${c.id}`, { auth: { params: { port: null } } })).body.auth.params.port).toBeUndefined();
    const bad = await h.admin("PATCH", `/connections/${c.id}`, { auth: { params: { port: "x" } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/port/);
  });

  it("deletes a connection behind the client's back", async () => {
    const c = await h.create(bodies.ftp());
    expect((await h.admin("DELETE", `/connections/${c.id}`)).status).toBe(204);
    expectFlowError(await h.api("GET", `/connections/${c.id}`), "1101-404");
    expect((await h.admin("DELETE", `/connections/${c.id}`)).status).toBe(404);
  });

  it("refuses a malformed dataflow count", async () => {
    const c = await h.create(bodies.ftp());
    expect((await h.admin("PUT", `/connections/${c.id}/dataflows`, { count: -1 })).status).toBe(400);
    expect((await h.admin("PUT", `/connections/${c.id}/dataflows`, { count: "2" })).status).toBe(400);
  });

  it("answers GET /__admin with an index of every route and its fields, and every listed route exists", async () => {
    const index = (await h.admin("GET", "")).body;
    const row = (method: string, path: string) => index.routes.find((r: { method: string; path: string }) => r.method === method && r.path === path);
    expect(Object.keys(index.faultKinds)).toEqual(["412", "429", "500", "503", "reset", "latency", "slow-response", "commit-then-fail"]);
    expect(Object.keys(row("POST", "/__admin/faults").body)).toEqual(["kind", "count", "fraction", "seed", "method", "route", "retryAfterSeconds", "latencyMs", "thenStatus"]);
    expect(Object.keys(row("PUT", "/__admin/rate-limit").body)).toEqual(["requestsPerSecond", "burst"]);
    expect(Object.keys(row("PATCH", "/__admin/connections/{id}").body)).toEqual(["name", "description", "auth"]);
    expect(Object.keys(row("PUT", "/__admin/connections/{id}/dataflows").body)).toEqual(["count"]);
    for (const [method, path] of [["POST", "/__admin/reset"], ["GET", "/__admin/requests"], ["DELETE", "/__admin/connections/{id}"], ["GET", "/__admin/clients"], ["GET", "/__admin/inlets/{inletId}/events"]]) {
      expect({ method, path, listed: row(method, path) !== undefined }).toEqual({ method, path, listed: true });
    }
    // Every listed route is served: a call never meets the router's 404 (a missing connection is the handler's own 404).
    const c = await h.create(bodies.ftp());
    for (const r of index.routes as Array<{ method: string; path: string }>) {
      if (r.method === "POST" && r.path === "/__admin/reset") continue;
      const path = r.path.replace("/__admin", "").replace("{id}", c.id).replace("{inletId}", "0".repeat(64));
      const res = await h.admin(r.method, path, r.method === "GET" || r.method === "DELETE" ? undefined : {});
      expect({ route: `${r.method} ${r.path}`, routed: !/no admin route/.test(res.text) }).toEqual({ route: `${r.method} ${r.path}`, routed: true });
    }
    // Fields outside a table are refused by the route that uses it.
    expect((await h.admin("POST", "/faults", { kind: "500", colour: "red" })).status).toBe(400);
    expect((await h.admin("PUT", "/rate-limit", { requestsPerSecond: 1, colour: "red" })).status).toBe(400);
  });

  it("answers unknown admin routes with 404", async () => {
    const res = await h.admin("GET", "/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body.error).toMatch(/no admin route/);
  });

  it("requires x-admin-token when one is set", async () => {
    const guarded = await Harness.start({ adminToken: "let-me-in" });
    try {
      expect((await guarded.admin("GET", "/requests")).status).toBe(401);
      expect((await guarded.admin("GET", "/requests", undefined, { "x-admin-token": "wrong" })).status).toBe(401);
      expect((await guarded.admin("GET", "/requests", undefined, { "x-admin-token": "let-me-in" })).status).toBe(200);
    } finally {
      await guarded.stop();
    }
  });

  it("generates an admin token when bound off loopback without one", async () => {
    const open = await Harness.start({ host: "0.0.0.0" });
    try {
      expect(open.emu.adminToken).toMatch(/^[0-9a-f]{32}$/);
      expect(open.emu.baseUrl).toBe(`http://127.0.0.1:${open.emu.port}`);
      expect((await open.admin("GET", "/clients")).status).toBe(401);
      expect((await open.admin("GET", "/clients", undefined, { "x-admin-token": open.emu.adminToken as string })).status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});
