import { ProviderUnderTest } from "../../helpers/engine";
import { TestEmulator } from "../../helpers/emulator";

/**
 * Client pacing against the emulator's token bucket: with `aep:requestsPerSecond` at the gateway's
 * rate no request is throttled; without it the client learns the rate from 429s; a Retry-After holds
 * every request of the process, not only the refused one.
 */
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

async function createMany(ftp: ProviderUnderTest, prefix: string, n: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const inputs = await ftp.checked({}, { __autoName: `${prefix}-${i}`, host: "ftp.example.com", userName: "u", password: `pacing-${i}` });
      return (await ftp.create(inputs)).id;
    }),
  );
}

it("keeps to aep:requestsPerSecond, so a gateway limited to that rate throttles nothing", async () => {
  await emu.admin("PUT", "/rate-limit", { requestsPerSecond: 10, burst: 10 });
  const ftp = await ProviderUnderTest.load("ftp", emu.config({ "aep:requestsPerSecond": "10" }));
  const ids = await createMany(ftp, "paced", 30);
  expect(new Set(ids).size).toBe(30);
  const log = await emu.requests();
  expect(log.counts["POST /connections"]).toBe(30);
  expect(log.entries.filter((e) => e.status === 429)).toHaveLength(0);
});

it("without a rate, the same load is throttled and still completes by honouring Retry-After", async () => {
  await emu.admin("PUT", "/rate-limit", { requestsPerSecond: 10, burst: 10 });
  const ftp = await ProviderUnderTest.load("ftp", emu.config());
  const ids = await createMany(ftp, "unpaced", 30);
  expect(new Set(ids).size).toBe(30);
  expect((await emu.connections()).length).toBe(30);
  expect((await emu.requests()).entries.filter((e) => e.status === 429).length).toBeGreaterThan(0);
});

it("without a rate, learns the gateway's from its 429s: under 10% of requests throttled, all created", async () => {
  // A client that only retried would see about a third of its requests refused at this load.
  await emu.admin("PUT", "/rate-limit", { requestsPerSecond: 20, burst: 20 });
  const ftp = await ProviderUnderTest.load("ftp", emu.config());
  let next = 0;
  const ids: string[] = [];
  // Eight at a time, as the engine's default parallelism on a two-core machine sends them.
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < 200; i = next++) {
        const inputs = await ftp.checked({}, { __autoName: `learned-${i}`, host: "ftp.example.com", userName: "u", password: `pacing-${i}` });
        ids.push((await ftp.create(inputs)).id);
      }
    }),
  );
  expect(new Set(ids).size).toBe(200);
  const flow = (await emu.requests()).entries.filter((e) => e.route !== "/ims/token/v3");
  const throttled = flow.filter((e) => e.status === 429).length;
  expect(throttled).toBeGreaterThan(0); // it did meet the limit
  expect(throttled / flow.length).toBeLessThan(0.1);
}, 60_000);

it("after a 429 with Retry-After, sends nothing more until the pause is over", async () => {
  const ftp = await ProviderUnderTest.load("ftp", emu.config({ "aep:maxInFlight": "4" }));
  await emu.addFault({ kind: "429", count: 1, method: "POST", route: "/connections", retryAfterSeconds: 1 });
  await createMany(ftp, "paused", 12);
  const entries = (await emu.requests()).entries as unknown as Array<{ status: number; at: number; route: string }>;
  const throttledAt = entries.find((e) => e.status === 429)?.at as number;
  expect(throttledAt).toBeDefined();
  // Requests already in flight when the 429 was sent finish within milliseconds; then a full second of silence.
  const during = entries.filter((e) => e.route !== "/ims/token/v3" && e.at > throttledAt + 100 && e.at < throttledAt + 990);
  expect(during).toHaveLength(0);
  expect((await emu.connections()).length).toBe(12);
});
