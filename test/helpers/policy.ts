import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Declared, ROOT, type StackHandle, declare, makeStack, sharedProgram } from "./e2e";

/** The pack's folder, installed and compiled (scripts/ensure-policy-pack.sh). */
export function ensurePolicyPack(): string {
  return execFileSync("bash", [join(ROOT, "scripts/ensure-policy-pack.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}

/**
 * The policy tests' program (test/policy/program: declares resources from config, exports nothing)
 * on the shared installation of this build of the package.
 */
export function policyProgram(): string {
  const dir = mkdtempSync(join(tmpdir(), "aep-policy-program-"));
  cpSync(join(ROOT, "test/policy/program"), dir, { recursive: true });
  symlinkSync(join(sharedProgram(), "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "aep-policy-program", private: true }, null, 2));
  return dir;
}

/** One violation as the CLI prints it under "Policies:". */
export interface Violation {
  level: "mandatory" | "advisory";
  rule: string;
  type: string;
  resource: string;
  /** The rule's own message (the line after the policy's description). */
  message: string;
}

export interface PreviewResult {
  code: number;
  stdout: string;
  stderr: string;
  violations: Violation[];
}

/**
 * Reads the violations from the CLI's text output, which prints each as
 *   - [mandatory]  <rule>  (<type>: <resource name>)
 *     <the policy's description>
 *     <the message>
 */
export function parseViolations(stdout: string): Violation[] {
  const lines = stdout.split("\n");
  const out: Violation[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s+- \[(mandatory|advisory)\]\s+(\S+)\s+\((\S+): (.+)\)\s*$/.exec(lines[i]);
    if (!m) continue;
    out.push({ level: m[1] as Violation["level"], rule: m[2], type: m[3], resource: m[4], message: (lines[i + 2] ?? "").trim() });
  }
  return out;
}

/** `pulumi preview --policy-pack <pack> [--policy-pack-config <file>]` of the declared resources, as a user runs it. */
export async function previewWithPolicies(h: StackHandle, resources: Declared[], secrets: Record<string, string>, pack: string, config?: object): Promise<PreviewResult> {
  await declare(h.stack, resources, secrets);
  const args = ["preview", "--stack", h.stack.name, "--non-interactive", "--color", "never", "--policy-pack", pack];
  if (config) {
    const file = join(mkdtempSync(join(tmpdir(), "aep-policy-config-")), "policy-config.json");
    writeFileSync(file, JSON.stringify(config, null, 2));
    args.push("--policy-pack-config", file);
  }
  const run = spawnSync("pulumi", args, { cwd: h.programDir, env: { ...process.env, ...h.env }, encoding: "utf8", timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
  if (run.error) throw run.error;
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr, violations: parseViolations(run.stdout) };
}

export async function policyStack(programDir: string, stackName: string): Promise<StackHandle> {
  return makeStack(programDir, {}, stackName);
}
