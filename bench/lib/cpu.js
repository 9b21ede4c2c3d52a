// CPU seconds used by a process tree, by role (engine, program, provider, …), read from /proc.
// Wall time on a shared 2-core machine drifts with whatever else runs; CPU time drifts much less,
// and the split by process shows where a difference comes from. Linux only: elsewhere it reports {}.
"use strict";
const { readdirSync, readFileSync } = require("node:fs");

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const INTERVAL_MS = 200;

function readStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    return { ppid: f[1], cpu: (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND };
  } catch {
    return undefined; // gone
  }
}

/** The process's peak resident set (VmHWM), in MB; 0 when unreadable. */
function peakRssMb(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function roleOf(pid) {
  let cmd = "";
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "other";
  }
  if (cmd.includes("cmd/dynamic-provider")) return "provider";
  if (cmd.includes("cmd/run")) return "program";
  if (/(^|\/)pulumi(\s|$)/.test(cmd)) return "engine";
  return "other"; // language host, the provider's sh wrapper, node -e lookups
}

/**
 * Follows the descendants of `rootPid` until stop(); stop() returns {role: cpu seconds} (peakRss()
 * then gives each role's peak resident memory), plus
 * "emulator": this process's own CPU over the same time (the in-process emulator), minus what the
 * sampling itself cost. A process's last < 200 ms before it exits is not seen.
 */
class CpuSampler {
  constructor(rootPid) {
    this.root = String(rootPid);
    this.seen = new Map(); // pid -> {role, cpu}
    this.selfStart = process.cpuUsage();
    this.samplingCost = 0;
    this.enabled = process.platform === "linux";
    if (this.enabled) {
      this.tick();
      this.timer = setInterval(() => this.tick(), INTERVAL_MS);
    }
  }

  tick() {
    const before = process.cpuUsage();
    const parents = new Map();
    let pids;
    try {
      pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
    } catch {
      this.enabled = false;
      return;
    }
    const stats = new Map();
    for (const pid of pids) {
      const st = readStat(pid);
      if (st) {
        stats.set(pid, st);
        if (!parents.has(st.ppid)) parents.set(st.ppid, []);
        parents.get(st.ppid).push(pid);
      }
    }
    const queue = [this.root];
    while (queue.length) {
      const pid = queue.pop();
      const st = stats.get(pid);
      if (st) {
        let e = this.seen.get(pid);
        if (!e) this.seen.set(pid, (e = { role: roleOf(pid), cpu: 0, rss: 0 }));
        // A process first seen between fork and exec still shows its parent's command line.
        else if (e.role === "other") e.role = roleOf(pid);
        e.cpu = st.cpu;
        // VmHWM only grows, so its last reading is the process's peak (up to its last 200 ms).
        if (e.role === "provider" || e.role === "program" || e.role === "engine") e.rss = Math.max(e.rss, peakRssMb(pid));
      }
      queue.push(...(parents.get(pid) ?? []));
    }
    const cost = process.cpuUsage(before);
    this.samplingCost += (cost.user + cost.system) / 1e6;
  }

  stop() {
    if (!this.enabled) return {};
    clearInterval(this.timer);
    const out = { engine: 0, program: 0, provider: 0, other: 0 };
    for (const e of this.seen.values()) out[e.role] += e.cpu;
    const self = process.cpuUsage(this.selfStart);
    out.emulator = Math.max(0, (self.user + self.system) / 1e6 - this.samplingCost);
    return out;
  }

  /** The largest peak resident set of any one process of each role, in MB (after stop()). */
  peakRss() {
    const out = {};
    for (const e of this.seen.values()) if (e.rss > 0) out[e.role] = Math.max(out[e.role] ?? 0, e.rss);
    return out;
  }
}

module.exports = { CpuSampler };
