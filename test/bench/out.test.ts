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
