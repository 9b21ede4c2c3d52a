jest.setTimeout(600_000);

import type { StackHandle } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";
import { converged, convergence, mixed, report, stackFor } from "./support";

/**
 * One `pulumi up` of 200 connections (all five kinds) while the emulator fails about a fifth
 * of the requests, seeded; then `destroy` under the same faults. Nothing duplicated, orphaned or lost.
 */
const N = 200;
// Rules are tried in order and the first that fires applies, so per-rule fractions compound:
// 1 - (1 - 0.045)^5 ≈ 21% of writes and 1 - (1 - 0.045)^4 ≈ 17% of reads fail.
const FAULTS = [
  { kind: "429", fraction: 0.045, seed: 11, retryAfterSeconds: 1 },
  { kind: "500", fraction: 0.045, seed: 12 },
  { kind: "503", fraction: 0.045, seed: 13 },
  { kind: "reset", fraction: 0.045, seed: 14 },
  { kind: "commit-then-fail", fraction: 0.045, seed: 15, method: "POST", thenStatus: "reset" },
  { kind: "commit-then-fail", fraction: 0.045, seed: 16, method: "DELETE", thenStatus: 500 },
];

let emu: TestEmulator;
let h: StackHandle;

beforeAll(async () => {
  emu = await TestEmulator.start();
  h = await stackFor(emu.config(), mixed(N));
}, 300_000);
afterAll(() => emu?.stop());

async function injectFaults(): Promise<void> {
  await emu.clearFaults();
  for (const rule of FAULTS) await emu.addFault(rule);
  await emu.clearRequests();
}

function faultFigures(log: Awaited<ReturnType<TestEmulator["requests"]>>): Record<string, number> {
  const byKind: Record<string, number> = {};
  for (const e of log.entries) if (e.fault) byKind[e.fault] = (byKind[e.fault] ?? 0) + 1;
  const faulted = Object.values(byKind).reduce((a, b) => a + b, 0);
  return { requests: log.total, faulted, faultedShare: Math.round((1000 * faulted) / log.total) / 1000, ...byKind };
}

it("creates 200 connections under 20% faults: exactly one connection per resource, no orphan, none missing", async () => {
  await injectFaults();
  const started = Date.now();
  const up = await h.stack.up();
  const seconds = (Date.now() - started) / 1000;
  expect(up.summary.result).toBe("succeeded");
  expect(up.summary.resourceChanges?.create).toBe(N + 1);
  const log = await emu.requests();
  const figures = faultFigures(log);
  // The faults really happened, of every kind, at about the intended rate.
  for (const kind of ["429", "500", "503", "reset", "commit-then-fail"]) expect(figures[kind]).toBeGreaterThan(0);
  expect(figures.faultedShare).toBeGreaterThan(0.12);
  expect(await convergence(emu, h)).toEqual(converged(N));
  report("faults-at-scale up", { resources: N, seconds, ...figures, posts: log.counts["POST /connections"] ?? 0 });
});

it("destroys all 200 under the same faults, leaving no connection", async () => {
  await injectFaults();
  const started = Date.now();
  const destroy = await h.stack.destroy();
  const seconds = (Date.now() - started) / 1000;
  expect(destroy.summary.result).toBe("succeeded");
  const log = await emu.requests();
  const figures = faultFigures(log);
  expect(figures.faulted).toBeGreaterThan(0);
  expect(await convergence(emu, h)).toEqual(converged(0));
  report("faults-at-scale destroy", { resources: N, seconds, ...figures });
});
