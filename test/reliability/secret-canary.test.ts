jest.setTimeout(600_000);

import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { type Declared, type StackHandle, cliExport, declare, makeStack, pulumiOnPath, rawState, sharedProgram } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";
import { makeOpenSshKey } from "../helpers/keys";
import { publicKeyBlob } from "../../emulator/flow/remotes";
import { errorText, findLeaks, imsToken, secretRef as S } from "../helpers/reliability-input";

/**
 * Secret canary: every secret is a unique string, and after each step (up, an update that rotates
 * them, refresh, an up that fails under injected faults, an up whose connectivity tests fail, destroy) none of them, old or new, may
 * appear in `pulumi stack export`, the state files, the engine's events, the CLI's output or an
 * error. The IMS tokens the provider fetches at run time are canaries too: they all begin with the
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
  };
}

/** Every text that must never show for a generation: each value, and each key in both forms and line by line. */
function canariesOf(g: Record<string, string>): string[] {
  const out = Object.values(g);
  for (const k of [g.sftpKey, Buffer.from(g.sftpEncryptedKey, "base64").toString("utf8")]) {
    out.push(k, Buffer.from(k).toString("base64"));
    // Key material lines (the first body line is the same for every key of a type).
    out.push(...k.trim().split("\n").slice(2, -1));
  }
  return out;
}

const CLIENT = { clientId: "canary-client", clientSecret: canary("client-secret"), orgId: "CANARY00000000000000000@AdobeOrg", sandboxes: ["prod", "dev"] };

/** With `verify`, the FTP, SFTP and S3 connections test their connectivity after each change. */
const declared = (description: string, verify = false): Declared[] => {
  const v = verify ? { verifyConnectivity: true } : {};
  return [
  { type: "FtpConnection", name: "ftp", args: { host: HOST("ftp"), userName: "ingest", password: S("ftpPassword"), description, ...v } },
  { type: "SftpConnection", name: "sftp-password", args: { host: HOST("sftp-password"), userName: "ingest", password: S("sftpPassword"), description, ...v } },
  { type: "SftpConnection", name: "sftp-key", args: { host: HOST("sftp-key"), userName: "ingest", privateKeyContent: S("sftpKey"), description, ...v } },
  { type: "SftpConnection", name: "sftp-encrypted-key", args: { host: HOST("sftp-encrypted-key"), userName: "ingest", privateKeyContent: S("sftpEncryptedKey"), passPhrase: S("sftpPassPhrase"), description, ...v } },
  { type: "S3Connection", name: "s3", args: { accessKey: "AKIACANARYCHECK", secretKey: S("s3Secret"), sessionToken: S("s3Token"), bucketName: `canary-check-${RUN}`, description, ...v } },
  { type: "DatasetBaseConnection", name: "lake", args: { description } },
  { type: "StreamingConnection", name: "stream", args: { dataType: "xdm", authenticationRequired: true, description } },
  ];
};
/** Secret properties in state per resource: the inputs and outputs of each hold a ciphertext. */
const SECRET_PROPERTIES = 7;

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
  const texts = {
    "pulumi stack export": cliExport(h),
    "state files": rawState(h.backendDir),
    "engine events": seen.events.join("\n"),
    "CLI stdout": seen.stdout.join(""),
    "CLI stderr": seen.stderr.join(""),
    "errors thrown": seen.errors.join("\n"),
  };
  return findLeaks(texts, allCanaries());
}

/** The scan searches the right text: state holds the non-secret neighbours and the secrets as ciphertexts. */
function expectStateReadable(resources: boolean): void {
  const exported = cliExport(h);
  const state = rawState(h.backendDir);
  for (const name of ["ftp", "sftp-password", "sftp-key", "sftp-encrypted-key"]) {
    expect(exported.includes(HOST(name))).toBe(resources);
    expect(state).toContain(HOST(name));
  }
  expect((exported.match(/"ciphertext"/g) ?? []).length).toBeGreaterThanOrEqual(resources ? 2 * SECRET_PROPERTIES : 0);
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
  await stack.setAllConfig({
    "aep:endpoint": { value: emu.baseUrl },
    "aep:imsEndpoint": { value: emu.baseUrl },
    "aep:clientId": { value: CLIENT.clientId },
    "aep:clientSecret": { value: CLIENT.clientSecret, secret: true },
    "aep:orgId": { value: CLIENT.orgId },
  });
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

it("up: creates the seven connections with the canaries, and no canary shows anywhere", async () => {
  const up = await stack.up(opts);
  expect(up.summary.resourceChanges).toMatchObject({ create: 8 });
  const held = await emu.connections();
  expect(held.find((c) => c.auth?.params?.host === HOST("ftp"))?.auth.params.password).toBe(gens[0].ftpPassword);
  expect(held.find((c) => c.auth?.params?.host === HOST("sftp-encrypted-key"))?.auth.params.passPhrase).toBe(gens[0].sftpPassPhrase);
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
  expect(up.summary.resourceChanges).toMatchObject({ update: 7 });
  const held = await emu.connections();
  expect(held.find((c) => c.auth?.params?.bucketName === `canary-check-${RUN}`)?.auth.params.s3SessionToken).toBe(gens[1].s3Token);
  expect(held.find((c) => c.auth?.params?.host === HOST("sftp-key"))?.auth.params.privateKeyContent).toBe(Buffer.from(gens[1].sftpKey).toString("base64"));
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
  const err = await stack.up(opts).then(
    () => undefined,
    (e: unknown) => e,
  );
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
  expectStateReadable(true);
  expect(leaks()).toEqual([]);
});

it("a failed verification: remotes that refuse every credential fail the up naming what they could not reach, and no canary shows; once they accept, the next up passes", async () => {
  // The third generation is still declared (the failed up applied nothing); verification is turned on.
  await declare(stack, declared("fourth", true), gens[2]);
  const g = gens[2];
  const wrong = canary("wrong-credential");
  const refuse = (host: string) => emu.control.addRemote({ kind: host === "ftp" ? "ftp" : "sftp", host: HOST(host), credentials: [{ userName: "ingest", password: wrong }] });
  for (const host of ["ftp", "sftp-password", "sftp-key", "sftp-encrypted-key"]) refuse(host);
  emu.control.addRemote({ kind: "s3", bucket: `canary-check-${RUN}`, credentials: [{ accessKey: "AKIACANARYCHECK", secretKey: wrong }] });
  await emu.clearRequests();
  // Every update runs, though the first fails: each of the five is tested.
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
  expect((await emu.requests()).counts["GET /connections/{id}/test"]).toBe(5);
  expect(leaks()).toEqual([]);

  // The remotes learn this generation's credentials: the next up tests the five again, and passes.
  await emu.admin("DELETE", "/remotes");
  const key = (k: string) => `ssh-ed25519 ${publicKeyBlob(k)}`;
  emu.control.addRemote({ kind: "ftp", host: HOST("ftp"), credentials: [{ userName: "ingest", password: g.ftpPassword }] });
  emu.control.addRemote({ kind: "sftp", host: HOST("sftp-password"), credentials: [{ userName: "ingest", password: g.sftpPassword }] });
  emu.control.addRemote({ kind: "sftp", host: HOST("sftp-key"), credentials: [{ userName: "ingest", publicKey: key(g.sftpKey) }] });
  emu.control.addRemote({ kind: "sftp", host: HOST("sftp-encrypted-key"), credentials: [{ userName: "ingest", publicKey: key(g.sftpEncryptedKey), passPhrase: g.sftpPassPhrase }] });
  emu.control.addRemote({ kind: "s3", bucket: `canary-check-${RUN}`, credentials: [{ accessKey: "AKIACANARYCHECK", secretKey: g.s3Secret, sessionToken: g.s3Token }] });
  await emu.clearRequests();
  const up = await stack.up(opts);
  expect(up.summary.resourceChanges).toMatchObject({ update: 5 });
  const counts = (await emu.requests()).counts;
  expect(counts["GET /connections/{id}/test"]).toBe(5);
  expect(counts["POST /connections"]).toBeUndefined();
  expectStateReadable(true);
  expect(leaks()).toEqual([]);
});

it("destroy: deletes everything, and no canary shows anywhere, in the history of the state either", async () => {
  const destroy = await stack.destroy(opts);
  expect(destroy.summary.resourceChanges?.delete).toBe(8);
  expect(await emu.connections()).toHaveLength(0);
  expectStateReadable(false);
  expect(leaks()).toEqual([]);
});
