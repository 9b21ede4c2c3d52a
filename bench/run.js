#!/usr/bin/env node
// npm run bench: how close `pulumi up` with this provider comes to the engine's own limit.
// Emulators in this process, one installed program, the real Pulumi CLI with a local file backend.
// Every ratio is measured side by side within each repetition, because the machine is shared and
// absolute times drift. Writes bench/results.json, bench/results.md and the table in docs/benchmark.md.
//
// Settings (environment): BENCH_REPS (3), BENCH_SIZES ("10,100,300,1000": the overhead sizes),
// BENCH_SCALE_N (1000: the size that also gets a no-op up, a refresh, state size and peak memory),
// BENCH_PARALLEL (the CLI's default, 4 x CPUs), BENCH_MIX (resource types in turn, default the five
// connection kinds; `Pipeline` for whole pipelines of six, parts overhead, attribution and refresh only), BENCH_RATE (requests/s of the throttled and refresh runs, 10), BENCH_THROTTLED_N
// (300), BENCH_REFRESH_N (300), BENCH_LATENCIES ("150,50" ms), BENCH_LATENCY_SIZES ("1,100,300"; 1 is
// the fixed cost and always runs), BENCH_LATENCY_PARALLEL (default P and 32), BENCH_LATENCY_LEAN_SIZES
// ("300": where the lean baseline runs under latency too), BENCH_MAX_IN_FLIGHT (aep:maxInFlight; the
// provider's default when unset), BENCH_PROVIDER_ONLY_N (1000), BENCH_BASELINES ("noop,lean": the
// overhead baselines run beside the resources; a scale run may leave out the slow "noop"),
// BENCH_PARTS ("overhead,attribution,throttled,provider,latency,refresh"),
// BENCH_MERGE (an earlier run's results.json: its figures this run did not measure are added, marked),
// BENCH_OUT (bench/; created when missing), BENCH_README (1: put the table into docs/benchmark.md; 0: leave it), BENCH_KEEP (1: keep
// the temporary work dir with the program, the state backend and pulumi.log).
"use strict";
const { execFile, execFileSync } = require("node:child_process");
const { readFileSync, rmSync } = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { DEFAULT_CLIENT, startEmulator } = require("../dist/emulator");
const { hasPipelines, parseMix } = require("./program/declare");
const { BenchEmulator } = require("./lib/emulator");
const { initLatencyStacks, latencyRep } = require("./lib/latency");
const { orderFor, overheadPair, SIDES } = require("./lib/overhead");
const { destroyRefreshStack, initRefreshStack, refreshRep } = require("./lib/refresh");
const { buildFigures, mergeFigures, prepareOutDir, writeReports } = require("./lib/report");
const { initThrottledStacks, throttledPair } = require("./lib/throttled");
const { ROOT, Workspace } = require("./lib/workspace");

const int = (name, fallback) => (process.env[name] ? Number.parseInt(process.env[name], 10) : fallback);
const ints = (name, fallback) => (process.env[name] ?? fallback).split(",").filter(Boolean).map(Number);
const defaultParallel = 4 * os.cpus().length;
const SETTINGS = {
  reps: int("BENCH_REPS", 3),
  sizes: ints("BENCH_SIZES", "10,100,300,1000"),
  detailN: 100,
  scaleN: int("BENCH_SCALE_N", 1000),
  parallel: int("BENCH_PARALLEL", defaultParallel),
  mixText: process.env.BENCH_MIX ?? "",
  mix: parseMix(process.env.BENCH_MIX),
  rate: int("BENCH_RATE", 10),
  throttledN: int("BENCH_THROTTLED_N", 300),
  refreshN: int("BENCH_REFRESH_N", 300),
  latencies: ints("BENCH_LATENCIES", "150,50"),
  latencySizes: [...new Set([1, ...ints("BENCH_LATENCY_SIZES", "100,300")])].sort((a, b) => a - b),
  latencyParallel: ints("BENCH_LATENCY_PARALLEL", `${int("BENCH_PARALLEL", defaultParallel)},32`),
  latencyLeanSizes: ints("BENCH_LATENCY_LEAN_SIZES", "300"),
  providerOnlyN: int("BENCH_PROVIDER_ONLY_N", 1000),
  maxInFlight: int("BENCH_MAX_IN_FLIGHT", 16),
  maxInFlightConfigured: Boolean(process.env.BENCH_MAX_IN_FLIGHT),
  baselines: (process.env.BENCH_BASELINES ?? "noop,lean").split(",").filter(Boolean),
  parts: (process.env.BENCH_PARTS ?? "overhead,attribution,throttled,provider,latency,refresh").split(","),
};
const PARTS = new Set(SETTINGS.parts);
// Parts that cannot take pipelines yet: the latency ideal assumes independent resources (a pipeline is
// a chain of three on its critical path), the throttled runs repeat on one emulator (which keeps
// mapping sets), and the provider-only run has no engine to pass ids between resources.
const NO_PIPELINES = ["latency", "throttled", "provider"];
if (hasPipelines(SETTINGS.mix) && SETTINGS.parts.some((p) => NO_PIPELINES.includes(p))) {
  process.stderr.write(`bench: parts ${NO_PIPELINES.filter((p) => PARTS.has(p)).join(", ")} do not take a mix with pipeline kinds (BENCH_MIX=${SETTINGS.mixText}): set BENCH_PARTS to overhead, attribution or refresh
`);
  process.exit(2);
}
const OUT = process.env.BENCH_OUT ? path.resolve(process.env.BENCH_OUT) : __dirname;
const SECRETS = { "aep:clientSecret": DEFAULT_CLIENT.clientSecret };

const say = (line) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const fmt = (s) => s.toFixed(1);

/** Stack config pointing the provider at an emulator with its default client. */
function aepConfig(emu) {
  return {
    "aep:endpoint": emu.baseUrl,
    "aep:imsEndpoint": emu.baseUrl,
    "aep:clientId": DEFAULT_CLIENT.clientId,
    "aep:orgId": DEFAULT_CLIENT.orgId,
    "aep:sandbox": "prod",
    ...(SETTINGS.maxInFlightConfigured ? { "aep:maxInFlight": SETTINGS.maxInFlight } : {}),
  };
}

const mixConfig = () => (SETTINGS.mixText ? { "bench:mix": SETTINGS.mixText } : {});

async function main() {
  const startedAt = Date.now();
  // First, so that an unusable BENCH_OUT fails now and not after the measurements.
  prepareOutDir(OUT);
  const earlier = process.env.BENCH_MERGE ? readEarlier(path.resolve(process.env.BENCH_MERGE)) : undefined;
  const bin = execFileSync("bash", [path.join(ROOT, "scripts/ensure-pulumi.sh")], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  const emu = await BenchEmulator.start(startEmulator);
  const throttledEmus = { before: await BenchEmulator.start(startEmulator), after: await BenchEmulator.start(startEmulator) };
  // Latency and refresh runs each have an emulator of their own: its delay or rate limit touches nothing else.
  const latencyEmu = await BenchEmulator.start(startEmulator);
  const refreshEmu = await BenchEmulator.start(startEmulator);
  const stopAll = () => Promise.all([emu, latencyEmu, refreshEmu, ...Object.values(throttledEmus)].map((e) => e.stop()));
  try {
    say("packing the package and installing it into the benchmark program");
    const ws = Workspace.create(bin);
    say(`work dir ${ws.work}`);
    const meta = {
      date: new Date().toISOString(),
      commit: codeVersion(),
      pulumiCli: (await ws.run(["version"], { capture: true })).out.trim(),
      pulumiSdk: require("@pulumi/pulumi/package.json").version,
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      ...SETTINGS,
    };
    const runs = await measure(ws, { emu, throttledEmus, latencyEmu, refreshEmu });
    meta.totalSeconds = Math.round((Date.now() - startedAt) / 1000);
    const results = { meta, figures: buildFigures(runs, SETTINGS), runs };
    if (earlier) mergeFigures(results, earlier);
    const written = writeReports(results, OUT, process.env.BENCH_README !== "0" ? path.join(ROOT, "docs", "benchmark.md") : undefined);
    say(`done in ${meta.totalSeconds} s; wrote ${written.join(", ")}`);
    // Kept after a failure, for its pulumi.log; BENCH_KEEP=1 keeps it always.
    if (process.env.BENCH_KEEP !== "1") rmSync(ws.work, { recursive: true, force: true });
  } finally {
    await stopAll();
  }
}

async function measure(ws, { emu, throttledEmus, latencyEmu, refreshEmu }) {
  const runs = { overhead: [], skipCheckpoints: [], throttled: [], providerOnly: [], latency: [], refresh: [] };
  const attribution = PARTS.has("attribution") && SETTINGS.sizes.includes(SETTINGS.detailN);
  if (PARTS.has("overhead") || attribution) {
    for (const n of SETTINGS.sizes) {
      for (const mode of SIDES) {
        const config = mode === "aep" ? { ...aepConfig(emu) } : {};
        await ws.initStack(`${mode}-${n}`, { ...config, "bench:mode": mode, "bench:count": n, ...mixConfig() }, mode === "aep" ? SECRETS : {});
      }
    }
  }
  const throttledConfig = (variant) => ({
    ...aepConfig(throttledEmus[variant]),
    ...(variant === "after" ? { "aep:requestsPerSecond": SETTINGS.rate } : {}),
    "bench:mode": "aep",
    "bench:count": SETTINGS.throttledN,
    ...mixConfig(),
  });
  if (PARTS.has("throttled")) await initThrottledStacks({ ws, configFor: throttledConfig, secrets: SECRETS });
  if (PARTS.has("latency")) await initLatencyStacks({ ws, settings: SETTINGS, config: aepConfig(latencyEmu), secrets: SECRETS });
  if (PARTS.has("refresh")) {
    say(`bringing up ${SETTINGS.refreshN} connections for the refresh runs`);
    await initRefreshStack({ ws, settings: SETTINGS, config: aepConfig(refreshEmu), secrets: SECRETS });
  }

  for (let rep = 0; rep < SETTINGS.reps; rep++) {
    // Alternate which side goes first, so that a slow spell of the shared machine hits every side alike.
    const order = orderFor(rep);
    const tag = `rep ${rep + 1}/${SETTINGS.reps}`;
    if (PARTS.has("overhead")) {
      for (const n of SETTINGS.sizes) {
        const r = await overheadPair({ ws, emu, settings: SETTINGS, n, rep, order });
        say(`${tag} N=${n}: ${overheadLine(r)}`);
        runs.overhead.push(r);
      }
    }
    if (attribution) {
      // The same run without the engine's checkpoint after every step.
      const r = await overheadPair({ ws, emu, settings: SETTINGS, n: SETTINGS.detailN, rep, order, env: { PULUMI_SKIP_CHECKPOINTS: "true" } });
      say(`${tag} N=${SETTINGS.detailN}, PULUMI_SKIP_CHECKPOINTS=true: ${[r.lean ? `ratio vs lean ${r.leanRatio.toFixed(3)}` : "", r.noop ? `vs no-op ${r.ratio.toFixed(3)}` : ""].filter(Boolean).join(", ")}`);
      runs.skipCheckpoints.push(r);
    }
    if (PARTS.has("refresh")) {
      const r = await refreshRep({ ws, emu: refreshEmu, settings: SETTINGS, rep });
      say(`${tag} refresh of ${r.n} at ${SETTINGS.rate} req/s: ${fmt(r.seconds)} s, ${r.requests.flow} Flow Service requests, ${r.requests.throttled} x 429`);
      runs.refresh.push(r);
    }
    if (PARTS.has("latency")) runs.latency.push(...(await latencyRep({ ws, emu: latencyEmu, settings: SETTINGS, rep, say: (line) => say(`${tag} ${line}`) })));
    if (PARTS.has("throttled")) {
      for (const r of await throttledPair({ ws, emus: throttledEmus, settings: SETTINGS, rep, configFor: throttledConfig, secrets: SECRETS })) {
        say(`${tag} throttled ${r.variant}: ${r.acceptedPerSecond.toFixed(2)} req/s accepted of ${SETTINGS.rate} (${r.ratio.toFixed(2)}), ${r.throttled} x 429, up ${fmt(r.upSeconds)} s`);
        runs.throttled.push(r);
      }
    }
    if (PARTS.has("provider")) {
      const r = await providerOnly(aepConfig(emu));
      say(`${tag} provider only: ${r.createsPerSecond.toFixed(0)} creates/s, ${r.deletesPerSecond.toFixed(0)} deletes/s, CPU ${r.cpuMsPerCreate.toFixed(3)} ms per create, ${r.cpuMsPerDelete.toFixed(3)} ms per delete`);
      runs.providerOnly.push({ rep, ...r });
    }
  }
  if (PARTS.has("refresh")) await destroyRefreshStack({ ws, settings: SETTINGS });
  return runs;
}

/** One repetition's overhead figures, for the sides this run has. */
function overheadLine(r) {
  const parts = [`aep ${fmt(r.aep.up)}+${fmt(r.aep.destroy)} s`];
  if (r.lean) parts.push(`lean ${fmt(r.lean.up)}+${fmt(r.lean.destroy)} s`);
  if (r.noop) parts.push(`no-op ${fmt(r.noop.up)}+${fmt(r.noop.destroy)} s`);
  if (r.lean) parts.push(`ratio vs lean ${r.leanRatio.toFixed(3)} (CPU ${r.leanCpuRatio.toFixed(3)})`);
  if (r.noop) parts.push(`vs no-op ${r.ratio.toFixed(3)}`);
  if (r.aep.noopUp !== undefined) parts.push(`no-op up ${fmt(r.aep.noopUp)} s, refresh ${fmt(r.aep.refresh)} s`);
  return parts.join(", ");
}

/** bench/provider-only.js in a process of its own, as the engine's provider process would be. */
function providerOnly(config) {
  const arg = JSON.stringify({ config: { ...config, ...SECRETS }, count: SETTINGS.providerOnlyN, mix: SETTINGS.mix });
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AEP_")));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, "provider-only.js"), arg], { env, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`provider-only failed: ${stderr || err.message}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()));
    });
  });
}

/** The results.json named by BENCH_MERGE, read before anything is measured. */
function readEarlier(file) {
  try {
    const earlier = JSON.parse(readFileSync(file, "utf8"));
    if (!Array.isArray(earlier.figures) || !earlier.meta) throw new Error("it has no meta and figures");
    return earlier;
  } catch (err) {
    throw new Error(`cannot merge the figures of ${file} (BENCH_MERGE): ${err.message}`);
  }
}

/** HEAD, marked when code outside bench/ and docs/benchmark.md (which this run rewrites) has uncommitted changes. */
function codeVersion() {
  const head = git(["rev-parse", "--short", "HEAD"]);
  const changed = git(["status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)docs/benchmark.md", ":(exclude)bench"]);
  return changed ? `${head} + uncommitted changes` : head;
}

function git(args) {
  try {
    return execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack || err.message}\n`);
  process.exit(1);
});
