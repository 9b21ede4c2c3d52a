import { randomBytes } from "node:crypto";
import { type Props, ProviderUnderTest, newProviderProcess } from "../../helpers/engine";
import { SPEC, TestEmulator, bodies } from "../../helpers/emulator";
import { findLeaks } from "../../helpers/reliability-input";
import { captureStderr } from "../../helpers/stderr";

/**
 * The secret canary through a generic Connection, in the provider process: every secretParams value (old and
 * rotated) is a unique canary, and none shows, raw, in Base64 or Base64url, in the provider's log, in an error
 * of any step (check, a refused write, a write Flow Service refuses) or in the serialized provider. The state
 * holds it only as a secret output (the e2e test reads the state files). Adoption writes the secrets too.
 */
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu.stop());

const RUN = randomBytes(4).toString("hex");
const canary = (n: string) => `gen-cnry-${n}-${RUN}`;
const forms = (secrets: string[]) => secrets.flatMap((v) => [v, Buffer.from(v).toString("base64"), Buffer.from(v).toString("base64url")]);
const SFTP = { connectionSpecName: "SFTP", authSpecName: "Basic Authentication for sftp", params: { host: "sftp.example.com", userName: "ingest" } };

it("never shows a secretParams value in the log, an error or the serialized provider, through create, read, rotation, refusals and delete", async () => {
  const [first, second, plain] = [canary("password-1"), canary("password-2"), canary("in-params")];
  newProviderProcess();
  const p = await ProviderUnderTest.load("connection", emu.config());
  const stderr = captureStderr();
  const errors: string[] = [];
  const failed = async (run: () => Promise<unknown>) => {
    try {
      await run();
    } catch (err) {
      errors.push(String((err as Error).message));
    }
  };
  let held: Props = {};
  try {
    // A secret put in params, a secret too short: check failures.
    errors.push(JSON.stringify((await p.check({}, { __autoName: "cnry", ...SFTP, params: { ...SFTP.params, password: plain } })).failures));
    errors.push(JSON.stringify((await p.check({}, { __autoName: "cnry", ...SFTP, secretParams: { password: plain.slice(0, 5) } })).failures));

    const inputs = await p.checked({}, { __autoName: "cnry", ...SFTP, secretParams: { password: first } });
    const created = await p.create(inputs);
    expect(created.outs.secretParams).toEqual({ password: first });
    const read = await p.read(created.id, created.outs);
    expect(read.props?.secretParams).toEqual({ password: first });
    const rotated = await p.checked(inputs, { __autoName: "cnry", ...SFTP, secretParams: { password: second }, name: inputs.name });
    held = await p.update(created.id, created.outs, rotated);
    expect((await emu.connection(created.id)).auth.params.password).toBe(second);

    // A PATCH Flow Service refuses (the connection is gone), and a delete of it.
    await emu.deleteDirect(created.id);
    await failed(() => p.update(created.id, held, { ...rotated, secretParams: { password: first } }));
    await failed(() => p.delete(created.id, held));
  } finally {
    stderr.restore();
  }
  expect(errors.length).toBeGreaterThanOrEqual(3);
  expect(errors[0]).toContain("params.password is a secret");
  expect(findLeaks({ log: stderr.lines.join(""), errors: errors.join("\n"), provider: p.text }, forms([first, second, plain]))).toEqual([]);
});

it("adopts a connection made by hand (existingConnectionId): writes the secrets and the params that differ, once", async () => {
  newProviderProcess();
  const made = await emu.createDirect(bodies.sftpPassword("made by hand"));
  const p = await ProviderUnderTest.load("connection", emu.config());
  const secret = canary("adopted");
  const inputs = await p.checked({}, { __autoName: "adopted", ...SFTP, params: { host: "sftp.example.com", userName: "bob", port: 2222 }, secretParams: { password: secret }, existingConnectionId: made.id });
  await emu.clearRequests();
  const { id, outs } = await p.create(inputs);
  expect(id).toBe(made.id);
  expect(outs.connectionSpecId).toBe(SPEC.sftp);
  const counts = (await emu.requests()).counts;
  expect(counts["POST /connections"] ?? 0).toBe(0);
  expect(counts["PATCH /connections/{id}"]).toBe(1);
  const held = await emu.connection(made.id);
  expect(held.auth.params).toMatchObject({ host: "sftp.example.com", userName: "bob", port: 2222, password: secret });
  await p.delete(id, outs);
});

it("refuses to adopt a connection of another spec, naming the one it has", async () => {
  newProviderProcess();
  const made = await emu.createDirect(bodies.ftp("an FTP one"));
  const p = await ProviderUnderTest.load("connection", emu.config());
  const inputs = await p.checked({}, { __autoName: "wrong", ...SFTP, secretParams: { password: canary("wrong") }, existingConnectionId: made.id });
  const err = await p.create(inputs).then(() => undefined, (e: Error) => e);
  expect(err?.message).toMatch(/^Connection: adopting connection .*: it is not an SFTP connection \(its connection spec is fb2e94c9-c031-467d-8103-6bd6e0a432f2\); set connectionSpecId \(or connectionSpecName\) and authSpecName to the connection's own$/);
  expect((await emu.connection(made.id)).auth.specName).toBe("Basic Authentication for FTP");
  await emu.deleteDirect(made.id);
});
