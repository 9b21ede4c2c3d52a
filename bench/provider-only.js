// Provider-only throughput: the lifecycle functions called directly, without the engine, in a
// process of their own (as the engine's dynamic-provider process runs them). All creates are started
// at once, so the client's process-wide in-flight cap (aep:maxInFlight) is what bounds them; then
// all deletes the same way. Prints one JSON line: {creates, createsPerSecond, deletesPerSecond,
// cpuMsPerCreate, cpuMsPerDelete}: this process's CPU (user + system) per step, which is the
// provider's own cost per request (a create is one POST, a streaming one a POST and a GET; a delete
// one DELETE), whatever else shares the machine.
//
// Usage: node bench/provider-only.js '<{"config": {"aep:endpoint": ...}, "count": 1000}>'
"use strict";
const path = require("node:path");
const { KIND_OF, argsFor } = require("./program/declare");

const lifecycle = require(path.resolve(__dirname, "../dist/provider/lifecycle.js"));

async function main() {
  const { config, count, mix } = JSON.parse(process.argv[2]);
  await lifecycle.configure("ftp", { config: { get: (key) => config[key] } });

  const inputs = [];
  for (let i = 0; i < count; i++) {
    const { type, name, args } = argsFor(i, "1", mix ?? undefined);
    const kind = KIND_OF[type];
    const checked = await lifecycle.check(kind, {}, { ...args, __autoName: name });
    if (checked.failures.length) throw new Error(`check ${name}: ${JSON.stringify(checked.failures)}`);
    inputs.push({ kind, inputs: checked.inputs });
  }

  const cpuMs = (since) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  // Warm-up: the first request loads axios and fetches the IMS token, costs a deployment pays once.
  const warm = await lifecycle.create(inputs[0].kind, inputs[0].inputs);
  await lifecycle.delete(inputs[0].kind, warm.id, warm.outs);

  let cpu = process.cpuUsage();
  let started = process.hrtime.bigint();
  const created = await Promise.all(inputs.map(async ({ kind, inputs }) => ({ kind, ...(await lifecycle.create(kind, inputs)) })));
  const createSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const createCpuMs = cpuMs(cpu);

  cpu = process.cpuUsage();
  started = process.hrtime.bigint();
  await Promise.all(created.map(({ kind, id, outs }) => lifecycle.delete(kind, id, outs)));
  const deleteSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const deleteCpuMs = cpuMs(cpu);

  process.stdout.write(`${JSON.stringify({ creates: created.length, createSeconds, createsPerSecond: count / createSeconds, deleteSeconds, deletesPerSecond: count / deleteSeconds, cpuMsPerCreate: createCpuMs / count, cpuMsPerDelete: deleteCpuMs / count })}\n`);
}

main().catch((err) => {
  process.stderr.write(`provider-only: ${err.stack || err.message}\n`);
  process.exit(1);
});
