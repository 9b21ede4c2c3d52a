// The engine overhead: N connections beside N resources of each baseline, `up` and `destroy` timed,
// side by side in one repetition in the order A-up, B-up, C-up, C-destroy, B-destroy, A-destroy, so
// that load drifting during the run hits every side alike. Baselines: "noop" (a provider object in
// the program, whose code Pulumi stores in `__provider`: 3.3 KB) and "lean" (bench/lean-noop, an
// installed module stored as a reference exactly like ours, with the same inputs and outputs).
// At the detail size the connections also get a preview, an export, a refresh and an in-place update
// of every resource, each with its requests counted; at the scale size an export, a no-op `up` and a
// refresh, timed and counted, and the provider process's peak memory.
"use strict";
const { createRequests, deleteRequests, hasPipelines, fixedCreateRequests, streamingCount, TYPES } = require("../program/declare");
const { stateSizes } = require("./state");

const SIDES = ["noop", "lean", "aep"];

/** How many of the first `n` resources of the mix are of each type. */
function perType(n, mix) {
  const counts = {};
  for (let i = 0; i < n; i++) counts[mix[i % mix.length]] = (counts[mix[i % mix.length]] ?? 0) + 1;
  return counts;
}

/**
 * Requests an ideal client makes per operation for N resources of the mix (IMS apart). A refresh
 * lists each spec (each collection, for the pipeline kinds) once, in pages of 100. A deployment also
 * lists, once, each spec or collection it creates in (generated names: an interrupted create's
 * leftover is found there) and looks its flow spec up once; a mapping set's delete sends nothing
 * (Data Prep cannot delete one).
 */
function ideal(n, mix = TYPES) {
  const pages = Object.values(perType(n, mix)).reduce((t, k) => t + Math.ceil(k / 100), 0);
  return {
    create: createRequests(n, mix) + fixedCreateRequests(n, mix),
    update: n,
    refresh: pages,
    delete: deleteRequests(n, mix),
    preview: 0,
    imsPerDeployment: 1,
    streaming: streamingCount(n, mix),
  };
}

/**
 * One repetition at size n. `order` says which side goes first; `env` (e.g. PULUMI_SKIP_CHECKPOINTS)
 * marks an attribution run, which does only the timed part.
 */
async function overheadPair({ ws, emu, settings, n, rep, order, env }) {
  const detail = n === settings.detailN && !env;
  const scale = n === settings.scaleN && !env;
  const sides = {};
  // The baselines this run compares with (settings.baselines; default both): the no-op storing its
  // code takes longest at large N, so a scale run may leave it out.
  order = order.filter((mode) => mode === "aep" || (settings.baselines ?? ["noop", "lean"]).includes(mode));
  // Data Prep keeps a destroyed mapping set, and the next repetition's would bear the same generated
  // name: each repetition starts from an empty emulator (its clients stay).
  if (hasPipelines(settings.mix)) await emu.reset();
  for (const mode of order) sides[mode] = { stack: `${mode}-${n}`, requests: {}, cpu: {}, rss: {}, ideal: ideal(n, settings.mix) };
  const aep = sides.aep;
  // Runs one command; `operation` names its request count (connections only), `timed` keeps its times.
  const deploy = async (side, command, operation, timed = false) => {
    if (side === aep) await emu.clearRequests();
    const r = await ws.deploy(command, side.stack, settings.parallel, env);
    if (timed) {
      side[operation] = r.seconds;
      side.cpu[operation] = r.cpu;
    }
    side.rss[operation] = r.rss;
    if (side === aep) aep.requests[operation] = await emu.traffic();
  };

  if (detail) await deploy(aep, "preview", "preview");
  for (const mode of order) await deploy(sides[mode], "up", "up", true);
  if (detail || scale) {
    for (const mode of order) sides[mode].state = stateSizes(await ws.exportStack(sides[mode].stack), n);
  }
  if (scale) {
    await deploy(aep, "up", "noopUp", true); // nothing changed: no request at all
    await deploy(aep, "refresh", "refresh", true);
  }
  if (detail) {
    await deploy(aep, "refresh", "refresh", true);
    await ws.setConfig(aep.stack, { "bench:revision": String(rep + 2) });
    await deploy(aep, "up", "update"); // every description changed: an in-place update of each connection
  }
  for (const mode of [...order].reverse()) await deploy(sides[mode], "destroy", "destroy", true);
  const left = await emu.connectionCount();
  if (left !== 0) throw new Error(`${left} connections left after destroying ${aep.stack}`);

  for (const side of Object.values(sides)) delete side.stack;
  const total = (side) => side.up + side.destroy;
  const result = { rep, n, order, ...sides };
  if (sides.noop) {
    result.ratio = total(aep) / total(sides.noop);
    result.cpuRatio = cpuTotal(aep) / cpuTotal(sides.noop);
  }
  if (sides.lean) {
    result.leanRatio = total(aep) / total(sides.lean);
    result.leanCpuRatio = cpuTotal(aep) / cpuTotal(sides.lean);
  }
  return result;
}

/** CPU seconds of up + destroy, every process (the emulator included). */
function cpuTotal(side) {
  let t = 0;
  for (const phase of ["up", "destroy"]) for (const v of Object.values(side.cpu[phase] ?? {})) t += v;
  return t;
}

/** The order of the sides in repetition `rep`: alternately forwards and backwards. */
function orderFor(rep) {
  return rep % 2 === 0 ? [...SIDES] : [...SIDES].reverse();
}

module.exports = { overheadPair, ideal, orderFor, SIDES };
