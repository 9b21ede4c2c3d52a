import { ProviderUnderTest, newProviderProcess } from "../../helpers/engine";
import { TestEmulator } from "../../helpers/emulator";

/**
 * `verifyConnectivity` on a generic Connection, against the emulator's simulated remotes: tested after the
 * create and after a change of its params, naming where it points (never a secret) when the test fails.
 */
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu.stop());

const TEST = "GET /connections/{id}/test";
const FTP = { connectionSpecName: "FTP", authSpecName: "Basic Authentication for FTP", params: { host: "ftp.example.com", userName: "ingest" }, verifyConnectivity: true };

it("tests after a verified create and after a rotation, and names what it could not reach, never the secret", async () => {
  emu.control.addRemote({ kind: "ftp", host: "ftp.example.com", credentials: [{ userName: "ingest", password: "generic-ftp-right" }] });
  newProviderProcess();
  const p = await ProviderUnderTest.load("connection", emu.config());
  const inputs = await p.checked({}, { __autoName: "verified", ...FTP, secretParams: { password: "generic-ftp-right" } });
  await emu.clearRequests();
  const created = await p.create(inputs);
  expect((await emu.requests()).counts[TEST]).toBe(1);
  expect(created.outs.__connectivityUnproven).toBeUndefined();

  const wrong = await p.checked(inputs, { __autoName: "verified", ...FTP, secretParams: { password: "generic-ftp-wrong" }, name: inputs.name });
  await emu.clearRequests();
  const err = await p.update(created.id, created.outs, wrong).then(() => undefined, (e: Error) => e);
  expect((await emu.requests()).counts[TEST]).toBe(1);
  expect(err?.message).toMatch(/could not reach the FTP source \(host "ftp\.example\.com", userName "ingest"\) through auth spec "Basic Authentication for FTP".*Fix: check params and secretParams/);
  expect(err?.message).not.toContain("generic-ftp-wrong");
});

it("refuses verifyConnectivity at preview for a spec the catalog says has no connectivity test", async () => {
  const p = await ProviderUnderTest.load("connection");
  const r = await p.check({}, { __autoName: "stream", connectionSpecName: "HTTP API", authSpecName: "Streaming Connection", params: { name: "n", dataType: "xdm" }, verifyConnectivity: true });
  expect(r.failures).toEqual([{ property: "verifyConnectivity", reason: "cannot be used with HTTP API (streaming): Flow Service has no connectivity test for it; remove it" }]);
});
