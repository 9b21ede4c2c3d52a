/**
 * BENCH_OUT: the benchmark creates its output folder when it starts (a missing one used to fail only
 * at the very end, after the measurements), and an unusable one fails at once. Nothing is measured.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const { prepareOutDir, writeReports } = require(join(ROOT, "bench", "lib", "report.js"));

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "aep-bench-out-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const results = {
  meta: { date: "2026-12-01T00:00:00.000Z", commit: "abc1234", reps: 1, cpus: 2, cpuModel: "test", node: "v22", pulumiCli: "v3.274.1", parallel: 8, totalSeconds: 1 },
  figures: [{ label: "A figure", min: 1, median: 1, max: 1, digits: 0, unit: "" }],
  runs: {},
};

describe("the benchmark's output folder (BENCH_OUT)", () => {
  it("is created with its parents when missing", () => {
    const out = join(work, "a", "b", "c");
    expect(prepareOutDir(out)).toBe(out);
    expect(existsSync(out)).toBe(true);
  });

  it("receives results.json and results.md even when it did not exist", () => {
    const out = join(work, "new");
    const written = writeReports(results, out, undefined);
    expect(written).toEqual([join(out, "results.json"), join(out, "results.md")]);
    expect(JSON.parse(readFileSync(join(out, "results.json"), "utf8")).meta.commit).toBe("abc1234");
    expect(readFileSync(join(out, "results.md"), "utf8")).toContain("| A figure |");
  });

  it("that cannot be created is refused with the folder's name", () => {
    writeFileSync(join(work, "file"), "");
    expect(() => prepareOutDir(join(work, "file", "out"))).toThrow(`cannot write the results to ${join(work, "file", "out")} (BENCH_OUT)`);
  });

  it("that cannot be created makes bench/run.js fail at once, before it measures anything", () => {
    writeFileSync(join(work, "file"), "");
    const started = Date.now();
    const res = spawnSync(process.execPath, [join(ROOT, "bench", "run.js")], {
      encoding: "utf8",
      env: { ...process.env, BENCH_OUT: join(work, "file", "out"), BENCH_README: "0" },
      timeout: 30_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("cannot write the results to");
    expect(res.stdout).not.toContain("packing the package");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("bench/run.js with a pipeline mix", () => {
  it("refuses, before it measures anything, the parts that cannot take pipelines, naming them and the parts that can", () => {
    const res = spawnSync(process.execPath, [join(ROOT, "bench", "run.js")], {
      encoding: "utf8",
      env: { ...process.env, BENCH_MIX: "Pipeline", BENCH_PARTS: "overhead,latency,provider", BENCH_OUT: join(work, "out"), BENCH_README: "0" },
      timeout: 30_000,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("bench: parts latency, provider do not take a mix with pipeline kinds (BENCH_MIX=Pipeline): set BENCH_PARTS to overhead, attribution or refresh");
    expect(res.stdout).toBe("");
  });
});

describe("bench/merge.js: a run measured apart added to the reports", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "bench", "merge.js"), ...args], { encoding: "utf8", env: { ...process.env, BENCH_OUT: join(work, "out"), BENCH_README: "0" }, timeout: 30_000 });

  it("adds the figures the first lacks, marked with the run and its mix and baselines, and keeps its own", () => {
    const into = { ...results, figures: [{ id: "a", label: "A figure", min: 1, median: 1, max: 1, digits: 0, unit: "" }] };
    const apartMeta = { date: "2026-12-01T13:00:00.000Z", commit: "def5678", reps: 1, sizes: [1002], parts: ["overhead"], parallel: 8, mixText: "Pipeline", baselines: ["lean"] };
    const apart = {
      meta: apartMeta,
      figures: [
        { id: "a", label: "A figure, again", min: 9, median: 9, max: 9, digits: 0, unit: "" },
        { id: "pipelines.scale.n1002.providerPeakRss", label: "1002 pipeline resources: peak RSS", min: 160, median: 160, max: 160, digits: 0, unit: "MB" },
      ],
    };
    writeFileSync(join(work, "into.json"), JSON.stringify(into));
    writeFileSync(join(work, "apart.json"), JSON.stringify(apart));
    const res = run(join(work, "into.json"), join(work, "apart.json"));
    expect(res.stderr).toBe("");
    expect(res.status).toBe(0);
    const md = readFileSync(join(work, "out", "results.md"), "utf8");
    expect(md).toContain("| A figure | 1 | 1 | 1 |  |");
    expect(md).not.toContain("A figure, again");
    expect(md).toContain("| 1002 pipeline resources: peak RSS [1] | 160 MB | 160 MB | 160 MB |  |");
    expect(md).toContain("[1] Measured apart, 2026-12-01 at `def5678`: 1 repetition, sizes 1002, parts overhead, mix Pipeline, baselines lean, `--parallel 8`.");
  });

  it("refuses a file that is no results.json, naming it", () => {
    writeFileSync(join(work, "into.json"), JSON.stringify(results));
    writeFileSync(join(work, "other.json"), JSON.stringify({ hello: 1 }));
    const res = run(join(work, "into.json"), join(work, "other.json"));
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`cannot merge the figures of ${join(work, "other.json")}: it has no meta and figures`);
    expect(existsSync(join(work, "out"))).toBe(false);
  });
});
