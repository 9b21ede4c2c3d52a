// The engine overhead pair: N connections and N no-op resources, `up` and `destroy` timed, in the
// order A-up, B-up, B-destroy, A-destroy so that load drifting during the pair hits both sides alike.
// At the detail size the connections also get a preview, an export, a refresh and an in-place update
// of every resource, each with its requests counted; none of these is timed.
"use strict";
const { streamingCount } = require("../program/declare");
const { stateSizes } = require("./state");

/** Requests an ideal client makes per operation for N resources of the benchmark's mix (IMS apart). */
function ideal(n) {
  return { create: n + streamingCount(n), update: n, refresh: n, delete: n, preview: 0, imsPerDeployment: 1 };
}

/**
 * One repetition of the pair. `order` says which side goes first; `env` (e.g. PULUMI_SKIP_CHECKPOINTS)
 * marks an attribution run, which does only the timed part.
 */
async function overheadPair({ ws, emu, settings, n, rep, order, env }) {
  const detail = n === settings.detailN && !env;
  const sides = {};
  for (const mode of order) sides[mode] = { stack: `${mode}-${n}`, requests: {}, cpu: {}, ideal: ideal(n) };
  const aep = sides.aep;
  // Runs one command; `operation` names its request count (connections only), `timed` keeps its times.
  const deploy = async (side, command, operation, timed = false) => {
    if (side === aep) await emu.clearRequests();
    const r = await ws.deploy(command, side.stack, settings.parallel, env);
    if (timed) {
      side[command] = r.seconds;
      side.cpu[command] = r.cpu;
    }
    if (side === aep) aep.requests[operation] = await emu.traffic();
  };

  if (detail) await deploy(aep, "preview", "preview");
  for (const mode of order) await deploy(sides[mode], "up", "create", true);
  if (detail) {
    for (const mode of order) sides[mode].state = stateSizes(await ws.exportStack(sides[mode].stack), n);
    await deploy(aep, "refresh", "refresh");
    await ws.setConfig(aep.stack, { "bench:revision": String(rep + 2) });
    await deploy(aep, "up", "update"); // every description changed: an in-place update of each connection
  }
  for (const mode of [...order].reverse()) await deploy(sides[mode], "destroy", "delete", true);
  const left = await emu.connectionCount();
  if (left !== 0) throw new Error(`${left} connections left after destroying ${aep.stack}`);

  for (const side of Object.values(sides)) delete side.stack;
  const result = { rep, n, order, ...sides };
  result.ratio = (aep.up + aep.destroy) / (sides.noop.up + sides.noop.destroy);
  result.cpuRatio = cpuTotal(aep) / cpuTotal(sides.noop);
  return result;
}

/** CPU seconds of up + destroy, every process (the emulator included). */
function cpuTotal(side) {
  let t = 0;
  for (const phase of ["up", "destroy"]) for (const v of Object.values(side.cpu[phase] ?? {})) t += v;
  return t;
}

module.exports = { overheadPair, ideal };
