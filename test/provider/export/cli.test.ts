/**
 * `aep-flow export` as a process: its help, its refusals (each naming the flag or setting, exit 2 for the
 * command line, 1 for the rest), the files it writes, its progress on stderr, and credentials from a
 * stack's config (`--stack`), read with the real Pulumi CLI, which also reads the stack file it writes.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CLIENT, TestEmulator } from "../../helpers/emulator";
import { type Seeded, seedClient, seedSandbox } from "./support/seed";

const CLI = join(__dirname, "support", "run-cli.js");
const SANDBOX = "dev";
let emu: TestEmulator;
let seeded: Seeded;
const dirs: string[] = [];

beforeAll(async () => {
  emu = await TestEmulator.start();
  seeded = await seedSandbox(seedClient(emu.baseUrl), SANDBOX);
});

afterAll(async () => {
  await emu?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix = "aep-export-cli-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** The process environment without any AEP_* variable, plus `vars`. */
function environment(vars: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AEP_")) env[k] = v;
  for (const [k, v] of Object.entries(vars)) if (v !== undefined) env[k] = v;
  return env;
}

/** Runs the CLI without blocking this process (the emulator answers from it). */
function cli(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const emulatorEnv = () => environment(emu.env({ AEP_SANDBOX: SANDBOX }));
const FILES = ["Pulumi.dev.yaml", "Pulumi.yaml", "README.md", "index.ts", "package.json", "tsconfig.json"];

describe("help and the command line", () => {
  it("prints the usage and every flag with --help", async () => {
    const general = await cli(["--help"], environment());
    expect(general.status).toBe(0);
    expect(general.stdout).toMatch(/^usage: aep-flow export --out DIR/);
    const help = await cli(["export", "--help"], environment());
    expect(help.status).toBe(0);
    for (const flag of ["--out", "--force", "--stack", "--cwd", "--sandbox", "--stack-name", "--project", "--flow", "--name-prefix", "--spec", "--retain", "--quiet", "--max-pages", "-h, --help"]) {
      expect(help.stdout).toMatch(new RegExp(`^ {2}${flag}\\b`, "m"));
    }
    expect(help.stderr).toBe("");
  });

  it.each([
    [["import"], /^aep-flow: unknown command "import": the command is `export`\n/],
    [["export"], /^aep-flow: --out is required: the folder to write the program to\n/],
    [["export", "--out", "x", "--outt", "y"], /^aep-flow: Unknown option '--outt'/],
    [["export", "--out", "x", "--max-pages", "0"], /^aep-flow: --max-pages must be a whole number from 1 to 1000000, got "0"\n/],
    [["export", "--out", "x", "--cwd", "/tmp"], /^aep-flow: --cwd is where --stack is read: give --stack too\n/],
    [["export", "--out", "x", "--stack-name", "dev/prod"], /^aep-flow: --stack-name "dev\/prod": use letters, digits/],
  ])("refuses %j with exit status 2, naming the flag", async (args, message) => {
    await emu.clearRequests();
    const r = await cli(args, emulatorEnv());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("usage: aep-flow export");
    expect((await emu.requests()).total).toBe(0);
  });
});

describe("writing the program", () => {
  it("writes the six files, with progress on stderr", async () => {
    const out = join(tempDir(), "program");
    const r = await cli(["export", "--out", out], emulatorEnv());
    expect(r.stderr).not.toMatch(/Error|at /);
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(FILES);
    for (const line of ["GET /connections: page 1, 7 items", "GET /mappingSets: page 1, 4 items", "GET /flowSpecs: page 1,"]) expect(r.stderr).toContain(`aep-flow export: ${line}`);
    expect(r.stderr).toContain('read 23 entities of sandbox "dev"');
    expect(r.stderr).toMatch(/aep-flow export: wrote 23 resources to \S+ \(.*\); 6 secrets to set: README.md lists them\n$/);
    expect(r.stdout).toBe("");
    expect(readFileSync(join(out, "index.ts"), "utf8")).toContain(`// dataflow ${seeded.s3.flow}\nconst ordersHourly = new Dataflow("orders-hourly", {`);
    expect(JSON.parse(readFileSync(join(out, "package.json"), "utf8")).dependencies["pulumi-aep-flow"]).toBe(`^${JSON.parse(readFileSync(join(__dirname, "../../../package.json"), "utf8")).version}`);
  });

  it("writes only one dataflow's closure with --flow, quietly with --quiet, with the stack and project named", async () => {
    const out = join(tempDir(), "one-flow");
    const r = await cli(["export", "--out", out, "--flow", seeded.streaming.flowName, "--quiet", "--stack-name", "source", "--project", "web-events"], emulatorEnv());
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(readdirSync(out).sort()).toEqual(["Pulumi.source.yaml", "Pulumi.yaml", "README.md", "index.ts", "package.json", "tsconfig.json"]);
    const index = readFileSync(join(out, "index.ts"), "utf8");
    expect(index.match(/= new Dataflow\(/g)).toHaveLength(1);
    expect(index.match(/= new \w+\(/g)).toHaveLength(6);
    expect(readFileSync(join(out, "Pulumi.yaml"), "utf8")).toMatch(/^name: web-events\n/);
    expect(readFileSync(join(out, "Pulumi.source.yaml"), "utf8")).toContain("\n  web-events:adopt:\n");
  });

  it("refuses a folder that holds files unless --force, before any request", async () => {
    const out = tempDir();
    writeFileSync(join(out, "notes.txt"), "mine");
    await emu.clearRequests();
    const refused = await cli(["export", "--out", out], emulatorEnv());
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^aep-flow: --out \S+: the folder holds files; choose an empty or new folder, or add --force/);
    expect((await emu.requests()).total).toBe(0);
    expect(readdirSync(out)).toEqual(["notes.txt"]);
    const forced = await cli(["export", "--out", out, "--force", "--quiet"], emulatorEnv());
    expect(forced.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual([...FILES, "notes.txt"].sort());
    expect(readFileSync(join(out, "notes.txt"), "utf8")).toBe("mine");
  });
});

describe("credentials and settings", () => {
  it("names the missing credentials, exit status 1, without a request", async () => {
    await emu.clearRequests();
    const r = await cli(["export", "--out", join(tempDir(), "p")], environment({ AEP_ENDPOINT: emu.baseUrl, AEP_IMS_ENDPOINT: emu.baseUrl }));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^aep-flow export: AEP credentials are missing: clientId, orgId, clientSecret \(or accessToken\)\. Set them as Pulumi config/);
    expect((await emu.requests()).total).toBe(0);
  });

  it("names a malformed setting", async () => {
    const r = await cli(["export", "--out", join(tempDir(), "p")], environment(emu.env({ AEP_ENDPOINT: "http://platform.example.com" })));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^aep-flow export: aep:endpoint \(AEP_ENDPOINT\) is http:\/\/ to platform\.example\.com: credentials would travel in clear/);
  });

  it("names the sandbox and where it was set when Flow Service does not know it", async () => {
    const out = join(tempDir(), "p");
    const r = await cli(["export", "--out", out, "--sandbox", "nosuch"], emulatorEnv());
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^aep-flow export: reading sandbox "nosuch" \(--sandbox, else aep:sandbox \/ AEP_SANDBOX\): GET \/\w+ failed with 404/);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a sandbox name that cannot name the stack file unless --stack-name and --project are given", async () => {
    await emu.clearRequests();
    const r = await cli(["export", "--out", join(tempDir(), "p"), "--sandbox", "../up"], emulatorEnv());
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^aep-flow: the sandbox "\.\.\/up" cannot name a stack file: give --stack-name\n/);
    expect((await emu.requests()).total).toBe(0);
  });

  it("reports a refused client secret without showing it, and writes no file", async () => {
    const out = join(tempDir(), "p");
    const secret = "a-wrong-client-secret-value";
    const r = await cli(["export", "--out", out], environment(emu.env({ AEP_SANDBOX: SANDBOX, AEP_CLIENT_SECRET: secret })));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^aep-flow export: .*IMS/);
    expect(r.stderr).not.toContain(secret);
    expect(existsSync(out)).toBe(false);
  });

  it("reads a stack's aep:* config with --stack (the Pulumi CLI), and the stack file it writes is one Pulumi reads", async () => {
    const project = tempDir("aep-export-stack-");
    const backend = tempDir("aep-export-backend-");
    const pulumiEnv = environment({ PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: "export-test", PULUMI_SKIP_UPDATE_CHECK: "true" });
    const pulumi = (args: string[], cwd: string) => execFileSync("pulumi", args, { cwd, env: pulumiEnv, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    writeFileSync(join(project, "Pulumi.yaml"), "name: existing\nruntime: nodejs\n");
    pulumi(["stack", "init", "source"], project);
    const config = emu.config({ "aep:sandbox": SANDBOX });
    for (const [key, value] of Object.entries(config)) pulumi(["config", "set", ...(key === "aep:clientSecret" ? ["--secret"] : []), key, value], project);
    expect(readFileSync(join(project, "Pulumi.source.yaml"), "utf8")).not.toContain(DEFAULT_CLIENT.clientSecret);

    const out = join(tempDir(), "from-stack");
    const r = await cli(["export", "--out", out, "--stack", "source", "--cwd", project, "--quiet"], pulumiEnv);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // The sandbox came from the stack's aep:sandbox: the stack file is named after it.
    const written = readFileSync(join(out, "Pulumi.dev.yaml"), "utf8");
    expect(written).toContain('aep:sandbox: "dev"');

    // Pulumi reads the file export wrote: aep:sandbox and the adopt map as an object.
    mkdirSync(join(out, "node_modules"), { recursive: true });
    pulumi(["stack", "init", "dev"], out);
    const read = JSON.parse(pulumi(["config", "--json", "--stack", "dev"], out)) as Record<string, { value: string; objectValue?: Record<string, string> }>;
    expect(read["aep:sandbox"].value).toBe("dev");
    const adopt = read["aep-dev:adopt"].objectValue as Record<string, string>;
    expect(Object.keys(adopt)).toHaveLength(23);
    expect(adopt["orders-hourly"]).toBe(seeded.s3.flow);
    expect(adopt["archive-blob"]).toBe(seeded.azure.base);

    const missing = await cli(["export", "--out", join(tempDir(), "p"), "--stack", "nope", "--cwd", project], pulumiEnv);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^aep-flow: --stack "nope": `pulumi config --json --stack nope` in \S+ failed: .*nope/);
  }, 120_000);
});
