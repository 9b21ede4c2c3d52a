// Figures from the raw runs, and the reports: bench/results.json, bench/results.md, and the table
// between the README's `<!-- bench:start -->` and `<!-- bench:end -->` markers.
"use strict";
const { accessSync, constants, mkdirSync, readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");
const { spread } = require("./stats");

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

/** Each figure: a label, its unit, min/median/max over the repetitions, and its goal (judged on the median). */
function buildFigures(runs, s) {
  const figures = [];
  const add = (id, label, values, unit, digits, goal) => {
    const f = { id, label, unit, digits, ...spread(values) };
    if (goal) Object.assign(f, { goal: goal.text, met: f.median !== null && goal.test(f.median) });
    figures.push(f);
  };
  const atN = (n) => runs.overhead.filter((r) => r.n === n);

  const total = (side) => side.up + side.destroy;
  for (const n of s.sizes) {
    // The goal is set at N = 100; the other sizes show how the cost grows with N.
    const goal = n === s.detailN ? { text: "≤ 1.10", test: (v) => v <= 1.1 } : undefined;
    add(`overhead.ratio.n${n}`, `Engine overhead ratio, N=${n}: (up + destroy) connections / no-op`, atN(n).map((r) => r.ratio), "", 3, goal);
  }
  for (const n of s.sizes) {
    // Other load only ever adds time, so the fastest run of each side is its least disturbed one.
    const fastest = atN(n).length ? Math.min(...atN(n).map((r) => total(r.aep))) / Math.min(...atN(n).map((r) => total(r.noop))) : undefined;
    add(`overhead.fastestRatio.n${n}`, `Same, N=${n}, fastest connections run / fastest no-op run`, [fastest], "", 3);
  }
  for (const n of s.sizes) {
    add(`overhead.aep.n${n}`, `up + destroy of ${n} connections`, atN(n).map((r) => total(r.aep)), "s", 1);
    add(`overhead.noop.n${n}`, `up + destroy of ${n} no-op resources`, atN(n).map((r) => total(r.noop)), "s", 1);
  }

  for (const n of s.sizes) {
    add(`overhead.cpuRatio.n${n}`, `CPU-time ratio, N=${n}: (up + destroy) connections / no-op, all processes`, atN(n).map((r) => r.cpuRatio), "", 3);
  }
  const roles = ["engine", "program", "provider", "emulator"];
  const extraCpu = (r, role) => ["up", "destroy"].reduce((t, ph) => t + (r.aep.cpu[ph]?.[role] ?? 0) - (r.noop.cpu[ph]?.[role] ?? 0), 0);
  for (const role of roles) {
    add(`overhead.extraCpu.${role}`, `Extra CPU of ${s.detailN} connections over no-op: ${role}`, atN(s.detailN).map((r) => extraCpu(r, role)), "s", 2);
  }
  const largestN = Math.max(...s.sizes);
  if (largestN !== s.detailN) {
    add(`overhead.extraCpu.n${largestN}.engine`, `Extra CPU of ${largestN} connections over no-op: engine`, atN(largestN).map((r) => extraCpu(r, "engine")), "s", 2);
    add(`overhead.extraCpu.n${largestN}.others`, `Extra CPU of ${largestN} connections over no-op: program + provider + emulator`, atN(largestN).map((r) => extraCpu(r, "program") + extraCpu(r, "provider") + extraCpu(r, "emulator")), "s", 2);
  }
  if (runs.skipCheckpoints.length > 0) {
    add(`skipCheckpoints.ratio`, `Attribution: overhead ratio, N=${s.detailN}, PULUMI_SKIP_CHECKPOINTS=true`, runs.skipCheckpoints.map((r) => r.ratio), "", 3);
    add(`skipCheckpoints.extraCpu.engine`, "Attribution: extra engine CPU with PULUMI_SKIP_CHECKPOINTS=true", runs.skipCheckpoints.map((r) => extraCpu(r, "engine")), "s", 2);
  }

  const detail = atN(s.detailN).map((r) => r.aep);
  if (detail.length > 0) detailFigures(add, s, detail, atN(s.detailN).map((r) => r.noop));
  throttledFigures(add, s, runs.throttled);

  const largest = Math.max(...s.sizes);
  add("provider.createsPerSecond", `Provider only: creates/s (${s.providerOnlyN}, in-flight cap ${s.maxInFlight})`, runs.providerOnly.map((r) => r.createsPerSecond), "/s", 0);
  add("provider.deletesPerSecond", `Provider only: deletes/s (${s.providerOnlyN})`, runs.providerOnly.map((r) => r.deletesPerSecond), "/s", 0);
  add("engine.createsPerSecond", `Through the engine: creates/s (up of ${largest}, --parallel ${s.parallel})`, atN(largest).map((r) => largest / r.aep.up), "/s", 1);
  return figures;
}

function detailFigures(add, s, detail, noop) {
  for (const op of ["create", "update", "refresh", "delete"]) {
    add(`requests.${op}`, `Requests/ideal, ${op} (N=${s.detailN}, Flow Service)`, detail.map((d) => d.requests[op].flow / d.ideal[op]), "", 2, { text: "1.00", test: (v) => Math.abs(v - 1) < 0.005 });
  }
  add("requests.ims", "IMS tokens per deployment (most in any deployment)", detail.map((d) => Math.max(...["create", "update", "refresh", "delete"].map((op) => d.requests[op].ims))), "", 0, { text: "1", test: (v) => v === 1 });
  add("requests.preview", `Requests during preview of ${s.detailN} resources`, detail.map((d) => d.requests.preview.total), "", 0, { text: "0", test: (v) => v === 0 });

  const aepState = detail.map((d) => d.state);
  const noopState = noop.map((d) => d.state);
  add("state.bytesPerResource", `State bytes per connection (export of N=${s.detailN})`, aepState.map((x) => x.bytesPerResource), "B", 0);
  add("state.providerBytesPerResource", "`__provider` bytes per connection (inputs + outputs)", aepState.map((x) => x.providerBytesPerResource), "B", 0);
  add("state.noop.bytesPerResource", "State bytes per no-op resource", noopState.map((x) => x.bytesPerResource), "B", 0);
  add("state.noop.providerBytesPerResource", "`__provider` bytes per no-op resource", noopState.map((x) => x.providerBytesPerResource), "B", 0);
}

function throttledFigures(add, s, runs) {
  for (const variant of ["before", "after"]) {
    const t = runs.filter((r) => r.variant === variant);
    const label = variant === "before" ? "no rate configured (learned from 429s)" : `aep:requestsPerSecond=${s.rate}`;
    add(`throttled.${variant}.ratio`, `Throttled at ${s.rate} req/s, ${label}: achieved/limit (up of ${s.throttledN})`, t.map((r) => r.ratio), "", 2, { text: "≥ 0.90", test: (v) => v >= 0.9 });
    const few = Math.ceil(0.01 * (t[0]?.ideal ?? 0));
    // Learning the rate takes some 429s by design (the opening burst, then rare probes): the 1 % goal
    // is for a deployment told its gateway's rate.
    const goal = variant === "after" ? { text: `≤ ${few} (1 %)`, test: (v) => v <= few } : undefined;
    add(`throttled.${variant}.429s`, `Throttled, ${label}: 429s received`, t.map((r) => r.throttled), "", 0, goal);
    add(`throttled.${variant}.up`, `Throttled, ${label}: up wall time`, t.map((r) => r.upSeconds), "s", 1);
    add(`throttled.${variant}.idle`, `Throttled, ${label}: time in gaps between requests longer than 1.5/R`, t.map((r) => r.idleSeconds), "s", 1);
  }
}

function cell(v, digits, unit) {
  if (v === null || v === undefined) return "—";
  return `${v.toFixed(digits)}${unit && unit !== "/s" ? ` ${unit}` : unit}`;
}

function markdown(results) {
  const m = results.meta;
  const lines = [
    `Measured ${m.date.slice(0, 10)} at \`${m.commit}\`: ${m.reps} repetitions, ${m.cpus} CPUs (${m.cpuModel}), Node.js ${m.node}, Pulumi CLI ${m.pulumiCli}, \`--parallel ${m.parallel}\`, in ${m.totalSeconds} s.`,
    "",
    "| Figure | min | median | max | goal |",
    "|---|---:|---:|---:|---|",
  ];
  for (const f of results.figures) {
    const goal = f.goal ? `${f.goal} ${f.met ? "(met)" : "(**missed**)"}` : "";
    lines.push(`| ${f.label} | ${cell(f.min, f.digits, f.unit)} | ${cell(f.median, f.digits, f.unit)} | ${cell(f.max, f.digits, f.unit)} | ${goal} |`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Creates `outDir` (and its parents) when missing and checks it is a writable folder: called when the
 * benchmark starts, so that a BENCH_OUT it cannot write to fails at once, not after the measurements.
 */
function prepareOutDir(outDir) {
  try {
    mkdirSync(outDir, { recursive: true });
    accessSync(outDir, constants.W_OK);
  } catch (err) {
    throw new Error(`cannot write the results to ${outDir} (BENCH_OUT): ${err.message}`);
  }
  return outDir;
}

/** Writes results.json and results.md to `outDir`, and the table into the README when given. */
function writeReports(results, outDir, readmePath) {
  prepareOutDir(outDir);
  const md = markdown(results);
  const written = [path.join(outDir, "results.json"), path.join(outDir, "results.md")];
  writeFileSync(written[0], `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(written[1], md);
  if (readmePath) {
    const readme = readFileSync(readmePath, "utf8");
    const a = readme.indexOf(START);
    const b = readme.indexOf(END);
    if (a < 0 || b < a) throw new Error(`${readmePath} has no ${START} … ${END} block for the table`);
    writeFileSync(readmePath, `${readme.slice(0, a + START.length)}\n${md}${readme.slice(b)}`);
    written.push(readmePath);
  }
  return written;
}

module.exports = { buildFigures, writeReports, markdown, prepareOutDir };
