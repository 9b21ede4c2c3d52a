import { ProviderUnderTest, type Props, newProviderProcess } from "../../helpers/engine";
import { DEMO, type Json, TestEmulator } from "../../helpers/emulator";

/**
 * The follow-up failure matrix: every kind × every call that follows its create or its update × each
 * failure, through the serialized provider against the emulator. For each cell: exactly one POST (or
 * PATCH) in the failing step, no entity outside what the step recorded, the id and the etag the write
 * returned recorded (Pulumi's "created but failed to initialize"), and the next `up` (an update, as the
 * engine runs for a resource with initialization errors) converging with no POST and no PATCH.
 */
let emu: TestEmulator;
let pipeline: { source: string; target: string; mapping: string };

const CONFIG = { "aep:maxAttempts": "2" };
const PASSWORDS = ["follow-up-pass-1", "follow-up-pass-2"];
const S3_KEYS = ["follow-up-s3-key-1", "follow-up-s3-key-2"];

beforeAll(async () => {
  emu = await TestEmulator.start();
  emu.control.addRemote({ kind: "ftp", host: "ftp.example.com", credentials: PASSWORDS.map((password) => ({ userName: "ingest", password })) });
  emu.control.addRemote({ kind: "sftp", host: "sftp.example.com", credentials: PASSWORDS.map((password) => ({ userName: "ingest", password })) });
  emu.control.addRemote({ kind: "s3", bucket: "follow-up", credentials: S3_KEYS.map((secretKey) => ({ accessKey: "AKIAFOLLOWUP", secretKey })) });
  const make = async (kind: string, args: Props) => {
    const p = await ProviderUnderTest.load(kind, emu.config());
    return p.create(await p.checked({}, { __autoName: kind, ...args }));
  };
  const s3 = await make("s3", { accessKey: "AKIAFOLLOWUP", secretKey: S3_KEYS[0], bucketName: "follow-up" });
  const lake = await make("datasetBase", {});
  const source = await make("sourceConnection", { baseConnectionId: s3.id, connectionSpecId: s3.outs.connectionSpecId, format: "json", path: "/in/*.json" });
  const target = await make("targetConnection", { baseConnectionId: lake.id, dataSetId: DEMO.orders.dataSetId, schemaId: DEMO.orders.schemaId });
  const mapping = await make("mappingSet", { schemaId: DEMO.orders.schemaId, mappings: [{ source: "id", destination: "_id" }] });
  pipeline = { source: source.id, target: target.id, mapping: mapping.id };
});
afterAll(async () => {
  printMatrix();
  await emu.stop();
});
beforeEach(async () => {
  await emu.control.clearFaults();
  await emu.clearRequests();
});

type Failure = "503 on every attempt" | "lost answer" | "reset" | "412" | "429 past retries";
const FAILURES: Failure[] = ["503 on every attempt", "lost answer", "reset", "412", "429 past retries"];

/** A fault rule for every attempt of the follow-up call; undefined where the failure cannot happen to it. */
function faultFor(failure: Failure, method: string, route: string): Json | undefined {
  const write = method !== "GET";
  switch (failure) {
    case "503 on every attempt":
      return { kind: "503", method, route };
    // A read's answer lost is its connection dropped: a reset. A write's is applied, then answered 500.
    case "lost answer":
      return write ? { kind: "commit-then-fail", method, route, thenStatus: 500 } : { kind: "reset", method, route };
    case "reset":
      return { kind: "reset", method, route };
    case "412":
      return write ? { kind: "412", method, route } : undefined;
    case "429 past retries":
      return { kind: "429", method, route, retryAfterSeconds: 0 };
  }
}

/** A row: a kind, the step whose write is followed, and the call that follows it. */
interface Row {
  kind: string;
  step: "create" | "update";
  /** The write the step makes, as the request log names it. */
  write: string;
  /** The call that follows the write. */
  follow: { method: string; route: string };
  /** How the emulator lists this kind's entities. */
  held: () => Json[];
  /** Declared inputs: `variant` 0 is the create's, 1 the update's. */
  args: (name: string, variant: 0 | 1) => Props;
  /** For an update row, what the entity was declared as before (default: the create's). */
  before?: (name: string) => Props;
  /** Whether what the follow-up was for is done (the declared state reached, the inlet known, the test passed). */
  settled: (outs: Props, held: Json) => boolean;
}

const connectionsOf = (spec: string) => () => emu.control.connections().filter((c) => (c.connectionSpec as Json | undefined)?.id === spec);
const tested = (outs: Props) => outs.__connectivityUnproven === undefined;
const TEST = { method: "GET", route: "/connections/{id}/test" };

const dataflowArgs = (name: string): Props => ({
  name,
  flowSpecName: "CloudStorageToAEP",
  sourceConnectionId: pipeline.source,
  targetConnectionId: pipeline.target,
  mappingId: pipeline.mapping,
  mappingVersion: 0,
  schedule: { startTime: 1_900_000_000, frequency: "hour", interval: 1 },
});

const ROWS: Row[] = [];
for (const step of ["create", "update"] as const) {
  ROWS.push(
    {
      kind: "ftp",
      step,
      write: step === "create" ? "POST /connections" : "PATCH /connections/{id}",
      follow: TEST,
      held: connectionsOf("fb2e94c9-c031-467d-8103-6bd6e0a432f2"),
      args: (name, v) => ({ name, host: "ftp.example.com", userName: "ingest", password: PASSWORDS[v], verifyConnectivity: true }),
      settled: tested,
    },
    {
      kind: "sftp",
      step,
      write: step === "create" ? "POST /connections" : "PATCH /connections/{id}",
      follow: TEST,
      held: connectionsOf("b7bf2577-4520-42c9-bae9-cad01560f7bc"),
      args: (name, v) => ({ name, host: "sftp.example.com", userName: "ingest", password: PASSWORDS[v], verifyConnectivity: true }),
      settled: tested,
    },
    {
      kind: "s3",
      step,
      write: step === "create" ? "POST /connections" : "PATCH /connections/{id}",
      follow: TEST,
      held: connectionsOf("ecadc60c-7455-4d87-84dc-2a0e293d997b"),
      args: (name, v) => ({ name, accessKey: "AKIAFOLLOWUP", secretKey: S3_KEYS[v], bucketName: "follow-up", verifyConnectivity: true }),
      settled: tested,
    },
    {
      kind: "streaming",
      step,
      write: step === "create" ? "POST /connections" : "PATCH /connections/{id}",
      // The inlet is read after the create, and after an update while a failed create left it unknown.
      follow: { method: "GET", route: "/connections/{id}" },
      held: connectionsOf("bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb"),
      args: (name, v) => ({ name, dataType: "xdm", description: v === 0 ? "events" : "events, renamed" }),
      settled: (outs, held) => typeof outs.inletUrl === "string" && outs.inletId === ((held.auth as Json).params as Json).inletId,
    },
    {
      kind: "dataflow",
      step,
      write: step === "create" ? "POST /flows" : "PATCH /flows/{id}",
      follow: { method: "POST", route: "/flows/{id}/action" },
      held: () => emu.control.flows(),
      args: (name, v) => ({
        ...dataflowArgs(name),
        enabled: false,
        ...(v === 1 ? { description: "nightly" } : {}),
      }),
      // Updated from enabled, so that the update's PATCH is followed by the disable action.
      before: (name) => ({ ...dataflowArgs(name), enabled: true }),
      settled: (outs, held) => held.state === "disabled" && outs.state === "disabled" && outs.enabled === false,
    },
  );
}

interface Cell {
  row: Row;
  failure: Failure;
  outcome: string;
}
const cells: Cell[] = [];

/** What a failed step left for the engine to record: the id and outputs of "created but failed to initialize". */
type InitFailure = Error & { id?: string; properties?: Props };

async function attempt<T>(run: Promise<T>): Promise<{ ok: T } | { failed: InitFailure }> {
  try {
    return { ok: await run };
  } catch (err) {
    return { failed: err as InitFailure };
  }
}

async function counts(): Promise<Record<string, number>> {
  return (await emu.requests()).counts;
}

const load = (kind: string) => ProviderUnderTest.load(kind, emu.config(CONFIG));

/**
 * For an update row: the entity as the step before left it. For the streaming connection that is a
 * create whose inlet read failed (the only time an update reads it).
 */
async function existing(row: Row, name: string): Promise<{ id: string; outs: Props; p: ProviderUnderTest }> {
  newProviderProcess();
  const p = await load(row.kind);
  const inputs = await p.checked({}, { __autoName: name, ...(row.before ?? ((n: string) => row.args(n, 0)))(name) });
  if (row.kind !== "streaming") {
    const made = await p.create(inputs);
    return { id: made.id, outs: made.outs, p };
  }
  await emu.addFault({ kind: "503", method: "GET", route: "/connections/{id}" });
  const r = await attempt(p.create(inputs));
  await emu.control.clearFaults();
  if (!("failed" in r) || !r.failed.id || !r.failed.properties) throw new Error("expected the streaming create to fail to initialize");
  return { id: r.failed.id, outs: r.failed.properties, p };
}

describe.each(ROWS.map((r) => [`${r.kind} ${r.step}`, r] as const))("%s", (_label, row) => {
  const applicable = FAILURES.filter((f) => faultFor(f, row.follow.method, row.follow.route) !== undefined);
  it.each(applicable)(`${row.follow.method} ${row.follow.route} fails with %s: one ${row.write}, the result recorded, the next up converges with no write repeated`, async (failure) => {
    const name = `fu-${row.kind}-${row.step}-${failure.replace(/[^a-z0-9]+/gi, "-")}`.toLowerCase();
    const before = row.step === "update" ? await existing(row, name) : undefined;
    newProviderProcess();
    const p = await load(row.kind);
    const olds = before?.outs ?? {};
    const news = await p.checked(olds, { __autoName: name, ...row.args(name, row.step === "update" ? 1 : 0) });
    await emu.clearRequests();
    await emu.addFault(faultFor(failure, row.follow.method, row.follow.route) as Json);

    const result = await attempt(row.step === "create" ? p.create(news) : p.update(before!.id, olds, news));
    const step = await counts();
    expect(step[row.write]).toBe(1);
    expect(step[row.follow.method + " " + row.follow.route]).toBeGreaterThanOrEqual(1);

    const mine = row.held().filter((e) => e.name === name);
    expect(mine).toHaveLength(1);
    const held = mine[0];
    let id: string;
    let recorded: Props;
    if ("failed" in result) {
      // Pulumi's "created but failed to initialize": the id and the outputs with the write's etag.
      expect(result.failed.id).toBe(held.id);
      expect(result.failed.properties).toBeDefined();
      expect(result.failed.message).toMatch(/the next `pulumi up`/);
      id = result.failed.id as string;
      recorded = result.failed.properties as Props;
    } else {
      id = row.step === "create" ? (result.ok as { id: string }).id : before!.id;
      recorded = row.step === "create" ? (result.ok as { outs: Props }).outs : (result.ok as Props);
    }
    expect(id).toBe(held.id);
    expect(recorded.etag).toBe(held.etag);
    if (row.step === "update") expect(recorded.description).toBe(news.description);

    // The next `pulumi up`: a new process; the engine updates a resource that failed to initialize.
    await emu.control.clearFaults();
    await emu.clearRequests();
    newProviderProcess();
    const next = await load(row.kind);
    const outs = "failed" in result ? await next.update(id, recorded, await next.checked(recorded, { __autoName: name, ...row.args(name, row.step === "update" ? 1 : 0) })) : recorded;
    const then = await counts();
    expect(Object.keys(then).filter((k) => k.startsWith("POST /connections") || k === "POST /flows" || k.startsWith("PATCH "))).toEqual([]);
    const finalHeld = row.held().filter((e) => e.name === name);
    expect(finalHeld.map((e) => e.id)).toEqual([id]);
    expect(outs.etag).toBe(finalHeld[0].etag);
    expect(outs.__unsettled).toBeUndefined();
    expect(row.settled(outs, finalHeld[0])).toBe(true);
    cells.push({ row, failure, outcome: "failed" in result ? "recorded; next up converged" : "resolved in the step" });
  });
});

function printMatrix(): void {
  const rows = ROWS.map((r) => {
    const line = FAILURES.map((f) => {
      if (faultFor(f, r.follow.method, r.follow.route) === undefined) return "n/a";
      const cell = cells.find((c) => c.row === r && c.failure === f);
      return cell ? `1 write, ${cell.outcome}` : "not run";
    });
    return `| ${r.kind} | ${r.step}: ${r.write} | ${r.follow.method} ${r.follow.route} | ${line.join(" | ")} |`;
  });
  const header = `| kind | step | follow-up | ${FAILURES.join(" | ")} |\n|${"---|".repeat(3 + FAILURES.length)}`;
  const none = "Nothing follows the create or update of dataset base connections, source and target connections or mapping sets.";
  process.stdout.write(`\nFollow-up failure matrix\n${header}\n${rows.join("\n")}\n${none}\n`);
}
