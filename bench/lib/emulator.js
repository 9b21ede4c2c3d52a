// The emulator side of the benchmark: one emulator for the whole run, its admin API, and what the
// request log says about a deployment.
"use strict";
const IMS_ROUTE = "/ims/token/v3";

class BenchEmulator {
  static async start(startEmulator) {
    return new BenchEmulator(await startEmulator({ port: 0 }));
  }

  constructor(running) {
    this.running = running;
  }

  get baseUrl() {
    return this.running.baseUrl;
  }

  async admin(method, path, body) {
    const res = await fetch(`${this.running.adminUrl}${path}`, {
      method,
      // The admin API takes writes only as JSON (a browser's form post cannot reach it), body or not.
      headers: method === "GET" ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`admin ${method} ${path}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  }

  /** Forgets connections, faults, the rate limit, the latency and the request log. */
  reset() {
    return this.admin("POST", "/reset");
  }

  clearRequests() {
    return this.admin("DELETE", "/requests");
  }

  /** The request log since the last clear, summarized (with idle time when a rate limit is given). */
  async traffic(rate) {
    return summarize(await this.admin("GET", "/requests"), rate);
  }

  setRateLimit(requestsPerSecond, burst) {
    return this.admin("PUT", "/rate-limit", burst === undefined ? { requestsPerSecond } : { requestsPerSecond, burst });
  }

  clearRateLimit() {
    return this.admin("DELETE", "/rate-limit");
  }

  /** A fixed delay before every request (0: none). */
  setLatency(latencyMs) {
    return this.admin("PUT", "/latency", { latencyMs });
  }

  async connectionCount() {
    return (await this.admin("GET", "/connections")).items.length;
  }

  stop() {
    return this.running.stop();
  }
}

/**
 * Request counts by "METHOD route", IMS token requests apart from Flow Service ones, 429s, and the
 * rate at which Flow Service accepted requests (non-429 answers per second from the first Flow
 * request to the last). With `rate` (the limit, requests/s), `idleSeconds` adds up the time beyond
 * 1/rate in every gap longer than 1.5/rate between Flow requests: near 0 for a client that sends
 * evenly at the limit; large for one that pauses and then bursts, or that had nothing to send.
 */
function summarize(log, rate) {
  const flow = log.entries.filter((e) => e.route !== IMS_ROUTE);
  const accepted = flow.filter((e) => e.status !== 429);
  const spanSeconds = flow.length > 1 ? (flow[flow.length - 1].at - flow[0].at) / 1000 : 0;
  return {
    total: log.total,
    counts: log.counts,
    ims: log.counts[`POST ${IMS_ROUTE}`] ?? 0,
    flow: log.total - (log.counts[`POST ${IMS_ROUTE}`] ?? 0),
    throttled: log.entries.filter((e) => e.status === 429).length,
    accepted: accepted.length,
    spanSeconds,
    acceptedPerSecond: spanSeconds > 0 ? (accepted.length - 1) / spanSeconds : 0,
    idleSeconds: rate ? idle(flow.map((e) => e.at), rate) : undefined,
    complete: log.total === log.entries.length,
  };
}

function idle(times, rate) {
  const slot = 1000 / rate;
  let ms = 0;
  const sorted = [...times].sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i] - sorted[i - 1];
    if (gap > 1.5 * slot) ms += gap - slot;
  }
  return ms / 1000;
}

module.exports = { BenchEmulator, summarize };
