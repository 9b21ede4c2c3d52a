jest.setTimeout(300_000);

import { rmSync } from "node:fs";
import { join } from "node:path";
import { type StackHandle, declare, makeStack, pulumiOnPath, sharedProgram } from "../helpers/e2e";
import { bodies, TestEmulator } from "../helpers/emulator";

/**
 * The functions and verifyConnectivity in a real program, with the Pulumi CLI: settings from the stack's
 * `aep:*` config only; lookups run during preview, an explore of a connection the preview has not created
 * waits (no call); `up` verifies the new connection once and explores it.
 */
let emu: TestEmulator;
let h: StackHandle;

beforeAll(async () => {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh`.");
  emu = await TestEmulator.start();
  // No AEP_* settings that work: the program and the provider must read the stack's config.
  h = await makeStack(sharedProgram(), { AEP_ENDPOINT: "http://127.0.0.1:9", AEP_IMS_ENDPOINT: "http://127.0.0.1:9" }, `functions-${process.pid}`);
  const settings = emu.config();
  await h.stack.setAllConfig(Object.fromEntries(Object.entries(settings).map(([k, value]) => [k, { value, secret: k === "aep:clientSecret" }])));
}, 300_000);

afterAll(async () => {
  await emu?.stop();
  if (h) rmSync(h.backendDir, { recursive: true, force: true });
  if (h) rmSync(join(h.programDir, `Pulumi.${h.stack.name}.yaml`), { force: true });
});

it("looks up during preview, explores after up, and verifies the new connection once", async () => {
  const shared = await emu.createDirect(bodies.ftp("shared-ftp"));
  emu.control.addRemote({ kind: "ftp", host: "ftp.example.com", credentials: [{ userName: "alice", password: "ftp-secret" }], files: [{ path: "/in/orders.csv" }] });
  await h.stack.setAllConfig({
    lookups: {
      value: JSON.stringify([
        { fn: "getConnection", args: { name: "shared-ftp" }, output: "shared" },
        { fn: "getConnectionSpec", args: { name: "FTP" }, output: "ftpSpec" },
        { fn: "exploreConnection", args: { connectionId: { idOf: "orders" }, path: "/in" }, output: "inbound" },
      ]),
    },
  });
  await declare(h.stack, [{ type: "FtpConnection", name: "orders", args: { host: "ftp.example.com", userName: "alice", password: { secret: "pw" }, verifyConnectivity: true } }], { pw: "ftp-secret" });

  await emu.clearRequests();
  const preview = await h.stack.preview();
  expect(preview.changeSummary).toMatchObject({ create: 2 });
  const during = (await emu.requests()).counts;
  // The lookups ran (a token, the connection by name, the spec by name); the explore waited for the id.
  expect(during).toEqual({ "POST /ims/token/v3": 1, "GET /connections": 1, "GET /connectionSpecs": 1 });

  await emu.clearRequests();
  const up = await h.stack.up();
  expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
  const counts = (await emu.requests()).counts;
  expect(counts["POST /connections"]).toBe(1);
  expect(counts["GET /connections/{id}/test"]).toBe(1);
  expect(counts["GET /connections/{id}/explore"]).toBe(1);
  const outputs = await h.stack.outputs();
  expect(outputs.shared.value).toMatchObject({ id: shared.id, name: "shared-ftp", sandbox: "prod" });
  expect(outputs.ftpSpec.value).toMatchObject({ id: "fb2e94c9-c031-467d-8103-6bd6e0a432f2", name: "FTP" });
  expect(outputs.inbound.value).toMatchObject({ path: "/in", items: [{ type: "file", name: "orders.csv", path: "/in/orders.csv" }] });

  await h.stack.setAllConfig({ lookups: { value: "[]" } });
  const destroy = await h.stack.destroy();
  expect(destroy.summary.resourceChanges).toMatchObject({ delete: 2 });
});

it("fails a preview without credentials by the function's own message: the missing settings named, no stack trace", async () => {
  // A stack of its own with no aep:* config at all (the environment's AEP_* point nowhere and hold no credentials).
  const bare = await makeStack(sharedProgram(), { AEP_ENDPOINT: "http://127.0.0.1:9", AEP_IMS_ENDPOINT: "http://127.0.0.1:9" }, `functions-bare-${process.pid}`);
  try {
    await bare.stack.setAllConfig({ lookups: { value: JSON.stringify([{ fn: "getConnectionSpec", args: { name: "FTP" }, output: "ftpSpec" }]) } });
    await declare(bare.stack, []);
    let printed = "";
    const err = await bare.stack.preview({ onOutput: (line) => (printed += line) }).then(
      () => undefined,
      (e: Error) => e,
    );
    const text = `${err?.message ?? ""}\n${printed}`;
    expect(err).toBeDefined();
    expect(text).toMatch(/getConnectionSpec: reading the settings failed: .*aep:clientId/);
    // Printed as a RunError: the message alone, not the runner's "unhandled exception" with its stack.
    expect(text).not.toMatch(/failed with an unhandled exception/);
  } finally {
    rmSync(bare.backendDir, { recursive: true, force: true });
    rmSync(join(bare.programDir, `Pulumi.${bare.stack.name}.yaml`), { force: true });
  }
}, 240_000);
