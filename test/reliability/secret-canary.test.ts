jest.setTimeout(600_000);

import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { type Declared, type StackHandle, cliExport, declare, makeStack, pulumiOnPath, rawState, sharedProgram, useEmulator } from "../helpers/e2e";
import { DEMO, TestEmulator } from "../helpers/emulator";
import { makeOpenSshKey } from "../helpers/keys";
import { publicKeyBlob } from "../../emulator/flow/remotes";
import { errorText, findLeaks, imsToken, secretRef as S } from "../helpers/reliability-input";

/**
 * Secret canary: every secret is a unique string, and after each step (up, an update that rotates
 * them, refresh, an up that fails under injected faults, a dataflow create that fails, a delete
 * Flow Service refuses, an up whose connectivity tests fail, destroy) none of them, old or new, may appear in `pulumi stack export`, the
 * state files, the serialized providers, the engine's events, the CLI's output or an error. A whole
 * pipeline rides on the S3 (secret key and session token) and SFTP (password) connections: source
 * connections on both, a target connection, a mapping set and two dataflows. A generic `Connection`
 * (Google BigQuery: its `secretParams` clientSecret and refreshToken) goes through every step too, with a
 * source connection on one of its tables and a CRMToAEP dataflow. The IMS tokens the provider fetches at run time are canaries too: they all begin with the
 * emulator's fixed JWT header, which no output has any reason to contain.
 */
const RUN = randomBytes(4).toString("hex");
const canary = (name: string): string => `cnry-${name}-${RUN}`;
const HOST = (name: string): string => `${name}.canary-check-${RUN}.example.com`;

/** The secrets of one generation: every secret config value the program reads. */
function generation(n: number): Record<string, string> {
  const phrase = canary(`passphrase-${n}`);
  return {
    ftpPassword: canary(`ftp-password-${n}`),
    sftpPassword: canary(`sftp-password-${n}`),
    sftpKey: makeOpenSshKey("ed25519"),
    // The encrypted key as its Base64, the other form users may give.
    sftpEncryptedKey: Buffer.from(makeOpenSshKey("ed25519", phrase)).toString("base64"),
    sftpPassPhrase: phrase,
    s3Secret: canary(`s3-secret-${n}`),
    s3Token: canary(`s3-session-token-${n}`),
    // The generic Connection's secretParams.
    bigQueryClientSecret: canary(`bigquery-client-secret-${n}`),
    bigQueryRefreshToken: canary(`bigquery-refresh-token-${n}`),
  };
}

/**
 * Every text that must never show for a generation: each value as is, in Base64 and Base64url, and
 * each key in both forms and line by line.
 */
function canariesOf(g: Record<string, string>): string[] {
  const out = Object.values(g).flatMap((v) => [v, Buffer.from(v).toString("base64"), Buffer.from(v).toString("base64url")]);
  for (const k of [g.sftpKey, Buffer.from(g.sftpEncryptedKey, "base64").toString("utf8")]) {
    out.push(k, Buffer.from(k).toString("base64"));
    // Key material lines (the first body line is the same for every key of a type).
    out.push(...k.trim().split("\n").slice(2, -1));
  }
  return out;
}

const CLIENT = { clientId: "canary-client", clientSecret: canary("client-secret"), orgId: "CANARY00000000000000000@AdobeOrg", sandboxes: ["prod", "dev"] };

const SCHEMA = DEMO.orders.schemaId;
const ref = (r: string) => ({ ref: r });
/** The generic Connection's spec (a database of the catalog with two secret params) and its plain params. */
const BIGQUERY = { connectionSpecName: "Google BigQuery", authSpecName: "Basic Authentication", specId: "3c9b37f8-13a6-43d8-bad3-b863b941fedd" };
const BIGQUERY_PARAMS = { project: "canary-warehouse-project", clientId: "canary-warehouse-oauth-client" };
const CRM_TO_AEP = "14518937-270c-4525-bdec-c2ba7cce3860";
/** The pipeline on the S3 and SFTP connections; `extraFlow` adds a dataflow, `retainS3Flow` keeps s3Flow in Flow Service when it leaves the program. */
interface PipelineShape {
  extraFlow?: boolean;
  retainS3Flow?: boolean;
  /** Without s3Flow and s3Files: deleting s3Files while the retained s3Flow uses it is refused (1418-400). */
  withoutS3Files?: boolean;
}
const pipelineOf = (description: string, shape: PipelineShape = {}): Declared[] => {
  const flow = (name: string, source: string, flowSpecName = "CloudStorageToAEP"): Declared => ({
    type: "Dataflow",
    name,
    args: { flowSpecName, sourceConnectionId: ref(`${source}.id`), targetConnectionId: ref("target.id"), mappingId: ref("mapping.id"), mappingVersion: ref("mapping.version"), schedule: { startTime: 1_900_000_000, frequency: "hour", interval: 1 }, description },
  });
  const s3: Declared[] = [
    { type: "SourceConnection", name: "s3Files", args: { baseConnectionId: ref("s3.id"), connectionSpecId: ref("s3.connectionSpecId"), format: "json", path: "/orders/*.json", description } },
    { ...flow("s3Flow", "s3Files"), ...(shape.retainS3Flow ? { retainOnDelete: true } : {}) },
  ];
  return [
    { type: "SourceConnection", name: "sftpFiles", args: { baseConnectionId: ref("sftp-password.id"), connectionSpecId: ref("sftp-password.connectionSpecId"), format: "delimited", path: "/in/*.csv", description } },
    { type: "TargetConnection", name: "target", args: { baseConnectionId: ref("lake.id"), dataSetId: DEMO.orders.dataSetId, schemaId: SCHEMA, description } },
    { type: "MappingSet", name: "mapping", args: { schemaId: SCHEMA, mappings: [{ source: "id", destination: "_id" }], description } },
    flow("sftpFlow", "sftpFiles"),
    // A table of the generic Connection's database, read by the flow spec of databases.
    { type: "SourceConnection", name: "warehouseTable", args: { baseConnectionId: ref("warehouse.id"), connectionSpecId: ref("warehouse.connectionSpecId"), params: { tableName: "sales.orders" }, description } },
    flow("warehouseFlow", "warehouseTable", "CRMToAEP"),
    ...(shape.withoutS3Files ? [] : s3),
    ...(shape.extraFlow ? [flow("extraFlow", "sftpFiles")] : []),
  ];
};
/** Pipeline resources: three source connections, a target connection, a mapping set, three dataflows. */
const PIPELINE_RESOURCES = 8;
/** Base connections: the seven of the typed kinds and the generic one. */
const CONNECTIONS = 8;

/** With `verify`, the FTP, SFTP and S3 connections test their connectivity after each change. */
const declared = (description: string, shape: PipelineShape = {}, verify = false): Declared[] => [
  { type: "FtpConnection", name: "ftp", args: { host: HOST("ftp"), userName: "ingest", password: S("ftpPassword"), description, ...(verify ? { verifyConnectivity: true } : {}) } },
  { type: "SftpConnection", name: "sftp-password", args: { host: HOST("sftp-password"), userName: "ingest", password: S("sftpPassword"), description, ...(verify ? { verifyConnectivity: true } : {}) } },
  { type: "SftpConnection", name: "sftp-key", args: { host: HOST("sftp-key"), userName: "ingest", privateKeyContent: S("sftpKey"), description, ...(verify ? { verifyConnectivity: true } : {}) } },
  { type: "SftpConnection", name: "sftp-encrypted-key", args: { host: HOST("sftp-encrypted-key"), userName: "ingest", privateKeyContent: S("sftpEncryptedKey"), passPhrase: S("sftpPassPhrase"), description, ...(verify ? { verifyConnectivity: true } : {}) } },
  { type: "S3Connection", name: "s3", args: { accessKey: "AKIACANARYCHECK", secretKey: S("s3Secret"), sessionToken: S("s3Token"), bucketName: `canary-check-${RUN}`, description, ...(verify ? { verifyConnectivity: true } : {}) } },
  { type: "DatasetBaseConnection", name: "lake", args: { description } },
  { type: "StreamingConnection", name: "stream", args: { dataType: "xdm", authenticationRequired: true, description } },
  {
    type: "Connection",
    name: "warehouse",
    args: {
      connectionSpecName: BIGQUERY.connectionSpecName,
      authSpecName: BIGQUERY.authSpecName,
      params: BIGQUERY_PARAMS,
      secretParams: { clientSecret: S("bigQueryClientSecret"), refreshToken: S("bigQueryRefreshToken") },
      description,
      ...(verify ? { verifyConnectivity: true } : {}),
    },
  },
  ...pipelineOf(description, shape),
];
/** Secret properties in state (the generic Connection's secretParams is one): the inputs and outputs of each hold a ciphertext. */
const SECRET_PROPERTIES = 8;

let emu: TestEmulator;
let h: StackHandle;
let stack: Stack;
let accessToken = "";
let tokenHeader = "";
const gens: Array<Record<string, string>> = [];
const seen = { events: [] as string[], stdout: [] as string[], stderr: [] as string[], errors: [] as string[] };
const opts = {
  onOutput: (s: string) => seen.stdout.push(s),
  onError: (s: string) => seen.stderr.push(s),
  onEvent: (e: unknown) => seen.events.push(JSON.stringify(e)),
};

function allCanaries(): string[] {
  return [...gens.flatMap(canariesOf), CLIENT.clientSecret, accessToken, tokenHeader];
}

/** Scans every place a secret could end up; returns the leaks found. */
function leaks(): string[] {
  const exported = cliExport(h);
  const texts = {
    "pulumi stack export": exported,
    "serialized providers": serializedProviders(exported).join("\n"),
    "state files": rawState(h.backendDir),
    "engine events": seen.events.join("\n"),
    "CLI stdout": seen.stdout.join(""),
    "CLI stderr": seen.stderr.join(""),
    "errors thrown": seen.errors.join("\n"),
  };
  return findLeaks(texts, allCanaries());
}

/** The `__provider` text of every resource in an export, inputs and outputs (what the engine loads). */
function serializedProviders(exported: string): string[] {
  const resources = (JSON.parse(exported).deployment.resources ?? []) as Array<{ inputs?: { __provider?: unknown }; outputs?: { __provider?: unknown } }>;
  return resources.flatMap((r) => [r.inputs?.__provider, r.outputs?.__provider]).filter((p): p is string => typeof p === "string");
}

/** The generic Connection as Flow Service holds it (its secrets in clear, as the emulator keeps them). */
async function heldWarehouse() {
  return (await emu.connections()).find((c) => c.connectionSpec?.id === BIGQUERY.specId);
}

/** Pipeline entities as Flow Service and Data Prep hold them. */
function pipelineEntities() {
  return { sources: emu.control.sourceConnections(), targets: emu.control.targetConnections(), flows: emu.control.flows(), mappingSets: emu.control.mappingSets() };
}

/** The scan searches the right text: state holds the non-secret neighbours and the secrets as ciphertexts. */
function expectStateReadable(resources: boolean): void {
  const exported = cliExport(h);
  const state = rawState(h.backendDir);
  for (const name of ["ftp", "sftp-password", "sftp-key", "sftp-encrypted-key"]) {
    expect(exported.includes(HOST(name))).toBe(resources);
    expect(state).toContain(HOST(name));
  }
  // The generic Connection's plain params sit beside its encrypted secretParams.
  expect(exported.includes(BIGQUERY_PARAMS.project)).toBe(resources);
  expect(state).toContain(BIGQUERY_PARAMS.project);
  expect((exported.match(/"ciphertext"/g) ?? []).length).toBeGreaterThanOrEqual(resources ? 2 * SECRET_PROPERTIES : 0);
  // The pipeline's resources are in the state, each with its serialized provider (at the end, s3Flow
  // and s3Files have left the program).
  expect(exported.includes('"pulumi-nodejs:dynamic/aep:Dataflow"')).toBe(resources);
  expect(serializedProviders(exported).length).toBeGreaterThanOrEqual(resources ? 2 * (CONNECTIONS + PIPELINE_RESOURCES - 2) : 0);
  expect(seen.events.join("\n")).toContain("[secret]");
}

/** The decrypted secret values of an export made with --show-secrets. */
function plaintexts(v: unknown): string[] {
  if (Array.isArray(v)) return v.flatMap(plaintexts);
  if (!v || typeof v !== "object") return [];
  const o = v as Record<string, unknown>;
  if (typeof o.plaintext === "string") return [String(JSON.parse(o.plaintext))];
  return Object.values(o).flatMap(plaintexts);
}

async function useClientSecret(): Promise<void> {
  await stack.removeConfig("aep:accessToken").catch(() => undefined);
  await useEmulator(stack, emu.baseUrl, CLIENT);
}

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  emu = await TestEmulator.start({ clients: [CLIENT] });
  accessToken = await imsToken(emu.baseUrl, CLIENT);
  tokenHeader = `${accessToken.split(".")[0]}.`;
  // No AEP credentials in the environment: they come from stack config.
  h = await makeStack(sharedProgram(), { AEP_ENDPOINT: "http://127.0.0.1:9", AEP_IMS_ENDPOINT: "http://127.0.0.1:9" }, `canary-${RUN}`);
  stack = h.stack;
  gens.push(generation(1));
  await declare(stack, declared("first"), gens[0]);
  await useClientSecret();
}, 300_000);

afterAll(async () => {
  await emu?.stop();
  // The program folder is shared with other test files: only this stack is removed from it.
  if (h) rmSync(h.backendDir, { recursive: true, force: true });
  if (h) rmSync(join(h.programDir, `Pulumi.${h.stack.name}.yaml`), { force: true });
});

/** An up that must fail: its error (undefined when it passed), for the test to check and scan. */
const failingUp = (): Promise<unknown> =>
  stack.up(opts).then(
    () => undefined,
    (e: unknown) => e,
  );

it("up: creates the eight connections with the canaries and the pipeline on them, and no canary shows anywhere", async () => {
  const up = await stack.up(opts);
  // The connections, the pipeline and the stack.
  expect(up.summary.resourceChanges).toMatchObject({ create: CONNECTIONS + PIPELINE_RESOURCES + 1 });
  const p = pipelineEntities();
  expect([p.sources.length, p.targets.length, p.flows.length, p.mappingSets.length]).toEqual([3, 1, 3, 1]);
  expect(p.flows.map((f) => f.state)).toEqual(["enabled", "enabled", "enabled"]);
  const held = await emu.connections();
  expect(held.find((c) => c.auth?.params?.host === HOST("ftp"))?.auth.params.password).toBe(gens[0].ftpPassword);
  expect(held.find((c) => c.auth?.params?.host === HOST("sftp-encrypted-key"))?.auth.params.passPhrase).toBe(gens[0].sftpPassPhrase);
  // The generic Connection got both secretParams, and its table is read by a CRMToAEP dataflow.
  expect((await heldWarehouse())?.auth.params).toEqual({ ...BIGQUERY_PARAMS, clientSecret: gens[0].bigQueryClientSecret, refreshToken: gens[0].bigQueryRefreshToken });
  const table = p.sources.find((s) => s.connectionSpec.id === BIGQUERY.specId);
  expect(table?.params).toEqual({ tableName: "sales.orders" });
  expect(p.flows.filter((f) => f.flowSpec.id === CRM_TO_AEP).map((f) => f.sourceConnectionIds)).toEqual([[table?.id]]);
  expect((await emu.requests()).counts["POST /ims/token/v3"]).toBeGreaterThanOrEqual(1);
  expectStateReadable(true);
  // The state does hold every canary, encrypted: decrypted (the Automation API's export passes
  // --show-secrets), each one is found, so the scan below is looking for the right text.
  const decrypted = plaintexts((await stack.exportStack()).deployment).join("\n");
  for (const v of Object.values(gens[0])) expect(decrypted).toContain(v);
  expect(leaks()).toEqual([]);
});

it("update: rotates every secret, authenticating with an access token instead of the client secret", async () => {
  gens.push(generation(2));
  await stack.removeConfig("aep:clientSecret");
  await stack.setConfig("aep:accessToken", { value: accessToken, secret: true });
  await declare(stack, declared("second"), gens[1]);
  const startedAt = Date.now();
  const up = await stack.up(opts);
  // Every connection and every pipeline resource (its description; the dataflows move to the mapping's new version).
  expect(up.summary.resourceChanges).toMatchObject({ update: CONNECTIONS + PIPELINE_RESOURCES });
  for (const f of pipelineEntities().flows) expect(f.transformations[0].params.mappingVersion).toBe(1);
  const held = await emu.connections();
  expect(held.find((c) => c.auth?.params?.bucketName === `canary-check-${RUN}`)?.auth.params.s3SessionToken).toBe(gens[1].s3Token);
  expect(held.find((c) => c.auth?.params?.host === HOST("sftp-key"))?.auth.params.privateKeyContent).toBe(Buffer.from(gens[1].sftpKey).toString("base64"));
  expect((await heldWarehouse())?.auth.params).toMatchObject({ clientSecret: gens[1].bigQueryClientSecret, refreshToken: gens[1].bigQueryRefreshToken });
  const during = (await emu.requests()).entries.filter((e) => (e as unknown as { at: number }).at >= startedAt);
  expect(during.filter((e) => e.route === "/ims/token/v3")).toHaveLength(0);
  expectStateReadable(true);
  expect(leaks()).toEqual([]);
});

it("refresh: reads every connection back, and no canary shows anywhere", async () => {
  const refresh = await stack.refresh(opts);
  expect(refresh.summary.result).toBe("succeeded");
  expectStateReadable(true);
  expect(leaks()).toEqual([]);
});

it("a failed up under faults: the update fails with its error captured, and no canary shows, in the error either", async () => {
  gens.push(generation(3));
  await useClientSecret();
  await declare(stack, declared("third"), gens[2]);
  // The first token request is reset (the client secret is in its body); every PATCH fails (500,
  // so the provider reads the connection back before giving up); the first reads fail too, so
  // that the provider logs its retries.
  await emu.addFault({ kind: "reset", route: "/ims/token/v3", count: 1 });
  await emu.addFault({ kind: "500", method: "PATCH" });
  await emu.addFault({ kind: "503", method: "GET", count: 3 });
  const err = await failingUp();
  await emu.clearFaults();
  expect(err).toBeDefined();
  const text = errorText(err);
  seen.errors.push(text);
  expect(text).toMatch(/PATCH \/connections\/\S+ failed with 500/);
  const faulted = (await emu.requests()).entries.filter((e) => e.fault);
  expect(faulted.map((e) => e.route)).toEqual(expect.arrayContaining(["/ims/token/v3", "/connections/{id}"]));
  // The provider's own stderr is part of what is scanned: its retry lines are there.
  expect(seen.stdout.join("")).toMatch(/\[pulumi-aep-flow\] GET \/connections\/\S+: attempt 1\/\d+ failed \(HTTP 503\)/);
  // Nothing was applied: Flow Service still holds the previous generation.
  const ftp = (await emu.connections()).find((c) => c.auth?.params?.host === HOST("ftp"));
  expect(ftp?.auth.params.password).toBe(gens[1].ftpPassword);
  expect((await heldWarehouse())?.auth.params.refreshToken).toBe(gens[1].bigQueryRefreshToken);
  expectStateReadable(true);
  expect(leaks()).toEqual([]);
});

it("a dataflow create that fails (every POST /flows answered 500): the error names the dataflow, and no canary shows", async () => {
  await declare(stack, declared("third", { extraFlow: true }), gens[2]);
  await emu.addFault({ kind: "500", method: "POST", route: "/flows" });
  const err = await failingUp();
  await emu.clearFaults();
  expect(err).toBeDefined();
  const text = errorText(err);
  seen.errors.push(text);
  expect(text).toMatch(/Dataflow: creating dataflow "extraFlow-\S+" in sandbox "prod": \d+ attempts failed/);
  // Each lost POST was looked up before the next one; none created anything.
  const { counts } = await emu.requests();
  expect(counts["POST /flows"]).toBeGreaterThanOrEqual(2);
  expect(pipelineEntities().flows).toHaveLength(3);
  // The rest of the program went through: the third generation is applied.
  const ftp = (await emu.connections()).find((c) => c.auth?.params?.host === HOST("ftp"));
  expect(ftp?.auth.params.password).toBe(gens[2].ftpPassword);
  expect((await heldWarehouse())?.auth.params.clientSecret).toBe(gens[2].bigQueryClientSecret);
  expectStateReadable(true);
  expect(leaks()).toEqual([]);
});

it("a delete Flow Service refuses (1418-400: a dataflow kept outside the stack still uses the source connection), and no canary shows", async () => {
  await declare(stack, declared("third", { retainS3Flow: true }), gens[2]);
  await stack.up(opts);
  const kept = (await stack.outputs()).s3Flow.value as { id: string };
  await declare(stack, declared("third", { withoutS3Files: true }), gens[2]);
  const err = await failingUp();
  expect(err).toBeDefined();
  const text = errorText(err);
  seen.errors.push(text);
  expect(text).toMatch(/SourceConnection: deleting source connection \S+ in sandbox "prod": Flow Service refuses because a dataflow still uses this source connection \(1418-400\)\. Delete that dataflow first/);
  expect(emu.control.flow(kept.id).state).toBe("enabled");
  expect(pipelineEntities().sources).toHaveLength(3);
  expectStateReadable(true);
  expect(leaks()).toEqual([]);
  // The dataflow goes outside Pulumi, so that destroy can delete what it used.
  await emu.control.deleteFlow(kept.id);
});

it("a failed verification: remotes that refuse every credential fail the up naming what they could not reach, and no canary shows; once they accept, the next up passes", async () => {
  // The third generation is still declared; verification is turned on, for the generic Connection too (s3Files,
  // which the retained dataflow no longer holds, goes in this up).
  await declare(stack, declared("fourth", { withoutS3Files: true }, true), gens[2]);
  const g = gens[2];
  const wrong = canary("wrong-credential");
  const refuse = (host: string) => emu.control.addRemote({ kind: host === "ftp" ? "ftp" : "sftp", host: HOST(host), credentials: [{ userName: "ingest", password: wrong }] });
  for (const host of ["ftp", "sftp-password", "sftp-key", "sftp-encrypted-key"]) refuse(host);
  emu.control.addRemote({ kind: "s3", bucket: `canary-check-${RUN}`, credentials: [{ accessKey: "AKIACANARYCHECK", secretKey: wrong }] });
  // The database knows the project and OAuth client, but takes another refresh token.
  emu.control.addRemote({ connectionSpecId: BIGQUERY.specId, credentials: [{ ...BIGQUERY_PARAMS, clientSecret: g.bigQueryClientSecret, refreshToken: wrong }] });
  await emu.clearRequests();
  // Every update runs, though the first fails: each of the six is tested.
  const err = await stack.up({ ...opts, continueOnError: true }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeDefined();
  const text = errorText(err);
  seen.errors.push(text);
  // (Words that also occur inside a canary, such as its run id, are redacted from messages, as any run
  // of 8 characters of a secret is: the checks name what survives.)
  expect(text).toMatch(/FtpConnection: connection \S+ \("ftp-\w+"\) in sandbox "prod" was updated, but Flow Service could not reach the FTP server "ftp\.canary-check/);
  expect(text).toMatch(/SftpConnection: connection \S+ \("sftp-encrypted-key-\w+"\) .* could not reach the SFTP server "sftp-encrypted-key\.canary-check.*:22" as user "ingest" with an SSH key and /);
  expect(text).toMatch(/S3Connection: connection \S+ \("s3-\w+"\) .* could not reach the bucket "canary-check.*" with access key "AKIACANARYCHECK" and a session token/);
  expect(text).toMatch(/Connection: connection \S+ \("warehouse-\w+"\) .* could not reach the Google BigQuery source \([^)]*project "canary-warehouse-project"[^)]*\) through auth spec "Basic Authentication"/);
  expect((await emu.requests()).counts["GET /connections/{id}/test"]).toBe(6);
  expect(leaks()).toEqual([]);

  // The remotes learn this generation's credentials: the next up tests the five again, and passes.
  await emu.admin("DELETE", "/remotes");
  const key = (k: string) => `ssh-ed25519 ${publicKeyBlob(k)}`;
  emu.control.addRemote({ kind: "ftp", host: HOST("ftp"), credentials: [{ userName: "ingest", password: g.ftpPassword }] });
  emu.control.addRemote({ kind: "sftp", host: HOST("sftp-password"), credentials: [{ userName: "ingest", password: g.sftpPassword }] });
  emu.control.addRemote({ kind: "sftp", host: HOST("sftp-key"), credentials: [{ userName: "ingest", publicKey: key(g.sftpKey) }] });
  emu.control.addRemote({ kind: "sftp", host: HOST("sftp-encrypted-key"), credentials: [{ userName: "ingest", publicKey: key(g.sftpEncryptedKey), passPhrase: g.sftpPassPhrase }] });
  emu.control.addRemote({ kind: "s3", bucket: `canary-check-${RUN}`, credentials: [{ accessKey: "AKIACANARYCHECK", secretKey: g.s3Secret, sessionToken: g.s3Token }] });
  emu.control.addRemote({ connectionSpecId: BIGQUERY.specId, credentials: [{ ...BIGQUERY_PARAMS, clientSecret: g.bigQueryClientSecret, refreshToken: g.bigQueryRefreshToken }] });
  await emu.clearRequests();
  const up = await stack.up(opts);
  // The six verified connections again, and the pipeline updates the failed ones held back.
  expect(up.summary.resourceChanges?.update).toBeGreaterThanOrEqual(6);
  const counts = (await emu.requests()).counts;
  expect(counts["GET /connections/{id}/test"]).toBe(6);
  expect(counts["POST /connections"]).toBeUndefined();
  expectStateReadable(true);
  expect(leaks()).toEqual([]);
});

it("destroy: deletes everything, and no canary shows anywhere, in the history of the state either", async () => {
  const destroy = await stack.destroy(opts);
  // The stack, the eight connections and the pipeline, s3Flow (retained, deleted outside Pulumi) and s3Files
  // (deleted by the verification step's up) apart.
  expect(destroy.summary.resourceChanges?.delete).toBe(1 + CONNECTIONS + PIPELINE_RESOURCES - 2);
  expect(await emu.connections()).toHaveLength(0);
  const p = pipelineEntities();
  expect([p.sources.length, p.targets.length, p.flows.length]).toEqual([0, 0, 0]);
  // Data Prep cannot delete a mapping set: it stays, holding no secret.
  expect(p.mappingSets).toHaveLength(1);
  expect(findLeaks({ "mapping sets": JSON.stringify(p.mappingSets) }, allCanaries())).toEqual([]);
  expectStateReadable(false);
  expect(leaks()).toEqual([]);
});
