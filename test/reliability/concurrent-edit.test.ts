jest.setTimeout(600_000);

import type { Declared, StackHandle } from "../helpers/e2e";
import { declare } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";
import { SECRETS, converged, convergence, mixed, report, stackFor, stateOf } from "./support";

/**
 * A connection changed outside Pulumi between `preview` and `up` (its etag moved) makes `up`
 * fail with "changed outside Pulumi" and change nothing; after `refresh`, `up` succeeds.
 */
let emu: TestEmulator;
let h: StackHandle;
let declared: Declared[];

beforeAll(async () => {
  emu = await TestEmulator.start();
  declared = mixed(5, "edit-");
  h = await stackFor(emu.config(), declared);
  expect((await h.stack.up()).summary.result).toBe("succeeded");
}, 300_000);
afterAll(() => emu?.stop());

type Held = Awaited<ReturnType<TestEmulator["connections"]>>;
const byId = (held: Held): Map<string, Held[number]> => new Map(held.map((c) => [c.id as string, c]));

it("fails up on the connection edited since preview, names it and the fix, and changes nothing", async () => {
  const target = declared.find((d) => d.type === "S3Connection") as Declared;
  declared = declared.map((d) => (d === target ? { ...d, args: { ...d.args, bucketName: "bucket-moved" } } : d));
  await declare(h.stack, declared, SECRETS);
  const preview = await h.stack.preview();
  expect(preview.changeSummary).toMatchObject({ update: 1 });

  // Someone edits the connection in the Adobe UI after the pull request's preview.
  const id = stateOf(h).connections.find((r) => r.urn.endsWith(`::${target.name}`))?.id as string;
  const edited = await emu.admin<Held[number]>("PATCH", `/connections/${id}`, { description: "edited in the UI" });
  const before = byId(await emu.connections());
  await emu.clearRequests();

  const err = await h.stack.up().then(() => undefined, (e: Error) => e);
  expect(err?.message).toMatch(/S3Connection: updating connection [0-9a-f-]+ \("[^"]+"\) in sandbox "prod": the connection was changed outside Pulumi since it was last read \(its etag no longer matches\)\. Run `pulumi refresh`/);
  // The refused PATCH is the only write; every connection is exactly as before.
  const log = await emu.requests();
  expect(log.entries.filter((e) => e.method !== "GET" && e.route !== "/ims/token/v3").map((e) => `${e.method} ${e.status}`)).toEqual(["PATCH 412"]);
  const after = byId(await emu.connections());
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [cid, c] of after) expect({ etag: c.etag, name: c.name, description: c.description }).toEqual({ etag: before.get(cid)?.etag, name: before.get(cid)?.name, description: before.get(cid)?.description });
  expect(after.get(id)?.etag).toBe(edited.etag);
  report("concurrent edit", { preview: "1 update", up: "failed: changed outside Pulumi", writesApplied: 0 });
});

it("after refresh, up succeeds and applies the declared change", async () => {
  const refresh = await h.stack.refresh();
  expect(refresh.summary.result).toBe("succeeded");
  const up = await h.stack.up();
  expect(up.summary.result).toBe("succeeded");
  expect(up.summary.resourceChanges?.update).toBe(1);
  const target = declared.find((d) => d.type === "S3Connection") as Declared;
  const id = stateOf(h).connections.find((r) => r.urn.endsWith(`::${target.name}`))?.id as string;
  const held = await emu.connection(id);
  expect(held.auth.params.bucketName).toBe("bucket-moved");
  expect(await convergence(emu, h)).toEqual(converged(5));
});
