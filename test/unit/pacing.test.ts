import { Pacer } from "../../provider/client/pacing";

describe("Pacer", () => {
  it("holds requests until a pause ends, and a shorter pause never cuts a longer one short", async () => {
    const pacer = new Pacer();
    const start = Date.now();
    pacer.pause(300, start);
    pacer.pause(50, start);
    await pacer.ready();
    // A lower bound only: timers never fire early (a few ms of clock granularity allowed).
    expect(Date.now() - start).toBeGreaterThanOrEqual(295);
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
