import { captureStderr } from "../helpers/stderr";
import { makeOpenSshKey } from "../helpers/keys";
import { ProviderUnderTest, type Props } from "../helpers/engine";
import { TestEmulator } from "../helpers/emulator";

/**
 * No secret value in any error message, stack or log line that the provider produces, under
 * faults and refusals. Every secret is a unique canary string.
 */
const canary = (name: string): string => `canary-${name}-7f3a9c`;
const key = makeOpenSshKey("ed25519", canary("passphrase"));
const keyBase64 = Buffer.from(key).toString("base64");
const secrets = [canary("ftp-password"), canary("sftp-password"), key, keyBase64, canary("passphrase"), canary("s3-secret"), canary("s3-token"), canary("client-secret")];

const resources: Array<[string, Props]> = [
  ["ftp", { host: "ftp.example.com", userName: "u", password: canary("ftp-password") }],
  ["sftp", { host: "sftp.example.com", userName: "u", privateKeyContent: key, passPhrase: canary("passphrase") }],
  ["sftp", { host: "sftp.example.com", userName: "u", password: canary("sftp-password") }],
  ["s3", { accessKey: "AKIA", secretKey: canary("s3-secret"), sessionToken: canary("s3-token") }],
];

let emu: TestEmulator;
let stderr: ReturnType<typeof captureStderr>;

beforeAll(async () => {
  stderr = captureStderr();
  emu = await TestEmulator.start({ clients: [{ clientId: "canary-client", clientSecret: canary("client-secret"), orgId: "CANARY@AdobeOrg", sandboxes: ["prod"] }] });
});
afterAll(async () => {
  stderr.restore();
  await emu.stop();
});

function config() {
  return emu.config({ "aep:clientId": "canary-client", "aep:clientSecret": canary("client-secret"), "aep:orgId": "CANARY@AdobeOrg", "aep:maxAttempts": "3" });
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const result = await p.then(() => undefined, (e: Error) => e);
  if (!result) throw new Error("expected a failure");
  return result;
}

it("keeps every secret out of errors and logs through create, update, read and delete under faults", async () => {
  const errors: Error[] = [];
  for (const [kind, args] of resources) {
    const p = await ProviderUnderTest.load(kind, config());
    const inputs = await p.checked({}, { __autoName: "canary", ...args });

    // Ambiguous create, then a create that fails outright after its retries.
    await emu.addFault({ kind: "commit-then-fail", count: 1, method: "POST", route: "/connections", thenStatus: "reset" });
    const { id, outs } = await p.create(inputs);
    await emu.addFault({ kind: "429", count: 10, method: "POST", route: "/connections", retryAfterSeconds: 0 });
    errors.push(await failure(p.create(inputs)));
    await emu.clearFaults();

    // Update: stale etag, then lost responses on every attempt.
    const news = await p.checked(inputs, { ...inputs, description: "rotated" });
    await emu.admin("PATCH", `/connections/${id}`, { description: "drift" });
    errors.push(await failure(p.update(id, outs, news)));
    const fresh = (await p.read(id, outs)).props as Props;
    await emu.addFault({ kind: "500", count: 20, method: "PATCH" });
    await emu.addFault({ kind: "503", count: 20, method: "GET" });
    errors.push(await failure(p.update(id, fresh, news)));
    errors.push(await failure(p.read(id, fresh)));
    await emu.clearFaults();

    // Delete refused, then resets on every attempt.
    await emu.admin("PUT", `/connections/${id}/dataflows`, { count: 1 });
    errors.push(await failure(p.delete(id, fresh)));
    await emu.admin("PUT", `/connections/${id}/dataflows`, { count: 0 });
    await emu.addFault({ kind: "reset", count: 20, method: "DELETE" });
    errors.push(await failure(p.delete(id, fresh)));
    await emu.clearFaults();
    await p.delete(id, fresh);
  }

  expect(errors.length).toBe(resources.length * 6);
  const text = [...errors.map((e) => `${e.message}\n${e.stack}\n${JSON.stringify(e)}`), ...stderr.lines].join("\n");
  expect(text).toMatch(/changed outside Pulumi/);
  expect(text).toMatch(/attempt 2\/3 failed/);
  for (const secret of secrets) expect(text).not.toContain(secret);
});
