jest.setTimeout(600_000);

import { execFile, execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CLIENT } from "../../emulator";
import { ROOT, sharedProgram } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";
import { ensurePolicyPack } from "../helpers/policy";
import { findLeaks } from "../helpers/reliability-input";

/**
 * The CI kit (examples/ci/) as users copy it: its GitHub Actions workflow passes actionlint, the
 * GitLab file has the jobs and gates it documents, both call the kit's script, and that same script
 * (examples/ci/preview.sh) runs end to end with the real CLI: without credentials (it starts the
 * emulator, `pulumi up` and `destroy` of a throwaway stack, with and without the policy pack), and
 * with credentials (an emulator standing in for Adobe), every job of the whole path over three
 * stacks: deploy stage then prod, preview, drift (a clean stack passes, a drifted one fails with 7),
 * and emulator mode for a `stage` stack whose program adopts a connection. Each run writes its
 * summary where GitHub shows it ($GITHUB_STEP_SUMMARY), and comment.js puts them in one comment,
 * edited in place. The repository is laid out as a monorepo in a runner's work folder, with
 * spaces throughout (`…/work dir/acme repo/data platform/aep`, the temp and summary folders too),
 * and the script is run from its root with relative settings, as the workflows run it.
 */
const KIT = join(ROOT, "examples/ci");
const WORKFLOW = join(KIT, "github-actions.yml");
const GITLAB = join(KIT, "gitlab-ci.yml");

function actionlint(file: string): { code: number; output: string } {
  const bin = execFileSync("bash", [join(ROOT, "scripts/ensure-actionlint.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  try {
    return { code: 0, output: execFileSync(bin, ["-no-color", file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (err) {
    const e = err as { status: number; stdout: string; stderr: string };
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

describe("the workflows", () => {
  it("the GitHub Actions workflow passes actionlint", () => {
    expect(actionlint(WORKFLOW)).toEqual({ code: 0, output: "" });
  });

  it("actionlint does find a broken copy's mistake (the lint is real)", () => {
    const broken = join(mkdtempSync(join(tmpdir(), "aep-kit-lint-")), "broken.yml");
    writeFileSync(broken, readFileSync(WORKFLOW, "utf8").replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minute: 20"));
    const r = actionlint(broken);
    expect(r.code).toBe(1);
    expect(r.output).toContain('unexpected key "timeout-minute"');
  });

  it("both call the kit's script, copied to ci/preview.sh", () => {
    expect(readFileSync(WORKFLOW, "utf8")).toMatch(/^ {8}run: bash ci\/preview\.sh$/m);
    expect(readFileSync(GITLAB, "utf8")).toMatch(/^ {4}- bash ci\/preview\.sh$/m);
  });

  // js-yaml comes with @pulumi/pulumi; GitLab's own lint needs a GitLab instance, so the file's
  // structure is checked here: the jobs, what starts them, and the deploy gates.
  const yaml = require("js-yaml") as { load(text: string): unknown };
  type Job = Record<string, unknown> & { rules?: Array<Record<string, string>>; environment?: unknown; needs?: unknown; variables?: Record<string, string>; if?: string; strategy?: { matrix?: Record<string, unknown> } };

  it("GitHub: a preview and a drift check per stack from the stacks job, one comment, and deploys in environments, prod after stage", () => {
    const jobs = (yaml.load(readFileSync(WORKFLOW, "utf8")) as { jobs: Record<string, Job> }).jobs;
    for (const name of ["preview", "drift"]) {
      expect(jobs[name].strategy?.matrix?.stack).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
      expect((jobs[name].env as Record<string, string>).KIT_JOB).toBe(name);
    }
    expect(jobs.preview.if).toBe("github.event_name == 'pull_request'");
    expect(jobs.drift.if).toContain("github.event_name == 'schedule'");
    expect(jobs.comment.needs).toBe("preview");
    expect(jobs.comment.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(jobs["deploy-stage"].environment).toBe("stage");
    expect(jobs["deploy-prod"].environment).toBe("prod");
    expect(jobs["deploy-prod"].needs).toBe("deploy-stage");
    for (const name of ["deploy-stage", "deploy-prod"]) expect(jobs[name].if).toBe("github.event_name == 'push'");
  });

  it("GitLab: a preview and a drift check per stack, one note, and manual deploys in environments, prod after stage", () => {
    const jobs = yaml.load(readFileSync(GITLAB, "utf8")) as Record<string, Job>;
    expect(jobs[".stacks"].parallel).toEqual({ matrix: [{ STACK: ["dev", "stage", "prod"] }] });
    expect(jobs["pulumi-preview"].variables?.KIT_JOB).toBe("preview");
    expect(jobs["pulumi-preview"].rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    expect(jobs["pulumi-drift"].variables?.KIT_JOB).toBe("drift");
    expect(jobs["pulumi-drift"].rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule"' }]);
    expect(jobs["pulumi-comment"].script).toEqual(["node ci/comment.js pulumi-preview-*.md"]);
    for (const env of ["stage", "prod"]) {
      const job = jobs[`pulumi-deploy-${env}`];
      expect(job.environment).toEqual({ name: env });
      expect(job.variables).toMatchObject({ KIT_JOB: "deploy", STACK: env });
      expect(job.rules?.[0].when).toBe("manual");
      expect(job.allow_failure).toBe(false);
    }
    expect(jobs["pulumi-deploy-prod"].needs).toEqual(["pulumi-deploy-stage"]);
  });
});

const TEST_CONFIG = { ftpPassword: "kit-ftp-password-1", sftpPassword: "kit-sftp-password-1", s3SecretKey: "kit-s3-secret-key-1" };
/** Where the program sits in the repository: a monorepo's folder, with a space. */
const PROGRAM = "data platform/aep";

/** A folder whose own name holds a space (a runner's work folder, a temp folder). */
const spaced = (prefix: string, name: string): string => {
  const dir = join(mkdtempSync(join(tmpdir(), prefix)), name);
  mkdirSync(dir);
  return dir;
};

/** A repository holding the quickstart program at PROGRAM, with this build of the package installed, and this package's policy pack at policy/; returns the repository's root. */
function quickstartRepo(): string {
  const root = spaced("aep-kit-repo-", "acme repo");
  const dir = join(root, PROGRAM);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(ROOT, "examples/quickstart/index.js"), join(dir, "index.js"));
  writeFileSync(join(dir, "Pulumi.yaml"), "name: aep-quickstart\nruntime: nodejs\nmain: index.js\n");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "kit-repo", private: true }, null, 2));
  symlinkSync(join(sharedProgram(), "node_modules"), join(dir, "node_modules"), "dir");
  symlinkSync(ensurePolicyPack(), join(root, "policy"), "dir");
  return root;
}

/** Writes Pulumi.<stack>.yaml with the quickstart's config (secrets under `passphrase`), as a user would with `pulumi config set`. */
function writeStackConfig(dir: string, stack: string, passphrase: string, backend: string): void {
  const env = { ...process.env, PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: passphrase };
  const pulumi = (...args: string[]): void => void execFileSync("pulumi", [...args, "--stack", stack], { cwd: dir, env, stdio: "ignore" });
  execFileSync("pulumi", ["stack", "init", stack, "--non-interactive"], { cwd: dir, env, stdio: "ignore" });
  for (const [k, v] of Object.entries(TEST_CONFIG)) pulumi("config", "set", "--secret", k, v);
  pulumi("config", "set", "s3AccessKey", "AKIAKITCHECK");
}

/** Where a second program sits: one that calls a function (a lookup, which runs at preview). */
const LOOKUPS = "data platform/lookups";

/** Adds the lookups program to the repository: a connection and `getConnectionSpecOutput({ name: "FTP" })`, exported. */
function addLookupsProgram(root: string): string {
  const dir = join(root, LOOKUPS);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "index.js"),
    [
      '"use strict";',
      'const aep = require("pulumi-aep-flow");',
      'new aep.DatasetBaseConnection("kit-lake", { description: "Data Lake target" });',
      'exports.ftpSpecId = aep.getConnectionSpecOutput({ name: "FTP" }).id;',
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "Pulumi.yaml"), "name: aep-lookups\nruntime: nodejs\nmain: index.js\n");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "kit-lookups", private: true }, null, 2));
  symlinkSync(join(sharedProgram(), "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

interface KitRun {
  code: number;
  log: string;
  summary: string;
  seconds: number;
}

/**
 * Runs examples/ci/preview.sh as the workflow does, from the repository's root, with a clean
 * environment but for `env` (TMPDIR and the summary in folders with spaces); asynchronous, so an
 * in-process emulator keeps answering.
 */
function runKit(repoRoot: string, env: Record<string, string>): Promise<KitRun> {
  const summaryFile = join(spaced("aep-kit-summary-", "step summary"), "step-summary.md");
  writeFileSync(summaryFile, "");
  const base: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TMPDIR: spaced("aep-kit-tmp-", "runner temp"), PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true" };
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [join(KIT, "preview.sh")], { cwd: repoRoot, env: { ...base, GITHUB_STEP_SUMMARY: summaryFile, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    const timer = setTimeout(() => child.kill("SIGTERM"), 300_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, log, summary: readFileSync(summaryFile, "utf8"), seconds: Number(process.hrtime.bigint() - started) / 1e9 });
    });
  });
}

describe("the kit's script on bad settings", () => {
  it("refuses an unknown AEP_PREVIEW_MODE, naming the ones it takes, before doing anything", async () => {
    const r = await runKit(mkdtempSync(join(tmpdir(), "aep-kit-empty-")), { AEP_PREVIEW_MODE: "staging" });
    expect(r.code).toBe(2);
    expect(r.log).toContain("AEP_PREVIEW_MODE=staging: expected aep, emulator or auto");
    expect(r.summary).toBe("");
  });

  it("refuses a POLICY_PACK that is not a folder, saying where it looked, before doing anything", async () => {
    const root = spaced("aep-kit-empty-", "acme repo");
    const r = await runKit(root, { POLICY_PACK: "policy pack" });
    expect(r.code).toBe(2);
    expect(r.log).toContain(`POLICY_PACK=policy pack: no such folder (from ${root})`);
    expect(r.summary).toBe("");
  });

  it("refuses an unknown KIT_JOB, naming the jobs it runs", async () => {
    const r = await runKit(mkdtempSync(join(tmpdir(), "aep-kit-empty-")), { KIT_JOB: "apply" });
    expect(r.code).toBe(2);
    expect(r.log).toContain("KIT_JOB=apply: expected stacks, preview, drift or deploy");
    expect(r.summary).toBe("");
  });

  it.each(["drift", "deploy"])("refuses the %s job without credentials rather than run it against the emulator", async (job) => {
    const r = await runKit(mkdtempSync(join(tmpdir(), "aep-kit-empty-")), { KIT_JOB: job, PULUMI_STACK: "prod" });
    expect(r.code).toBe(2);
    expect(r.log).toContain(`KIT_JOB=${job} needs Adobe credentials (AEP_CLIENT_ID, AEP_ORG_ID, and AEP_CLIENT_SECRET or AEP_ACCESS_TOKEN) and PULUMI_STACK; only a preview runs against the emulator`);
    expect(r.summary).toBe("");
  });

  it("the stacks job, in a folder with no stack config, says to commit it", async () => {
    const r = await runKit(mkdtempSync(join(tmpdir(), "aep-kit-empty-")), { KIT_JOB: "stacks" });
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/no Pulumi\.<stack>\.yaml in \S+: commit each stack's config file/);
  });

  it("without credentials and without the program's dependencies, says to install them", async () => {
    const r = await runKit(mkdtempSync(join(tmpdir(), "aep-kit-empty-")), {});
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/no emulator at \S+node_modules\/\.bin\/aep-flow-emulator: install the program's dependencies first \(npm ci in \S+\), or set AEP_EMULATOR/);
  });
});

describe("the kit's script, end to end (a monorepo in a work folder, spaces in every path)", () => {
  let repo: string;
  const secretValues = Object.values(TEST_CONFIG);

  beforeAll(() => {
    repo = quickstartRepo();
    writeStackConfig(join(repo, PROGRAM), "emulator", "emulator", mkdtempSync(join(tmpdir(), "aep-kit-scratch-")));
  });

  it("without credentials (a fork): starts the emulator, applies the program and destroys it, and writes the summary", async () => {
    const r = await runKit(repo, { PROGRAM_DIR: PROGRAM });
    process.stderr.write(`CI kit, emulator mode (up + destroy of the quickstart): ${r.seconds.toFixed(1)} s\n`);
    expect(r.code).toBe(0);
    expect(r.log).toMatch(/preview: emulator at http:\/\/127\.0\.0\.1:\d+/);
    expect(r.summary).toContain("## Pulumi preview: `emulator` (aep)");
    expect(r.summary).toContain("Against the Flow Service emulator, **not** the sandbox of stack `emulator`: this job has no Adobe credentials.");
    // Every resource of the quickstart (its connections and its pipeline, and the stack) created, then deleted.
    const created = /\| `pulumi up` \| passed \| \+ (\d+) to create, \+ \1 created \|/.exec(r.summary);
    expect(created).not.toBeNull();
    expect(Number(created?.[1])).toBeGreaterThanOrEqual(6);
    expect(r.summary).toContain(`| \`pulumi destroy\` | passed | - ${created?.[1]} to delete, - ${created?.[1]} deleted |`);
    expect(r.summary).toContain("Every step passed.");
    expect(findLeaks({ summary: r.summary, log: r.log }, secretValues)).toEqual([]);
  });

  it("with the policy pack: the mandatory rules fail the check before anything is created, and the summary says why", async () => {
    const r = await runKit(repo, { PROGRAM_DIR: PROGRAM, POLICY_PACK: "policy" });
    expect(r.code).not.toBe(0);
    expect(r.summary).toMatch(/\| `pulumi up` \| \*\*failed\*\* \(exit \d+\) \|/);
    expect(r.summary).toContain("A step failed: its output is below.");
    expect(r.summary).toContain("[mandatory]  no-ftp-in-production  (pulumi-nodejs:dynamic/aep:FtpConnection: quickstart-ftp)");
    expect(r.summary).toContain("[mandatory]  streaming-authentication-required  (pulumi-nodejs:dynamic/aep:StreamingConnection: quickstart-events)");
    expect(r.summary).not.toContain(" created |");
    expect(r.summary).toContain("| `pulumi destroy` | passed |");
    expect(findLeaks({ summary: r.summary, log: r.log }, secretValues)).toEqual([]);
  });

  it("with credentials: previews the named stack on its backend; with nothing deployed, the refresh reads nothing from Flow Service", async () => {
    // An emulator stands in for Adobe here: the job's credentials point at it.
    const adobe = await TestEmulator.start();
    try {
      const backend = mkdtempSync(join(tmpdir(), "aep-kit-backend-"));
      writeStackConfig(join(repo, PROGRAM), "ci-aep", "aep-stack-passphrase", backend);
      const creds = Object.fromEntries(Object.entries(adobe.env()).filter((e): e is [string, string] => e[1] !== undefined));
      const r = await runKit(repo, { ...creds, PROGRAM_DIR: PROGRAM, PULUMI_STACK: "ci-aep", PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "aep-stack-passphrase" });
      expect(r.code).toBe(0);
      expect(r.summary).toContain("Against Adobe Experience Platform: stack `ci-aep` and the sandbox its config names.");
      expect(r.summary).toMatch(/\| `pulumi preview` \| passed \| \+ \d+ to create \|/);
      expect(r.summary).not.toContain("pulumi up");
      // The only requests are the quickstart's own dataset lookup (getDatasetOutput runs at preview): an
      // IMS token and Catalog; nothing deployed, so nothing of Flow Service is read.
      const { counts } = await adobe.requests();
      expect(Object.keys(counts).filter((k) => !k.startsWith("POST /ims/") && !k.startsWith("GET /dataSets"))).toEqual([]);
      expect(counts["POST /ims/token/v3"]).toBe(1);
      expect(findLeaks({ summary: r.summary, log: r.log }, [...secretValues, "aep-stack-passphrase"])).toEqual([]);
    } finally {
      await adobe.stop();
    }
  });

  it("with credentials, a program that calls a function (getConnectionSpecOutput): the preview makes 2 requests, an IMS token and then the lookup", async () => {
    const dir = addLookupsProgram(repo);
    const backend = mkdtempSync(join(tmpdir(), "aep-kit-lookups-backend-"));
    const stack = { PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "aep-stack-passphrase" };
    execFileSync("pulumi", ["stack", "init", "ci-aep", "--non-interactive"], { cwd: dir, env: { ...process.env, ...stack }, stdio: "ignore" });
    const adobe = await TestEmulator.start();
    try {
      const creds = Object.fromEntries(Object.entries(adobe.env()).filter((e): e is [string, string] => e[1] !== undefined));
      const r = await runKit(repo, { ...creds, ...stack, PROGRAM_DIR: LOOKUPS, PULUMI_STACK: "ci-aep" });
      expect(r.code).toBe(0);
      expect(r.summary).toMatch(/\| `pulumi preview` \| passed \| \+ 2 to create \|/);
      const requests = await adobe.requests();
      expect(requests.counts).toEqual({ "POST /ims/token/v3": 1, "GET /connectionSpecs": 1 });
      // The count the kit's header and the README's Configuration section state is the one measured.
      const prose = (file: string): string => readFileSync(file, "utf8").replace(/\s*\n#?\s*/g, " "); // lines joined, comment marks dropped
      const stated = [
        /\((\d+) for one getConnectionSpecOutput\)/.exec(prose(join(KIT, "preview.sh"))),
        /a program with one `getConnectionSpecOutput` makes (\d+)\./.exec(prose(join(ROOT, "README.md"))),
      ];
      expect(stated.map((m) => (m ? Number(m[1]) : "not stated"))).toEqual([requests.total, requests.total]);
    } finally {
      await adobe.stop();
    }
  });
});

/**
 * The whole path over one program (test/ci-kit/program: a six-resource pipeline, and an FTP connection
 * adopted by id when the stack's config names one) and three stacks, dev, stage and prod, each pinned
 * to its own sandbox. An emulator stands in for Adobe (a client with the three sandboxes); the kit's
 * jobs run in the order a repository's would: the deploys, a pull request's preview, the scheduled
 * drift check after someone renamed a connection and disabled a dataflow in prod, and a fork's
 * pull request (emulator mode) for stage.
 */
describe("the whole path, three stacks", () => {
  const STACKS = ["dev", "stage", "prod"];
  const PASSPHRASE = "kit-stack-passphrase";
  const ADOPTED = "fd51ec13-5a1c-4c7e-9a52-6f0c2f1e0b77";
  const config = { s3SecretKey: "kit-path-s3-secret-1", ftpPassword: "kit-path-ftp-password-1" };
  let adobe: TestEmulator;
  let root: string;
  let backend: string;
  let creds: Record<string, string>;
  const times: string[] = [];
  const secrets = [...Object.values(config), PASSPHRASE];

  const pulumi = (env: Record<string, string>, ...args: string[]): string =>
    execFileSync("pulumi", args, { cwd: join(root, PROGRAM), env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const stackEnv = (): Record<string, string> => ({ PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE });
  const kit = async (what: string, env: Record<string, string>): Promise<KitRun> => {
    const r = await runKit(root, { PROGRAM_DIR: PROGRAM, ...env });
    times.push(`${what}: ${r.seconds.toFixed(1)} s`);
    expect(findLeaks({ summary: r.summary, log: r.log }, secrets)).toEqual([]);
    return r;
  };
  const withCreds = (job: string, stack: string): Record<string, string> => ({ ...creds, ...stackEnv(), KIT_JOB: job, PULUMI_STACK: stack });

  beforeAll(async () => {
    adobe = await TestEmulator.start({ clients: [{ ...DEFAULT_CLIENT, sandboxes: ["prod", "dev", "stage"] }] });
    creds = Object.fromEntries(Object.entries(adobe.env()).filter((e): e is [string, string] => e[1] !== undefined));
    delete creds.AEP_SANDBOX; // each stack's config names its sandbox
    root = spaced("aep-kit-path-", "acme repo");
    const dir = join(root, PROGRAM);
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(ROOT, "test/ci-kit/program/index.js"), join(dir, "index.js"));
    writeFileSync(join(dir, "Pulumi.yaml"), "name: kit-path\nruntime: nodejs\nmain: index.js\n");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "kit-path", private: true }, null, 2));
    symlinkSync(join(sharedProgram(), "node_modules"), join(dir, "node_modules"), "dir");
    backend = mkdtempSync(join(tmpdir(), "aep-kit-path-backend-"));
    const scratch = { PULUMI_BACKEND_URL: `file://${mkdtempSync(join(tmpdir(), "aep-kit-scratch-"))}`, PULUMI_CONFIG_PASSPHRASE: "emulator" };
    for (const stack of [...STACKS, "emulator"]) {
      const env = stack === "emulator" ? scratch : stackEnv();
      pulumi(env, "stack", "init", stack, "--non-interactive");
      pulumi(env, "config", "set", "s3AccessKey", "AKIAKITPATH", "--stack", stack);
      for (const [k, v] of Object.entries(config)) pulumi(env, "config", "set", "--secret", k, v, "--stack", stack);
      if (stack !== "emulator") pulumi(env, "config", "set", "aep:sandbox", stack, "--stack", stack);
    }
    // The emulator stack's test config adopts the connection the fork's run must find.
    pulumi(scratch, "config", "set", "legacyFtpId", ADOPTED, "--stack", "emulator");
  });

  afterAll(async () => {
    process.stderr.write(`CI kit, the whole path (seconds per job):\n  ${times.join("\n  ")}\n`);
    await adobe?.stop();
  });

  it("the stacks job lists every committed stack but the emulator's, for the matrix", async () => {
    const r = await kit("stacks", { KIT_JOB: "stacks" });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.log.trim())).toEqual(["dev", "prod", "stage"]);
  });

  it("deploy: stage then prod, each `pulumi up` of its stack into its own sandbox", async () => {
    for (const stack of ["stage", "prod"]) {
      const r = await kit(`deploy ${stack}`, withCreds("deploy", stack));
      expect(r.code).toBe(0);
      expect(r.summary).toContain(`## Pulumi deploy: \`${stack}\` (aep)`);
      expect(r.summary).toContain("| `pulumi up` | passed | + 7 to create, + 7 created |");
    }
    const connections = (await adobe.connections()) as Array<{ sandboxName: string }>;
    // Each stack's two base connections (S3, the Data Lake), in its own sandbox.
    expect(connections.filter((c) => c.sandboxName === "stage")).toHaveLength(2);
    expect(connections.filter((c) => c.sandboxName === "prod")).toHaveLength(2);
    expect(connections.filter((c) => c.sandboxName === "dev")).toHaveLength(0);
  });

  it("preview with credentials: --refresh reads prod from Flow Service, writes nothing, and finds it unchanged", async () => {
    await adobe.clearRequests();
    const r = await kit("preview prod (clean)", withCreds("preview", "prod"));
    expect(r.code).toBe(0);
    expect(r.summary).toContain("| `pulumi preview` | passed | 7 unchanged |");
    expect(r.log).toContain("pulumi preview --stack prod --refresh --diff");
    const counts = (await adobe.requests()).counts;
    expect(counts["GET /connections"]).toBeGreaterThan(0);
    expect(counts["GET /flows"]).toBeGreaterThan(0);
    expect(Object.keys(counts).filter((k) => !k.startsWith("GET ") && k !== "POST /ims/token/v3")).toEqual([]);
  });

  it("drift: a stack that matches its sandbox passes, and says so", async () => {
    const r = await kit("drift stage (clean)", withCreds("drift", "stage"));
    expect(r.code).toBe(0);
    expect(r.summary).toContain("| `pulumi preview` | passed | 7 unchanged |");
    expect(r.summary).toContain("No drift: the sandbox matches the stack.");
  });

  it("drift: a connection renamed and its dataflow disabled by hand fail the job with 7, naming the resources and properties", async () => {
    const s3Id = pulumi(stackEnv(), "stack", "output", "s3Id", "--stack", "prod").trim();
    const flowId = pulumi(stackEnv(), "stack", "output", "dataflowId", "--stack", "prod").trim();
    await adobe.control.drift(s3Id, { name: "renamed-by-hand" });
    await adobe.control.driftFlow(flowId, { state: "disabled" });
    const r = await kit("drift prod (drifted)", withCreds("drift", "prod"));
    expect(r.code).toBe(7);
    // The rename updates the S3 connection in place, so nothing built on it is announced as replaced.
    expect(r.summary).toContain("| `pulumi preview` | **drift** (exit 7) | ~ 2 to update, 5 unchanged |");
    expect(r.summary).toContain("**Drift**: the sandbox differs from the stack. Changed in the sandbox (read by the refresh):\n\n- `kit-flow` (Dataflow): enabled, state\n- `kit-s3` (S3Connection): name\n");
    expect(r.summary).toContain("What `pulumi up` would then change:\n\n- `kit-s3` (S3Connection, update): name\n- `kit-flow` (Dataflow, update): enabled\n");
    expect(r.summary).not.toContain("replace");
    expect(r.summary).not.toContain("passed");
  });

  it("emulator mode (a fork) for stage: a connection the program adopts and the seed does not hold fails as it would against Adobe", async () => {
    const r = await kit("emulator stage, no seed", { PULUMI_STACK: "stage" });
    expect(r.code).not.toBe(0);
    expect(r.summary).toContain(`adopting connection ${ADOPTED} in sandbox "stage": no connection with that id exists in sandbox "stage"`);
    expect(r.summary).toContain("| `pulumi destroy` | passed |");
  });

  it("emulator mode (a fork) for stage: with the adopted connection seeded, the stage-pinned program applies and the summary says it was not the sandbox", async () => {
    const seed = join(root, "ci", "emulator seed.json");
    mkdirSync(join(root, "ci"));
    // What Flow Service answers for the connection (GET /connections/{id}), its secret masked.
    const item = {
      id: ADOPTED, name: "Legacy orders FTP", description: "made by hand", state: "enabled", sandboxName: "stage",
      connectionSpec: { id: "fb2e94c9-c031-467d-8103-6bd6e0a432f2", version: "1.0" },
      auth: { specName: "Basic Authentication for FTP", params: { host: "ftp.example.com", userName: "legacy", password: "********" } },
    };
    writeFileSync(seed, JSON.stringify([item], null, 2));
    const r = await kit("emulator stage, seeded", { PULUMI_STACK: "stage", EMULATOR_SEED: "ci/emulator seed.json" });
    expect(r.code).toBe(0);
    expect(r.log).toMatch(/preview: emulator at http:\/\/127\.0\.0\.1:\d+ \(sandboxes prod dev stage; default stage; 1 connections seeded\)/);
    expect(r.summary).toContain("## Pulumi preview: `stage` (aep)");
    expect(r.summary).toContain("Against the Flow Service emulator, **not** the sandbox of stack `stage`: this job has no Adobe credentials.");
    expect(r.summary).toContain("with the 1 connection(s) of EMULATOR_SEED seeded for adoption (the seed's copies, not the sandbox's connections)");
    expect(r.summary).toContain("| `pulumi up` | passed | + 8 to create, + 8 created |");
    expect(r.summary).toContain("| `pulumi destroy` | passed | - 8 to delete, - 8 deleted |");
  });
});

/** A stand-in for GitHub's issue comments and GitLab's merge request notes: what cannot run here. */
async function commentApi(): Promise<{ url: string; comments: Array<{ id: number; body: string }>; calls: string[]; close(): Promise<void> }> {
  const comments: Array<{ id: number; body: string }> = [{ id: 1, body: "LGTM" }];
  const calls: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = "";
    req.on("data", (d) => (text += d));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0];
      calls.push(`${req.method} ${path} ${req.headers.authorization ?? req.headers["private-token"] ?? "(no token)"}`);
      const send = (status: number, value: unknown): void => void res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(value));
      const id = Number(/\/(\d+)$/.exec(path)?.[1]);
      if (req.method === "GET") return send(200, comments);
      if (req.method === "POST") {
        const c = { id: comments.length + 100, body: (JSON.parse(text) as { body: string }).body };
        comments.push(c);
        return send(201, c);
      }
      const c = comments.find((x) => x.id === id);
      if (!c) return send(404, { message: "Not Found" });
      c.body = (JSON.parse(text) as { body: string }).body;
      return send(200, c);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, comments, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("the kit's comment, one for every stack, edited in place", () => {
  const summaries = (dir: string, tag: string): string[] =>
    ["dev", "prod"].map((stack) => {
      const f = join(dir, `pulumi-preview-${stack}.md`);
      writeFileSync(f, `<!-- pulumi-aep-flow stack: ${stack} -->\n## Pulumi preview: \`${stack}\` (aep)\n\n${tag}\n`);
      return f;
    });
  // Asynchronous: the stand-in API answers from this process.
  const comment = (env: Record<string, string>, files: string[]): Promise<{ code: number; out: string }> =>
    new Promise((resolve) => {
      execFile("node", [join(KIT, "comment.js"), ...files], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8", timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, out: `${stdout}${stderr}` });
      });
    });

  it("GitHub: the first push creates the comment, the next edits that same comment", async () => {
    const api = await commentApi();
    try {
      const dir = mkdtempSync(join(tmpdir(), "aep-kit-comment-"));
      const env = { GITHUB_API_URL: api.url, GITHUB_REPOSITORY: "acme/aep", PR_NUMBER: "12", GITHUB_TOKEN: "ghs_kit_token_1" };
      expect(await comment(env, summaries(dir, "first push"))).toEqual({ code: 0, out: "comment: created comment 101 (2 stacks)\n" });
      expect(await comment(env, summaries(dir, "second push"))).toEqual({ code: 0, out: "comment: updated comment 101 (2 stacks)\n" });
      expect(api.comments).toHaveLength(2);
      const body = api.comments[1].body;
      expect(body).toMatch(/^<!-- pulumi-aep-flow ci-kit comment -->\n# Pulumi: 2 stacks\n/);
      expect(body.indexOf("## Pulumi preview: `dev`")).toBeLessThan(body.indexOf("## Pulumi preview: `prod`"));
      expect(body).toContain("second push");
      expect(body).not.toContain("first push");
      expect(api.calls).toEqual([
        "GET /repos/acme/aep/issues/12/comments Bearer ghs_kit_token_1",
        "POST /repos/acme/aep/issues/12/comments Bearer ghs_kit_token_1",
        "GET /repos/acme/aep/issues/12/comments Bearer ghs_kit_token_1",
        "PATCH /repos/acme/aep/issues/comments/101 Bearer ghs_kit_token_1",
      ]);
    } finally {
      await api.close();
    }
  });

  it("GitLab: a merge request note, created then edited in place", async () => {
    const api = await commentApi();
    try {
      const dir = mkdtempSync(join(tmpdir(), "aep-kit-comment-"));
      const env = { CI_API_V4_URL: `${api.url}/api/v4`, CI_PROJECT_ID: "42", CI_MERGE_REQUEST_IID: "7", GITLAB_API_TOKEN: "glpat-kit-1" };
      expect((await comment(env, summaries(dir, "one"))).code).toBe(0);
      expect((await comment(env, summaries(dir, "two"))).code).toBe(0);
      expect(api.calls.map((c) => c.replace(/ glpat-kit-1$/, ""))).toEqual([
        "GET /api/v4/projects/42/merge_requests/7/notes",
        "POST /api/v4/projects/42/merge_requests/7/notes",
        "GET /api/v4/projects/42/merge_requests/7/notes",
        "PUT /api/v4/projects/42/merge_requests/7/notes/101",
      ]);
      expect(api.comments[1].body).toContain("two");
    } finally {
      await api.close();
    }
  });

  it("refused by the API: fails naming the status, never printing the token; without settings, names them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aep-kit-comment-"));
    const files = summaries(dir, "x");
    const r = await comment({ GITHUB_API_URL: "http://127.0.0.1:9", GITHUB_REPOSITORY: "acme/aep", PR_NUMBER: "12", GITHUB_TOKEN: "ghs_kit_token_2" }, files);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain("ghs_kit_token_2");
    const none = await comment({}, files);
    expect(none.code).toBe(2);
    expect(none.out).toContain("CI_API_V4_URL is not set: set GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY and PR_NUMBER (GitHub), or GITLAB_API_TOKEN");
  });
});
