jest.setTimeout(600_000);

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { ROOT, makeStack, pulumiOnPath } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";
import { makeOpenSshKey } from "../helpers/keys";

/**
 * Every shipped example, deployed as its README says, with the real CLI against the emulator: each
 * folder is copied to a temp folder whose node_modules links to this repository's (so
 * `import … from "pulumi-aep-flow"` resolves to the built package, as in a user's project), its
 * config is set, and then `pulumi up`, a second `pulumi up` that must change nothing, and
 * `pulumi destroy`. examples/ci is the CI kit (test/ci-kit); the quickstart runs from the root's
 * Pulumi.yaml, as `npm run demo` runs it.
 */

const SSH_KEY = makeOpenSshKey("ed25519");

/** What each example's README row says it needs; secrets are set as secrets. */
const CONFIG: Record<string, { plain?: Record<string, string>; secret?: Record<string, string> }> = {
  ftp: { secret: { ftpPassword: "examples-ftp-password" } },
  sftp: { secret: { sftpPrivateKey: SSH_KEY } },
  s3: { plain: { s3AccessKey: "AKIAEXAMPLES" }, secret: { s3SecretKey: "examples-s3-secret" } },
  "dataset-base": {},
  streaming: {},
  "source-connection": { secret: { sftpPrivateKey: SSH_KEY } },
  // The emulator's demo Orders dataset and schema, looked up by name.
  "target-connection": { plain: { datasetName: "Orders" } },
  "mapping-set": { plain: { schemaName: "Orders" } },
  dataflow: { plain: { s3AccessKey: "AKIAEXAMPLES", datasetName: "Orders" }, secret: { s3SecretKey: "examples-s3-secret" } },
  quickstart: { plain: { s3AccessKey: "AKIAEXAMPLES" }, secret: { ftpPassword: "examples-ftp-password", sftpPassword: "examples-sftp-password", s3SecretKey: "examples-s3-secret" } },
};
/** Two at a time: the machine has two cores, and each deployment is mostly the CLI waiting on Node. */
const AT_ONCE = 2;

const examples = readdirSync(join(ROOT, "examples"), { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== "ci")
  .map((e) => e.name)
  .sort();

/** The example as a project of its own, outside the repository. */
function programFolder(example: string): string {
  const dir = mkdtempSync(join(tmpdir(), `aep-example-${example}-`));
  if (example === "quickstart") {
    cpSync(join(ROOT, "Pulumi.yaml"), join(dir, "Pulumi.yaml"));
    mkdirSync(join(dir, "examples"));
    cpSync(join(ROOT, "examples", "quickstart"), join(dir, "examples", "quickstart"), { recursive: true });
  } else {
    cpSync(join(ROOT, "examples", example), dir, { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `aep-example-${example}`, private: true }));
  return dir;
}

interface Outcome {
  up: Record<string, number>;
  again: Record<string, number>;
  destroyed: Record<string, number>;
  outputs: string[];
  left: number;
}

let emu: TestEmulator;
const outcomes = new Map<string, Outcome | Error>();
const folders: string[] = [];

async function deploy(example: string): Promise<Outcome> {
  const dir = programFolder(example);
  folders.push(dir);
  // tsconfig.examples.json type-checks the examples already; ts-node checking them again on every
  // run would double each deployment's time for nothing.
  const { stack, backendDir } = await makeStack(dir, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }, "examples");
  folders.push(backendDir);
  await configure(stack, example);
  const onOutput = (): void => undefined;
  const up = await stack.up({ onOutput });
  const again = await stack.up({ onOutput });
  const destroyed = await stack.destroy({ onOutput });
  const left = ((await stack.exportStack()).deployment.resources ?? []).length;
  await stack.workspace.removeStack(stack.name);
  return { up: up.summary.resourceChanges ?? {}, again: again.summary.resourceChanges ?? {}, destroyed: destroyed.summary.resourceChanges ?? {}, outputs: Object.keys(up.outputs).sort(), left };
}

async function configure(stack: Stack, example: string): Promise<void> {
  const config: Record<string, { value: string; secret?: boolean }> = {};
  for (const [k, v] of Object.entries(emu.config())) config[k] = { value: v, secret: k === "aep:clientSecret" };
  const needs = CONFIG[example];
  if (!needs) throw new Error(`examples/${example} has no config in CONFIG of this test: add what its README row says it needs`);
  for (const [k, v] of Object.entries(needs.plain ?? {})) config[k] = { value: v };
  for (const [k, v] of Object.entries(needs.secret ?? {})) config[k] = { value: v, secret: true };
  await stack.setAllConfig(config);
}

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  if (!existsSync(join(ROOT, "node_modules", "pulumi-aep-flow", "dist", "provider", "index.js"))) throw new Error("pulumi-aep-flow is not built and linked: run `npm run build` first");
  emu = await TestEmulator.start();
  // A bounded pool: AT_ONCE workers take the examples in order; each outcome (or its error) is kept
  // for its own test below.
  const queue = [...examples];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const example = next;
      outcomes.set(example, await deploy(example).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
    }
  };
  await Promise.all(Array.from({ length: AT_ONCE }, worker));
}, 900_000);

afterAll(async () => {
  await emu?.stop();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

it("finds every example folder, each with a Pulumi project naming its program (the quickstart's is the repository's root)", () => {
  expect(examples).toEqual(expect.arrayContaining(["dataflow", "dataset-base", "ftp", "mapping-set", "quickstart", "s3", "sftp", "source-connection", "streaming", "target-connection"]));
  // `main` is what makes `cd examples/<name> && pulumi up` run the example inside this repository: without
  // it the language host takes the program from the repository's package.json ("main": the package).
  for (const e of examples.filter((x) => x !== "quickstart")) {
    const project = join(ROOT, "examples", e, "Pulumi.yaml");
    expect({ e, main: existsSync(project) && /^main: index\.ts$/m.test(readFileSync(project, "utf8")) }).toEqual({ e, main: true });
  }
});

it.each(examples)("deploys examples/%s: up creates it, a second up changes nothing, destroy removes it all", async (example) => {
  const o = outcomes.get(example);
  if (o === undefined || o instanceof Error) throw o ?? new Error(`examples/${example} was not deployed`);
  expect(o.up.create).toBeGreaterThanOrEqual(2); // the stack and at least one resource
  expect(Object.keys(o.up).filter((k) => k !== "create")).toEqual([]);
  expect(o.outputs.length).toBeGreaterThan(0);
  expect(o.again).toEqual({ same: o.up.create });
  expect(o.destroyed).toEqual({ delete: o.up.create });
  expect(o.left).toBe(0);
});

it("leaves no connection, source or target connection or dataflow in Flow Service once every example is destroyed", async () => {
  expect([...outcomes].filter(([, o]) => o instanceof Error).map(([e]) => e)).toEqual([]);
  const left = { connections: emu.control.connections().length, sourceConnections: emu.control.sourceConnections().length, targetConnections: emu.control.targetConnections().length, flows: emu.control.flows().length };
  expect(left).toEqual({ connections: 0, sourceConnections: 0, targetConnections: 0, flows: 0 });
  // Data Prep cannot delete a mapping set: the mapping-set, dataflow and quickstart examples leave theirs.
  expect(emu.control.mappingSets().length).toBe(3);
});
