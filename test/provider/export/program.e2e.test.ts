jest.setTimeout(600_000);

/**
 * The exported program run by the real Pulumi CLI: written by the package's compiled `aep-flow` bin from a
 * sandbox built through the public API, then deployed unchanged on a stack of another sandbox, which has
 * no adopt map: every entity is created there under the source's names and wired alike, and its destroy
 * leaves the source sandbox as it was. (Adoption on the source stack waits for `existingId` in the kinds.)
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, makeStack, pulumiOnPath, type StackHandle } from "../../helpers/e2e";
import { TestEmulator } from "../../helpers/emulator";
import { makeOpenSshKey } from "../../helpers/keys";
import { type Seeded, seedClient, seedSandbox } from "./support/seed";

const SOURCE = "dev";
const COPY = "prod";
let emu: TestEmulator;
let seeded: Seeded;
const dirs: string[] = [];

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  if (!existsSync(join(ROOT, "node_modules", "pulumi-aep-flow", "dist", "provider", "export", "cli.js"))) throw new Error("pulumi-aep-flow is not built and linked: run `npm run build` first");
  emu = await TestEmulator.start();
  seeded = await seedSandbox(seedClient(emu.baseUrl), SOURCE);
});

afterAll(async () => {
  await emu?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The bin as package.json declares it, compiled, run with the AEP_* variables pointing at the emulator. */
function bin(args: string[]): Promise<{ code: number; stderr: string }> {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { bin: Record<string, string> };
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries({ ...process.env, ...emu.env({ AEP_SANDBOX: SOURCE }) })) if (v !== undefined && !(k.startsWith("AEP_") && v === "")) env[k] = v;
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, pkg.bin["aep-flow"]), ...args], { env }, (err, _stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }));
  });
}

const names = (items: Array<{ name?: unknown }>): string[] => items.map((i) => String(i.name)).sort();

it("deploys unchanged on another sandbox's stack: every entity created there under its name, the source untouched by its destroy", async () => {
  const out = join(mkdtempSync(join(tmpdir(), "aep-export-e2e-")), "program");
  dirs.push(join(out, ".."));
  const exported = await bin(["export", "--out", out, "--quiet"]);
  expect(exported).toEqual({ code: 0, stderr: "" });
  symlinkSync(join(ROOT, "node_modules"), join(out, "node_modules"), "dir");

  // ts-node would refuse `existingId` until the kinds take it: the program's types are checked in program-writer.test.ts.
  const h: StackHandle = await makeStack(out, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }, COPY);
  dirs.push(h.backendDir);
  const key = makeOpenSshKey("ed25519");
  const config: Record<string, { value: string; secret?: boolean }> = { "aep:sandbox": { value: COPY } };
  for (const [k, v] of Object.entries(emu.config())) if (k !== "aep:sandbox") config[k] = { value: v, secret: k === "aep:clientSecret" };
  const readme = readFileSync(join(out, "README.md"), "utf8");
  const secretKeys = [...new Set([...readme.matchAll(/^pulumi config set --secret (?!aep:)(\S+) <value>/gm)].map((m) => m[1]))];
  expect(secretKeys).toHaveLength(6);
  for (const k of secretKeys) config[k] = { value: /PrivateKeyContent$/.test(k) ? key : `copy-of-${k}-value`, secret: true };
  await h.stack.setAllConfig(config);

  const before = { connections: names(emu.control.connections()), flows: names(emu.control.flows()) };
  const up = await h.stack.up({ onOutput: () => undefined });
  expect(up.summary.resourceChanges).toEqual({ create: 24 }); // 23 entities and the stack

  const inSandbox = <T extends { sandboxName?: unknown; sandbox?: unknown }>(items: T[], sandbox: string) => items.filter((i) => (i.sandboxName ?? i.sandbox) === sandbox);
  const collections = {
    connections: () => emu.control.connections(),
    sourceConnections: () => emu.control.sourceConnections(),
    targetConnections: () => emu.control.targetConnections(),
    flows: () => emu.control.flows(),
  };
  for (const [collection, list] of Object.entries(collections)) {
    const all = list() as Array<{ name?: unknown; sandboxName?: unknown; sandbox?: unknown }>;
    expect({ collection, names: names(inSandbox(all, COPY)) }).toEqual({ collection, names: names(inSandbox(all, SOURCE)) });
  }
  // The copies are wired to each other, never to the source's entities.
  const sourceIds = new Set([seeded.s3, seeded.sftp, seeded.streaming, seeded.azure].flatMap((p) => [p.base, p.source, p.target, p.mapping, p.flow]));
  for (const flow of inSandbox(emu.control.flows() as Array<Record<string, unknown>>, COPY)) {
    for (const id of [...(flow.sourceConnectionIds as string[]), ...(flow.targetConnectionIds as string[])]) expect(sourceIds.has(id)).toBe(false);
  }

  const destroyed = await h.stack.destroy({ onOutput: () => undefined });
  expect(destroyed.summary.resourceChanges).toEqual({ delete: 24 });
  expect({ connections: names(emu.control.connections()), flows: names(emu.control.flows()) }).toEqual(before);
});
