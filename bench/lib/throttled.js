// Throttled throughput: `up` of N connections against an emulator limited to R requests/s, without
// a configured rate ("before": the client learns it from 429s) and with `aep:requestsPerSecond` = R
// ("after"), one after the other (run together, the two engines starve each other below R on 2 cores).
"use strict";
const { ideal } = require("./overhead");

const VARIANTS = ["before", "after"];

/** Creates the stack of each variant; `configFor(variant)` gives its plain config, pointing at its own emulator. */
async function initThrottledStacks({ ws, configFor, secrets }) {
  for (const variant of VARIANTS) await ws.initStack(`throttled-${variant}`, configFor(variant), secrets);
}

/**
 * One repetition. Only the up is measured, so instead of a destroy (minutes at this size, and paced
 * too in the "after" variant) each stack is removed with its state and created afresh, and its
 * emulator forgets its connections.
 */
async function throttledPair({ ws, emus, settings, rep, configFor, secrets }) {
  const results = [];
  for (const variant of rep % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
    const stack = `throttled-${variant}`;
    const emu = emus[variant];
    await emu.setRateLimit(settings.rate);
    await emu.clearRequests();
    const up = await ws.deploy("up", stack, settings.parallel);
    const t = await emu.traffic(settings.rate);
    results.push({ rep, variant, upSeconds: up.seconds, ...t, ratio: t.acceptedPerSecond / settings.rate, ideal: ideal(settings.throttledN, settings.mix).create });
    await ws.run(["stack", "rm", "--stack", stack, "--force", "--yes", "--non-interactive"]);
    await emu.reset();
    await ws.initStack(stack, configFor(variant), secrets);
  }
  return results;
}

module.exports = { VARIANTS, initThrottledStacks, throttledPair };
