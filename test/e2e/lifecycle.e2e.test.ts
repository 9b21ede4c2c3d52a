jest.setTimeout(240_000);

import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { type Declared, type StackHandle, cliExport, declare, installTarball, makeProgram, makeStack, packProvider, pulumiOnPath, rawState, useEmulator } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";

/**
 * `pulumi preview`, `up`, `refresh` and `destroy` with the real engine and CLI, consuming the
 * packed package as users do, against the emulator. One stack goes through every scenario in order.
 */
const canary = (n: string): string => `e2e-canary-${n}-41d7`;
const SECRETS = {
  ftpPassword: canary("ftp-password"),
  sftpPassword: canary("sftp-password"),
  sftpKey: "",
  s3Secret: canary("s3-secret"),
  s3Token: canary("s3-token"),
};
const CLIENT = { clientId: "e2e-client", clientSecret: canary("client-secret"), orgId: "E2E0000000000000@AdobeOrg", sandboxes: ["prod", "dev"] };

const base = (): Declared[] => [
  { type: "FtpConnection", name: "ftp", args: { host: "ftp.example.com", userName: "ingest", password: { secret: "ftpPassword" } } },
  { type: "SftpConnection", name: "sftp", args: { host: "sftp.example.com", userName: "ingest", password: { secret: "sftpPassword" } } },
  { type: "S3Connection", name: "s3", args: { accessKey: "AKIAE2E", secretKey: { secret: "s3Secret" }, sessionToken: { secret: "s3Token" }, bucketName: "e2e-bucket" } },
  { type: "DatasetBaseConnection", name: "lake", args: { description: "lake" } },
  { type: "StreamingConnection", name: "stream", args: { dataType: "xdm" } },
];

let emu: TestEmulator;
let h: StackHandle;
let stack: Stack;
let work: string;
let declared: Declared[];
const seen: string[] = [];
const onOutput = (s: string): void => {
  seen.push(s);
};
const onEvent = (e: unknown): void => {
  seen.push(JSON.stringify(e));
};

function changes(summary: Record<string, number> | undefined): Record<string, number> {
  const out = { ...(summary ?? {}) };
  delete out.same;
  return out;
}

async function outputsOf(s: Stack): Promise<Record<string, Record<string, string>>> {
  const outs = await s.outputs();
  return Object.fromEntries(Object.entries(outs).map(([k, v]) => [k, v.value as Record<string, string>]));
}

beforeAll(async () => {
  const cli = pulumiOnPath();
  if (!cli) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  emu = await TestEmulator.start({ clients: [CLIENT] });
  work = mkdtempSync(join(tmpdir(), "aep-e2e-work-"));
  const programDir = makeProgram(packProvider(work));
  const keyDir = mkdtempSync(join(tmpdir(), "aep-e2e-key-"));
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(keyDir, "id")]);
  SECRETS.sftpKey = require("node:fs").readFileSync(join(keyDir, "id"), "utf8");
  // No AEP credentials in the environment: they come from stack config, set below.
  h = await makeStack(programDir, { AEP_ENDPOINT: "http://127.0.0.1:9", AEP_IMS_ENDPOINT: "http://127.0.0.1:9" });
  stack = h.stack;
  declared = base();
  await declare(stack, declared, SECRETS);
}, 300_000);

afterAll(async () => {
  await emu?.stop();
});

it("previews five creates with no credentials and no reachable endpoint, making no request", async () => {
  const preview = await stack.preview({ onOutput, onEvent });
  expect(preview.changeSummary).toMatchObject({ create: 6 });
  expect((await emu.requests()).total).toBe(0);
});

it.each([
  ["FtpConnection", { host: "ftp://nope", userName: "u", password: { secret: "ftpPassword" } }, /property host value \{ftp:\/\/nope\} has a problem: must be a host name without a scheme/],
  ["S3Connection", { accessKey: "A", secretKey: { secret: "s3Secret" }, bucketName: "Bad_Bucket" }, /property bucketName .* has a problem: may contain only lowercase/],
  ["StreamingConnection", { dataType: "json" }, /property dataType .* has a problem: must be one of "xdm", "raw"/],
  ["SftpConnection", { host: "h.example.com", userName: "u", port: 70000, password: { secret: "sftpPassword" } }, /property port .* has a problem: must be between 1 and 65535/],
])("fails preview of an invalid %s with the property named, and no request reaches the emulator", async (type, args, message) => {
  await useEmulator(stack, emu.baseUrl, CLIENT);
  await emu.clearRequests();
  await declare(stack, [{ type, name: "invalid", args: args as Record<string, unknown> }], SECRETS);
  try {
    const err = await stack.preview({ onOutput }).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(message);
    expect((await emu.requests()).total).toBe(0);
  } finally {
    await declare(stack, declared, SECRETS);
  }
});

it("creates all five on up; outputs match what the emulator holds", async () => {
  const up = await stack.up({ onOutput, onEvent });
  expect(changes(up.summary.resourceChanges)).toEqual({ create: 6 });
  const outs = await outputsOf(stack);
  const held = await emu.connections();
  expect(held).toHaveLength(5);
  for (const name of ["ftp", "sftp", "s3", "lake", "stream"]) {
    const c = held.find((x) => x.id === outs[name].id);
    expect(c).toBeDefined();
    expect(outs[name]).toMatchObject({ etag: c?.etag, name: c?.name, sandbox: "prod", state: "enabled" });
  }
  const stream = held.find((x) => x.id === outs.stream.id);
  expect(outs.stream).toMatchObject({ inletId: stream?.auth.params.inletId, inletUrl: `${emu.baseUrl}/collection/${stream?.auth.params.inletId}` });
  expect((await emu.requests()).counts["POST /ims/token/v3"]).toBe(1);
});

it("records each resource as declared by its own class: no frame of a shared base in its source position or stack trace", async () => {
  // Pulumi skips the frames of Resource, CustomResource and dynamic.Resource; a base class of ours in
  // between was one more frame in every resource's state and the source position of every kind.
  const { resources } = (await stack.exportStack()).deployment as { resources: Array<{ type: string; sourcePosition?: string; stackTrace?: Array<{ sourcePosition?: string }> }> };
  const dynamic = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
  expect(dynamic).toHaveLength(5);
  const module = (type: string) => type.replace("pulumi-nodejs:dynamic/aep:", "").replace(/Connection$/, "").replace(/^(.)/, (c) => c.toLowerCase()).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  for (const r of dynamic) {
    expect(r.sourcePosition).toMatch(new RegExp(`/provider/resources/${module(r.type)}\\.js#\\d+,\\d+$`));
    expect((r.stackTrace ?? []).filter((f) => f.sourcePosition?.includes("/provider/resources/"))).toHaveLength(1);
  }
});

it("changes nothing on a second up", async () => {
  await emu.clearRequests();
  const up = await stack.up({ onOutput, onEvent });
  expect(changes(up.summary.resourceChanges)).toEqual({});
  expect((await emu.requests()).counts["POST /connections"] ?? 0).toBe(0);
});

it("changes nothing after upgrading the provider package (repacked with a changed lifecycle)", async () => {
  const tarball = packProvider(work, (pkg) => appendFileSync(join(pkg, "dist/provider/engine/create.js"), "\n// a later release\nexports.later = true;\n"));
  installTarball(h.programDir, tarball);
  const preview = await stack.preview({ onOutput });
  expect(changes(preview.changeSummary)).toEqual({});
  const up = await stack.up({ onOutput, onEvent });
  expect(changes(up.summary.resourceChanges)).toEqual({});
});

it("updates description and credentials in place: same ids, new etags, new values held", async () => {
  const before = await outputsOf(stack);
  declared = base().map((d) => ({ ...d, args: { ...d.args, description: `edited ${d.name}` } }));
  await declare(stack, declared, { ...SECRETS, ftpPassword: canary("ftp-password-2"), s3Secret: canary("s3-secret-2") });
  const up = await stack.up({ onOutput, onEvent });
  expect(changes(up.summary.resourceChanges)).toEqual({ update: 5 });
  const after = await outputsOf(stack);
  for (const name of Object.keys(before)) {
    expect(after[name].id).toBe(before[name].id);
    expect(after[name].etag).not.toBe(before[name].etag);
    expect((await emu.connection(after[name].id)).description).toBe(`edited ${name}`);
  }
  expect((await emu.connection(after.ftp.id)).auth.params.password).toBe(canary("ftp-password-2"));
  expect((await emu.connection(after.s3.id)).auth.params.s3SecretKey).toBe(canary("s3-secret-2"));
});

it("replaces on immutable changes: SFTP auth type, sandbox, streaming dataType", async () => {
  const before = await outputsOf(stack);
  declared = declared.map((d) => {
    if (d.name === "sftp") return { ...d, args: { host: "sftp.example.com", userName: "ingest", privateKeyContent: { secret: "sftpKey" } } };
    if (d.name === "lake") return { ...d, args: { ...d.args, sandbox: "dev" } };
    if (d.name === "stream") return { ...d, args: { ...d.args, dataType: "raw" } };
    return d;
  });
  await declare(stack, declared, { ...SECRETS, ftpPassword: canary("ftp-password-2"), s3Secret: canary("s3-secret-2") });
  const up = await stack.up({ onOutput, onEvent });
  expect(changes(up.summary.resourceChanges)).toEqual({ replace: 3 });
  const after = await outputsOf(stack);
  for (const name of ["sftp", "lake", "stream"]) expect(after[name].id).not.toBe(before[name].id);
  const held = await emu.connections();
  expect(held.map((c) => c.id).sort()).toEqual(Object.values(after).map((o) => o.id).sort());
  expect(held.find((c) => c.id === after.lake.id)?.sandboxName).toBe("dev");
  expect(held.find((c) => c.id === after.sftp.id)?.auth.specName).toBe("SSH PublicKey Authentication for sftp");
});

it("a forced replacement (`up --replace`) keeps the generated name, deletes first and never adopts the connection it replaces", async () => {
  const before = await outputsOf(stack);
  const urn = (await stack.exportStack()).deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::ftp")).urn as string;
  const up = await stack.up({ onOutput, onEvent, replace: [urn] });
  expect(changes(up.summary.resourceChanges)).toEqual({ replace: 1 });
  const after = await outputsOf(stack);
  expect(after.ftp.name).toBe(before.ftp.name);
  expect(after.ftp.id).not.toBe(before.ftp.id);
  const held = await emu.connections();
  expect(held.find((c) => c.id === before.ftp.id)).toBeUndefined();
  expect(held.filter((c) => c.name === after.ftp.name).map((c) => c.id)).toEqual([after.ftp.id]);
});

it("refresh drops a connection deleted behind Pulumi's back and shows a rename as drift", async () => {
  const outs = await outputsOf(stack);
  await emu.admin("DELETE", `/connections/${outs.ftp.id}`);
  await emu.admin("PATCH", `/connections/${outs.s3.id}`, { name: "renamed behind pulumi" });
  const refresh = await stack.refresh({ onOutput, onEvent });
  expect(changes(refresh.summary.resourceChanges)).toEqual({ delete: 1, update: 1 });
  const state = await stack.exportStack();
  const resources = (state.deployment as { resources: Array<{ urn: string; outputs?: Record<string, unknown> }> }).resources;
  expect(resources.find((r) => r.urn.endsWith("::ftp"))).toBeUndefined();
  expect(resources.find((r) => r.urn.endsWith("::s3"))?.outputs?.name).toBe("renamed behind pulumi");
  const up = await stack.up({ onOutput, onEvent });
  expect(changes(up.summary.resourceChanges)).toEqual({ create: 1, update: 1 });
  const after = await outputsOf(stack);
  expect((await emu.connection(after.s3.id)).name).toBe(outs.s3.name);
});

let accessToken = "";
it("works with an access token given as config instead of the client secret", async () => {
  const res = await fetch(`${emu.baseUrl}/ims/token/v3`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, scope: "openid" }).toString(),
  });
  accessToken = ((await res.json()) as { access_token: string }).access_token;
  await stack.removeConfig("aep:clientSecret");
  await stack.setConfig("aep:accessToken", { value: accessToken, secret: true });
  // An update (not a refresh: refresh configures the provider with the config stored at the last up).
  declared = declared.map((d) => (d.name === "ftp" ? { ...d, args: { ...d.args, description: "via access token" } } : d));
  await declare(stack, declared, { ...SECRETS, ftpPassword: canary("ftp-password-2"), s3Secret: canary("s3-secret-2") });
  const startedAt = Date.now();
  const up = await stack.up({ onOutput, onEvent });
  expect(changes(up.summary.resourceChanges)).toEqual({ update: 1 });
  // Entries by time: the log records a request once its response is sent, so the test's own token
  // request may land in the log after a clear.
  const during = (await emu.requests()).entries.filter((e) => (e as unknown as { at: number }).at >= startedAt);
  expect(during.filter((e) => e.route === "/connections/{id}").map((e) => `${e.method} ${e.status}`)).toEqual(["PATCH 200"]);
  expect(during.filter((e) => e.route === "/ims/token/v3")).toHaveLength(0);
});

it("keeps every secret out of `pulumi stack export`, the state files, the CLI output and the engine events", async () => {
  const exported = cliExport(h);
  const sources = { exported, stateFiles: rawState(h.backendDir), cliOutputAndEvents: seen.join("\n") };
  const secrets = [...Object.values(SECRETS), canary("ftp-password-2"), canary("s3-secret-2"), CLIENT.clientSecret, accessToken, Buffer.from(SECRETS.sftpKey).toString("base64")];
  expect(accessToken.length).toBeGreaterThan(20);
  const leaks = Object.entries(sources).flatMap(([where, text]) => secrets.filter((s) => text.includes(s)).map((s) => `${where}: ${s.slice(0, 40)}`));
  expect(leaks).toEqual([]);
  expect(exported).toContain("4dabf18193072939515e22adb298388d"); // the secret signature: secrets are there, encrypted
});

it("destroy leaves the emulator with no connections", async () => {
  const destroy = await stack.destroy({ onOutput, onEvent });
  expect(destroy.summary.resourceChanges?.delete).toBe(6);
  expect(await emu.connections()).toHaveLength(0);
});
