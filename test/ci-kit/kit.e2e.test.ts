jest.setTimeout(600_000);

import { execFileSync, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, sharedProgram } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";
import { ensurePolicyPack } from "../helpers/policy";
import { findLeaks } from "../helpers/reliability-input";

/**
 * The CI kit (examples/ci/) as users copy it: its GitHub Actions workflow passes actionlint, both
 * workflows call the kit's script, and that same script (examples/ci/preview.sh) runs end to end
 * against the emulator with the real CLI: without credentials (it starts the emulator, `pulumi up`
 * and `destroy` of a throwaway stack, with and without the policy pack), and with credentials
 * (`pulumi preview` of the named stack), each time writing its summary where GitHub shows it
 * ($GITHUB_STEP_SUMMARY). The repository is laid out as a monorepo in a runner's work folder, with
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
    expect(r.summary).toContain("## Pulumi preview: aep");
    expect(r.summary).toContain("Against the Flow Service emulator (no Adobe credentials in this job)");
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

  it("with credentials: previews the named stack on its backend, making no request to Flow Service or IMS", async () => {
    // An emulator stands in for Adobe here: the job's credentials point at it.
    const adobe = await TestEmulator.start();
    try {
      const backend = mkdtempSync(join(tmpdir(), "aep-kit-backend-"));
      writeStackConfig(join(repo, PROGRAM), "ci-aep", "aep-stack-passphrase", backend);
      const creds = Object.fromEntries(Object.entries(adobe.env()).filter((e): e is [string, string] => e[1] !== undefined));
      const r = await runKit(repo, { ...creds, PROGRAM_DIR: PROGRAM, PULUMI_STACK: "ci-aep", PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "aep-stack-passphrase" });
      expect(r.code).toBe(0);
      expect(r.summary).toContain("Against Adobe Experience Platform, stack `ci-aep`.");
      expect(r.summary).toMatch(/\| `pulumi preview` \| passed \| \+ \d+ to create \|/);
      expect(r.summary).not.toContain("pulumi up");
      expect((await adobe.requests()).total).toBe(0);
      expect(findLeaks({ summary: r.summary, log: r.log }, [...secretValues, "aep-stack-passphrase"])).toEqual([]);
    } finally {
      await adobe.stop();
    }
  });
});
