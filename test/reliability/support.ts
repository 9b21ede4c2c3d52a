import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Declared, type StackHandle, cliExport, declare, makeStack, pulumiOnPath, sharedProgram } from "../helpers/e2e";
import type { TestEmulator } from "../helpers/emulator";

/** Secrets the reliability stacks declare, from stack config (encrypted in state). */
export const SECRETS = { ftpPassword: "rel-ftp-pass", sftpPassword: "rel-sftp-pass", s3Secret: "rel-s3-secret" };

const KINDS: Array<(i: number) => Omit<Declared, "name">> = [
  () => ({ type: "FtpConnection", args: { host: "ftp.example.com", userName: "ingest", password: { secret: "ftpPassword" } } }),
  (i) => ({ type: "SftpConnection", args: { host: "sftp.example.com", port: 22 + (i % 3), userName: "ingest", password: { secret: "sftpPassword" } } }),
  (i) => ({ type: "S3Connection", args: { accessKey: "AKIARELIABILITY", secretKey: { secret: "s3Secret" }, bucketName: `bucket-${i}` } }),
  (i) => ({ type: "DatasetBaseConnection", args: { description: `lake ${i}` } }),
  (i) => ({ type: "StreamingConnection", args: { dataType: i % 2 ? "raw" : "xdm" } }),
];

/** `n` resources cycling through the five kinds, with generated names. */
export function mixed(n: number, prefix = "c"): Declared[] {
  return Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, ...KINDS[i % KINDS.length](i) }));
}

/**
 * A stack of the packed provider (in the program folder test files share) with the resources declared
 * and `aep:*` config (e.g. `emu.config()`). The stack name gets a random suffix: its config file lives
 * in the shared folder.
 */
export async function stackFor(aepConfig: Record<string, string>, resources: Declared[], stackName = "rel"): Promise<StackHandle> {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  const h = await makeStack(sharedProgram(), {}, `${stackName}-${randomBytes(4).toString("hex")}`);
  await declare(h.stack, resources, SECRETS);
  await configure(h, aepConfig);
  return h;
}

/** Sets `aep:*` config, the client secret as a secret. */
export async function configure(h: StackHandle, aepConfig: Record<string, string>): Promise<void> {
  await h.stack.setAllConfig(Object.fromEntries(Object.entries(aepConfig).map(([k, v]) => [k, { value: v, secret: k === "aep:clientSecret" }])));
}

interface StateResource {
  urn: string;
  type: string;
  id?: string;
  outputs?: Record<string, unknown>;
}

export interface StateView {
  connections: StateResource[];
  pendingOperations: Array<{ type: string; resource: StateResource }>;
}

/** Our connection resources and the pending operations, from `pulumi stack export` as a user runs it. */
export function stateOf(h: StackHandle): StateView {
  const deployment = JSON.parse(cliExport(h)).deployment as { resources?: StateResource[]; pending_operations?: Array<{ type: string; resource: StateResource }> };
  return {
    connections: (deployment.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/aep:")),
    pendingOperations: deployment.pending_operations ?? [],
  };
}

export interface Convergence {
  inEmulator: number;
  inState: number;
  /** Connections sharing a name with another (a create that posted twice). */
  duplicates: number;
  /** Connections in the emulator that no resource in state refers to. */
  orphans: number;
  /** Resources in state whose connection the emulator does not hold. */
  missing: number;
  pendingOperations: number;
}

/** Compares the emulator's connections with the stack's state, one to one. */
export async function convergence(emu: Pick<TestEmulator, "connections">, h: StackHandle): Promise<Convergence> {
  const held = await emu.connections();
  const state = stateOf(h);
  const stateIds = new Set(state.connections.map((r) => r.id));
  const heldIds = new Set(held.map((c) => c.id as string));
  const names = new Map<string, number>();
  for (const c of held) names.set(c.name, (names.get(c.name) ?? 0) + 1);
  return {
    inEmulator: held.length,
    inState: state.connections.length,
    duplicates: [...names.values()].reduce((n, count) => n + (count - 1), 0),
    orphans: held.filter((c) => !stateIds.has(c.id)).length,
    missing: state.connections.filter((r) => !heldIds.has(r.id as string)).length,
    pendingOperations: state.pendingOperations.length,
  };
}

/** The converged outcome for `n` resources, for toEqual. */
export function converged(n: number): Convergence {
  return { inEmulator: n, inState: n, duplicates: 0, orphans: 0, missing: 0, pendingOperations: 0 };
}

/**
 * Records a figure for the README (one JSON line per figure in $AEP_RELIABILITY_FIGURES, default a
 * file in the temp folder) and prints it, so a run's numbers can be read back.
 */
export function report(test: string, figures: Record<string, unknown>): void {
  const file = process.env.AEP_RELIABILITY_FIGURES ?? join(tmpdir(), "aep-reliability-figures.jsonl");
  appendFileSync(file, `${JSON.stringify({ test, ...figures })}\n`);
  process.stdout.write(`[reliability] ${test}: ${JSON.stringify(figures)}\n`);
}
