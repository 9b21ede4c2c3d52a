import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";

export const ROOT = resolve(__dirname, "../..");
const PULUMI_VERSION: string = JSON.parse(readFileSync(join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")).version;

/** Packs this package as users receive it; `mutate` edits the packed copy (an upgrade). */
export function packProvider(dest: string, mutate?: (pkgDir: string) => void): string {
  if (!mutate) {
    const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dest], { cwd: ROOT, encoding: "utf8" }).trim().split("\n").pop() as string;
    return join(dest, name);
  }
  // Repack from a copy whose files were changed, as a newer release would be.
  const copy = mkdtempSync(join(tmpdir(), "aep-pkg-"));
  for (const entry of ["package.json", "README.md", "dist"]) cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
  mutate(copy);
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dest], { cwd: copy, encoding: "utf8" }).trim().split("\n").pop() as string;
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
