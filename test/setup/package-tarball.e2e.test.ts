jest.setTimeout(300_000);

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, packProvider } from "../helpers/e2e";
import { DEFAULT_CLIENT, TestEmulator } from "../helpers/emulator";

/**
 * The package as npm users get it: `npm pack` into an empty folder, then the README's steps as
 * written, run by bash in a folder of their own: the template section's (`pulumi new` from the
 * installed package's template, which creates the stack and its config), the policy pack's (the
 * pack from node_modules/pulumi-aep-flow/policy, compiled, its dependencies resolved from the
 * program's node_modules) and the CI kit's (its files copied from the installed package, its script
 * run with the POLICY_PACK its workflow names). Only two things differ from a user's run: `npm
 * install pulumi-aep-flow` installs the tarball (offline: npm's cache), and `pulumi new` gets its
 * answers as flags (--yes, the stack, -c per prompt) instead of at prompts. The generated program is
 * type-checked, deployed to the emulator and destroyed.
 */
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The lines of the first ```sh block under a README heading, comments dropped. */
function readmeCommands(heading: string): string[] {
  const at = README.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README.md has no heading "${heading}"`);
  const block = /```sh\n([\s\S]*?)```/.exec(README.slice(at));
  if (!block) throw new Error(`README.md has no sh block under "${heading}"`);
  return block[1]
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "");
}

/** `npm install … pulumi-aep-flow …` from the registry, as the README has it, becomes the tarball. */
function fromTarball(line: string, tarball: string): string {
  return /^npm install /.test(line) ? line.replace(/(?<=\s)pulumi-aep-flow(?=\s|$)/, JSON.stringify(tarball)) : line;
}

interface Run {
  code: number;
  out: string;
}

/** A run's output when it failed, "passed" otherwise: what a failing expectation should show. */
const outcome = (r: Run): string => (r.code === 0 ? "passed" : `exit ${r.code}:\n${r.out}`);

// js-yaml comes with @pulumi/pulumi (a dependency of its own), without type declarations.
const yaml = require("js-yaml") as { load(text: string): unknown };

/** A bash script in `cwd`, stopping at the first failing line; asynchronous, so the in-process emulator keeps answering. */
function bash(lines: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", lines.join("\n")], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGTERM"), 240_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

const S3_SECRET = "tarball-s3-secret-key-1";
const PASSPHRASE = "tarball-passphrase";

let work: string;
let tarball: string;
let project: string;
let emulator: TestEmulator;
let env: Record<string, string>;
let created: Run;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "aep-tarball-"));
  const packs = join(work, "packs");
  mkdirSync(packs);
  tarball = packProvider(packs);
  emulator = await TestEmulator.start();
  const backend = join(work, "backend");
  mkdirSync(backend);
  // A user's shell (npm's settings and certificates included) with no AEP_* or PULUMI_* from this
  // process; the emulator's endpoints, as for any stack that uses it.
  const inherited = Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && !/^(AEP|PULUMI)_/.test(e[0]));
  env = {
    ...Object.fromEntries(inherited),
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    AEP_ENDPOINT: emulator.baseUrl,
    AEP_IMS_ENDPOINT: emulator.baseUrl,
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_loglevel: "error",
  };
  // The template section: its lines, `pulumi new` answering its prompts from flags. A value given
  // with -c is stored as given, never encrypted (the CLI marks only what its prompts read), so the
  // secrets are set afterwards as the README's Configuration section sets them.
  const answers = {
    "aep:clientId": DEFAULT_CLIENT.clientId,
    "aep:orgId": DEFAULT_CLIENT.orgId,
    bucketName: "acme-landing",
    s3AccessKey: "AKIATARBALLCHECK",
    // The emulator's demo dataset: the template looks its id and schema up by name.
    datasetName: "Orders",
  };
  const flags = ["--yes", "--non-interactive", "--stack", "dev", ...Object.entries(answers).flatMap(([k, v]) => ["-c", JSON.stringify(`${k}=${v}`)])];
  const lines = readmeCommands("### Starting from a template").map((line) => (/^pulumi new /.test(line) ? `${line} ${flags.join(" ")}` : fromTarball(line, tarball)));
  lines.push(`pulumi config set --secret aep:clientSecret ${JSON.stringify(DEFAULT_CLIENT.clientSecret)}`, `pulumi config set --secret s3SecretKey ${JSON.stringify(S3_SECRET)}`);
  // What `pulumi install` does after it (this repository's language host installs nothing): the
  // template's package.json, with the package from the tarball.
  lines.push(`npm install ${JSON.stringify(tarball)}`);
  created = await bash(lines, work, env);
  project = join(work, "acme-pipeline");
}, 300_000);

afterAll(async () => {
  await emulator?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the pulumi new template, from the installed package", () => {
  it("creates the project and its stack from the package's template", () => {
    expect(outcome(created)).toBe("passed");
    expect(readFileSync(join(project, "Pulumi.yaml"), "utf8")).toMatch(/^name: acme-pipeline$/m);
    const stackConfig = readFileSync(join(project, "Pulumi.dev.yaml"), "utf8");
    expect(stackConfig).toMatch(/aep:clientSecret:\s+secure: /);
    expect(stackConfig).toMatch(/acme-pipeline:s3SecretKey:\s+secure: /);
    expect(stackConfig).toMatch(/aep:sandbox: prod/);
    expect(stackConfig).not.toContain(S3_SECRET);
    expect(stackConfig).not.toContain(DEFAULT_CLIENT.clientSecret);
  });

  it("asks for the aep:* settings, and marks every secret it asks for as secret", () => {
    const template = yaml.load(readFileSync(join(project, "node_modules/pulumi-aep-flow/templates/pipeline-typescript/Pulumi.yaml"), "utf8")) as {
      template: { config: Record<string, { description?: string; secret?: boolean; default?: string }> };
    };
    const config = template.template.config;
    expect(Object.keys(config)).toEqual(expect.arrayContaining(["aep:clientId", "aep:clientSecret", "aep:orgId", "aep:sandbox"]));
    const secrets = Object.keys(config).filter((k) => config[k].secret === true);
    expect(secrets.sort()).toEqual(["aep:clientSecret", "s3SecretKey"]);
    for (const [key, prompt] of Object.entries(config)) expect([key, typeof prompt.description]).toEqual([key, "string"]);
  });

  it("depends on the package and the SDK, in ranges the package's own version and SDK satisfy", () => {
    const template = JSON.parse(readFileSync(join(project, "node_modules/pulumi-aep-flow/templates/pipeline-typescript/package.json"), "utf8"));
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(template.dependencies["pulumi-aep-flow"]).toBe(`^${pkg.version}`);
    expect(template.dependencies["@pulumi/pulumi"]).toBe(pkg.dependencies["@pulumi/pulumi"]);
  });

  it("type-checks against the installed package", async () => {
    const r = await bash(["npx tsc --noEmit -p ."], project, env);
    expect(outcome(r)).toBe("passed");
    expect(r.out).toBe("");
  });
});

describe("the README's steps on the generated program", () => {
  it("policy pack: the preview runs the pack from node_modules/pulumi-aep-flow/policy, which judges the program", async () => {
    const lines = readmeCommands("## Policy pack").map((line) => fromTarball(line, tarball));
    expect(lines).toContain("pulumi preview --policy-pack node_modules/pulumi-aep-flow/policy");
    const r = await bash(lines.map((line) => (/^pulumi /.test(line) ? `${line} --stack dev --color never` : line)), project, env);
    expect(outcome(r)).toBe("passed");
    expect(r.out).toContain("aep-flow-guardrails");
    // The template's S3 connection uses a long-lived key: the advisory rule says so, so the pack ran.
    expect(r.out).toMatch(/\[advisory\]\s+s3-temporary-credentials\s+\(pulumi-nodejs:dynamic\/aep:S3Connection: landing-bucket\)/);
    expect(r.out).not.toContain(S3_SECRET);
  });

  it("policy pack: a rule made mandatory by config fails the same preview", async () => {
    writeFileSync(join(project, "policy-config.json"), JSON.stringify({ "s3-temporary-credentials": "mandatory" }));
    const r = await bash(["pulumi preview --policy-pack node_modules/pulumi-aep-flow/policy --policy-pack-config policy-config.json --stack dev --color never"], project, env);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/\[mandatory\]\s+s3-temporary-credentials/);
  });

  it("CI kit: the copied script previews the stack with the pack its workflow names, and says it passed", async () => {
    const lines = readmeCommands("## CI kit: previews, drift checks and deploys");
    const copied = await bash(lines, project, env);
    expect(outcome(copied)).toBe("passed");
    const workflow = readFileSync(join(project, ".github/workflows/pulumi.yml"), "utf8");
    const pack = /^\s+# POLICY_PACK: (\S+)$/m.exec(workflow)?.[1];
    expect(pack).toBe("node_modules/pulumi-aep-flow/policy");
    expect(workflow).not.toContain("npm ci --prefix");
    const summary = join(work, "step-summary.md");
    const r = await bash(["bash ci/preview.sh"], project, {
      ...env,
      GITHUB_STEP_SUMMARY: summary,
      PULUMI_STACK: "dev",
      POLICY_PACK: pack as string,
      AEP_CLIENT_ID: DEFAULT_CLIENT.clientId,
      AEP_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
      AEP_ORG_ID: DEFAULT_CLIENT.orgId,
    });
    expect(outcome(r)).toBe("passed");
    const text = readFileSync(summary, "utf8");
    expect(text).toContain("| `pulumi preview` | passed |");
    expect(text).toContain("s3-temporary-credentials");
    expect(text).not.toContain(S3_SECRET);
  });

  it("deploys the generated pipeline to the emulator and destroys it", async () => {
    const up = await bash(["pulumi up --yes --stack dev --color never --non-interactive"], project, env);
    expect(outcome(up)).toBe("passed");
    const outputs = await bash(["pulumi stack output dataflowState --stack dev"], project, env);
    expect(outputs).toEqual({ code: 0, out: "enabled\n" });
    expect(emulator.control.flows()).toHaveLength(1);
    expect(await emulator.connections()).toHaveLength(2);
    const down = await bash(["pulumi destroy --yes --stack dev --color never --non-interactive"], project, env);
    expect(outcome(down)).toBe("passed");
    expect(emulator.control.flows()).toHaveLength(0);
    expect(await emulator.connections()).toHaveLength(0);
    expect(existsSync(join(project, "Pulumi.dev.yaml"))).toBe(true);
  });
});
