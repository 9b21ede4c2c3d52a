// Refresh at the cost of a listing: `pulumi refresh` of N resources of the mix (BENCH_REFRESH_N, 300),
// each repetition against an emulator limited to R requests/s (BENCH_RATE, 10), counted and timed,
// and judged against the ideal of one listing page per 100 of a kind (report.js). The stack is
// brought up once, unthrottled, and destroyed at the end.
"use strict";
const STACK = "refresh";

async function initRefreshStack({ ws, settings, config, secrets }) {
  await ws.initStack(STACK, { ...config, "bench:mode": "aep", "bench:count": settings.refreshN, ...(settings.mixText ? { "bench:mix": settings.mixText } : {}) }, secrets);
  await ws.deploy("up", STACK, settings.parallel);
}

async function refreshRep({ ws, emu, settings, rep }) {
  await emu.setRateLimit(settings.rate);
  await emu.clearRequests();
  const r = await ws.deploy("refresh", STACK, settings.parallel);
  const requests = await emu.traffic(settings.rate);
  await emu.clearRateLimit();
  return { rep, n: settings.refreshN, seconds: r.seconds, requests, providerRssMb: r.rss.provider };
}

async function destroyRefreshStack({ ws, settings }) {
  await ws.deploy("destroy", STACK, settings.parallel);
}

module.exports = { initRefreshStack, refreshRep, destroyRefreshStack };
