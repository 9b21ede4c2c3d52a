import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";

export const ROOT = resolve(__dirname, "../..");
const PULUMI_VERSION: string = JSON.parse(readFileSync(join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;

/**
 * Packs this package as users receive it; `mutate` edits the packed copy (an upgrade). Without the
 * prepack build (--ignore-scripts): the test run built it already, and a build here would rewrite
 * dist/ under the other test files.
 */
export function packProvider(dest: string, mutate?: (pkgDir: string) => void): string {
  if (!mutate) {
    const name = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dest], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop() as string;
    return join(dest, name);
  }
  // Repack from a copy whose files were changed, as a newer release would be.
  const copy = mkdtempSync(join(tmpdir(), "aep-pkg-"));
  for (const entry of ["package.json", "README.md", "dist"]) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  mutate(copy);
  const name = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", dest], { cwd: copy, encoding: "utf8" }).trim().split("\n").pop() as string;
  rmSync(copy, { recursive: true, force: true });
  return join(dest, name);
}

/** A Pulumi program folder with the packed provider installed from its tarball. */
export function makeProgram(tarball: string): string {
  const dir = mkdtempSync(join(tmpdir(), "aep-e2e-"));
  cpSync(join(ROOT, "test/e2e/program"), dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "aep-e2e-program", private: true, dependencies: { "@pulumi/pulumi": PULUMI_VERSION } }, null, 2));
  installTarball(dir, tarball);
  return dir;
}

/**
 * One program folder with this build of the package installed, shared by every test file of a run
 * (installing takes about 20 s). Keyed by the package's contents, so a rebuild gets a new one; test
 * files sharing it must use distinct stack names (each stack's config file lives in the folder).
 */
export function sharedProgram(): string {
  const dir = join(tmpdir(), `aep-program-${packageDigest()}`);
  const lock = `${dir}.lock`;
  for (const deadline = Date.now() + 300_000; !existsSync(join(dir, ".ready")); ) {
    try {
      mkdirSync(lock);
    } catch {
      // Another test file is installing it: wait, unless its lock is stale (that worker died).
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${dir}`);
      execFileSync("sleep", ["0.5"]);
      continue;
    }
    try {
      const work = mkdtempSync(join(tmpdir(), "aep-pack-"));
      const built = makeProgram(packProvider(work));
      writeFileSync(join(built, ".ready"), "");
      rmSync(dir, { recursive: true, force: true });
      renameSync(built, dir);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return dir;
}

function packageDigest(): string {
  const hash = createHash("sha256").update(readFileSync(join(ROOT, "package.json")));
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(full).update(readFileSync(full));
    }
  };
  walk(join(ROOT, "dist"));
  // The compiled policy pack ships too (policy/dist/, built with dist/).
  if (existsSync(join(ROOT, "policy/dist"))) walk(join(ROOT, "policy/dist"));
  hash.update(readFileSync(join(ROOT, "test/e2e/program/index.js")));
  return hash.digest("hex").slice(0, 16);
}

export function installTarball(programDir: string, tarball: string): void {
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: programDir, stdio: "ignore" });
}

export interface StackHandle {
  stack: Stack;
  backendDir: string;
  programDir: string;
  env: Record<string, string>;
}

/**
 * `pulumi stack export` exactly as a user runs it. (The Automation API's exportStack passes
 * --show-secrets, so it cannot tell whether secrets are encrypted.)
 */
export function cliExport(h: StackHandle): string {
  return execFileSync("pulumi", ["stack", "export", "--stack", h.stack.name], { cwd: h.programDir, env: { ...process.env, ...h.env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** A stack with a local file backend in a temp folder and passphrase secrets. */
export async function makeStack(programDir: string, env: Record<string, string>, stackName = "e2e"): Promise<StackHandle> {
  const backendDir = mkdtempSync(join(tmpdir(), "aep-backend-"));
  const envVars = {
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...env,
  };
  const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: programDir }, { envVars });
  return { stack, backendDir, programDir, env: envVars };
}

/** The credentials of one emulator client, as a stack's config holds them. */
export interface EmulatorClient {
  clientId: string;
  clientSecret: string;
  orgId: string;
}

/**
 * Points a stack's `aep:*` config at an emulator, with one client's credentials (the secret set as a
 * secret): what the tests' programs get once a preview with no credentials has been shown.
 */
export async function useEmulator(stack: Stack, baseUrl: string, client: EmulatorClient): Promise<void> {
  await stack.setAllConfig({
    "aep:endpoint": { value: baseUrl },
    "aep:imsEndpoint": { value: baseUrl },
    "aep:clientId": { value: client.clientId },
    "aep:clientSecret": { value: client.clientSecret, secret: true },
    "aep:orgId": { value: client.orgId },
  });
}

export interface Declared {
  type: string;
  name: string;
  args: Record<string, unknown>;
  retainOnDelete?: boolean;
  import?: string;
}

export async function declare(stack: Stack, resources: Declared[], secrets: Record<string, string> = {}): Promise<void> {
  const config: Record<string, { value: string; secret?: boolean }> = { resources: { value: JSON.stringify(resources) } };
  for (const [k, v] of Object.entries(secrets)) config[k] = { value: v, secret: true };
  await stack.setAllConfig(config);
}

/** The raw state file(s) of a local backend, as text. */
export function rawState(backendDir: string): string {
  const out = execFileSync("sh", ["-c", `find "${backendDir}" -type f -name '*.json*' -exec cat {} +`], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return out;
}

export function pulumiOnPath(): string | undefined {
  try {
    return execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim();
  } catch {
    return undefined;
  }
}
