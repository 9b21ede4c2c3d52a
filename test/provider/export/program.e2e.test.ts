jest.setTimeout(600_000);

/**
 * The exported program run by the real Pulumi CLI: written by the package's compiled `aep-flow` bin from a
 * sandbox built through the public API, then deployed unchanged on a stack of another sandbox, which has
 * no adopt map: every entity is created there under the source's names and wired alike, and its destroy
 * leaves the source sandbox as it was. On the source sandbox's own stack (the adopt map export writes) the
 * same program adopts every entity: nothing is created, only what adoption needs is written, and the next
 * `up` and a refreshing preview show no change.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, makeStack, pulumiOnPath, type StackHandle } from "../../helpers/e2e";
import { TestEmulator } from "../../helpers/emulator";
import { makeOpenSshKey } from "../../helpers/keys";
import { SEEDED_SECRETS, type Seeded, seedClient, seedSandbox } from "./support/seed";

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


type Item = Record<string, unknown>;
/** Every entity of a sandbox as the emulator holds it (secrets in clear), by collection. */
function held(sandbox: string): Record<string, Item[]> {
  const of = (items: unknown[]) => (items as Item[]).filter((i) => (i.sandboxName ?? i.sandbox) === sandbox);
  return {
    connections: of(emu.control.connections()),
    sourceConnections: of(emu.control.sourceConnections()),
    targetConnections: of(emu.control.targetConnections()),
    mappingSets: of(emu.control.mappingSets()),
    flows: of(emu.control.flows()),
  };
}

/** What an entity is, apart from what the service stamps on it (ids, etags, times, creators) and what names another entity (by its name instead). */
function essence(item: Item, nameOf: (id: unknown) => unknown): Item {
  const STAMPS = new Set(["id", "etag", "createdAt", "updatedAt", "createdBy", "createdClient", "createdDate", "modifiedDate", "updatedBy", "updatedClient", "sandboxName", "sandbox", "sandboxId", "imsOrgId", "inletId", "inletUrl", "lastOperation", "version"]);
  const walk = (v: unknown, key = ""): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (typeof v === "object" && v !== null) return Object.fromEntries(Object.entries(v).filter(([k]) => !STAMPS.has(k)).map(([k, x]) => [k, walk(x, k)]));
    return /^(baseConnectionId|sourceConnectionIds|targetConnectionIds|mappingId)$/.test(key) ? nameOf(v) : v;
  };
  return walk(item) as Item;
}

/** A sandbox's entities in essence, keyed by collection and name. */
function essences(sandbox: string): Record<string, unknown> {
  const all = held(sandbox);
  const byId = new Map(Object.values(all).flat().map((i) => [i.id, i.name]));
  const out: Record<string, unknown> = {};
  for (const [collection, items] of Object.entries(all)) for (const i of items) out[`${collection} ${String(i.name)} ${String((i.connectionSpec as Item | undefined)?.id ?? "")}`] = essence(i, (id) => byId.get(id) ?? id);
  return out;
}

/** The writes the emulator logged since the last clear (the IMS token aside), by route. */
async function writes(): Promise<Record<string, number>> {
  const { counts } = await emu.requests();
  return Object.fromEntries(Object.entries(counts).filter(([route]) => !route.startsWith("GET ") && !route.includes("/ims/")));
}

/** The program `aep-flow export` writes for the source sandbox, with its secrets' config keys. */
let out: string;
let secretKeys: string[];
beforeAll(async () => {
  out = join(mkdtempSync(join(tmpdir(), "aep-export-e2e-")), "program");
  dirs.push(join(out, ".."));
  const exported = await bin(["export", "--out", out, "--quiet"]);
  expect(exported).toEqual({ code: 0, stderr: "" });
  symlinkSync(join(ROOT, "node_modules"), join(out, "node_modules"), "dir");
  const readme = readFileSync(join(out, "README.md"), "utf8");
  secretKeys = [...new Set([...readme.matchAll(/^pulumi config set --secret (?!aep:)(\S+) <value>/gm)].map((m) => m[1]))];
});

/** The source's own secret values, by the config key export gave each (the README names the resource and what it is). */
function sourceSecret(key: string, sshKey: string): string {
  const rules: Array<[RegExp, string]> = [
    [/SecretKey$/, SEEDED_SECRETS.s3SecretKey],
    [/ConnectionString$/, SEEDED_SECRETS.azureConnectionString],
    [/PassPhrase$/, SEEDED_SECRETS.sftpPassPhrase],
    [/PrivateKeyContent$/, sshKey],
    [/^partnerSftp.*Password$/, SEEDED_SECRETS.sftpPassword],
    [/Password$/, SEEDED_SECRETS.ftpPassword],
  ];
  const found = rules.find(([re]) => re.test(key));
  if (!found) throw new Error(`no seeded value for the config key ${key}`);
  return found[1];
}

async function stackFor(sandbox: string, secret: (key: string) => string): Promise<StackHandle> {
  const h = await makeStack(out, {}, sandbox);
  dirs.push(h.backendDir);
  const config: Record<string, { value: string; secret?: boolean }> = { "aep:sandbox": { value: sandbox } };
  for (const [k, v] of Object.entries(emu.config())) if (k !== "aep:sandbox") config[k] = { value: v, secret: k === "aep:clientSecret" };
  for (const k of secretKeys) config[k] = { value: secret(k), secret: true };
  await h.stack.setAllConfig(config);
  return h;
}

it("adopts the whole sandbox on its own stack: nothing created, only what adoption needs written, then no change", async () => {
  expect(secretKeys).toHaveLength(6);
  const sshKey = makeOpenSshKey("ed25519");
  const h = await stackFor(SOURCE, (k) => sourceSecret(k, sshKey));
  const before = essences(SOURCE);
  await emu.clearRequests();
  const up = await h.stack.up({ onOutput: () => undefined });
  expect(up.summary.resourceChanges).toEqual({ create: 24 }); // 23 adopted entities and the stack
  const written = await writes();
  // No entity is created: every POST is a dataflow action, none goes to a collection.
  expect(Object.keys(written).filter((route) => route.startsWith("POST ") && !route.endsWith("/action"))).toEqual([]);
  process.stderr.write(`[export e2e] adoption of 23 entities wrote: ${JSON.stringify(written)}\n`);
  // Flow Service masks secrets, so an adopted connection's secrets are written again (one PATCH each); the SFTP key
  // declared differs from the seeded one. The streaming dataflow names its mapping set with no version (as
  // Adobe's streaming tutorial does); a Dataflow declares one, so adopting it writes that (one PATCH). Nothing
  // else of any entity changed.
  expect(written).toEqual({ "PATCH /connections/{id}": 5, "PATCH /flows/{id}": 1 });
  const after = essences(SOURCE);
  const changed = Object.keys(before).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  expect(changed).toEqual([expect.stringMatching(/^connections Legacy partner drop b7bf2577/), "flows Web events to loyalty "]);
  const flowKey = "flows Web events to loyalty ";
  expect((after[flowKey] as { transformations: unknown }).transformations).toEqual([{ name: "Mapping", params: { mappingId: "Loyalty mapping", mappingVersion: 0 } }]);
  expect({ ...(after[flowKey] as Item), transformations: undefined }).toEqual({ ...(before[flowKey] as Item), transformations: undefined });

  await emu.clearRequests();
  const again = await h.stack.up({ onOutput: () => undefined });
  expect(again.summary.resourceChanges).toEqual({ same: 24 });
  expect(await writes()).toEqual({});
  const refreshed = await h.stack.preview({ refresh: true, onOutput: () => undefined });
  expect(refreshed.changeSummary).toEqual({ same: 24 });
  expect(await writes()).toEqual({});
});

it("deploys unchanged on another sandbox's stack: every entity created there, equal to the source's, the source untouched by its destroy", async () => {
  const key = makeOpenSshKey("ed25519");
  const h = await stackFor(COPY, (k) => (/PrivateKeyContent$/.test(k) ? key : `copy-of-${k}-value`));
  const source = essences(SOURCE);
  const up = await h.stack.up({ onOutput: () => undefined });
  expect(up.summary.resourceChanges).toEqual({ create: 24 }); // 23 entities and the stack

  // Equal pipelines: every entity of the source has its copy, alike but for ids, etags, times and secrets.
  const copy = essences(COPY);
  const withoutSecrets = (e: Record<string, unknown>) => JSON.parse(JSON.stringify(e, (k, v) => (/(password|secretKey|SecretKey|connectionString|privateKeyContent|passPhrase)$/.test(k) ? undefined : v)));
  expect(withoutSecrets(copy)).toEqual(withoutSecrets(source));
  // The copies are wired to each other, never to the source's entities.
  const sourceIds = new Set([seeded.s3, seeded.sftp, seeded.streaming, seeded.azure].flatMap((p) => [p.base, p.source, p.target, p.mapping, p.flow]));
  for (const flow of held(COPY).flows) {
    for (const id of [...(flow.sourceConnectionIds as string[]), ...(flow.targetConnectionIds as string[])]) expect(sourceIds.has(id)).toBe(false);
  }

  const destroyed = await h.stack.destroy({ onOutput: () => undefined });
  expect(destroyed.summary.resourceChanges).toEqual({ delete: 24 });
  expect(essences(SOURCE)).toEqual(source);
  // Data Prep cannot delete mapping sets: the copy's stay, every other entity of the copy is gone.
  const left = held(COPY);
  expect({ ...left, mappingSets: [] }).toEqual({ connections: [], sourceConnections: [], targetConnections: [], mappingSets: [], flows: [] });
});
