jest.setTimeout(600_000);

import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { ROOT, cliExport, makeStack, pulumiOnPath } from "../helpers/e2e";
import { DEMO, TestEmulator } from "../helpers/emulator";
import { makeOpenSshKey } from "../helpers/keys";

/**
 * Every shipped example, deployed as its README says, with the real CLI against the emulator: each
 * folder is copied to a temp folder whose node_modules links to this repository's (so
 * `import … from "pulumi-aep-flow"` resolves to the built package, as in a user's project), its
 * config is set, and then `pulumi up`, a second `pulumi up` that must change nothing, and
 * `pulumi destroy`. examples/ci is the CI kit (test/ci-kit); the quickstart runs from the root's
 * Pulumi.yaml, as `npm run demo` runs it. database-dataflow goes through more steps (see `walkThrough`).
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
  "database-dataflow": { plain: { datasetId: DEMO.orders.dataSetId, schemaId: DEMO.orders.schemaId }, secret: { postgresConnectionString: pgConnectionString(1) } },
  quickstart: { plain: { s3AccessKey: "AKIAEXAMPLES" }, secret: { ftpPassword: "examples-ftp-password", sftpPassword: "examples-sftp-password", s3SecretKey: "examples-s3-secret" } },
};
/** A PostgreSQL connection string in the form of Adobe's tutorial; the password differs per generation. */
function pgConnectionString(generation: number): string {
  return `Server=orders-db.example.com;Database=shop;Port=5432;UID=ingest;Password=examples-pg-password-${generation}`;
}
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

/** The example that also goes through a preview with no credentials, write counts and a secret's rotation. */
const WALKED = "database-dataflow";
/** What `walkThrough` saw, step by step, for the tests of WALKED below. */
interface WalkThrough {
  preview: { changes: Record<string, number>; requests: number };
  up: { counts: Record<string, number>; held: Record<string, number>; table: Record<string, unknown>; flowSpecId: string; flowState: string };
  again: { changes: Record<string, number>; writes: Record<string, number> };
  rotation: { preview: Record<string, number>; changes: Record<string, number>; counts: Record<string, number>; sameId: boolean; held: string; exportLeaks: number };
  destroyed: { held: Record<string, number>; errors: number };
}
/** Its own emulator: the request counts are this example's alone while the others deploy beside it. */
let walkEmu: TestEmulator | undefined;
let walked: WalkThrough | undefined;
const PG_SPEC_ID = "74a1c565-4e59-48d7-9d67-7c03b8a13137";
const CRM_TO_AEP_FLOW_SPEC_ID = "14518937-270c-4525-bdec-c2ba7cce3860";
const WRITES = ["POST", "PATCH", "PUT", "DELETE"];

function changesOf(summary: Record<string, number> | undefined): Record<string, number> {
  const out = { ...(summary ?? {}) };
  delete out.same;
  return out;
}

/** Every write request in a count by route (`POST /connections`, …), the IMS token's apart. */
function writesOf(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([route]) => WRITES.includes(route.split(" ")[0]) && !route.includes("/ims/")));
}

function heldBy(e: TestEmulator): Record<string, number> {
  const c = e.control;
  return { connections: c.connections().length, sourceConnections: c.sourceConnections().length, targetConnections: c.targetConnections().length, flows: c.flows().length, mappingSets: c.mappingSets().length };
}

/**
 * WALKED, on an emulator of its own: `pulumi preview` with no credentials (the endpoints set to the emulator, so
 * any request would show in its log), `up`, an `up` that changes nothing and writes nothing, a new connection
 * string (an in-place update: one PATCH), `destroy`.
 */
async function walkThrough(example: string): Promise<Outcome> {
  const e = await TestEmulator.start();
  walkEmu = e;
  const dir = programFolder(example);
  folders.push(dir);
  const h = await makeStack(dir, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }, "examples");
  folders.push(h.backendDir);
  const { stack } = h;
  const onOutput = (): void => undefined;
  await configure(stack, example, { "aep:endpoint": e.baseUrl, "aep:imsEndpoint": e.baseUrl });
  const preview = await stack.preview({ onOutput });
  const previewRequests = (await e.requests()).total;

  await configure(stack, example, e.config());
  await e.clearRequests();
  const up = await stack.up({ onOutput });
  const upCounts = (await e.requests()).counts;
  const [table] = e.control.sourceConnections();
  const [flow] = e.control.flows();
  const upHeld = heldBy(e);

  await e.clearRequests();
  const again = await stack.up({ onOutput });
  const againWrites = writesOf((await e.requests()).counts);

  const before = String(up.outputs.connectionId.value);
  await stack.setConfig("postgresConnectionString", { value: pgConnectionString(2), secret: true });
  const rotationPreview = await stack.preview({ onOutput });
  await e.clearRequests();
  const rotated = await stack.up({ onOutput });
  const rotationCounts = (await e.requests()).counts;
  const rotatedHeld = String(e.control.connections().find((c) => c.connectionSpec?.id === PG_SPEC_ID)?.auth?.params?.connectionString);
  const exported = cliExport(h);
  // Each connection string as is, in Base64 and in Base64url.
  const forms = [pgConnectionString(1), pgConnectionString(2)].flatMap((v) => [v, Buffer.from(v).toString("base64"), Buffer.from(v).toString("base64url")]);
  const exportLeaks = forms.filter((v) => exported.includes(v)).length;

  await e.clearRequests();
  const destroyed = await stack.destroy({ onOutput });
  const destroyErrors = (await e.requests()).entries.filter((r) => r.status >= 400).length;
  const left = ((await stack.exportStack()).deployment.resources ?? []).length;
  walked = {
    preview: { changes: changesOf(preview.changeSummary), requests: previewRequests },
    up: { counts: upCounts, held: upHeld, table: { spec: table?.connectionSpec?.id, params: table?.params, format: table?.data?.format }, flowSpecId: String(flow?.flowSpec?.id), flowState: String(flow?.state) },
    again: { changes: changesOf(again.summary.resourceChanges), writes: againWrites },
    rotation: {
      preview: changesOf(rotationPreview.changeSummary),
      changes: changesOf(rotated.summary.resourceChanges),
      counts: writesOf(rotationCounts),
      sameId: String(rotated.outputs.connectionId.value) === before,
      held: rotatedHeld,
      exportLeaks,
    },
    destroyed: { held: heldBy(e), errors: destroyErrors },
  };
  await stack.workspace.removeStack(stack.name);
  return { up: up.summary.resourceChanges ?? {}, again: again.summary.resourceChanges ?? {}, destroyed: destroyed.summary.resourceChanges ?? {}, outputs: Object.keys(up.outputs).sort(), left };
}

async function deploy(example: string): Promise<Outcome> {
  if (example === WALKED) return walkThrough(example);
  const dir = programFolder(example);
  folders.push(dir);
  // tsconfig.examples.json type-checks the examples already; ts-node checking them again on every
  // run would double each deployment's time for nothing.
  const { stack, backendDir } = await makeStack(dir, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }, "examples");
  folders.push(backendDir);
  await configure(stack, example, emu.config());
  const onOutput = (): void => undefined;
  const up = await stack.up({ onOutput });
  const again = await stack.up({ onOutput });
  const destroyed = await stack.destroy({ onOutput });
  const left = ((await stack.exportStack()).deployment.resources ?? []).length;
  await stack.workspace.removeStack(stack.name);
  return { up: up.summary.resourceChanges ?? {}, again: again.summary.resourceChanges ?? {}, destroyed: destroyed.summary.resourceChanges ?? {}, outputs: Object.keys(up.outputs).sort(), left };
}

/** The example's config (README row) and the given `aep:*` settings, the client secret as a secret. */
async function configure(stack: Stack, example: string, aep: Record<string, string>): Promise<void> {
  const config: Record<string, { value: string; secret?: boolean }> = {};
  for (const [k, v] of Object.entries(aep)) config[k] = { value: v, secret: k === "aep:clientSecret" };
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
  await walkEmu?.stop();
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

it("finds every example folder, each with a Pulumi project naming its program (the quickstart's is the repository's root)", () => {
  expect(examples).toEqual(expect.arrayContaining(["database-dataflow", "dataflow", "dataset-base", "ftp", "mapping-set", "quickstart", "s3", "sftp", "source-connection", "streaming", "target-connection"]));
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

describe(`examples/${WALKED}: a database table through the generic Connection, step by step`, () => {
  /** The steps' record, once the example has been walked through (its error otherwise). */
  function steps(): WalkThrough {
    const o = outcomes.get(WALKED);
    if (o instanceof Error) throw o;
    if (!walked) throw new Error(`examples/${WALKED} was not walked through`);
    return walked;
  }

  it("previews the six resources with no credentials, and no request reaches Flow Service", () => {
    // The stack and six resources: the connection, the source and target connections, the dataset base connection, the mapping set, the dataflow.
    expect(steps().preview).toEqual({ changes: { create: 7 }, requests: 0 });
  });

  it("creates them on up: a PostgreSQL connection, a source connection on its table, and a CRMToAEP dataflow on a schedule", () => {
    const { up } = steps();
    expect(up.held).toEqual({ connections: 2, sourceConnections: 1, targetConnections: 1, flows: 1, mappingSets: 1 });
    expect(writesOf(up.counts)).toEqual({ "POST /connections": 2, "POST /sourceConnections": 1, "POST /targetConnections": 1, "POST /mappingSets": 1, "POST /flows": 1 });
    // The tutorials' body of a table source: the spec, `params.tableName`, and the tabular format.
    expect(up.table).toEqual({ spec: PG_SPEC_ID, params: { tableName: "public.orders" }, format: "tabular" });
    expect([up.flowSpecId, up.flowState]).toEqual([CRM_TO_AEP_FLOW_SPEC_ID, "enabled"]);
  });

  it("changes nothing on a second up, and writes nothing to Flow Service", () => {
    expect(steps().again).toEqual({ changes: {}, writes: {} });
  });

  it("takes a new connection string as an in-place update of the connection alone: one PATCH, and never in clear in the state", () => {
    const { rotation } = steps();
    expect(rotation.preview).toEqual({ update: 1 });
    expect(rotation.changes).toEqual({ update: 1 });
    expect(rotation.counts).toEqual({ "PATCH /connections/{id}": 1 });
    expect(rotation.sameId).toBe(true);
    expect(rotation.held).toBe(pgConnectionString(2));
    expect(rotation.exportLeaks).toBe(0);
  });

  it("destroys it all: Flow Service holds none of its entities, only the mapping set Data Prep cannot delete", () => {
    expect(steps().destroyed).toEqual({ held: { connections: 0, sourceConnections: 0, targetConnections: 0, flows: 0, mappingSets: 1 }, errors: 0 });
  });
});
