import { ProviderUnderTest, type Props } from "../../helpers/engine";
import { TestEmulator } from "../../helpers/emulator";
import { makeOpenSshKeyPair } from "../../helpers/keys";

/**
 * `verifyConnectivity` through the serialized provider, against the emulator's simulated remotes: one
 * `GET /connections/{id}/test` per verified create or change of where a connection points or how it signs
 * in, none otherwise; a failed test keeps the connection (Pulumi's "created but failed to initialize") and
 * the next update tests again without creating anything.
 */
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const TEST = "GET /connections/{id}/test";
const ftpArgs = { host: "ftp.example.com", userName: "ingest", password: "ftp-pass-right" };
const acceptFtp = (...passwords: string[]) =>
  emu.control.addRemote({ kind: "ftp", host: "ftp.example.com", credentials: passwords.map((password) => ({ userName: "ingest", password })) });

async function counts(): Promise<Record<string, number>> {
  return (await emu.requests()).counts;
}

/** The error a step threw, with the fields Pulumi's "created but failed to initialize" reads. */
async function initFailure(run: Promise<unknown>): Promise<Error & { id?: string; properties?: Props; reasons?: string[] }> {
  try {
    await run;
  } catch (err) {
    return err as Error & { id?: string; properties?: Props; reasons?: string[] };
  }
  throw new Error("expected the step to fail");
}

describe("verifyConnectivity", () => {
  it("tests once after a verified create and after a credential update, never after other updates or with the flag off", async () => {
    acceptFtp("ftp-pass-right", "ftp-pass-next");
    const p = await ProviderUnderTest.load("ftp", emu.config());
    const inputs = await p.checked({}, { __autoName: "orders", ...ftpArgs, verifyConnectivity: true });
    await emu.clearRequests();
    const created = await p.create(inputs);
    expect(await counts()).toEqual({ "POST /ims/token/v3": 1, "POST /connections": 1, [TEST]: 1 });
    expect(created.outs).toMatchObject({ verifyConnectivity: true });
    expect(created.outs.__connectivityUnproven).toBeUndefined();
    // Never sent to Flow Service.
    expect((await emu.connection(created.id)).auth.params).not.toHaveProperty("verifyConnectivity");

    await emu.clearRequests();
    const described = await p.checked(inputs, { __autoName: "orders", ...ftpArgs, verifyConnectivity: true, description: "orders" });
    const afterDescription = await p.update(created.id, created.outs, described);
    expect(await counts()).toEqual({ "PATCH /connections/{id}": 1 });

    await emu.clearRequests();
    const rotated = await p.checked(described, { __autoName: "orders", ...ftpArgs, password: "ftp-pass-next", verifyConnectivity: true, description: "orders" });
    const afterRotation = await p.update(created.id, afterDescription, rotated);
    expect(await counts()).toEqual({ "PATCH /connections/{id}": 1, [TEST]: 1 });

    // The flag off: nothing tested, not even a credential change.
    await emu.clearRequests();
    const off = await p.checked(rotated, { __autoName: "orders", ...ftpArgs, password: "ftp-pass-right", description: "orders" });
    const afterOff = await p.update(created.id, afterRotation, off);
    expect(await counts()).toEqual({ "PATCH /connections/{id}": 1 });
    const plain = await p.checked({}, { __autoName: "plain", ...ftpArgs });
    await emu.clearRequests();
    await p.create(plain);
    expect((await counts())[TEST]).toBeUndefined();

    // Turning it on for an existing connection tests it once, with no write.
    await emu.clearRequests();
    const on = await p.checked(off, { __autoName: "orders", ...ftpArgs, password: "ftp-pass-right", description: "orders", verifyConnectivity: true });
    expect((await p.diff(created.id, afterOff, on)).changes).toBe(true);
    await p.update(created.id, afterOff, on);
    expect(await counts()).toEqual({ [TEST]: 1 });
  });

  it("fails a create that cannot reach its server as created-but-not-initialized, then the next up tests again and creates nothing", async () => {
    const p = await ProviderUnderTest.load("ftp", emu.config());
    const inputs = await p.checked({}, { __autoName: "orders", ...ftpArgs, password: "ftp-pass-wrong", verifyConnectivity: true });
    await emu.clearRequests();
    const err = await initFailure(p.create(inputs));
    expect(await counts()).toMatchObject({ "POST /connections": 1, [TEST]: 1 });
    expect(err.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.message).toContain(`FtpConnection: connection ${err.id} ("${inputs.name}") in sandbox "prod" was created, but Flow Service could not reach the FTP server "ftp.example.com" as user "ingest" with a password`);
    expect(err.message).toMatch(/check host, userName and password/);
    expect(err.message).toMatch(/run `pulumi up` again: the connection is kept and tested again, nothing is created twice/);
    expect(err.reasons).toEqual([err.message]);
    expect(err.properties).toMatchObject({ name: inputs.name, etag: expect.any(String), verifyConnectivity: true, __connectivityUnproven: true, __provider: p.text });
    expect(JSON.stringify({ message: err.message, reasons: err.reasons })).not.toContain("ftp-pass-wrong");

    // The next `up`: the engine updates a resource that failed to initialize. Still unreachable: kept, no write.
    await emu.clearRequests();
    const again = await initFailure(p.update(err.id as string, err.properties as Props, inputs));
    expect(again.message).toMatch(/is kept from an earlier deployment whose test failed, but Flow Service could not reach/);
    expect(await counts()).toEqual({ [TEST]: 1 });

    // The server learns the password: the next update tests, passes, and drops the mark; nothing is created.
    acceptFtp("ftp-pass-wrong");
    await emu.clearRequests();
    const recovered = await p.update(err.id as string, again.properties as Props, inputs);
    expect(await counts()).toEqual({ [TEST]: 1 });
    expect(recovered.__connectivityUnproven).toBeUndefined();
    expect(await emu.connections()).toHaveLength(1);

    // And once proven, an unchanged update tests nothing.
    await emu.clearRequests();
    await p.update(err.id as string, recovered, inputs);
    expect(await counts()).toEqual({});
  });

  it("recovers by fixing the credentials instead: the update patches them, tests once and passes", async () => {
    acceptFtp("ftp-pass-right");
    const p = await ProviderUnderTest.load("ftp", emu.config());
    const wrong = await p.checked({}, { __autoName: "orders", ...ftpArgs, password: "ftp-pass-wrong", verifyConnectivity: true });
    const err = await initFailure(p.create(wrong));
    const fixed = await p.checked(wrong, { __autoName: "orders", ...ftpArgs, verifyConnectivity: true });
    await emu.clearRequests();
    const outs = await p.update(err.id as string, err.properties as Props, fixed);
    expect(await counts()).toEqual({ "PATCH /connections/{id}": 1, [TEST]: 1 });
    expect(outs.__connectivityUnproven).toBeUndefined();
    expect((await emu.connection(err.id as string)).auth.params.password).toBe("ftp-pass-right");
    expect(await emu.connections()).toHaveLength(1);
  });

  it("a failed test after an update keeps the new etag, so the next up is not refused as changed outside Pulumi", async () => {
    acceptFtp("ftp-pass-right");
    const p = await ProviderUnderTest.load("ftp", emu.config());
    const inputs = await p.checked({}, { __autoName: "orders", ...ftpArgs, verifyConnectivity: true });
    const created = await p.create(inputs);
    const broken = await p.checked(inputs, { __autoName: "orders", ...ftpArgs, host: "ftp2.example.com", verifyConnectivity: true });
    const err = await initFailure(p.update(created.id, created.outs, broken));
    expect(err.id).toBe(created.id);
    expect(err.message).toMatch(/was updated, but Flow Service could not reach the FTP server "ftp2.example.com"/);
    expect((err.properties as Props).etag).toBe((await emu.connection(created.id)).etag);
    const back = await p.checked(broken, { __autoName: "orders", ...ftpArgs, verifyConnectivity: true });
    await emu.clearRequests();
    await p.update(created.id, err.properties as Props, back);
    expect(await counts()).toEqual({ "PATCH /connections/{id}": 1, [TEST]: 1 });
  });

  it("SFTP with a key and S3 with temporary credentials: passes against the right remote, names what it could not reach otherwise", async () => {
    const { privateKey: key, publicKey } = makeOpenSshKeyPair("ed25519");
    emu.control.addRemote({ kind: "sftp", host: "sftp.example.com", credentials: [{ userName: "ingest", publicKey }], folders: ["/outbound"] });
    emu.control.addRemote({ kind: "s3", bucket: "acme-landing", credentials: [{ accessKey: "AKIAEXAMPLE", secretKey: "s3-secret-right", sessionToken: "s3-session-right" }] });
    const sftp = await ProviderUnderTest.load("sftp", emu.config());
    const s3 = await ProviderUnderTest.load("s3", emu.config());
    const sftpArgs = { host: "sftp.example.com", userName: "ingest", privateKeyContent: key, folderPath: "/outbound", verifyConnectivity: true };
    await sftp.create(await sftp.checked({}, { __autoName: "partner", ...sftpArgs }));
    const sftpErr = await initFailure(sftp.create(await sftp.checked({}, { __autoName: "partner2", ...sftpArgs, folderPath: "/missing" })));
    expect(sftpErr.message).toMatch(/could not reach the SFTP server "sftp.example.com:22" as user "ingest" with an SSH key, folder "\/missing"/);

    const s3Args = { accessKey: "AKIAEXAMPLE", secretKey: "s3-secret-right", sessionToken: "s3-session-right", bucketName: "acme-landing", verifyConnectivity: true };
    await s3.create(await s3.checked({}, { __autoName: "landing", ...s3Args }));
    const s3Err = await initFailure(s3.create(await s3.checked({}, { __autoName: "landing2", ...s3Args, sessionToken: "s3-session-expired" })));
    expect(s3Err.message).toMatch(/could not reach the bucket "acme-landing" with access key "AKIAEXAMPLE" and a session token/);
    expect(s3Err.message).toMatch(/temporary credentials expire/);
    for (const e of [sftpErr, s3Err]) for (const secret of [key, "s3-secret-right", "s3-session-expired", Buffer.from(key).toString("base64")]) expect(e.message).not.toContain(secret);
    expect((await counts())[TEST]).toBe(4);
  });

  it("check refuses a verifyConnectivity that is not a boolean, naming it", async () => {
    const p = await ProviderUnderTest.load("ftp", emu.config());
    const { failures } = await p.check({}, { __autoName: "x", ...ftpArgs, verifyConnectivity: "yes" });
    expect(failures).toEqual([{ property: "verifyConnectivity", reason: 'must be true or false, got "yes"' }]);
    const streaming = await ProviderUnderTest.load("streaming", emu.config());
    const refused = await streaming.check({}, { __autoName: "s", dataType: "xdm", verifyConnectivity: true });
    expect(refused.failures).toEqual([expect.objectContaining({ property: "verifyConnectivity", reason: expect.stringMatching(/is not a property of StreamingConnection/) })]);
  });
});
