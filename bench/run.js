#!/usr/bin/env node
// npm run bench: how close `pulumi up` with this provider comes to the engine's own limit.
// One emulator, one installed program, the real Pulumi CLI; every figure is measured side by side
// within each repetition (baseline and provider interleaved), because the machine is shared and
// absolute times drift. Writes bench/results.json, bench/results.md and the README's table.
//
// Settings (environment): BENCH_REPS (3), BENCH_SIZES ("10,100,300"), BENCH_PARALLEL (the CLI's
// default, 4 x CPUs), BENCH_RATE (requests/s of the throttled runs, 10), BENCH_THROTTLED_N (300),
// BENCH_PROVIDER_ONLY_N (1000), BENCH_PARTS ("overhead,throttled,provider"), BENCH_OUT (bench/),
// BENCH_README (1: update README.md; 0: leave it).
"use strict";
const { execFileSync, execFile } = require("node:child_process");
const os = require("node:os");
const path = require("node:path");
const { startEmulator, DEFAULT_CLIENT } = require("../dist/emulator");
const { BenchEmulator } = require("./lib/emulator");
const { Workspace, ROOT } = require("./lib/workspace");
const { streamingCount } = require("./program/declare");
const { stateSizes } = require("./lib/state");
const { buildFigures, writeReports } = require("./lib/report");

const int = (name, fallback) => (process.env[name] ? Number.parseInt(process.env[name], 10) : fallback);
const SETTINGS = {
  reps: int("BENCH_REPS", 3),
  sizes: (process.env.BENCH_SIZES ?? "10,100,300").split(",").map(Number),
  detailN: 100,
  parallel: int("BENCH_PARALLEL", 4 * os.cpus().length),
  rate: int("BENCH_RATE", 10),
  throttledN: int("BENCH_THROTTLED_N", 300),
  providerOnlyN: int("BENCH_PROVIDER_ONLY_N", 1000),
  maxInFlight: 16,
};
const PARTS = new Set((process.env.BENCH_PARTS ?? "overhead,throttled,provider").split(","));
const OUT = process.env.BENCH_OUT ? path.resolve(process.env.BENCH_OUT) : __dirname;

const say = (line) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main() {
  const startedAt = Date.now();
  const bin = execFileSync("bash", [path.join(ROOT, "scripts/ensure-pulumi.sh")], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  const emu = await BenchEmulator.start(startEmulator);
  say(`emulator ${emu.baseUrl}; packing and installing the program`);
  const ws = Workspace.create(bin);
  say(`work dir ${ws.work}`);
  const aepConfig = {
    "aep:endpoint": emu.baseUrl,
    "aep:imsEndpoint": emu.baseUrl,
    "aep:clientId": DEFAULT_CLIENT.clientId,
    "aep:orgId": DEFAULT_CLIENT.orgId,
    "aep:sandbox": "prod",
  };
  const secrets = { "aep:clientSecret": DEFAULT_CLIENT.clientSecret };
  const runs = { overhead: [], skipCheckpoints: [], throttled: [], providerOnly: [] };
  const meta = {
    date: new Date().toISOString(),
    commit: git(["describe", "--always", "--dirty"]),
    pulumiCli: (await ws.run(["version"], { capture: true })).out.trim(),
    pulumiSdk: require("@pulumi/pulumi/package.json").version,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    ...SETTINGS,
  };

  try {
    if (PARTS.has("overhead")) for (const n of SETTINGS.sizes) {
      await ws.initStack(`aep-${n}`, { ...aepConfig, "bench:mode": "aep", "bench:count": n }, secrets);
      await ws.initStack(`noop-${n}`, { ...aepConfig, "bench:mode": "noop", "bench:count": n }, secrets);
    }
    // "before": retries only; "after": the client paces itself at the gateway's rate.
    const throttledConfig = {
      before: [{ ...aepConfig, "bench:mode": "aep", "bench:count": SETTINGS.throttledN }, secrets],
      after: [{ ...aepConfig, "aep:requestsPerSecond": SETTINGS.rate, "bench:mode": "aep", "bench:count": SETTINGS.throttledN }, secrets],
    };
    if (PARTS.has("throttled")) for (const [variant, config] of Object.entries(throttledConfig)) await ws.initStack(`throttled-${variant}`, ...config);

    for (let rep = 0; rep < SETTINGS.reps; rep++) {
      // Alternate which side goes first, so a slow spell of the shared machine hits both alike.
      const order = rep % 2 === 0 ? ["noop", "aep"] : ["aep", "noop"];
      if (PARTS.has("overhead")) {
        for (const n of SETTINGS.sizes) {
          const result = await pair(ws, emu, order, n, rep);
          say(`rep ${rep + 1}/${SETTINGS.reps} N=${n}: aep ${fmt(result.aep.up)}+${fmt(result.aep.destroy)} s, noop ${fmt(result.noop.up)}+${fmt(result.noop.destroy)} s, ratio ${result.ratio.toFixed(3)} (CPU ${result.cpuRatio.toFixed(3)})`);
          runs.overhead.push(result);
        }
      }
      if (PARTS.has("overhead") && SETTINGS.sizes.includes(SETTINGS.detailN)) {
        // Attribution: the same pair without the engine's checkpoint after every step.
        const skip = await pair(ws, emu, order, SETTINGS.detailN, rep, { PULUMI_SKIP_CHECKPOINTS: "true" });
        say(`rep ${rep + 1} N=${SETTINGS.detailN} with PULUMI_SKIP_CHECKPOINTS: ratio ${skip.ratio.toFixed(3)} (CPU ${skip.cpuRatio.toFixed(3)})`);
        runs.skipCheckpoints.push(skip);
      }
      if (PARTS.has("throttled")) {
        for (const variant of rep % 2 === 0 ? ["before", "after"] : ["after", "before"]) {
          const r = await throttledUp(ws, emu, variant, rep, throttledConfig[variant]);
          say(`rep ${rep + 1} throttled ${variant}: ${r.acceptedPerSecond.toFixed(1)} req/s of ${SETTINGS.rate} (${r.ratio.toFixed(2)}), ${r.throttled} x 429, up ${fmt(r.upSeconds)} s`);
          runs.throttled.push(r);
        }
      }
      if (PARTS.has("provider")) {
        const p = await providerOnly(aepConfig, secrets);
        say(`rep ${rep + 1} provider only: ${p.createsPerSecond.toFixed(0)} creates/s, ${p.deletesPerSecond.toFixed(0)} deletes/s`);
        runs.providerOnly.push({ rep, ...p });
      }
    }
  } finally {
    await emu.stop();
  }

  meta.totalSeconds = Math.round((Date.now() - startedAt) / 1000);
  const results = { meta, figures: buildFigures(runs, SETTINGS), runs };
  const written = writeReports(results, OUT, process.env.BENCH_README !== "0" ? path.join(ROOT, "README.md") : undefined);
  say(`done in ${meta.totalSeconds} s; wrote ${written.join(", ")}`);
}

/**
 * One `up` then `destroy` of N resources, timed. At the detail size the provider's stack also gets
 * a preview first, then an export, a refresh and an in-place update of every resource between the
 * two, each with its requests counted (none of these is in the timed figures). `env` is for the
 * attribution runs (e.g. PULUMI_SKIP_CHECKPOINTS), which do only the timed part.
 */
async function cycle(ws, emu, mode, n, rep, env) {
  const stack = `${mode}-${n}`;
  const detail = n === SETTINGS.detailN && !env;
  const out = { requests: {}, cpu: {} };
  const deploy = async (command, key) => {
    const r = await ws.deploy(command, stack, SETTINGS.parallel, env);
    if (key) {
      out[key] = r.seconds;
      out.cpu[key] = r.cpu;
    }
  };
  if (mode === "aep" && detail) {
    await emu.clearRequests();
    await deploy("preview");
    out.requests.preview = await emu.traffic();
  }
  await emu.clearRequests();
  await deploy("up", "up");
  if (mode === "aep") out.requests.create = await emu.traffic();
  if (detail) out.state = stateSizes(await ws.exportStack(stack), n);
  if (mode === "aep" && detail) {
    await emu.clearRequests();
    await deploy("refresh");
    out.requests.refresh = await emu.traffic();
    await ws.setConfig(stack, { "bench:revision": String(rep + 2) });
    await emu.clearRequests();
    await deploy("up");
    out.requests.update = await emu.traffic();
  }
  await emu.clearRequests();
  await deploy("destroy", "destroy");
  if (mode === "aep") {
    out.requests.delete = await emu.traffic();
    const left = await emu.connectionCount();
    if (left !== 0) throw new Error(`${left} connections left after destroying ${stack}`);
  }
  out.ideal = ideal(n);
  return out;
}

/** The provider's stack and the no-op stack, one after the other, and their ratios. */
async function pair(ws, emu, order, n, rep, env) {
  const result = { rep, n };
  for (const mode of order) result[mode] = await cycle(ws, emu, mode, n, rep, env);
  result.ratio = (result.aep.up + result.aep.destroy) / (result.noop.up + result.noop.destroy);
  result.cpuRatio = cpuTotal(result.aep) / cpuTotal(result.noop);
  return result;
}

/** CPU seconds of up + destroy, every process (the emulator included). */
function cpuTotal(side) {
  let t = 0;
  for (const phase of ["up", "destroy"]) for (const v of Object.values(side.cpu[phase] ?? {})) t += v;
  return t;
}

/** Requests an ideal client makes per operation for N resources of the benchmark's mix (IMS apart). */
function ideal(n) {
  return { create: n + streamingCount(n), update: n, refresh: n, delete: n, preview: 0, imsPerDeployment: 1 };
}

/**
 * `up` of the throttled stack with the emulator limited to R requests/s. Only the up is measured, so
 * instead of a destroy (minutes at this size, paced too in the "after" variant) the stack is removed
 * with its state and created afresh, and the emulator forgets its connections.
 */
async function throttledUp(ws, emu, variant, rep, stackConfig) {
  const stack = `throttled-${variant}`;
  await emu.setRateLimit(SETTINGS.rate);
  await emu.clearRequests();
  const upSeconds = (await ws.deploy("up", stack, SETTINGS.parallel)).seconds;
  const t = await emu.traffic();
  await ws.run(["stack", "rm", "--stack", stack, "--force", "--yes", "--non-interactive"]);
  await emu.reset();
  await ws.initStack(stack, ...stackConfig);
  return { rep, variant, upSeconds, ...t, ratio: t.acceptedPerSecond / SETTINGS.rate, ideal: ideal(SETTINGS.throttledN).create };
}

/** bench/provider-only.js in a process of its own, as the engine's provider process would be. */
function providerOnly(aepConfig, secrets) {
  const arg = JSON.stringify({ config: { ...aepConfig, ...secrets }, count: SETTINGS.providerOnlyN });
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AEP_")));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(__dirname, "provider-only.js"), arg], { env, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`provider-only failed: ${stderr || err.message}`));
      resolve(JSON.parse(stdout.trim().split("\n").pop()));
    });
  });
}

function git(args) {
  try {
    return execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "unknown";
  }
}

const fmt = (s) => s.toFixed(1);

main().catch((err) => {
  process.stderr.write(`bench failed: ${err.stack || err.message}\n`);
  process.exit(1);
});
