import { ADAPTIVE, type Clock, Pacer, cubicRate } from "../../../provider/client/pacing";

/** A clock that moves only when slept on, so pauses take no real time and are measured exactly. */
function steppedClock(start = 1_000_000): Clock & { slept: number[] } {
  let t = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

describe("Pacer", () => {
  it("holds requests until a pause ends, and a shorter pause never cuts a longer one short", async () => {
    const clock = steppedClock();
    const pacer = new Pacer(undefined, clock);
    const start = clock.now();
    pacer.pause(300, start);
    pacer.pause(50, start);
    await pacer.ready();
    expect(clock.now() - start).toBe(300);
    expect(clock.slept).toEqual([300]);
  });

  it("lets requests through at once when neither paused nor rate-limited", async () => {
    const pacer = new Pacer();
    let passed = 0;
    await Promise.all(Array.from({ length: 100 }, () => pacer.ready().then(() => passed++)));
    expect(passed).toBe(100);
  });

  it("sends evenly at the rate: 15 requests at 10/s take at least 1.4 s, with no burst at the start", async () => {
    const pacer = new Pacer(10);
    const start = Date.now();
    const times: number[] = [];
    await Promise.all(Array.from({ length: 15 }, () => pacer.ready().then(() => times.push(Date.now() - start))));
    // Lower bounds only (timers never fire early): the bucket starts empty and holds one request.
    expect(times.filter((t) => t < 250).length).toBeLessThanOrEqual(3);
    expect(Math.max(...times)).toBeGreaterThanOrEqual(1400);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])("refuses a rate of %p", (rate) => {
    expect(() => new Pacer(rate)).toThrow(RangeError);
  });
});

describe("adaptive rate (no configured rate, or under it)", () => {
  /** A pacer that saw `n` requests accepted over the second before `at`. */
  function afterAccepted(n: number, at: number, configured?: number): Pacer {
    const pacer = new Pacer(configured);
    for (let i = 0; i < n; i++) pacer.accepted(at - 999 + Math.floor((i * 999) / n));
    return pacer;
  }

  it("is unpaced until the first 429", () => {
    const pacer = afterAccepted(50, 10_000);
    expect(pacer.rate(10_000)).toBe(Number.POSITIVE_INFINITY);
  });

  it("drops to β × the rate the gateway was accepting at the first 429", () => {
    const pacer = afterAccepted(20, 10_000);
    pacer.throttled(10_000);
    expect(pacer.rate(10_000)).toBeCloseTo(ADAPTIVE.beta * 20, 6);
  });

  it("measures over the last measureMs, pauses included (the gateway refills while the client waits)", () => {
    const pacer = new Pacer();
    for (let i = 0; i < 30; i++) pacer.accepted(1_000 + i); // long before the window
    // 10/s for 4 s, a 1 s pause with nothing accepted, then the 429.
    for (let t = 5_000; t < 9_000; t += 100) pacer.accepted(t);
    pacer.pause(1_000, 9_000);
    pacer.throttled(10_000);
    expect(pacer.rate(10_000)).toBeCloseTo(ADAPTIVE.beta * (40 / (ADAPTIVE.measureMs / 1000)), 6);
  });

  it("measures a deployment's opening burst over a full second, not the milliseconds it took", () => {
    const pacer = new Pacer();
    for (let i = 0; i < 10; i++) pacer.accepted(10_000 + i);
    pacer.throttled(10_050);
    expect(pacer.rate(10_050)).toBeCloseTo(ADAPTIVE.beta * 10, 6);
  });

  it("lowers from the rate it was keeping when the gateway accepted more (a burst allowance)", () => {
    const pacer = afterAccepted(20, 10_000);
    pacer.throttled(10_000); // 16/s
    for (let t = 10_000; t < 15_000; t += 20) pacer.accepted(t); // 50/s accepted meanwhile
    const keeping = pacer.rate(15_000);
    pacer.throttled(15_000);
    expect(pacer.rate(15_000)).toBeCloseTo(ADAPTIVE.beta * keeping, 6);
  });

  it("lowers once per burst: 429s within decreaseGapMs of a decrease change nothing", () => {
    const pacer = afterAccepted(20, 10_000);
    pacer.throttled(10_000);
    const after = pacer.rate(10_000);
    pacer.throttled(10_000 + ADAPTIVE.decreaseGapMs - 1);
    expect(pacer.rate(10_000)).toBe(after);
    pacer.throttled(10_000 + ADAPTIVE.decreaseGapMs);
    expect(pacer.rate(10_000 + ADAPTIVE.decreaseGapMs)).toBeLessThan(after);
  });

  it("grows back to the throttled rate, stays near it, then probes above it (CUBIC)", () => {
    const w = 20;
    const k = Math.cbrt((1 - ADAPTIVE.beta) / ADAPTIVE.c); // c scales with the rate (above scaleFloor)
    expect(Math.cbrt((1000 * (1 - ADAPTIVE.beta)) / (ADAPTIVE.c * 1000))).toBeCloseTo(k, 6);
    expect(cubicRate(0, w)).toBeCloseTo(ADAPTIVE.beta * w, 6);
    expect(cubicRate(k, w)).toBeCloseTo(w, 6);
    // Flat around the old limit: within 5% for a second on either side of k.
    expect(Math.abs(cubicRate(k - 1, w) - w) / w).toBeLessThan(0.05);
    expect(Math.abs(cubicRate(k + 1, w) - w) / w).toBeLessThan(0.05);
    expect(cubicRate(k + 5, w)).toBeGreaterThan(1.5 * w);
    // Never decreasing between 429s.
    for (let t = 0; t < 10; t += 0.1) expect(cubicRate(t + 0.1, w)).toBeGreaterThan(cubicRate(t, w));
  });

  it("never goes below minRate, however little was accepted", () => {
    const pacer = new Pacer();
    pacer.throttled(10_000);
    expect(pacer.rate(10_000)).toBeGreaterThanOrEqual(ADAPTIVE.minRate);
    for (let t = 11_000; t < 20_000; t += 1_000) pacer.throttled(t);
    expect(pacer.rate(20_000)).toBeGreaterThanOrEqual(ADAPTIVE.minRate);
  });

  it("never exceeds a configured rate, and lowers it on 429s", () => {
    const pacer = afterAccepted(40, 10_000, 10);
    expect(pacer.rate(10_000)).toBe(10);
    pacer.throttled(10_000);
    expect(pacer.rate(10_000)).toBeCloseTo(ADAPTIVE.beta * 10, 6);
    expect(pacer.rate(10_000 + 60_000)).toBe(10);
  });
});

