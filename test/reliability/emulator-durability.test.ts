jest.setTimeout(600_000);

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_CLIENT } from "../../emulator";
import type { StackHandle } from "../helpers/e2e";
import { ROOT } from "../helpers/e2e";
import type { Json } from "../helpers/emulator";
import { converged, convergence, mixed, report, stackFor } from "./support";

/**
 * The emulator, run as users run it (`aep-flow-emulator --data-dir`), is killed with -9 during
 * a 200-connection `up` and restarted on the same port; `refresh` + `up` converge, and every
 * connection the emulator had acknowledged before the kill is still there, unchanged.
 */
const N = 200;
const dataDir = mkdtempSync(join(tmpdir(), "aep-rel-data-"));
let port: number;
let emulator: ChildProcess | undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
}

async function startEmulatorProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, "dist/emulator/cli.js"), "--port", String(port), "--data-dir", dataDir], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("listening on")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
  return child;
}

const admin = {
  async connections(): Promise<Json[]> {
    const res = await fetch(`http://127.0.0.1:${port}/__admin/connections`);
    if (!res.ok) throw new Error(`admin connections: ${res.status}`);
    return ((await res.json()) as { items: Json[] }).items;
  },
};

let h: StackHandle;

beforeAll(async () => {
  port = await freePort();
  emulator = await startEmulatorProcess();
  const url = `http://127.0.0.1:${port}`;
  h = await stackFor({ "aep:endpoint": url, "aep:imsEndpoint": url, "aep:clientId": DEFAULT_CLIENT.clientId, "aep:clientSecret": DEFAULT_CLIENT.clientSecret, "aep:orgId": DEFAULT_CLIENT.orgId }, mixed(N, "durable-"));
}, 300_000);
afterAll(() => {
  emulator?.kill("SIGKILL");
});

async function acknowledgedCreates(): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/__admin/requests`);
  const log = (await res.json()) as { entries: Array<{ method: string; route: string; status: number }> };
  // A status is logged when the answer is sent, after the store has made the write durable.
  return log.entries.filter((e) => e.method === "POST" && e.route === "/connections" && e.status === 201).length;
}

it("kill -9 of the emulator mid-up, restart: nothing acknowledged is lost, and refresh + up converge", async () => {
  const up = h.stack.up().then(() => "succeeded", (e: Error) => `failed: ${e.message.split("\n").find((l) => l.includes("error:")) ?? ""}`);
  let acknowledged = 0;
  while (acknowledged < 60) {
    await new Promise((r) => setTimeout(r, 50));
    acknowledged = await acknowledgedCreates();
  }
  emulator?.kill("SIGKILL");
  await new Promise((r) => setTimeout(r, 1000));
  emulator = await startEmulatorProcess();
  // Every create answered 201 before the kill is on disk (more may be: answered after the count).
  const afterRestart = (await admin.connections()).length;
  expect(afterRestart).toBeGreaterThanOrEqual(acknowledged);

  const firstUp = await up;
  // Whether that up rode out the outage on retries or failed, refresh finds every connection Pulumi
  // recorded (none deleted from state), and up converges.
  const refresh = await h.stack.refresh();
  expect(refresh.summary.result).toBe("succeeded");
  expect(refresh.summary.resourceChanges?.delete ?? 0).toBe(0);
  expect((await h.stack.up()).summary.result).toBe("succeeded");
  expect(await convergence(admin, h)).toEqual(converged(N));
  report("emulator durability", { resources: N, acknowledgedCreatesAtKill: acknowledged, connectionsAfterRestart: afterRestart, firstUp, droppedByRefresh: 0 });

  expect((await h.stack.destroy()).summary.result).toBe("succeeded");
  expect(await admin.connections()).toEqual([]);
});
