import * as pulumi from "@pulumi/pulumi";
import { exploreConnection, exploreConnectionOutput } from "../../../provider/functions/explore";
import { FlowServiceError } from "../../../provider/client/flow-service-error";
import { bodies, setEnv, TestEmulator } from "../../helpers/emulator";

/** exploreConnection against the emulator's simulated remotes, in the test's own process as in a program's. */
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

const EXPLORE = "GET /connections/{id}/explore";
const remote = {
  kind: "ftp" as const,
  host: "ftp.example.com",
  credentials: [{ userName: "alice", password: "ftp-secret" }],
  files: [{ path: "/in/orders.csv", columns: [{ name: "id", type: "string" }] }, { path: "/top.csv" }],
};

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

it("lists the top and a folder with one request each, in the shape Flow Service lists them", async () => {
  emu.control.addRemote(remote);
  const { id } = await emu.createDirect(bodies.ftp());
  await emu.clearRequests();
  expect(await exploreConnection({ connectionId: id })).toEqual({
    connectionId: id,
    sandbox: "prod",
    items: [
      { type: "folder", name: "in", path: "/in/", canPreview: false, canFetchSchema: false },
      { type: "file", name: "top.csv", path: "/top.csv", canPreview: false, canFetchSchema: false },
    ],
  });
  const folder = await exploreConnection({ connectionId: id, path: "/in", sandbox: "prod" });
  expect(folder).toEqual({ connectionId: id, sandbox: "prod", path: "/in", items: [{ type: "file", name: "orders.csv", path: "/in/orders.csv", canPreview: true, canFetchSchema: true }] });
  expect((await emu.requests()).counts[EXPLORE]).toBe(2);
});

it("has an Output form taking Inputs", async () => {
  emu.control.addRemote(remote);
  const { id } = await emu.createDirect(bodies.ftp());
  const out = exploreConnectionOutput({ connectionId: pulumi.output(Promise.resolve(id)), path: "/in" });
  expect((await valueOf(out)).items.map((i) => i.path)).toEqual(["/in/orders.csv"]);
});

it("fails naming the function, the folder and what Flow Service said, never the password", async () => {
  const wrong = bodies.ftp();
  wrong.auth.params.password = "wrong-ftp-password";
  const { id } = await emu.createDirect(wrong);
  emu.control.addRemote(remote);
  const err = await exploreConnection({ connectionId: id, path: "/in" }).catch((e: unknown) => e as FlowServiceError);
  expect(err).toBeInstanceOf(FlowServiceError);
  expect((err as Error).message).toMatch(new RegExp(`^exploreConnection: listing folder "/in" of connection ${id} in sandbox "prod" failed: .*1100-400.*ftp\\.example\\.com refused the credentials`));
  expect((err as Error).message).not.toContain("wrong-ftp-password");
  const missing = (await exploreConnection({ connectionId: "4f1a2c77-0000-4000-8000-000000000000" }).catch((e: unknown) => e)) as Error;
  expect(missing.message).toMatch(/^exploreConnection: listing the top of connection 4f1a2c77-.* failed: .*1101-404/);
});
