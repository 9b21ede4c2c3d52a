// Real latency: `up` and `destroy` of N connections against an emulator that adds a fixed delay L to
// every request (PUT /__admin/latency), at the CLI's default parallelism P and at --parallel 32. The
// ideal is ⌈N/P⌉ × L × (Flow Service requests per resource on the critical path) + the deployment's
// fixed cost, measured in the same repetition at N = 1 (CLI start, IMS token, name listings) minus
// that one resource's own requests. Where BENCH_LATENCY_LEAN_SIZES says so, the lean no-op baseline
// runs beside it, told L (bench:leanLatencyMs) so it waits as a perfect client would: its time is
// the engine's own floor at that N, P and L.
"use strict";
const { createRequests } = require("../program/declare");

const stackOf = (mode, n) => `lat-${mode}-${n}`;

async function initLatencyStacks({ ws, settings, config, secrets }) {
  for (const n of settings.latencySizes) {
    await ws.initStack(stackOf("aep", n), { ...config, "bench:mode": "aep", "bench:count": n, ...mixConfig(settings) }, secrets);
    if (settings.latencyLeanSizes.includes(n)) await ws.initStack(stackOf("lean", n), { "bench:mode": "lean", "bench:count": n, ...mixConfig(settings) });
  }
}

function mixConfig(settings) {
  return settings.mixText ? { "bench:mix": settings.mixText } : {};
}

/** Flow Service requests per resource on the critical path of one command (create or delete). */
function requestsPerResource(command, n, mix) {
  return command === "up" ? createRequests(n, mix) / n : 1;
}

/** One repetition: every L, P and N, each N's sides in ABBA order. */
async function latencyRep({ ws, emu, settings, rep, say }) {
  const results = [];
  for (const latencyMs of settings.latencies) {
    await emu.setLatency(latencyMs);
    for (const n of settings.latencySizes) {
      if (settings.latencyLeanSizes.includes(n)) await ws.setConfig(stackOf("lean", n), { "bench:leanLatencyMs": String(latencyMs) });
    }
    for (const parallel of settings.latencyParallel) {
      for (const n of settings.latencySizes) {
        const modes = settings.latencyLeanSizes.includes(n) ? (rep % 2 === 0 ? ["lean", "aep"] : ["aep", "lean"]) : ["aep"];
        const r = { rep, latencyMs, parallel, n };
        for (const mode of modes) {
          await emu.clearRequests();
          r[mode] = { up: (await ws.deploy("up", stackOf(mode, n), parallel)).seconds };
          if (mode === "aep") r.aep.upRequests = await emu.traffic();
        }
        for (const mode of [...modes].reverse()) {
          await emu.clearRequests();
          r[mode].destroy = (await ws.deploy("destroy", stackOf(mode, n), parallel)).seconds;
          if (mode === "aep") r.aep.destroyRequests = await emu.traffic();
        }
        const left = await emu.connectionCount();
        if (left !== 0) throw new Error(`${left} connections left after destroying ${stackOf("aep", n)}`);
        results.push(r);
        say(`rep ${rep + 1} latency ${latencyMs} ms, --parallel ${parallel}, N=${n}: up ${r.aep.up.toFixed(1)} s, destroy ${r.aep.destroy.toFixed(1)} s${r.lean ? ` (lean ${r.lean.up.toFixed(1)} + ${r.lean.destroy.toFixed(1)} s)` : ""}`);
      }
    }
  }
  await emu.setLatency(0);
  return withIdeals(results, settings);
}

/** Adds to each result its ideal, from the same repetition's N = 1 run at the same L and P. */
function withIdeals(results, settings) {
  for (const r of results) {
    const one = results.find((x) => x.rep === r.rep && x.latencyMs === r.latencyMs && x.parallel === r.parallel && x.n === 1);
    if (!one || r.n === 1) continue;
    const L = r.latencyMs / 1000;
    const ideal = {};
    for (const command of ["up", "destroy"]) {
      const fixed = Math.max(0, one.aep[command] - L * requestsPerResource(command, 1, settings.mix));
      ideal[command] = Math.ceil(r.n / r.parallel) * L * requestsPerResource(command, r.n, settings.mix) + fixed;
    }
    r.ideal = ideal;
    r.ratio = (r.aep.up + r.aep.destroy) / (ideal.up + ideal.destroy);
    r.upRatio = r.aep.up / ideal.up;
    r.destroyRatio = r.aep.destroy / ideal.destroy;
    if (r.lean) r.leanRatio = (r.aep.up + r.aep.destroy) / (r.lean.up + r.lean.destroy);
  }
  return results;
}

module.exports = { initLatencyStacks, latencyRep, withIdeals, requestsPerResource };
