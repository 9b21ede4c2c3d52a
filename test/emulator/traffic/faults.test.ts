import { bodies, expectFlowError, FS, Harness, rawRequest, request } from "../../helpers/emulator";

describe("fault injection", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
    await h.token(); // taken once: rules without a route would otherwise hit the token request too
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  const fault = async (rule: Record<string, unknown>) => {
    const res = await h.admin("POST", "/faults", rule);
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const list = () => h.api("GET", "/connections");
  const names = async () => (await h.admin("GET", "/connections")).body.items.map((c: { name: string }) => c.name);

  it("answers 429 with Retry-After for the next N matching requests, then normally", async () => {
    await fault({ kind: "429", count: 2, retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const res = await list();
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("3");
      expect(res.body).toEqual({ error_code: "429050", message: "Too many requests" });
    }
    expect((await list()).status).toBe(200);
  });

  it("answers 500 and 503 with Flow error bodies", async () => {
    await fault({ kind: "500", count: 1 });
    await fault({ kind: "503", count: 1 });
    expectFlowError(await list(), "1102-500");
    expectFlowError(await list(), "1103-503");
    expect((await list()).status).toBe(200);
  });

  it("resets the socket", async () => {
    await fault({ kind: "reset", count: 1 });
    const headers = await h.gatewayHeaders();
    await expect(rawRequest("GET", `${h.emu.flowServiceUrl}/connections`, headers)).rejects.toMatchObject({ code: "ECONNRESET" });
    expect((await rawRequest("GET", `${h.emu.flowServiceUrl}/connections`, headers)).status).toBe(200);
  });

  it("adds latency, then answers normally", async () => {
    await fault({ kind: "latency", latencyMs: 300, count: 1 });
    const started = Date.now();
    expect((await list()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((await list()).status).toBe(200);
    const faults = h.control.requests().entries.filter((e) => e.route === "/connections").map((e) => e.fault);
    expect(faults).toEqual(["latency", undefined]);
  });

  it("commits a create at once and answers it later (slow-response)", async () => {
    await fault({ kind: "slow-response", latencyMs: 600, count: 1, method: "POST", route: "/connections" });
    let answered = false;
    const pending = h.api("POST", "/connections", { body: bodies.ftp("slow") }).finally(() => (answered = true));
    // Committed before the answer leaves: the connection is there while the create is still unanswered.
    while (h.control.connections().length === 0) await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    expect(await names()).toEqual(["slow"]);
    expect((await pending).status).toBe(201);
  });

  it("commits a create and then fails the response (the ambiguous create)", async () => {
    await fault({ kind: "commit-then-fail", count: 1, method: "POST", route: "/connections" });
    expectFlowError(await h.api("POST", "/connections", { body: bodies.ftp("ambiguous") }), "1102-500");
    expect(await names()).toEqual(["ambiguous"]);
    const found = await h.api("GET", "/connections?property=name==ambiguous");
    expect(found.body.items).toHaveLength(1);
  });

  it("commits and then answers 503, or resets the socket, as thenStatus says", async () => {
    await fault({ kind: "commit-then-fail", count: 1, thenStatus: 503 });
    expectFlowError(await h.api("POST", "/connections", { body: bodies.ftp("one") }), "1103-503");
    await fault({ kind: "commit-then-fail", count: 1, thenStatus: "reset" });
    const headers = { ...(await h.gatewayHeaders()), "content-type": "application/json" };
    await expect(rawRequest("POST", `${h.emu.flowServiceUrl}/connections`, headers, JSON.stringify(bodies.ftp("two")))).rejects.toMatchObject({ code: "ECONNRESET" });
    expect((await names()).sort()).toEqual(["one", "two"]);
  });

  it("commits a PATCH and a DELETE before failing them", async () => {
    const c = await h.create(bodies.ftp("before"));
    await fault({ kind: "commit-then-fail", count: 2 });
    expect((await h.api("GET", `/connections/${c.id}`)).status).toBe(200); // reads are not affected
    expectFlowError(await h.api("PATCH", `/connections/${c.id}`, { body: [{ op: "replace", path: "/name", value: "after" }], headers: { "if-match": c.etag } }), "1102-500");
    const item = await h.get(c.id);
    expect(item.name).toBe("after");
    expect(item.etag).not.toBe(c.etag);
    expectFlowError(await h.api("DELETE", `/connections/${c.id}`), "1102-500");
    expectFlowError(await h.api("GET", `/connections/${c.id}`), "1101-404");
  });

  it("applies a rule only to its method and route", async () => {
    await fault({ kind: "500", method: "GET", route: "/connections/{id}" });
    const c = await h.create(bodies.ftp());
    expect((await list()).status).toBe(200);
    expectFlowError(await h.api("GET", `/connections/${c.id}`), "1102-500");
    expectFlowError(await h.api("GET", `/connections/${c.id}/`), "1102-500");
    expect((await h.api("DELETE", `/connections/${c.id}`)).status).toBe(204);
  });

  it("fires a seeded fraction on the same requests every time", async () => {
    const pattern = async () => {
      await h.reset();
      await fault({ kind: "503", fraction: 0.5, seed: 1234, route: "/connections" });
      const statuses = [];
      for (let i = 0; i < 30; i++) statuses.push((await list()).status);
      return statuses;
    };
    const first = await pattern();
    expect(await pattern()).toEqual(first);
    const failed = first.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(25);
  });

  it("fires on every match without count or fraction, and reports fired and remaining", async () => {
    const always = await fault({ kind: "503", route: "/connectionSpecs" });
    const limited = await fault({ kind: "429", count: 3, route: "/connections" });
    for (let i = 0; i < 4; i++) await h.api("GET", "/connectionSpecs");
    await list();
    const items = (await h.admin("GET", "/faults")).body.items;
    expect(items).toEqual([
      { id: always, kind: "503", route: "/connectionSpecs", fired: 4 },
      { id: limited, kind: "429", count: 3, route: "/connections", fired: 1, remaining: 2 },
    ]);
    expect((await h.admin("DELETE", "/faults")).status).toBe(204);
    expect((await h.api("GET", "/connectionSpecs")).status).toBe(200);
  });

  it("checks rules in insertion order: the first that fires applies", async () => {
    await fault({ kind: "429", count: 1 });
    await fault({ kind: "500", count: 1 });
    expect((await list()).status).toBe(429);
    expect((await list()).status).toBe(500);
    expect((await list()).status).toBe(200);
  });

  it("applies to the IMS route and the inlet too", async () => {
    await fault({ kind: "503", count: 1, route: "/ims/token/v3" });
    const ims = await request("POST", `${h.emu.imsUrl}/ims/token/v3`, { raw: "grant_type=client_credentials", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(ims.status).toBe(503);
    expect(ims.body.error).toBe("temporarily_unavailable");
    const { id } = await h.create(bodies.streaming());
    const { inletUrl } = (await h.get(id)).auth.params;
    await fault({ kind: "500", count: 1, route: "/collection/{inletId}" });
    expect((await request("POST", inletUrl, { body: {} })).status).toBe(500);
    expect((await request("POST", inletUrl, { body: {} })).status).toBe(200);
  });

  it("never faults the admin API", async () => {
    await fault({ kind: "500" });
    expect((await h.admin("GET", "/connections")).status).toBe(200);
    expect((await h.admin("GET", "/requests")).status).toBe(200);
  });

  it("refuses a malformed rule", async () => {
    for (const rule of [{ kind: "418" }, { kind: "500", count: 0 }, { kind: "500", fraction: 2 }, { kind: "500", route: "/nope" }, { kind: "latency" }, { kind: "slow-response" }, { kind: "commit-then-fail", method: "GET" }, { kind: "500", extra: 1 }]) {
      const res = await h.admin("POST", "/faults", rule);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual(expect.any(String));
    }
  });

  it("keeps the gateway order for a faulted route's real answer once the rule is spent", async () => {
    await fault({ kind: "500", count: 1, route: "/connections" });
    expect((await request("GET", `${h.emu.baseUrl}${FS}/connections`)).status).toBe(500);
    expect((await request("GET", `${h.emu.baseUrl}${FS}/connections`)).status).toBe(403);
  });
});
