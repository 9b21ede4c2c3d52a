jest.setTimeout(600_000);

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { promisify } from "node:util";
import type { StackHandle } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";
import { converged, convergence, mixed, report, stackFor, stateOf } from "./support";

/**
 * `kill -9` of `pulumi up`, and separately of the dynamic-provider process, in the middle of
 * creating 50 connections; then the recovery the README documents converges: 50 connections, one per
 * resource, nothing orphaned or duplicated.
 */
const N = 50;
const run = promisify(execFile);

let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu?.stop());

/** The `pulumi` CLI as a user runs it in the stack's program folder. */
async function pulumi(h: StackHandle, args: string[]): Promise<{ stdout: string; stderr: string }> {
  try {
    return await run("pulumi", [...args, "--stack", h.stack.name, "--non-interactive"], { cwd: h.programDir, env: { ...process.env, ...h.env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`pulumi ${args.join(" ")} failed:\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

/** Starts `pulumi up` in its own process group, so that the whole tree can be cleaned up afterwards. */
function startUp(h: StackHandle): ChildProcess {
  const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", h.stack.name, "--non-interactive"], {
    cwd: h.programDir,
    env: { ...process.env, ...h.env },
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  return child;
}

/** pids of every process below `root`, from /proc. */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // The process ended while we looked.
    }
  }
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = [...parent].filter(([, ppid]) => frontier.includes(ppid)).map(([pid]) => pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until the emulator's connection count has not moved for `quietMs`: lost requests have landed. */
async function settle(quietMs = 2000): Promise<number> {
  let last = -1;
  let since = Date.now();
  for (;;) {
    const n = (await emu.connections()).length;
    if (n !== last) [last, since] = [n, Date.now()];
    else if (Date.now() - since >= quietMs) return n;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), "SIGKILL");
  } catch {
    // Already gone.
  }
}

async function interruptedStack(label: string): Promise<StackHandle> {
  await emu.reset();
  const h = await stackFor(emu.config(), mixed(N, `${label}-`), label);
  // Creates committed at once but answered slowly: at the moment of the kill, several connections
  // exist whose creation Pulumi has not heard of.
  await emu.addFault({ kind: "slow-response", method: "POST", route: "/connections", latencyMs: 1500 });
  return h;
}

it("pulumi up killed with -9 mid-create: refresh --clear-pending-creates then up converges", async () => {
  const h = await interruptedStack("cli");
  const up = startUp(h);
  await until("15 connections", async () => (await emu.connections()).length >= 15);
  process.kill(up.pid as number, "SIGKILL");
  // The CLI is gone; its plugins may still finish requests already sent. Then clear the tree.
  const atKill = await settle();
  killGroup(up);
  await emu.clearFaults();

  const interrupted = stateOf(h);
  const pendingCreates = interrupted.pendingOperations.filter((o) => o.type === "creating").length;
  expect(interrupted.connections.length).toBeLessThan(N);
  // Some connections exist that the state does not know yet: the orphans a careless recovery would leave.
  expect(atKill).toBeGreaterThan(interrupted.connections.length);

  // The documented recovery: release the lock the killed CLI left, drop its pending creates, up again.
  await pulumi(h, ["cancel", "--yes"]);
  await pulumi(h, ["refresh", "--yes", "--clear-pending-creates"]);
  expect(stateOf(h).pendingOperations).toEqual([]);
  await emu.clearRequests();
  await pulumi(h, ["up", "--yes", "--skip-preview"]);
  const log = await emu.requests();

  expect(await convergence(emu, h)).toEqual(converged(N));
  // Every connection the interrupted up left outside the state is adopted, not posted again: the up
  // posts exactly the ones that did not exist. (An adoption PATCHes only what differs, and the secrets,
  // so its PATCHes do not count adoptions.)
  const posted = log.counts["POST /connections"] ?? 0;
  expect(posted).toBe(N - atKill);
  const adopted = N - interrupted.connections.length - posted;
  expect(adopted).toBe(atKill - interrupted.connections.length);
  report("interruption: pulumi up killed", { resources: N, inStateAtKill: interrupted.connections.length, pendingCreates, connectionsAtKill: atKill, adoptedOnRecovery: adopted, postedOnRecovery: log.counts["POST /connections"] ?? 0 });
  await pulumi(h, ["destroy", "--yes", "--skip-preview"]);
});

it("dynamic-provider process killed with -9 mid-create: the up fails, then refresh and up converge", async () => {
  const h = await interruptedStack("provider");
  const up = startUp(h);
  await until("15 connections", async () => (await emu.connections()).length >= 15);
  const providers = descendants(up.pid as number).filter((pid) => commandLine(pid).includes("dynamic-provider"));
  expect(providers.length).toBe(1);
  process.kill(providers[0], "SIGKILL");
  const exitCode = await new Promise<number | null>((resolve) => (up.exitCode !== null ? resolve(up.exitCode) : up.once("exit", resolve)));
  expect(exitCode).not.toBe(0);
  const atKill = await settle();
  killGroup(up);
  await emu.clearFaults();

  const interrupted = stateOf(h);
  // A failed create leaves no pending operation: the state has no trace of the lost connections.
  expect(interrupted.pendingOperations).toEqual([]);
  expect(atKill).toBeGreaterThan(interrupted.connections.length);

  await pulumi(h, ["refresh", "--yes"]);
  await emu.clearRequests();
  await pulumi(h, ["up", "--yes", "--skip-preview"]);
  const log = await emu.requests();

  expect(await convergence(emu, h)).toEqual(converged(N));
  // Every connection the interrupted up left outside the state is adopted, not posted again: the up
  // posts exactly the ones that did not exist. (An adoption PATCHes only what differs, and the secrets,
  // so its PATCHes do not count adoptions.)
  const posted = log.counts["POST /connections"] ?? 0;
  expect(posted).toBe(N - atKill);
  const adopted = N - interrupted.connections.length - posted;
  expect(adopted).toBe(atKill - interrupted.connections.length);
  report("interruption: provider killed", { resources: N, inStateAtKill: interrupted.connections.length, connectionsAtKill: atKill, adoptedOnRecovery: adopted, postedOnRecovery: log.counts["POST /connections"] ?? 0 });
  await pulumi(h, ["destroy", "--yes", "--skip-preview"]);
});
