// Figures from the raw runs, and the reports: bench/results.json, bench/results.md, and the table
// between docs/benchmark.md's `<!-- bench:start -->` and `<!-- bench:end -->` markers.
"use strict";
const { accessSync, constants, mkdirSync, readFileSync, writeFileSync } = require("node:fs");
const path = require("node:path");
const { hasPipelines } = require("../program/declare");
const { ideal } = require("./overhead");
const { spread } = require("./stats");

const START = "<!-- bench:start -->";
const END = "<!-- bench:end -->";

const OPS = { create: "up", update: "update", refresh: "refresh", delete: "destroy" };

/**
 * A mix with pipeline kinds measures other resources than the connections: its figures get ids of
 * their own (`pipelines.` before the connections' id), so that merged with a connections run both
 * stay, and labels that say what was measured.
 */
function scopeFor(mix) {
  if (!mix || !hasPipelines(mix)) return { id: (id) => id, label: (label) => label };
  const label = (text) =>
    text
      .replace(/\bconnections\b/g, "pipeline resources")
      .replace(/\bper connection\b/g, "per pipeline resource");
  return { id: (id) => `pipelines.${id}`, label };
}

/** Each figure: a label, its unit, min/median/max over the repetitions, and its goal (judged on the median). */
function buildFigures(runs, s) {
  const figures = [];
  const scope = scopeFor(s.mix);
  const add = (id, label, values, unit, digits, goal) => {
    // A baseline this run left out (BENCH_BASELINES) has no figures rather than empty ones.
    if (values.every((v) => typeof v !== "number" || !Number.isFinite(v))) return;
    const f = { id: scope.id(id), label: scope.label(label), unit, digits, ...spread(values) };
    if (goal) Object.assign(f, { goal: goal.text, met: f.median !== null && goal.test(f.median) });
    figures.push(f);
  };
  const atN = (n) => runs.overhead.filter((r) => r.n === n);
  const total = (side) => (side ? side.up + side.destroy : undefined);
  const sizes = s.sizes.filter((n) => atN(n).length > 0);

  for (const n of sizes) {
    // The goal is set at N = 100 and 300; the other sizes show how the cost grows with N.
    const goal = n === 100 || n === 300 ? { text: "≤ 1.05", test: (v) => v <= 1.05 } : undefined;
    add(`overhead.leanRatio.n${n}`, `Overhead ratio, N=${n}: (up + destroy) connections / lean no-op (module reference)`, atN(n).map((r) => r.leanRatio), "", 3, goal);
  }
  for (const n of sizes) {
    add(`overhead.ratio.n${n}`, `Overhead ratio, N=${n}: (up + destroy) connections / no-op storing its code`, atN(n).map((r) => r.ratio), "", 3);
  }
  for (const n of sizes) {
    // Other load only ever adds time, so the fastest run of each side is its least disturbed one.
    const fastest = Math.min(...atN(n).map((r) => total(r.aep))) / Math.min(...atN(n).map((r) => total(r.lean)));
    add(`overhead.fastestLeanRatio.n${n}`, `Same, N=${n}, fastest connections run / fastest lean no-op run`, [fastest], "", 3);
  }
  for (const n of sizes) {
    add(`overhead.aep.n${n}`, `up + destroy of ${n} connections`, atN(n).map((r) => total(r.aep)), "s", 1);
    add(`overhead.lean.n${n}`, `up + destroy of ${n} lean no-op resources`, atN(n).map((r) => total(r.lean)), "s", 1);
    add(`overhead.noop.n${n}`, `up + destroy of ${n} no-op resources storing their code`, atN(n).map((r) => total(r.noop)), "s", 1);
  }
  for (const n of sizes) {
    add(`overhead.leanCpuRatio.n${n}`, `CPU-time ratio, N=${n}: (up + destroy) connections / lean no-op, all processes`, atN(n).map((r) => r.leanCpuRatio), "", 3);
  }
  const roles = ["engine", "program", "provider", "emulator"];
  const extraCpu = (r, role) => r.lean && ["up", "destroy"].reduce((t, ph) => t + (r.aep.cpu[ph]?.[role] ?? 0) - (r.lean.cpu[ph]?.[role] ?? 0), 0);
  for (const n of sizes.filter((x) => x >= s.detailN)) {
    for (const role of roles) {
      add(`overhead.extraCpu.n${n}.${role}`, `Extra CPU of ${n} connections over the lean no-op: ${role}`, atN(n).map((r) => extraCpu(r, role)), "s", 2);
    }
  }
  if (runs.skipCheckpoints.length > 0) {
    add(`skipCheckpoints.leanRatio`, `Attribution: ratio vs lean no-op, N=${s.detailN}, PULUMI_SKIP_CHECKPOINTS=true`, runs.skipCheckpoints.map((r) => r.leanRatio), "", 3);
    add(`skipCheckpoints.ratio`, `Attribution: ratio vs no-op storing its code, N=${s.detailN}, PULUMI_SKIP_CHECKPOINTS=true`, runs.skipCheckpoints.map((r) => r.ratio), "", 3);
  }

  const detail = atN(s.detailN);
  if (detail.length > 0) detailFigures(add, s, detail);
  refreshFigures(add, s, runs.refresh ?? []);
  latencyFigures(add, s, runs.latency ?? []);
  scaleFigures(add, s, atN(s.scaleN));
  throttledFigures(add, s, runs.throttled);

  const largest = Math.max(...sizes);
  if (runs.providerOnly.length > 0) add("provider.createsPerSecond", `Provider only: creates/s (${s.providerOnlyN}, in-flight cap ${s.maxInFlight})`, runs.providerOnly.map((r) => r.createsPerSecond), "/s", 0);
  if (runs.providerOnly.length > 0) add("provider.deletesPerSecond", `Provider only: deletes/s (${s.providerOnlyN})`, runs.providerOnly.map((r) => r.deletesPerSecond), "/s", 0);
  if (runs.providerOnly.some((r) => r.cpuMsPerCreate !== undefined)) {
    add("provider.cpuMsPerCreate", `Provider only: CPU per create (a POST; a streaming one also a GET)`, runs.providerOnly.map((r) => r.cpuMsPerCreate), " ms", 3);
    add("provider.cpuMsPerDelete", `Provider only: CPU per delete (a DELETE)`, runs.providerOnly.map((r) => r.cpuMsPerDelete), " ms", 3);
  }
  if (Number.isFinite(largest)) add("engine.createsPerSecond", `Through the engine: creates/s (up of ${largest}, --parallel ${s.parallel})`, atN(largest).map((r) => largest / r.aep.up), "/s", 1);
  return figures;
}

function detailFigures(add, s, runs) {
  const detail = runs.map((r) => r.aep);
  for (const [op, phase] of Object.entries(OPS)) {
    const label = op === "refresh" ? `Requests/ideal, refresh (N=${s.detailN}; ideal: one listing page per 100 of a spec)` : `Requests/ideal, ${op} (N=${s.detailN}, Flow Service)`;
    add(`requests.${op}`, label, detail.map((d) => d.requests[phase].flow / d.ideal[op]), "", 2, { text: "1.00", test: (v) => Math.abs(v - 1) < 0.005 });
  }
  add("requests.ims", "IMS tokens per deployment (most in any deployment)", detail.map((d) => Math.max(...Object.values(OPS).map((ph) => d.requests[ph].ims))), "", 0, { text: "1", test: (v) => v === 1 });
  add("requests.preview", `Requests during preview of ${s.detailN} resources`, detail.map((d) => d.requests.preview.total), "", 0, { text: "0", test: (v) => v === 0 });

  for (const [side, what] of [["aep", "connection"], ["lean", "lean no-op resource"], ["noop", "no-op resource storing its code"]]) {
    const state = runs.filter((r) => r[side]).map((r) => r[side].state);
    const key = side === "aep" ? "" : `${side}.`;
    add(`state.${key}bytesPerResource`, `State bytes per ${what} (export of N=${s.detailN})`, state.map((x) => x.bytesPerResource), "B", 0);
    add(`state.${key}providerBytesPerResource`, `\`__provider\` bytes per ${what} (inputs + outputs)`, state.map((x) => x.providerBytesPerResource), "B", 0);
  }
}

/**
 * The refresh part's figures. Its ideal is one listing page per 100 resources of a kind: a base
 * connection kind per spec, a pipeline kind per collection (the mix holds one sandbox). The five
 * connection kinds keep the budget first set for them, ⌈N/100⌉ pages per spec + 5; a mix with
 * pipeline kinds is held to the ideal itself, which every pipeline kind reaches only when it too is
 * read from listings. The ratio to the ideal is shown for every mix.
 */
function refreshFigures(add, s, runs) {
  if (runs.length === 0) return;
  const n = runs[0].n;
  const best = ideal(n, s.mix).refresh;
  const specs = new Set(Array.from({ length: Math.min(n, s.mix.length) }, (_, i) => s.mix[i % s.mix.length])).size;
  const budget = hasPipelines(s.mix) ? best : Math.ceil(n / 100) * specs + 5;
  add(`refresh.requests.n${n}`, `Refresh of ${n} connections: Flow Service requests (ideal ${best})`, runs.map((r) => r.requests.flow), "", 0, { text: `≤ ${budget}`, test: (v) => v <= budget });
  add(`refresh.requestsPerIdeal.n${n}`, `Refresh of ${n} connections: Flow Service requests / ideal (one listing page per 100 of a kind)`, runs.map((r) => r.requests.flow / best), "", 2, { text: "1.00", test: (v) => Math.abs(v - 1) < 0.005 });
  add(`refresh.seconds.n${n}.r${s.rate}`, `Refresh of ${n} connections at ${s.rate} req/s: wall time`, runs.map((r) => r.seconds), "s", 1, { text: "< 10 s", test: (v) => v < 10 });
  add(`refresh.429s.n${n}.r${s.rate}`, `Refresh of ${n} connections at ${s.rate} req/s: 429s received`, runs.map((r) => r.requests.throttled), "", 0);
}

function latencyFigures(add, s, runs) {
  const measured = runs.filter((r) => r.ratio !== undefined);
  const keys = [...new Set(measured.map((r) => `${r.n}|${r.latencyMs}|${r.parallel}`))];
  for (const key of keys) {
    const [n, L, P] = key.split("|").map(Number);
    const at = measured.filter((r) => r.n === n && r.latencyMs === L && r.parallel === P);
    const id = `n${n}.l${L}${P === s.parallel ? "" : `.p${P}`}`;
    add(`latency.ratio.${id}`, `Latency ${L} ms, N=${n}, --parallel ${P}: (up + destroy) wall / ideal`, at.map((r) => r.ratio), "", 2, { text: "≤ 1.2", test: (v) => v <= 1.2 });
    add(`latency.seconds.${id}`, `Latency ${L} ms, N=${n}, --parallel ${P}: up + destroy wall (ideal ${spread(at.map((r) => r.ideal.up + r.ideal.destroy)).median?.toFixed(1)} s)`, at.map((r) => r.aep.up + r.aep.destroy), "s", 1);
    if (at.some((r) => r.lean)) {
      add(`latency.leanRatio.${id}`, `Latency ${L} ms, N=${n}, --parallel ${P}: connections / lean no-op waiting L per request (the engine's floor)`, at.map((r) => r.leanRatio), "", 2);
      add(`latency.lean.ratio.${id}`, `Latency ${L} ms, N=${n}, --parallel ${P}: lean no-op wall / the same ideal`, at.map((r) => (r.lean.up + r.lean.destroy) / (r.ideal.up + r.ideal.destroy)), "", 2);
    }
  }
}

function scaleFigures(add, s, runs) {
  if (runs.length === 0 || runs[0].aep.noopUp === undefined) return;
  const n = s.scaleN;
  const aep = runs.map((r) => r.aep);
  for (const [phase, what] of [["up", "up"], ["noopUp", "no-op up (nothing changed)"], ["refresh", "refresh"], ["destroy", "destroy"]]) {
    add(`scale.n${n}.seconds.${phase}`, `${n} connections: ${what}, wall time`, aep.map((a) => a[phase]), "s", 1);
  }
  const idealOf = { up: (a) => a.ideal.create, refresh: (a) => a.ideal.refresh, destroy: (a) => a.ideal.delete };
  for (const [phase, f] of Object.entries(idealOf)) {
    add(`scale.n${n}.requests.${phase}`, `${n} connections: ${phase}, Flow Service requests / ideal`, aep.map((a) => a.requests[phase].flow / f(a)), "", 2);
  }
  add(`scale.n${n}.requests.noopUp`, `${n} connections: no-op up, requests`, aep.map((a) => a.requests.noopUp.total), "", 0, { text: "0", test: (v) => v === 0 });
  add(`scale.n${n}.stateBytesPerResource`, `${n} connections: state bytes per connection`, aep.map((a) => a.state.bytesPerResource), "B", 0);
  add(`scale.n${n}.lean.stateBytesPerResource`, `${n} lean no-op resources: state bytes per resource`, runs.map((r) => r.lean?.state.bytesPerResource), "B", 0);
  add(`scale.n${n}.providerPeakRss`, `${n} connections: the provider process's peak RSS (any step)`, aep.map((a) => Math.max(...Object.values(a.rss).map((x) => x.provider ?? 0))), "MB", 0);
  add(`scale.n${n}.lean.providerPeakRss`, `${n} lean no-op resources: the provider process's peak RSS`, runs.map((r) => r.lean && Math.max(...Object.values(r.lean.rss).map((x) => x.provider ?? 0))), "MB", 0);
}

function throttledFigures(add, s, runs) {
  if (runs.length === 0) return;
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

/**
 * Adds to `results` the figures of an earlier run (its results.json) that this run did not measure,
 * each marked with that run: parts too long to repeat together can be measured apart (BENCH_MERGE).
 */
function mergeFigures(results, earlier) {
  const have = new Set(results.figures.map((f) => f.id));
  const m = earlier.meta;
  const run = { date: m.date, commit: m.commit, reps: m.reps, sizes: m.sizes, parts: m.parts, parallel: m.parallel };
  // Said only when not the defaults, so the runs merged before these settings existed keep their marks.
  if (m.mixText) run.mix = m.mixText;
  if (m.baselines && m.baselines.join(",") !== "noop,lean") run.baselines = m.baselines;
  // A run of the latency part alone is described by its own sizes.
  if (m.latencySizes && m.parts?.every((p) => p === "latency")) run.sizes = m.latencySizes;
  // Each next to its kin of another size (the same id without its `.n<N>` part), else at the end.
  const stem = (id) => id.replace(/\.n\d+(?=\.|$)/, "");
  for (const f of earlier.figures) {
    if (!f.id || have.has(f.id)) continue;
    const at = results.figures.findLastIndex((g) => g.id && stem(g.id) === stem(f.id));
    results.figures.splice(at < 0 ? results.figures.length : at + 1, 0, { ...f, from: f.from ?? run });
  }
  results.meta.merged = [...(results.meta.merged ?? []), run, ...(m.merged ?? [])];
  return results;
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
  const earlier = [];
  for (const f of results.figures) {
    const goal = f.goal ? `${f.goal} ${f.met ? "(met)" : "(**missed**)"}` : "";
    let mark = "";
    if (f.from) {
      const key = JSON.stringify(f.from);
      if (!earlier.includes(key)) earlier.push(key);
      mark = ` [${earlier.indexOf(key) + 1}]`;
    }
    lines.push(`| ${f.label}${mark} | ${cell(f.min, f.digits, f.unit)} | ${cell(f.median, f.digits, f.unit)} | ${cell(f.max, f.digits, f.unit)} | ${goal} |`);
  }
  if (earlier.length > 0) {
    lines.push("");
    earlier.forEach((key, i) => {
      const r = JSON.parse(key);
      const mix = r.mix ? `, mix ${r.mix}` : "";
      const baselines = r.baselines ? `, baselines ${r.baselines.join(", ") || "none"}` : "";
      lines.push(`[${i + 1}] Measured apart, ${r.date.slice(0, 10)} at \`${r.commit}\`: ${r.reps} repetition${r.reps === 1 ? "" : "s"}, sizes ${r.sizes.join(", ")}, parts ${r.parts.join(", ")}${mix}${baselines}, \`--parallel ${r.parallel}\`.`);
    });
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

/** Writes results.json and results.md to `outDir`, and the table into docs/benchmark.md when given. */
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

module.exports = { buildFigures, mergeFigures, writeReports, markdown, prepareOutDir };
