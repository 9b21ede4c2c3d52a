jest.setTimeout(600_000);

import { randomBytes } from "node:crypto";
import { DEFAULT_CLIENT } from "../../emulator";
import { declare, makeStack, sharedProgram } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";
import { SECRETS, configure, mixed, report } from "./support";

/**
 * Two people run the same program, with the same project and stack name, each with their own
 * backend, against one sandbox: the stacks derive the same URNs and so the same generated names.
 * The second `up` (another IMS client) must refuse the first one's connections, naming them and the
 * ways out, and change none of them; its `destroy` deletes nothing of theirs.
 */
const THEIRS = { clientId: "twin-other-client", clientSecret: "twin-other-secret-1", orgId: DEFAULT_CLIENT.orgId, sandboxes: ["prod"] };
let emu: TestEmulator;

beforeAll(async () => {
  emu = await TestEmulator.start({ clients: [DEFAULT_CLIENT, THEIRS] });
});
afterAll(() => emu?.stop());

it("refuses the connections another stack of the same name created, and leaves them as they were", async () => {
  const stackName = `twin-${randomBytes(4).toString("hex")}`;
  const declared = mixed(5, "twin-");
  const program = sharedProgram();

  const first = await makeStack(program, {}, stackName);
  await declare(first.stack, declared, SECRETS);
  await configure(first, emu.config({ "aep:clientId": THEIRS.clientId, "aep:clientSecret": THEIRS.clientSecret }));
  expect((await first.stack.up()).summary.result).toBe("succeeded");
  const theirs = await emu.connections();
  expect(theirs).toHaveLength(5);

  // Same program folder and stack name (so the same config file), another backend, our credentials.
  const second = await makeStack(program, {}, stackName);
  expect(second.backendDir).not.toBe(first.backendDir);
  await declare(second.stack, declared, SECRETS);
  await configure(second, emu.config());
  await emu.clearRequests();
  const err = await second.stack.up().then(() => undefined, (e: Error) => e);
  expect(err?.message).toMatch(/already bears the generated name "twin-\d-[a-z0-9]{7}", but it cannot be shown to be this stack's \(created by another client \(twin-other-client\)\)/);
  expect(err?.message).toContain("existingId");
  const log = await emu.requests();
  const writes = log.entries.filter((e) => e.method !== "GET" && e.route !== "/ims/token/v3");
  expect(writes).toEqual([]);
  const after = await emu.connections();
  expect(after.map((c) => ({ id: c.id, etag: c.etag, params: c.auth?.params, createdBy: c.createdBy }))).toEqual(
    theirs.map((c) => ({ id: c.id, etag: c.etag, params: c.auth?.params, createdBy: c.createdBy })),
  );

  // Nothing of theirs is in our state, so our destroy deletes nothing.
  await second.stack.destroy();
  expect((await emu.connections()).map((c) => c.id).sort()).toEqual(theirs.map((c) => c.id).sort());

  await configure(first, emu.config({ "aep:clientId": THEIRS.clientId, "aep:clientSecret": THEIRS.clientSecret }));
  await first.stack.destroy();
  expect(await emu.connections()).toHaveLength(0);
  report("twin stacks", { theirs: theirs.length, refused: 5, writesByTheSecond: writes.length, theirsUnchanged: true });
});
