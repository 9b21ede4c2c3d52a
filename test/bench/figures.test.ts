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
const { argsFor, KIND_OF, parseMix, PIPELINE, TYPES } = require(join(ROOT, "bench", "program", "declare.js"));
const lifecycle = require(join(ROOT, "dist", "provider", "lifecycle.js"));
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
    // Against the ideal: ⌈60/100⌉ pages for each of the five specs.
    expect(f["refresh.requestsPerIdeal.n300"]).toMatchObject({ median: 1, goal: "1.00", met: true });
  });

  it("count a refresh's ideal in listing pages: one per 100 connections of a spec", () => {
    expect(ideal(300).refresh).toBe(5);
    expect(ideal(1000).refresh).toBe(10);
    expect(ideal(1000, ["FtpConnection"]).refresh).toBe(10);
    // 100 POSTs, 20 streaming GETs, and one listing per spec created (an interrupted create's leftover).
    expect(ideal(100).create).toBe(125);
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
    expect(() => parseMix("FtpConnection,Flow")).toThrow(
      'bench mix: unknown resource type "Flow" (known: FtpConnection, SftpConnection, S3Connection, DatasetBaseConnection, StreamingConnection, SourceConnection, TargetConnection, MappingSet, Dataflow, Pipeline)',
    );
  });

  it("refuses a pipeline kind with nothing before it in the mix to reference, naming what it needs", () => {
    expect(() => parseMix("DatasetBaseConnection,SourceConnection")).toThrow(
      "bench mix: SourceConnection at position 2 needs a S3Connection or FtpConnection or SftpConnection before it in the mix for its baseConnectionId (e.g. BENCH_MIX=Pipeline)",
    );
    expect(() => parseMix("S3Connection,SourceConnection,DatasetBaseConnection,TargetConnection,Dataflow")).toThrow("Dataflow at position 5 needs a MappingSet before it in the mix for its mappingId");
  });

  it("expands Pipeline to the six resources of one pipeline, each referencing the ones before it in the same pipeline", () => {
    const mix = parseMix("Pipeline");
    expect(mix).toEqual(["S3Connection", "SourceConnection", "DatasetBaseConnection", "TargetConnection", "MappingSet", "Dataflow"]);
    expect(parseMix("Pipeline,Pipeline")).toEqual([...PIPELINE, ...PIPELINE]);
    // Resource 13 is the second pipeline's source connection (index 12 is its S3 connection).
    expect(argsFor(13, "1", mix)).toMatchObject({
      type: "SourceConnection",
      refs: { baseConnectionId: { index: 12, name: "bench-0012", output: "id" }, connectionSpecId: { index: 12, output: "connectionSpecId" } },
    });
    expect(argsFor(17, "1", mix)).toMatchObject({
      type: "Dataflow",
      refs: {
        sourceConnectionId: { index: 13, output: "id" },
        targetConnectionId: { index: 15, output: "id" },
        mappingId: { index: 16, output: "id" },
        mappingVersion: { index: 16, output: "version" },
      },
    });
    // Mixed: a source connection takes the nearest file connection before it, in its own turn of the mix.
    const mixed = parseMix("FtpConnection,SourceConnection,Pipeline"); // Ftp, Source, S3, Source, DatasetBase, ...
    expect(argsFor(1, "1", mixed).refs.baseConnectionId.index).toBe(0);
    expect(argsFor(3, "1", mixed).refs.baseConnectionId.index).toBe(2);
    expect(argsFor(mixed.length + 1, "1", mixed).refs.baseConnectionId.index).toBe(mixed.length);
  });

  it("declares inputs the provider's check accepts, for every kind of a pipeline", async () => {
    const mix = parseMix("Pipeline");
    for (let i = 0; i < mix.length; i++) {
      const { type, name, args, refs } = argsFor(i, "1", mix);
      // The references as the engine would hand them over once the referenced resources exist.
      const resolved = Object.fromEntries(Object.entries(refs).map(([input, ref]) => [input, (ref as { output: string }).output === "version" ? 0 : (ref as { output: string }).output === "connectionSpecId" ? "ecadc60c-7455-4d87-84dc-2a0e293d997b" : "0c9ad1c9-2b8e-4f5a-9d5b-3f1e7c6a1b2d"]));
      const checked = await lifecycle.check(KIND_OF[type], {}, { ...args, ...resolved, __autoName: name });
      expect({ type, failures: checked.failures }).toEqual({ type, failures: [] });
    }
  });
});

describe("the ideal requests of a pipeline mix", () => {
  it("is, for an up, one POST per resource plus once per deployment a listing per kind and the flow spec", () => {
    const mix = parseMix("Pipeline");
    // 167 pipelines of 6: 1002 POSTs + 6 listings (the S3 and Data Lake specs' connections, source and
    // target connections, mapping sets, flows) + GET /flowSpecs.
    expect(ideal(1002, mix).create).toBe(1002 + 6 + 1);
    // One pipeline short of its dataflow: no flow spec, no flows listing.
    expect(ideal(5, mix).create).toBe(5 + 5);
    expect(ideal(5, ["FtpConnection"]).create).toBe(5 + 1);
  });

  it("deletes all but the mapping sets (Data Prep cannot delete one) and refreshes in listing pages per kind", () => {
    const mix = parseMix("Pipeline");
    expect(ideal(1002, mix).delete).toBe(1002 - 167);
    // 167 of each of six kinds: two pages of 100 each.
    expect(ideal(1002, mix).refresh).toBe(12);
    expect(ideal(1002, mix).update).toBe(1002);
  });

  it("judges the refresh part against its ideal: one listing page per 100 of each kind (300 resources: six kinds of 50, 6 pages)", () => {
    const mix = parseMix("Pipeline");
    const refresh = [6, 6, 8].map((flow, rep) => ({ rep, n: 300, seconds: 1, requests: { flow, throttled: 0 } }));
    const f = byId(buildFigures({ ...noRuns, refresh }, { ...settings, mix }));
    expect(f["pipelines.refresh.requests.n300"]).toMatchObject({ median: 6, goal: "≤ 6", met: true, label: "Refresh of 300 pipeline resources: Flow Service requests (ideal 6)" });
    expect(f["pipelines.refresh.requestsPerIdeal.n300"]).toMatchObject({ median: 1, max: 8 / 6, goal: "1.00", met: true });
    // A GET per pipeline entity (4 kinds of 50) misses both.
    const perGet = byId(buildFigures({ ...noRuns, refresh: [{ rep: 0, n: 300, seconds: 1, requests: { flow: 2 + 200, throttled: 0 } }] }, { ...settings, mix }));
    expect(perGet["pipelines.refresh.requests.n300"].met).toBe(false);
    expect(perGet["pipelines.refresh.requestsPerIdeal.n300"]).toMatchObject({ median: 202 / 6, met: false });
  });

  it("keeps its figures apart from the connections', with labels that say so, and leaves out a baseline not run", () => {
    const mix = parseMix("Pipeline");
    const rss = { up: { provider: 150 } };
    const side = (up: number, destroy: number) => ({ up, destroy, cpu: {}, requests: {}, rss, ideal: ideal(1002, mix) });
    const aep = { ...side(300, 100), noopUp: 20, refresh: 30, requests: { up: { flow: 1009 }, refresh: { flow: 837 }, destroy: { flow: 835 }, noopUp: { total: 0 } }, state: { bytesPerResource: 5000 } };
    const run = { n: 1002, aep, lean: { ...side(250, 80), state: { bytesPerResource: 4100 } }, leanRatio: 400 / 330, leanCpuRatio: 1.1 };
    const f = byId(buildFigures({ ...noRuns, overhead: [run] }, { ...settings, sizes: [1002], scaleN: 1002, mix }));
    expect(f["pipelines.overhead.leanRatio.n1002"]).toMatchObject({ median: 400 / 330, label: "Overhead ratio, N=1002: (up + destroy) pipeline resources / lean no-op (module reference)" });
    // The ideal counts every listing the deployment makes: 1009 requests are exactly it.
    expect(f["pipelines.scale.n1002.requests.up"].median).toBeCloseTo(1, 9);
    expect(f["pipelines.scale.n1002.requests.destroy"].median).toBe(1);
    expect(f["pipelines.scale.n1002.requests.refresh"].median).toBeCloseTo(837 / 12, 9);
    expect(f["pipelines.scale.n1002.stateBytesPerResource"]).toMatchObject({ median: 5000, label: "1002 pipeline resources: state bytes per pipeline resource" });
    expect(f["pipelines.scale.n1002.providerPeakRss"].median).toBe(150);
    expect(f["pipelines.overhead.ratio.n1002"]).toBeUndefined();
    expect(f["pipelines.overhead.noop.n1002"]).toBeUndefined();
    expect(Object.keys(f).filter((id) => !id.startsWith("pipelines."))).toEqual([]);
  });
});

describe("the lean no-op provider", () => {
  it("outputs what each pipeline kind outputs, and sends nothing for a mapping set's delete", async () => {
    const source = await leanProvider("sourceConnection").create({ name: "s" });
    expect(source.outs).toEqual({ name: "s", etag: expect.stringMatching(/^"[0-9a-f-]{36}"$/), state: "enabled" });
    expect((await leanProvider("targetConnection").create({})).outs).toMatchObject({ state: "enabled", connectionSpecId: "c604ff05-7f1a-43c0-8e18-33bf874cb11c" });
    expect((await leanProvider("mappingSet").create({})).outs).toEqual({ version: 0 });
    expect((await leanProvider("dataflow").create({})).outs).toMatchObject({ state: "enabled", enabled: true, flowSpecId: "9753525b-82c7-4dce-8a9b-5ccfce2b9876" });
    // With a latency of 1 s an ideal client's delete would wait; a mapping set's has nothing to send.
    const mapping = leanProvider("mappingSet");
    await mapping.configure({ config: { get: (key: string) => (key === "bench:leanLatencyMs" ? "1000" : undefined) } });
    let settled = false;
    const deleting = Promise.resolve(mapping.delete()).then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(true);
    await deleting;
    await mapping.configure({ config: { get: () => undefined } });
  });

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
