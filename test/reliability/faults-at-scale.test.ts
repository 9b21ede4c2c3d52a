jest.setTimeout(600_000);

import type { StackHandle } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";
import {
  CLOUD_STORAGE_FLOW_SPEC_ID,
  type Collection,
  type CollectionConvergence,
  converged,
  convergence,
  mixed,
  pipelineConvergence,
  pipelineMappings,
  pipelineNames,
  pipelines,
  pipelinesConverged,
  report,
  stackFor,
} from "./support";

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

/**
 * 40 pipelines (six resources each: a file base connection, its source connection, a dataset base
 * connection, its target connection, a mapping set, a dataflow) created, updated (a new mapping
 * version moving each dataflow, a daily schedule, the dataflow disabled) and destroyed while the
 * emulator fails about a fifth of the requests on every route, seeded. Every write route also loses
 * the answer of its first two requests after applying them (POST, PATCH, PUT, DELETE and the flow
 * action), so the provider's read-back resolution is exercised on each whatever the draw.
 */
describe("40 pipelines under 20% faults", () => {
  const P = 40;
  const RESOURCES = 6 * P;
  const LOST_ANSWER_ROUTES: Array<[string, string, 500 | 503 | "reset"]> = [
    ["POST", "/connections", "reset"],
    ["POST", "/sourceConnections", "reset"],
    ["POST", "/targetConnections", 500],
    ["POST", "/mappingSets", "reset"],
    ["POST", "/flows", 503],
    ["PUT", "/mappingSets/{id}", "reset"],
    ["PATCH", "/flows/{id}", 500],
    ["POST", "/flows/{id}/action", "reset"],
    ["DELETE", "/flows/{id}", 500],
    ["DELETE", "/sourceConnections/{id}", "reset"],
    ["DELETE", "/targetConnections/{id}", 503],
    ["DELETE", "/connections/{id}", "reset"],
  ];
  // The random rules compound as above: 1 - 0.955^4 ≈ 17% of reads and 1 - 0.955^4 × 0.94 ≈ 22% of writes fail.
  const PIPELINE_FAULTS = [
    ...LOST_ANSWER_ROUTES.map(([method, route, thenStatus]) => ({ kind: "commit-then-fail", method, route, count: 2, thenStatus })),
    { kind: "429", fraction: 0.045, seed: 21, retryAfterSeconds: 1 },
    { kind: "500", fraction: 0.045, seed: 22 },
    { kind: "503", fraction: 0.045, seed: 23 },
    { kind: "reset", fraction: 0.045, seed: 24 },
    { kind: "commit-then-fail", fraction: 0.06, seed: 25, method: "POST", thenStatus: "reset" },
    { kind: "commit-then-fail", fraction: 0.06, seed: 26, method: "PATCH", thenStatus: 500 },
    { kind: "commit-then-fail", fraction: 0.06, seed: 27, method: "PUT", thenStatus: "reset" },
    { kind: "commit-then-fail", fraction: 0.06, seed: 28, method: "DELETE", thenStatus: 503 },
  ];

  let pemu: TestEmulator;
  let ph: StackHandle;
  /** Stack outputs after the first up: each resource's id and generated name. */
  let created: Record<string, Record<string, unknown>>;
  const lostAnswers: Record<string, number> = {};

  beforeAll(async () => {
    pemu = await TestEmulator.start();
    ph = await stackFor(pemu.config(), pipelines(P), "rel-pipelines");
  }, 300_000);
  afterAll(() => pemu?.stop());

  async function injectPipelineFaults(): Promise<void> {
    pemu.control.clearFaults();
    for (const rule of PIPELINE_FAULTS) await pemu.addFault(rule);
    pemu.control.clearRequests();
  }

  /** The phase's fault figures, and its lost answers (writes applied, answer lost) added to the run's tally by route. */
  async function phaseFigures(): Promise<Record<string, number>> {
    const log = await pemu.requests();
    for (const e of log.entries) if (e.fault === "commit-then-fail") lostAnswers[`${e.method} ${e.route}`] = (lostAnswers[`${e.method} ${e.route}`] ?? 0) + 1;
    return faultFigures(log);
  }

  async function outputsOf(): Promise<Record<string, Record<string, unknown>>> {
    return Object.fromEntries(Object.entries(await ph.stack.outputs()).map(([k, v]) => [k, v.value as Record<string, unknown>]));
  }

  const changesOf = (summary: Record<string, number> | undefined): Record<string, number> => {
    const out = { ...(summary ?? {}) };
    delete out.same;
    return out;
  };

  /** Every dataflow as Flow Service holds it, against what the program declares and the state holds. */
  async function expectFlowsAsDeclared(updated: boolean): Promise<void> {
    const outs = await outputsOf();
    for (let i = 0; i < P; i++) {
      const r = pipelineNames(i);
      const flow = pemu.control.flow(String(outs[r.flow].id));
      expect(flow).toMatchObject({
        flowSpec: { id: CLOUD_STORAGE_FLOW_SPEC_ID },
        sourceConnectionIds: [outs[r.source].id],
        targetConnectionIds: [outs[r.target].id],
        transformations: [{ params: { mappingId: outs[r.mapping].id, mappingVersion: updated ? 1 : 0 } }],
        state: updated ? "disabled" : "enabled",
      });
      expect(flow.scheduleParams.frequency).toBe(updated ? "day" : "hour");
      expect(outs[r.flow]).toMatchObject({ state: updated ? "disabled" : "enabled", enabled: !updated, mappingVersion: updated ? 1 : 0 });
      const mapping = pemu.control.mappingSet(String(outs[r.mapping].id));
      // Exactly one version per update: a lost PUT was never stored twice.
      expect(mapping.versions).toHaveLength(updated ? 2 : 1);
      expect(mapping.mappings.map((m: { source: string; destination: string }) => ({ source: m.source, destination: m.destination }))).toEqual(pipelineMappings({ updated }));
      expect(outs[r.mapping].version).toBe(updated ? 1 : 0);
    }
  }

  it("creates the 40 pipelines: one entity per resource in every collection, no duplicate, no orphan", async () => {
    await injectPipelineFaults();
    const started = Date.now();
    const up = await ph.stack.up();
    const seconds = (Date.now() - started) / 1000;
    expect(up.summary.result).toBe("succeeded");
    expect(changesOf(up.summary.resourceChanges)).toEqual({ create: RESOURCES + 1 });
    const log = await pemu.requests();
    const figures = await phaseFigures();
    for (const kind of ["429", "500", "503", "reset", "commit-then-fail"]) expect(figures[kind]).toBeGreaterThan(0);
    expect(figures.faultedShare).toBeGreaterThan(0.15);
    for (const route of ["POST /connections", "POST /sourceConnections", "POST /targetConnections", "POST /mappingSets", "POST /flows"]) expect(lostAnswers[route]).toBeGreaterThanOrEqual(2);
    expect(pipelineConvergence(pemu, ph)).toEqual(pipelinesConverged(P));
    await expectFlowsAsDeclared(false);
    created = await outputsOf();
    const posts = Object.fromEntries(Object.entries(log.counts).filter(([k]) => k.startsWith("POST /") && !k.startsWith("POST /ims")));
    report("faults-at-scale pipelines up", { pipelines: P, resources: RESOURCES, seconds, ...figures, ...posts });
  });

  it("updates them in place under the same faults: a new mapping version each dataflow moves to, a daily schedule, disabled", async () => {
    await ph.stack.setConfig("resources", { value: JSON.stringify(pipelines(P, { updated: true })) });
    await injectPipelineFaults();
    const started = Date.now();
    const up = await ph.stack.up();
    const seconds = (Date.now() - started) / 1000;
    expect(up.summary.result).toBe("succeeded");
    // The mapping set (a PUT) and the dataflow (a PATCH, then the disable action): nothing replaced.
    expect(changesOf(up.summary.resourceChanges)).toEqual({ update: 2 * P });
    const figures = await phaseFigures();
    expect(figures.faultedShare).toBeGreaterThan(0.15);
    for (const route of ["PUT /mappingSets/{id}", "PATCH /flows/{id}", "POST /flows/{id}/action"]) expect(lostAnswers[route]).toBeGreaterThanOrEqual(2);
    const outs = await outputsOf();
    for (let i = 0; i < P; i++) for (const r of Object.values(pipelineNames(i))) expect(outs[r].id).toBe(created[r].id);
    expect(pipelineConvergence(pemu, ph)).toEqual(pipelinesConverged(P));
    await expectFlowsAsDeclared(true);
    const { counts } = await pemu.requests();
    report("faults-at-scale pipelines update", { pipelines: P, seconds, ...figures, puts: counts["PUT /mappingSets/{id}"] ?? 0, patches: counts["PATCH /flows/{id}"] ?? 0, actions: counts["POST /flows/{id}/action"] ?? 0 });
  });

  it("holds exactly what is declared: without faults, refresh finds no drift and preview no change", async () => {
    pemu.control.clearFaults();
    const refresh = await ph.stack.refresh();
    expect(changesOf(refresh.summary.resourceChanges)).toEqual({});
    const preview = await ph.stack.preview();
    expect(changesOf(preview.changeSummary)).toEqual({});
  });

  it("destroys them under the same faults: nothing left but the 40 mapping sets Data Prep cannot delete, one per pipeline", async () => {
    await injectPipelineFaults();
    const started = Date.now();
    const destroy = await ph.stack.destroy();
    const seconds = (Date.now() - started) / 1000;
    expect(destroy.summary.result).toBe("succeeded");
    const figures = await phaseFigures();
    expect(figures.faultedShare).toBeGreaterThan(0.15);
    for (const route of ["DELETE /flows/{id}", "DELETE /sourceConnections/{id}", "DELETE /targetConnections/{id}", "DELETE /connections/{id}"]) expect(lostAnswers[route]).toBeGreaterThanOrEqual(2);
    const kept: CollectionConvergence = { inEmulator: P, inState: 0, duplicates: 0, orphans: P, missing: 0 };
    expect(pipelineConvergence(pemu, ph)).toEqual({ ...pipelinesConverged(0), collections: { ...pipelinesConverged(0).collections, mappingSets: kept } });
    // The mapping sets left are the pipelines' own, one each.
    const names = pemu.control.mappingSets().map((m) => String(m.name)).sort();
    expect(names).toEqual(Array.from({ length: P }, (_, i) => String(created[pipelineNames(i).mapping].name)).sort());
    const collections: Collection[] = ["connections", "sourceConnections", "targetConnections", "flows"];
    report("faults-at-scale pipelines destroy", { pipelines: P, seconds, ...figures, left: collections.map((c) => pipelineConvergence(pemu, ph).collections[c].inEmulator).join("/") });
    report("faults-at-scale pipelines lost answers", lostAnswers);
  });
});
