/**
 * The fixed latency: a delay of L ms before every request but /__admin, set at start or through the
 * control and admin APIs. The delays are counted through an injected sleep, never timed.
 */
import { FakeClock, Harness, request } from "../../helpers/emulator";

/** A sleep that records what it was asked to wait and lets `release()` end the waits. */
class CountingSleep {
  readonly asked: number[] = [];
  private waiting: Array<() => void> = [];
  /** When true, every wait ends at once. */
  instant = true;

  readonly sleep = (ms: number): Promise<void> => {
    this.asked.push(ms);
    if (this.instant) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  };

  get pending(): number {
    return this.waiting.length;
  }

  release(): void {
    const w = this.waiting;
    this.waiting = [];
    for (const resolve of w) resolve();
  }
}

const form = { raw: "grant_type=client_credentials&client_id=aep-emulator-client&client_secret=aep-emulator-secret", headers: { "content-type": "application/x-www-form-urlencoded" } };

describe("fixed latency", () => {
  let h: Harness;
  let waits: CountingSleep;
  beforeEach(async () => {
    waits = new CountingSleep();
    h = await Harness.start({ latencyMs: 150, sleep: waits.sleep });
  });
  afterEach(() => h.stop());

  it("delays every IMS and Flow Service request by latencyMs from the start option, and no admin call", async () => {
    await h.token();
    await h.api("GET", "/connections");
    await h.api("GET", "/connections/nope");
    for (let i = 0; i < 3; i++) expect((await h.admin("GET", "/requests")).status).toBe(200);
    expect(waits.asked).toEqual([150, 150, 150]);
  });

  it("holds the answer until the delay has passed", async () => {
    await h.token();
    waits.instant = false;
    let answered = false;
    const pending = h.api("GET", "/connections").then((res) => {
      answered = true;
      return res;
    });
    while (waits.pending === 0) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(false);
    waits.release();
    expect((await pending).status).toBe(200);
    expect(waits.asked).toEqual([150, 150]);
  });

  it("is changed and removed through the admin API, and cleared by reset", async () => {
    expect((await h.admin("GET", "/latency")).body).toEqual({ latencyMs: 150 });
    expect((await h.admin("PUT", "/latency", { latencyMs: 50 })).status).toBe(204);
    await request("POST", `${h.emu.imsUrl}/ims/token/v3`, form);
    expect(waits.asked).toEqual([50]);
    expect((await h.admin("PUT", "/latency", { latencyMs: 0 })).status).toBe(204);
    await request("POST", `${h.emu.imsUrl}/ims/token/v3`, form);
    expect(waits.asked).toEqual([50]);
    h.control.setLatency({ latencyMs: 25 });
    await request("POST", `${h.emu.imsUrl}/ims/token/v3`, form);
    expect(waits.asked).toEqual([50, 25]);
    await h.admin("POST", "/reset");
    expect(h.control.latency()).toEqual({ latencyMs: 0 });
  });

  it("refuses a bad latency with the field and its rule", async () => {
    const neg = await h.admin("PUT", "/latency", { latencyMs: -1 });
    expect(neg.status).toBe(400);
    expect(neg.body.error).toContain("latencyMs must be an integer in 0..600000");
    const unknown = await h.admin("PUT", "/latency", { latencyMs: 5, jitter: 2 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toContain("unknown field 'jitter'");
    expect(h.control.latency()).toEqual({ latencyMs: 150 });
  });

  it("comes before the rate limit, whose 429s are delayed as well", async () => {
    const clock = new FakeClock();
    const counted = new CountingSleep();
    const limited = await Harness.start({ clock: clock.now, latencyMs: 40, sleep: counted.sleep, rateLimit: { requestsPerSecond: 1, burst: 1 } });
    try {
      await limited.token();
      expect((await limited.api("GET", "/connections")).status).toBe(200);
      expect((await limited.api("GET", "/connections")).status).toBe(429);
      expect(counted.asked).toEqual([40, 40, 40]);
    } finally {
      await limited.stop();
    }
  });
});
