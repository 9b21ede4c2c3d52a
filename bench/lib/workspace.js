// The Pulumi side of the benchmark: the program installed as users install it (the packed
// package), a local file backend, and the CLI run as a user runs it, timed.
"use strict";
const { execFileSync, spawn } = require("node:child_process");
const { cpSync, mkdtempSync, openSync, closeSync, readFileSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const path = require("node:path");

const { CpuSampler } = require("./cpu");

const ROOT = path.resolve(__dirname, "../..");

class Workspace {
  /**
   * Packs the package, installs it into a copy of bench/program, and prepares the environment
   * for the CLI. `pulumiBin` is the directory scripts/ensure-pulumi.sh printed; `packageDir` is the
   * package to pack (this repository; a changed copy when trying out a change).
   */
  static create(pulumiBin, packageDir = ROOT) {
    const work = mkdtempSync(path.join(tmpdir(), "aep-bench-"));
    const pack = (dir) => path.join(work, execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", work], { cwd: dir, encoding: "utf8" }).trim().split("\n").pop());
    const tarball = pack(packageDir);
    // The lean no-op baseline, installed the same way so that Pulumi stores it as a module reference.
    const leanTarball = pack(path.join(ROOT, "bench/lean-noop"));
    const programDir = path.join(work, "program");
    cpSync(path.join(ROOT, "bench/program"), programDir, { recursive: true });
    const pulumiVersion = JSON.parse(readFileSync(path.join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;
    writeFileSync(path.join(programDir, "package.json"), JSON.stringify({ name: "aep-bench-program", private: true, dependencies: { "@pulumi/pulumi": pulumiVersion } }, null, 2));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball, leanTarball], { cwd: programDir, stdio: "ignore" });
    const backend = path.join(work, "backend");
    require("node:fs").mkdirSync(backend);
    const env = {};
    // Nothing of the caller's AEP_* or PULUMI_* settings leaks in: every figure comes from stack config.
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AEP_") && !k.startsWith("PULUMI_")) env[k] = v;
    Object.assign(env, {
      PATH: `${pulumiBin}${path.delimiter}${process.env.PATH}`,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: "bench",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    });
    return new Workspace(work, programDir, env);
  }

  constructor(work, programDir, env) {
    this.work = work;
    this.programDir = programDir;
    this.env = env;
    this.logFile = path.join(work, "pulumi.log");
  }

  /**
   * Runs `pulumi <args>` asynchronously (the emulator in this process must keep answering) and
   * resolves with its wall time in seconds, its stdout and the CPU seconds of its process tree by
   * role when `cpu` is set. Output goes to a log file, not a terminal. `env` adds variables for
   * this run only.
   */
  run(args, { capture = false, env = {}, cpu: sampleCpu = false } = {}) {
    return new Promise((resolve, reject) => {
      const log = openSync(this.logFile, "a");
      const started = process.hrtime.bigint();
      const child = spawn("pulumi", args, { cwd: this.programDir, env: { ...this.env, ...env }, stdio: ["ignore", capture ? "pipe" : log, log] });
      const sampler = sampleCpu ? new CpuSampler(child.pid) : { stop: () => ({}), peakRss: () => ({}) };
      let out = "";
      child.stdout?.setEncoding("utf8").on("data", (d) => (out += d));
      child.on("error", (err) => {
        sampler.stop();
        closeSync(log);
        reject(err);
      });
      child.on("close", (code) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const cpu = sampler.stop();
        const rss = sampler.peakRss();
        closeSync(log);
        if (code === 0) return resolve({ seconds, cpu, rss, out });
        const tail = readFileSync(this.logFile, "utf8").split("\n").slice(-40).join("\n");
        reject(new Error(`pulumi ${args.join(" ")} failed (exit ${code}); last lines of ${this.logFile}:\n${tail}`));
      });
    });
  }

  /** A new stack with the given plain and secret config. */
  async initStack(stack, config, secrets = {}) {
    await this.run(["stack", "init", stack, "--non-interactive"]);
    await this.setConfig(stack, config, secrets);
  }

  async setConfig(stack, config, secrets = {}) {
    const args = ["config", "set-all", "--stack", stack];
    for (const [k, v] of Object.entries(config)) args.push("--plaintext", `${k}=${v}`);
    for (const [k, v] of Object.entries(secrets)) args.push("--secret", `${k}=${v}`);
    await this.run(args);
  }

  /**
   * A deployment: "up", "destroy", "refresh" (no preview) or "preview"; resolves with {seconds, cpu,
   * rss} (rss: peak resident MB by role).
   */
  async deploy(command, stack, parallel, env = {}) {
    const args = [command, "--stack", stack, "--non-interactive", "--parallel", String(parallel)];
    if (command !== "preview") args.push("--yes", "--skip-preview");
    const { seconds, cpu, rss } = await this.run(args, { env, cpu: true });
    return { seconds, cpu, rss };
  }

  /** `pulumi stack export` as a user runs it: secrets stay encrypted (unlike Automation's exportStack). */
  async exportStack(stack) {
    return (await this.run(["stack", "export", "--stack", stack], { capture: true })).out;
  }
}

module.exports = { Workspace, ROOT };
