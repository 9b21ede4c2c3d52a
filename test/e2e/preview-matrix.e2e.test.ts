jest.setTimeout(600_000);

import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { Stack } from "@pulumi/pulumi/automation";
import { type Declared, type StackHandle, declare, makeStack, pulumiOnPath, sharedProgram, useEmulator } from "../helpers/e2e";
import { DEMO, TestEmulator } from "../helpers/emulator";
import { makeOpenSshKeyPair } from "../helpers/keys";

/**
 * `pulumi preview --diff` announces what the following `pulumi up` does, resource by resource. One
 * stack holds a whole pipeline: S3, SFTP and FTP connections each with a source connection and a
 * dataflow, a streaming connection with its own, all writing through one target connection on a
 * dataset base connection, with two mapping sets. Every in-place property of every kind is changed
 * once (secrets included), and every property that replaces a base connection; last, the whole
 * pipeline moves to another sandbox. After each round the operations the preview announced, URN by
 * URN, must equal those the up performed, and both must be what the change calls for. Changes share
 * a round when nothing both may reach is to change (see `compatible`), which keeps the matrix to 14
 * rounds: a preview and an up each.
 */

const CLIENT = { clientId: "matrix-client", clientSecret: "client-secret-5d1e7a9c", orgId: "MATR1X0000000000@AdobeOrg", sandboxes: ["prod", "dev"] };
const SCHEMA = DEMO.orders.schemaId;
const CLOUD_STORAGE = "9753525b-82c7-4dce-8a9b-5ccfce2b9876";
const START = 1_900_000_000;
const key1 = makeOpenSshKeyPair("ed25519");
const key2 = makeOpenSshKeyPair("ed25519");
const PASS_PHRASE = "Qv7mW2xR-pass-phrase";
const key3 = makeOpenSshKeyPair("ed25519", PASS_PHRASE);

// Secret values share no run of 8 characters with a name or a host: the redactor would hide those in messages.
const SECRETS: Record<string, string> = {
  s3Secret: "Hk4pT9wZ-aws-secret-1",
  s3Secret2: "Hk4pT9wZ-aws-secret-2",
  s3Session: "Fe2rN8sY-session-token",
  sftpKey1: key1.privateKey,
  sftpKey2: key2.privateKey,
  sftpKey3: key3.privateKey,
  sftpPassPhrase: PASS_PHRASE,
  sftpPassword: "Jc5uB3qL-password-1",
  sftpPassword2: "Jc5uB3qL-password-2",
  ftpPassword: "Pd8kV6nA-password-1",
  ftpPassword2: "Pd8kV6nA-password-2",
};

const ref = (r: string) => ({ ref: r });
const secret = (key: string) => ({ secret: key });
const files = (base: string) => ({ baseConnectionId: ref(`${base}.id`), connectionSpecId: ref(`${base}.connectionSpecId`), format: "delimited", path: "/in/*.csv" });
const uses = (mapping: string) => ({ mappingId: ref(`${mapping}.id`), mappingVersion: ref(`${mapping}.version`) });
const cloudFlow = (source: string, spec: object) => ({
  ...spec,
  sourceConnectionId: ref(`${source}.id`),
  targetConnectionId: ref("target.id"),
  ...uses("mapping2"),
  schedule: { startTime: START, frequency: "hour", interval: 1 },
});

function initial(): Declared[] {
  return [
    { type: "S3Connection", name: "s3", args: { accessKey: "AKIAMATRIX01", secretKey: secret("s3Secret"), bucketName: "orders-bucket" } },
    { type: "SftpConnection", name: "sftp", args: { host: "sftp.example.com", userName: "ingest", privateKeyContent: secret("sftpKey1") } },
    { type: "FtpConnection", name: "ftp", args: { host: "ftp.example.com", userName: "ingest", password: secret("ftpPassword") } },
    { type: "StreamingConnection", name: "stream", args: { dataType: "xdm" } },
    { type: "DatasetBaseConnection", name: "lake", args: {} },
    { type: "SourceConnection", name: "s3Files", args: files("s3") },
    { type: "SourceConnection", name: "sftpFiles", args: files("sftp") },
    { type: "SourceConnection", name: "ftpFiles", args: files("ftp") },
    { type: "SourceConnection", name: "events", args: { baseConnectionId: ref("stream.id"), connectionSpecId: ref("stream.connectionSpecId") } },
    { type: "TargetConnection", name: "target", args: { baseConnectionId: ref("lake.id"), dataSetId: DEMO.orders.dataSetId, schemaId: SCHEMA } },
    // `mapping` is the one edited: only the streaming dataflow uses it (until the FTP one moves to it),
    // so its rounds can run beside the file connections' own.
    { type: "MappingSet", name: "mapping", args: { schemaId: SCHEMA, mappings: [{ source: "id", destination: "_id" }] } },
    { type: "MappingSet", name: "mapping2", args: { schemaId: SCHEMA, mappings: [{ source: "key", destination: "_id" }] } },
    // `mapping3` no dataflow follows: its schema can change in place (a dataflow's mapping must keep its target
    // dataset's schema, or Flow Service refuses the dataflow with 1425-400).
    { type: "MappingSet", name: "mapping3", args: { schemaId: SCHEMA, mappings: [{ source: "ref", destination: "_id" }] } },
    { type: "Dataflow", name: "s3Flow", args: cloudFlow("s3Files", { flowSpecName: "CloudStorageToAEP" }) },
    // The flow spec by id: its flowSpecId output is then known at preview too.
    { type: "Dataflow", name: "sftpFlow", args: cloudFlow("sftpFiles", { flowSpecId: CLOUD_STORAGE }) },
    { type: "Dataflow", name: "ftpFlow", args: cloudFlow("ftpFiles", { flowSpecName: "CloudStorageToAEP" }) },
    { type: "Dataflow", name: "eventsFlow", args: { flowSpecName: "Steam data with transformation", sourceConnectionId: ref("events.id"), targetConnectionId: ref("target.id"), ...uses("mapping") } },
  ];
}

/** One change: a property of one resource, updated in place or replacing the resource. */
interface Cell {
  resource: string;
  property: string;
  effect: "update" | "replace";
  args: Record<string, unknown>;
  /** Arguments the change removes (the other way to authenticate). */
  drop?: string[];
  /** What the change needs besides the stack: a remote the connectivity test reaches. */
  before?: () => void;
}

const inPlace = (resource: string, property: string, value: unknown, extra: Record<string, unknown> = {}): Cell => ({ resource, property, effect: "update", args: { [property]: value, ...extra } });
const replacing = (resource: string, property: string, args: Record<string, unknown>, drop?: string[]): Cell => ({ resource, property, effect: "replace", args, drop });

/** Every in-place property of every kind, and every replacing property of a base connection but the sandbox (moved last, for all), each resource's in the order it takes them. */
function cells(emu: TestEmulator): Cell[] {
  return [
    inPlace("sftp", "privateKeyContent", secret("sftpKey2")),
    inPlace("sftp", "passPhrase", secret("sftpPassPhrase"), { privateKeyContent: secret("sftpKey3") }),
    inPlace("sftp", "name", "matrix-sftp"),
    inPlace("sftp", "description", "orders over SFTP"),
    inPlace("sftp", "host", "sftp2.example.com"),
    inPlace("sftp", "port", 2222),
    inPlace("sftp", "userName", "ingest2"),
    inPlace("sftp", "maxConcurrentConnections", 4),
    inPlace("sftp", "folderPath", "/outbound"),
    inPlace("sftp", "disableChunking", true),
    replacing("sftp", "privateKeyContent → password", { password: secret("sftpPassword") }, ["privateKeyContent", "passPhrase"]),
    inPlace("sftp", "password", secret("sftpPassword2")),
    {
      ...inPlace("sftp", "verifyConnectivity", true),
      before: () => emu.control.addRemote({ kind: "sftp", host: "sftp2.example.com", port: 2222, credentials: [{ userName: "ingest2", password: SECRETS.sftpPassword2 }], folders: ["outbound"] }),
    },

    inPlace("s3", "name", "matrix-s3"),
    inPlace("s3", "description", "orders from the shop"),
    inPlace("s3", "accessKey", "AKIAMATRIX02"),
    inPlace("s3", "secretKey", secret("s3Secret2")),
    inPlace("s3", "sessionToken", secret("s3Session")),
    inPlace("s3", "serviceUrl", "https://s3.us-west-2.amazonaws.com"),
    inPlace("s3", "bucketName", "orders-bucket-2"),
    inPlace("s3", "folderPath", "/exports"),
    {
      ...inPlace("s3", "verifyConnectivity", true),
      before: () => emu.control.addRemote({ kind: "s3", bucket: "orders-bucket-2", credentials: [{ accessKey: "AKIAMATRIX02", secretKey: SECRETS.s3Secret2, sessionToken: SECRETS.s3Session }], folders: ["exports"] }),
    },

    inPlace("ftp", "name", "matrix-ftp"),
    inPlace("ftp", "description", "orders over FTP"),
    inPlace("ftp", "host", "ftp2.example.com"),
    inPlace("ftp", "userName", "ingest2"),
    inPlace("ftp", "password", secret("ftpPassword2")),
    {
      ...inPlace("ftp", "verifyConnectivity", true),
      before: () => emu.control.addRemote({ kind: "ftp", host: "ftp2.example.com", credentials: [{ userName: "ingest2", password: SECRETS.ftpPassword2 }] }),
    },
    inPlace("ftpFlow", "name", "matrix-ftp-flow"),
    inPlace("ftpFlow", "description", "orders from FTP"),
    inPlace("ftpFlow", "schedule", { startTime: START, frequency: "day", interval: 1 }),
    inPlace("ftpFlow", "enabled", false),
    inPlace("ftpFlow", "mappingId", ref("mapping.id"), { mappingVersion: ref("mapping.version") }),

    inPlace("stream", "name", "matrix-stream"),
    inPlace("stream", "description", "events from the shop"),
    inPlace("events", "name", "matrix-events"),
    inPlace("events", "description", "streamed orders"),
    replacing("stream", "dataType", { dataType: "raw" }),
    replacing("stream", "sourceId", { sourceId: "shop-events" }),
    replacing("stream", "authenticationRequired", { authenticationRequired: true }),

    inPlace("lake", "name", "matrix-lake"),
    inPlace("lake", "description", "the data lake"),
    inPlace("target", "name", "matrix-target"),
    inPlace("target", "description", "the orders dataset"),
    inPlace("mapping", "name", "matrix-mapping"),
    inPlace("mapping", "description", "orders to XDM"),
    inPlace("mapping3", "schemaId", DEMO.customers.schemaId),
    inPlace("mapping", "schemaContentType", "application/vnd.adobe.xed-full+json;version=1.1"),
    inPlace("mapping", "mappings", [
      { source: "id", destination: "_id" },
      { source: "total", destination: "commerce.order.priceTotal" },
    ]),
  ];
}

type Op = "same" | "create" | "update" | "replace" | "delete";

/** The operation each step event names, one per resource: a replacement's steps count as one `replace`. */
function opsOf(events: EngineEvent[]): Map<string, Op> {
  const ops = new Map<string, Op>();
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (!m || !m.type.startsWith("pulumi-nodejs:dynamic/aep:")) continue;
    const name = m.urn.split("::").pop() as string;
    const op: Op = ["replace", "create-replacement", "delete-replaced", "discard-replaced"].includes(m.op) ? "replace" : (m.op as Op);
    if (ops.get(name) !== "replace") ops.set(name, op);
  }
  return ops;
}

const refsOf = (d: Declared): string[] => Object.values(d.args).flatMap((v) => (typeof v === "object" && v !== null && typeof (v as { ref?: unknown }).ref === "string" ? [(v as { ref: string }).ref] : []));

/** Resources whose arguments refer to `name` (directly or through others), and itself. */
function downstream(declared: Declared[], name: string): Set<string> {
  const reached = new Set([name]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of declared) {
      if (reached.has(d.name) || !refsOf(d).some((r) => reached.has(r.split(".")[0]))) continue;
      reached.add(d.name);
      grew = true;
    }
  }
  return reached;
}

/**
 * What one change must do to each resource it may reach: its own resource as the change says; a
 * replaced one's dependents replaced (their references change); a mapping set's dataflows moved to its
 * new version; any other dependent left alone, since an update in place keeps every id.
 */
function effects(declared: Declared[], cell: Cell): Map<string, Op> {
  const ops = new Map<string, Op>([[cell.resource, cell.effect]]);
  const mappingSet = declared.find((d) => d.name === cell.resource)?.type === "MappingSet";
  for (const dependent of downstream(declared, cell.resource)) {
    if (dependent === cell.resource) continue;
    const follows = refsOf(declared.find((d) => d.name === dependent) as Declared).includes(`${cell.resource}.version`);
    ops.set(dependent, cell.effect === "replace" ? "replace" : mappingSet && follows ? "update" : "same");
  }
  return ops;
}

/**
 * Two changes share a round when every resource both may reach must stay the same under each: then a
 * wrong announcement caused by one cannot hide behind an operation the other really causes.
 */
function compatible(declared: Declared[], a: Cell, b: Cell): boolean {
  const ea = effects(declared, a);
  const eb = effects(declared, b);
  return [...ea].every(([r, op]) => !eb.has(r) || (op === "same" && eb.get(r) === "same"));
}

/** The next round: each resource's first change left, where it is compatible with those taken before it. */
function nextRound(declared: Declared[], left: Cell[]): Cell[] {
  const round: Cell[] = [];
  const seen = new Set<string>();
  for (const cell of left) {
    if (seen.has(cell.resource)) continue;
    seen.add(cell.resource);
    if (round.every((other) => compatible(declared, other, cell))) round.push(cell);
  }
  return round;
}

let emu: TestEmulator;
let h: StackHandle;
let stack: Stack;

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  emu = await TestEmulator.start({ clients: [CLIENT] });
  h = await makeStack(sharedProgram(), {}, "preview-matrix");
  stack = h.stack;
  await useEmulator(stack, emu.baseUrl, CLIENT);
}, 300_000);

afterAll(async () => {
  await emu?.stop();
});

it("announces in every preview exactly what the following up does, resource by resource", async () => {
  const declared = initial();
  await declare(stack, declared, SECRETS);
  expect((await stack.up({ onOutput: () => undefined })).summary.result).toBe("succeeded");

  const lines: string[] = [];
  const mismatches: string[] = [];
  /** Declares the stack as it now stands, previews it with --diff, ups it, and compares the three, URN by URN. */
  async function round(label: string, expected: Map<string, Op>): Promise<void> {
    await declare(stack, declared, SECRETS);
    const previewEvents: EngineEvent[] = [];
    let text = "";
    await stack.preview({ diff: true, onEvent: (e) => previewEvents.push(e), onOutput: (s) => (text += s) });
    const upEvents: EngineEvent[] = [];
    expect((await stack.up({ onEvent: (e) => upEvents.push(e), onOutput: () => undefined })).summary.result).toBe("succeeded");
    // No secret reaches the preview's text (a key by any line of it).
    for (const value of Object.values(SECRETS)) for (const line of value.split("\n").filter((l) => l.length >= 8 && !l.startsWith("-----"))) expect(text).not.toContain(line);

    const announced = opsOf(previewEvents);
    const performed = opsOf(upEvents);
    lines.push(`round ${lines.filter((l) => l.startsWith("round")).length + 1}: ${label}`);
    for (const d of declared) {
      const a = announced.get(d.name) ?? "same";
      const p = performed.get(d.name) ?? "same";
      const e = expected.get(d.name) ?? "same";
      const agree = a === p && p === e;
      if (!agree) mismatches.push(`${label}: ${d.name} announced ${a}, performed ${p}, expected ${e}`);
      if (a !== "same" || p !== "same" || !agree) lines.push(`  ${d.name.padEnd(11)} announced ${a.padEnd(8)} performed ${p.padEnd(8)}${agree ? "" : ` expected ${e}  <-- differs`}`);
    }
  }

  const left = cells(emu);
  const total = left.length;
  try {
    while (left.length > 0) {
      const cellsOfRound = nextRound(declared, left);
      const expected = new Map<string, Op>();
      for (const cell of cellsOfRound) for (const [r, op] of effects(declared, cell)) if (op !== "same") expected.set(r, op);
      for (const cell of cellsOfRound) {
        left.splice(left.indexOf(cell), 1);
        cell.before?.();
        const d = declared.find((x) => x.name === cell.resource) as Declared;
        d.args = { ...d.args, ...cell.args };
        for (const key of cell.drop ?? []) delete d.args[key];
      }
      await round(cellsOfRound.map((c) => `${c.resource}.${c.property}${c.effect === "replace" ? " (replaces)" : ""}`).join(", "), expected);
    }
    // The sandbox replaces every kind, and a pipeline lives in one sandbox: moved whole, every resource is replaced.
    for (const d of declared) d.args = { ...d.args, sandbox: "dev" };
    await round("every resource's sandbox (replaces)", new Map(declared.map((d) => [d.name, "replace"])));
  } finally {
    const rounds = lines.filter((l) => l.startsWith("round")).length;
    process.stdout.write(`preview --diff against up, URN by URN (${total - left.length} of ${total} changes and the sandbox, in ${rounds} rounds):\n${lines.join("\n")}\n`);
  }
  expect(mismatches).toEqual([]);

  expect((await stack.destroy({ onOutput: () => undefined })).summary.result).toBe("succeeded");
});
