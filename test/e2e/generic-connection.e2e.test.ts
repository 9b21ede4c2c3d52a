jest.setTimeout(240_000);

import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { type Declared, type StackHandle, cliExport, declare, makeStack, pulumiOnPath, rawState, sharedProgram, useEmulator } from "../helpers/e2e";
import { DEMO, TestEmulator } from "../helpers/emulator";
import { errorText, findLeaks } from "../helpers/reliability-input";

/**
 * A pipeline on a generic `Connection` with the real engine and CLI, against the emulator: preview with no
 * credentials, up, an up that changes nothing, a `secretParams` rotation that is an in-place update, destroy;
 * and a corpus of bad inputs, each failing at a real `pulumi preview` with no request and a message naming the param.
 */
const canary = (n: string): string => `generic-canary-${n}-5e7a`;
const CLIENT = { clientId: "generic-client", clientSecret: canary("client-secret"), orgId: "GENER1C000000000@AdobeOrg", sandboxes: ["prod"] };

/** The sources the pipeline can read through a generic Connection: which one is the line `SOURCE = …` below. */
const SOURCES = {
  sftp: {
    connection: { connectionSpecName: "SFTP", authSpecName: "Basic Authentication for sftp", params: { host: "sftp.example.com", userName: "ingest" }, secretParams: { password: { secret: "sourceSecret" } } },
    files: { format: "delimited", path: "/in/*.csv" },
  },
  // Azure Blob Storage with the account key: the connection string (which holds the key) is its one param, a secret.
  azureBlob: {
    connection: { connectionSpecName: "Azure Blob Storage", authSpecName: "ConnectionString", params: {}, secretParams: { connectionString: { secret: "sourceSecret" } } },
    files: { format: "delimited", path: "/orders/in/*.csv" },
  },
};
const SOURCE = SOURCES.azureBlob;
const SECRET_1 = canary("source-secret-1");
const SECRET_2 = canary("source-secret-2");

const ref = (r: string) => ({ ref: r });
const PIPELINE: Declared[] = [
  { type: "Connection", name: "source", args: SOURCE.connection },
  { type: "SourceConnection", name: "files", args: { baseConnectionId: ref("source.id"), connectionSpecId: ref("source.connectionSpecId"), ...SOURCE.files } },
  { type: "DatasetBaseConnection", name: "lake", args: {} },
  { type: "TargetConnection", name: "target", args: { baseConnectionId: ref("lake.id"), dataSetId: DEMO.orders.dataSetId, schemaId: DEMO.orders.schemaId } },
  { type: "MappingSet", name: "mapping", args: { schemaId: DEMO.orders.schemaId, mappings: [{ source: "id", destination: "_id" }] } },
  {
    type: "Dataflow",
    name: "flow",
    args: { flowSpecName: "CloudStorageToAEP", sourceConnectionId: ref("files.id"), targetConnectionId: ref("target.id"), mappingId: ref("mapping.id"), mappingVersion: ref("mapping.version"), schedule: { startTime: 1_900_000_000, frequency: "hour", interval: 1 } },
  },
];

let emu: TestEmulator;
let h: StackHandle;
let stack: Stack;
const logs: string[] = [];
const events: string[] = [];
const errors: string[] = [];
const onOutput = (line: string): void => void logs.push(line);
const onEvent = (e: unknown): void => void events.push(JSON.stringify(e));

/** Each secret as it is, in Base64 and in Base64url: the forms the secret canary looks for. */
const forms = (secrets: string[]): string[] => secrets.flatMap((v) => [v, Buffer.from(v).toString("base64"), Buffer.from(v).toString("base64url")]);

/** Where a secret must never show: the state files, `pulumi stack export`, the CLI's output, the engine's events, every error. */
function leaks(secrets: string[]): string[] {
  return findLeaks({ state: rawState(h.backendDir), export: cliExport(h), output: logs.join(""), events: events.join("\n"), errors: errors.join("\n") }, forms(secrets));
}

function changes(summary: Record<string, number> | undefined): Record<string, number> {
  const out = { ...(summary ?? {}) };
  delete out.same;
  return out;
}

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh`.");
  emu = await TestEmulator.start({ clients: [CLIENT] });
  h = await makeStack(sharedProgram(), { AEP_ENDPOINT: "http://127.0.0.1:9", AEP_IMS_ENDPOINT: "http://127.0.0.1:9" }, "generic-connection");
  stack = h.stack;
  await declare(stack, PIPELINE, { sourceSecret: SECRET_1 });
}, 300_000);

afterAll(async () => {
  await emu?.stop();
  if (h) {
    rmSync(h.backendDir, { recursive: true, force: true });
    rmSync(join(h.programDir, `Pulumi.${h.stack.name}.yaml`), { force: true });
  }
});

it("previews the pipeline with no credentials and makes no request", async () => {
  const preview = await stack.preview({ onOutput, onEvent });
  // Six resources and the stack.
  expect(changes(preview.changeSummary)).toEqual({ create: 7 });
  expect((await emu.requests()).total).toBe(0);
});

it("creates it on up: the connection with the tutorials' body, asking for its spec once", async () => {
  await useEmulator(stack, emu.baseUrl, CLIENT);
  await emu.clearRequests();
  const up = await stack.up({ onOutput, onEvent });
  expect(changes(up.summary.resourceChanges)).toEqual({ create: 7 });
  const { counts } = await emu.requests();
  expect(counts).toMatchObject({ "POST /connections": 2, "GET /connectionSpecs/{id}": 1, "POST /sourceConnections": 1, "POST /flows": 1 });
  const [held] = emu.control.connections().filter((c) => c.auth?.specName === SOURCE.connection.authSpecName);
  expect(held.auth.params).toMatchObject({ ...SOURCE.connection.params });
  expect(held.connectionSpec.version).toBe("1.0");
  const outputs = await stack.outputs();
  expect((outputs.source.value as Record<string, unknown>).connectionSpecId).toBe(held.connectionSpec.id);
});

it("keeps the secret out of the state, the export, the CLI's output and the engine's events, raw, in Base64 and Base64url", async () => {
  expect(leaks([SECRET_1])).toEqual([]);
  // The secret is in the state, encrypted: the connection's secretParams are a secret output.
  expect(cliExport(h)).toContain('"secretParams"');
});

it("changes nothing on a second up (no write)", async () => {
  await emu.clearRequests();
  const up = await stack.up({ onOutput, onEvent });
  expect(changes(up.summary.resourceChanges)).toEqual({});
  const { counts } = await emu.requests();
  for (const write of ["POST /connections", "PATCH /connections/{id}", "POST /sourceConnections", "POST /flows", "PATCH /flows/{id}"]) expect(counts[write] ?? 0).toBe(0);
});

it("rotates a secretParams member as an in-place update: one PATCH, nothing replaced", async () => {
  await stack.setConfig("sourceSecret", { value: SECRET_2, secret: true });
  const preview = await stack.preview({ onOutput, onEvent });
  expect(changes(preview.changeSummary)).toEqual({ update: 1 });
  await emu.clearRequests();
  const up = await stack.up({ onOutput, onEvent });
  expect(changes(up.summary.resourceChanges)).toEqual({ update: 1 });
  expect((await emu.requests()).counts).toMatchObject({ "PATCH /connections/{id}": 1 });
  expect((await emu.requests()).counts["POST /connections"] ?? 0).toBe(0);
  const [held] = emu.control.connections().filter((c) => c.auth?.specName === SOURCE.connection.authSpecName);
  expect(Object.values(held.auth.params)).toContain(SECRET_2);
  expect(leaks([SECRET_1, SECRET_2])).toEqual([]);
});

it("destroys the pipeline", async () => {
  const destroy = await stack.destroy({ onOutput, onEvent });
  expect(changes(destroy.summary.resourceChanges)).toEqual({ delete: 7 });
  expect(emu.control.connections()).toHaveLength(0);
  expect(leaks([SECRET_1, SECRET_2])).toEqual([]);
});

describe("bad inputs fail at preview, with no request and a message naming the param", () => {
  const PLAIN_SECRET = canary("in-plain-params");
  const sftp = SOURCES.sftp.connection;
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["a missing required param", { ...sftp, params: { host: "sftp.example.com" } }, "params.userName is required"],
    ["an unknown param", { ...sftp, params: { ...sftp.params, hostName: "x" } }, 'params.hostName is not a param of auth spec "Basic Authentication for sftp" of SFTP; did you mean "host"'],
    ["a secret in params", { ...sftp, params: { ...sftp.params, password: PLAIN_SECRET }, secretParams: {} }, "params.password is a secret of auth spec"],
    ["a param of the wrong type", { ...sftp, params: { ...sftp.params, port: "22" } }, "params.port must be an integer"],
    // The engine names a top-level property itself: "property connectionSpecName value {SFTPP} has a problem: …".
    ["an unknown spec name", { ...sftp, connectionSpecName: "SFTPP" }, 'property connectionSpecName value {SFTPP} has a problem: "SFTPP" is not a connection spec name; did you mean "FTP" or "SFTP"'],
    ["an unknown auth spec name", { ...sftp, authSpecName: "Basic Auth for sftp" }, 'property authSpecName value {Basic Auth for sftp} has a problem: "Basic Auth for sftp" is not an auth spec of SFTP; did you mean "Basic Authentication for sftp"'],
  ];
  it.each(cases)("%s", async (_t, args, message) => {
    await declare(stack, [{ type: "Connection", name: "bad", args }], { sourceSecret: SECRET_1 });
    await emu.clearRequests();
    const err = await stack.preview({ onOutput, onEvent }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const text = errorText(err);
    errors.push(text);
    expect(text).toContain(message);
    expect(findLeaks({ error: text, output: logs.join("") }, forms([PLAIN_SECRET, SECRET_1, SECRET_2]))).toEqual([]);
    expect((await emu.requests()).total).toBe(0);
  });
});
