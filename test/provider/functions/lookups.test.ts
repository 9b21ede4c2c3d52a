import * as pulumi from "@pulumi/pulumi";
import { getConnection, getConnectionOutput, getConnectionSpec, getConnectionSpecOutput } from "../../../provider/functions/lookups";
import { bodies, SPEC, setEnv, TestEmulator } from "../../helpers/emulator";

/** The lookups against the emulator, in the test's own process as in a program's. */
let emu: TestEmulator;
let restore: () => void;
beforeAll(async () => {
  emu = await TestEmulator.start();
  restore = setEnv(emu.env());
});
afterAll(async () => {
  restore();
  await emu.stop();
});
beforeEach(() => emu.reset());

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

describe("getConnectionSpec", () => {
  it("finds a spec by name with one filtered request, and by id", async () => {
    await emu.clearRequests();
    const ftp = await getConnectionSpec({ name: "FTP" });
    expect(ftp).toEqual({ id: SPEC.ftp, name: "FTP", version: "1.0", authSpecNames: ["Basic Authentication for FTP"] });
    const entries = (await emu.requests()).entries.filter((e) => e.route === "/connectionSpecs");
    expect(entries).toHaveLength(1);
    expect(decodeURIComponent(entries[0].query ?? "")).toContain('property=name=="FTP"');
    expect(await getConnectionSpec({ id: SPEC.sftp })).toMatchObject({ id: SPEC.sftp, authSpecNames: ["Basic Authentication for sftp", "SSH PublicKey Authentication for sftp"] });
    expect(await valueOf(getConnectionSpecOutput({ name: pulumi.output("FTP") }))).toEqual(ftp);
  });

  it("says what is wrong: no such name, no such id, both or neither", async () => {
    await expect(getConnectionSpec({ name: "Gopher" })).rejects.toThrow(/^getConnectionSpec: no connection spec is named "Gopher"/);
    await expect(getConnectionSpec({ id: "00000000-0000-4000-8000-000000000000" })).rejects.toThrow(/^getConnectionSpec: no connection spec has id 00000000-.*1413-404/);
    await expect(getConnectionSpec({ name: "FTP", id: SPEC.ftp } as never)).rejects.toThrow(/give exactly one of name and id, got both/);
    await expect(getConnectionSpec({} as never)).rejects.toThrow(/got neither/);
  });
});

it("fails in words Pulumi prints by their message alone, as a RunError, for a usage error and a missing setting", async () => {
  const usageError = await getConnectionSpec({} as never).then(() => undefined, (e: Error) => e);
  expect(usageError?.message).toMatch(/^getConnectionSpec: give exactly one of name and id/);
  expect(pulumi.RunError.isInstance(usageError)).toBe(true);
  const unset = setEnv({ AEP_CLIENT_ID: undefined, AEP_CLIENT_SECRET: undefined, AEP_ACCESS_TOKEN: undefined });
  try {
    const settingError = await getConnectionSpec({ name: "FTP" }).then(() => undefined, (e: Error) => e);
    expect(settingError?.message).toMatch(/^getConnectionSpec: reading the settings failed: .*aep:clientId/);
    expect(pulumi.RunError.isInstance(settingError)).toBe(true);
  } finally {
    unset();
  }
});

describe("getConnection", () => {
  it("finds a connection managed elsewhere by name in a sandbox, secrets masked, and by id", async () => {
    const { id } = await emu.createDirect(bodies.ftp("shared-ftp"));
    await emu.createDirect(bodies.ftp("shared-ftp"), "dev");
    const found = await getConnection({ name: "shared-ftp" });
    expect(found).toMatchObject({ id, name: "shared-ftp", sandbox: "prod", connectionSpecId: SPEC.ftp, state: "enabled", authSpecName: "Basic Authentication for FTP", params: { host: "ftp.example.com", userName: "alice", password: "********" } });
    expect(JSON.stringify(found)).not.toContain("ftp-secret");
    expect((await getConnection({ id })).name).toBe("shared-ftp");
    expect((await getConnection({ name: "shared-ftp", sandbox: "dev" })).id).not.toBe(id);
    expect((await valueOf(getConnectionOutput({ name: "shared-ftp", sandbox: pulumi.output("prod") }))).id).toBe(id);
  });

  it("refuses an ambiguous or missing name, naming the ids and the way out", async () => {
    const a = await emu.createDirect(bodies.ftp("twice"));
    const b = await emu.createDirect(bodies.ftp("twice"));
    const err = (await getConnection({ name: "twice" }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^getConnection: 2 connections are named "twice" in sandbox "prod"/);
    expect(err.message).toContain(a.id);
    expect(err.message).toContain(b.id);
    expect(err.message).toMatch(/look it up by id/);
    await expect(getConnection({ name: "nobody" })).rejects.toThrow(/^getConnection: no connection is named "nobody" in sandbox "prod"/);
    await expect(getConnection({ id: "4f1a2c77-0000-4000-8000-000000000000" })).rejects.toThrow(/1101-404/);
  });
});
