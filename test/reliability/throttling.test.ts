jest.setTimeout(600_000);

import type { StackHandle } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";
import { configure, converged, convergence, mixed, report, stackFor } from "./support";

/**
 * With the gateway limited to R requests/s, `up` of 200 connections completes with no
 * failure and honours Retry-After; the achieved rate is reported as a fraction of R, without and
 * with client pacing (`aep:requestsPerSecond`).
 */
const N = 200;
// Well below what the engine drives unthrottled on a small, busy machine (about 20 requests/s), so
// the limit, not the engine, sets the pace.
const R = 15;
// The emulator's default burst, one second's worth. (With a burst far below R, retrying alone
// collapses to about 0.2 R: every in-flight request returns at once after each pause.)
const BURST = R;

let emu: TestEmulator;
let h: StackHandle;

beforeAll(async () => {
  emu = await TestEmulator.start();
  h = await stackFor(emu.config(), mixed(N));
}, 300_000);
afterAll(() => emu?.stop());

interface Entry {
  route: string;
  status: number;
  at: number;
}

async function throttledUp(label: string): Promise<{ achievedShare: number; throttled: number; entries: Entry[] }> {
  await emu.admin("PUT", "/rate-limit", { requestsPerSecond: R, burst: BURST });
  await emu.clearRequests();
  const up = await h.stack.up();
  expect(up.summary.result).toBe("succeeded");
  expect(up.summary.resourceChanges?.create).toBe(N + 1);
  expect(await convergence(emu, h)).toEqual(converged(N));
  const entries = ((await emu.requests()).entries as unknown as Entry[]).filter((e) => e.route !== "/ims/token/v3");
  const served = entries.filter((e) => e.status !== 429);
  const throttled = entries.length - served.length;
  // Served requests per second between the first and the last, as a share of R.
  const seconds = (served[served.length - 1].at - served[0].at) / 1000;
  const achievedShare = Math.round((1000 * (served.length - 1)) / seconds / R) / 1000;
  report(`throttling ${label}`, { resources: N, R, burst: BURST, requests: entries.length, served: served.length, throttled, seconds, achievedShare });
  return { achievedShare, throttled, entries };
}

async function destroyUnthrottled(): Promise<void> {
  await emu.admin("DELETE", "/rate-limit");
  expect((await h.stack.destroy()).summary.result).toBe("succeeded");
  expect((await emu.connections()).length).toBe(0);
}

it("no rate configured: completes under the limit, and after each 429 sends nothing until its Retry-After has passed", async () => {
  const { throttled, entries } = await throttledUp("no rate configured");
  expect(throttled).toBeGreaterThan(0);
  // The emulator answers within milliseconds: anything sent after a 429 arrives well after it.
  // Retry-After is at least 1 s; requests already sent when the 429 was answered arrive within
  // 300 ms even on a busy machine (`at` is the arrival time).
  for (const refused of entries.filter((e) => e.status === 429)) {
    const during = entries.filter((e) => e.at > refused.at + 300 && e.at < refused.at + 950);
    expect(during).toEqual([]);
  }
  await destroyUnthrottled();
});

it("paced at aep:requestsPerSecond = R: completes with hardly a 429", async () => {
  await configure(h, emu.config({ "aep:requestsPerSecond": String(R) }));
  const { throttled, entries } = await throttledUp("paced");
  // At most 1% of requests refused (event-loop jitter can bunch two sends). The achieved share of R
  // is reported, not asserted: on a busy machine the engine, not the pacing, can be the limit (the
  // benchmark measures it side by side).
  expect(throttled).toBeLessThanOrEqual(Math.ceil(entries.length / 100));
  await destroyUnthrottled();
});
