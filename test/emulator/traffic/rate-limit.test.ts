import { FakeClock, Harness, request } from "../../helpers/emulator";

describe("token-bucket rate limit", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  it("answers 429 with the gateway body and an integer Retry-After once the bucket is empty", async () => {
    await h.token(); // IMS is not rate limited, but take the token first anyway
    expect((await h.admin("PUT", "/rate-limit", { requestsPerSecond: 0.5, burst: 2 })).status).toBe(204);
    expect((await h.api("GET", "/connections")).status).toBe(200);
    expect((await h.api("GET", "/connections")).status).toBe(200);
    const res = await h.api("GET", "/connections");
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ error_code: "429050", message: "Too many requests" });
    const retryAfter = res.headers.get("retry-after") ?? "";
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("refills at the configured rate", async () => {
    const clock = new FakeClock();
    const timed = await Harness.start({ clock: clock.now });
    try {
      await timed.token();
      await timed.admin("PUT", "/rate-limit", { requestsPerSecond: 10, burst: 1 });
      expect((await timed.api("GET", "/connections")).status).toBe(200);
      expect((await timed.api("GET", "/connections")).status).toBe(429);
      clock.advance(99);
      expect((await timed.api("GET", "/connections")).status).toBe(429);
      clock.advance(100);
      expect((await timed.api("GET", "/connections")).status).toBe(200);
    } finally {
      await timed.stop();
    }
  });

  it("leaves IMS and the admin API alone, and is removed by DELETE", async () => {
    await h.admin("PUT", "/rate-limit", { requestsPerSecond: 1, burst: 1 });
    const form = { raw: "grant_type=client_credentials&client_id=aep-emulator-client&client_secret=aep-emulator-secret", headers: { "content-type": "application/x-www-form-urlencoded" } };
    for (let i = 0; i < 3; i++) expect((await request("POST", `${h.emu.imsUrl}/ims/token/v3`, form)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await h.admin("GET", "/requests")).status).toBe(200);
    await h.api("GET", "/connections");
    expect((await h.api("GET", "/connections")).status).toBe(429);
    expect((await h.admin("DELETE", "/rate-limit")).status).toBe(204);
    for (let i = 0; i < 3; i++) expect((await h.api("GET", "/connections")).status).toBe(200);
  });

  it("records throttled requests in the request log", async () => {
    await h.token();
    await h.admin("PUT", "/rate-limit", { requestsPerSecond: 1, burst: 1 });
    await h.api("GET", "/connections");
    await h.api("GET", "/connections");
    const log = (await h.admin("GET", "/requests")).body;
    expect(log.entries.filter((e: { route: string }) => e.route === "/connections").map((e: { status: number; fault?: string }) => [e.status, e.fault])).toEqual([[200, undefined], [429, "rate-limit"]]);
  });

  it("can be set at start", async () => {
    const limited = await Harness.start({ rateLimit: { requestsPerSecond: 1, burst: 1 } });
    try {
      expect((await limited.api("GET", "/connections")).status).toBe(200);
      expect((await limited.api("GET", "/connections")).status).toBe(429);
    } finally {
      await limited.stop();
    }
  });

  it("refuses a malformed rate limit", async () => {
    expect((await h.admin("PUT", "/rate-limit", { requestsPerSecond: 0 })).status).toBe(400);
    expect((await h.admin("PUT", "/rate-limit", { requestsPerSecond: 5, burst: 0 })).status).toBe(400);
  });
});
