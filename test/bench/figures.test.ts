/**
 * The benchmark's arithmetic, on made-up runs: the ideal of a latency run, the refresh budget, the
 * goals against the lean baseline, figures merged from a run measured apart, the resource mix, and
 * the lean no-op provider's inputs and outputs. Nothing is measured.
 */
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const { buildFigures, markdown, mergeFigures } = require(join(ROOT, "bench", "lib", "report.js"));
const { withIdeals } = require(join(ROOT, "bench", "lib", "latency.js"));
const { ideal } = require(join(ROOT, "bench", "lib", "overhead.js"));
const { argsFor, parseMix, TYPES } = require(join(ROOT, "bench", "program", "declare.js"));
const { leanProvider } = require(join(ROOT, "bench", "lean-noop", "lib", "provider.js"));

const settings = { sizes: [100], detailN: 100, scaleN: 1000, parallel: 8, mix: TYPES, rate: 10, providerOnlyN: 1000, maxInFlight: 16 };
const noRuns = { overhead: [], skipCheckpoints: [], throttled: [], providerOnly: [], latency: [], refresh: [] };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const byId = (figures: Array<{ id: string }>): Record<string, any> => Object.fromEntries(figures.map((f) => [f.id, f]));

describe("the ideal of a latency run", () => {
  it("is ⌈N/P⌉ × L × requests per resource + the fixed cost measured at N = 1", () => {
    const one = { rep: 0, latencyMs: 150, parallel: 8, n: 1, aep: { up: 3.15, destroy: 2.15 } };
    const hundred = { rep: 0, latencyMs: 150, parallel: 8, n: 100, aep: { up: 6, destroy: 4 } };
    const [, r] = withIdeals([one, hundred], settings);
    // Fixed: 3.15 − 0.15 × 1 (one FTP create) = 3 s for up, 2.15 − 0.15 = 2 s for destroy.
    // Up: ⌈100/8⌉ = 13 × 0.15 × 1.2 (a fifth are streaming: POST + GET) + 3; destroy: 13 × 0.15 + 2.
    expect(r.ideal.up).toBeCloseTo(13 * 0.15 * 1.2 + 3, 9);
    expect(r.ideal.destroy).toBeCloseTo(13 * 0.15 + 2, 9);
    expect(r.ratio).toBeCloseTo(10 / (r.ideal.up + r.ideal.destroy), 9);
  });
});

describe("the figures", () => {
  it("judge the overhead against the lean baseline at N = 100 (≤ 1.05) and keep the no-op ratio beside it", () => {
    const side = (up: number, destroy: number) => ({ up, destroy, cpu: {}, requests: {}, rss: {}, ideal: ideal(100) });
    const run = { n: 100, aep: side(10, 5), lean: side(10, 4.5), noop: side(11, 5), ratio: 15 / 16, leanRatio: 15 / 14.5, cpuRatio: 1, leanCpuRatio: 1 };
    const f = byId(buildFigures({ ...noRuns, overhead: [run] }, { ...settings, detailN: 0 }));
    expect(f["overhead.leanRatio.n100"]).toMatchObject({ median: 15 / 14.5, goal: "≤ 1.05", met: true });
    expect(f["overhead.ratio.n100"].median).toBeCloseTo(15 / 16, 9);
  });

  it("give a refresh of 300 connections of five specs a budget of ⌈300/100⌉ × 5 + 5 requests and 10 s", () => {
    const refresh = [7, 5, 5].map((flow, rep) => ({ rep, n: 300, seconds: 4 + rep, requests: { flow, throttled: 0 } }));
    const f = byId(buildFigures({ ...noRuns, refresh }, settings));
    expect(f["refresh.requests.n300"]).toMatchObject({ min: 5, median: 5, max: 7, goal: "≤ 20", met: true });
    expect(f["refresh.seconds.n300.r10"]).toMatchObject({ median: 5, goal: "< 10 s", met: true });
  });

  it("count a refresh's ideal in listing pages: one per 100 connections of a spec", () => {
    expect(ideal(300).refresh).toBe(5);
    expect(ideal(1000).refresh).toBe(10);
    expect(ideal(1000, ["FtpConnection"]).refresh).toBe(10);
    expect(ideal(100).create).toBe(120);
  });

  it("carry over the figures of a run measured apart, marked with that run", () => {
    const now = { meta: { date: "2026-12-01T10:00:00Z", commit: "bbb", reps: 3, cpus: 2, cpuModel: "x", node: "v22", pulumiCli: "v3", parallel: 8, totalSeconds: 1 }, figures: [{ id: "a", label: "A", min: 1, median: 1, max: 1, digits: 0, unit: "" }] };
    const apart = { meta: { date: "2026-12-01T09:00:00Z", commit: "aaa", reps: 1, sizes: [1000], parts: ["overhead"], parallel: 8 }, figures: [{ id: "a", label: "A old", min: 9, median: 9, max: 9, digits: 0, unit: "" }, { id: "b", label: "B", min: 2, median: 2, max: 2, digits: 0, unit: "" }] };
    now.figures.push({ id: "c.n100", label: "C at 100", min: 1, median: 1, max: 1, digits: 0, unit: "" }, { id: "d", label: "D", min: 1, median: 1, max: 1, digits: 0, unit: "" });
    apart.figures.push({ id: "c.n300", label: "C at 300", min: 3, median: 3, max: 3, digits: 0, unit: "" });
    const merged = mergeFigures(now, apart);
    // A figure of another size goes next to its kin; the rest at the end.
    expect(merged.figures.map((f: { label: string }) => f.label)).toEqual(["A", "C at 100", "C at 300", "D", "B"]);
    const md = markdown(merged);
    expect(md).toContain("| B [1] | 2 | 2 | 2 |  |");
    expect(md).toContain("[1] Measured apart, 2026-12-01 at `aaa`: 1 repetition, sizes 1000, parts overhead, `--parallel 8`.");
  });
});

describe("the resource mix", () => {
  it("defaults to the five connection kinds in turn and takes a list of types", () => {
    expect(argsFor(6).type).toBe("SftpConnection");
    expect(argsFor(1, "1", parseMix("S3Connection,FtpConnection")).type).toBe("FtpConnection");
  });

  it("refuses an unknown type, naming the known ones", () => {
    expect(() => parseMix("FtpConnection,Dataflow")).toThrow('bench mix: unknown resource type "Dataflow" (known: FtpConnection, SftpConnection, S3Connection, DatasetBaseConnection, StreamingConnection)');
  });
});

describe("the lean no-op provider", () => {
  it("outputs what a connection outputs: generated name, sandbox, etag, state, spec id, and the streaming inlet", async () => {
    const p = leanProvider("streaming");
    await p.configure({ config: { get: () => undefined } });
    const { inputs } = await p.check({}, { __autoName: "bench-0004", dataType: "xdm" });
    expect(inputs).toMatchObject({ name: expect.stringMatching(/^bench-0004-[0-9a-f]{7}$/), sandbox: "prod" });
    const { id, outs } = await p.create(inputs);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(outs).toMatchObject({ ...inputs, state: "enabled", connectionSpecId: "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb", sourceId: inputs.name });
    expect(outs.etag).toMatch(/^"[0-9a-f-]{36}"$/);
    expect(outs.inletId).toMatch(/^[0-9a-f]{64}$/);
  });
});
