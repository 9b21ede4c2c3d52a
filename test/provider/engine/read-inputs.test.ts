import { type Props, deploymentOf } from "../../helpers/engine";
import { TestEmulator } from "../../helpers/emulator";

/**
 * What a refresh stores as a connection's inputs: what the program declared, as the connection now
 * holds it, and nothing it left to Flow Service. The engine starts the next diff's display from these
 * inputs, so a server-filled value here shows up as a change the program never made.
 */
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const stored = (p: Props): Props => Object.fromEntries(Object.entries(p).filter(([k]) => k !== "__provider"));

async function streamingCreated(extra: Props = {}) {
  const p = (await deploymentOf(["streaming"], emu.config())).streaming;
  const news = { __autoName: "events", __nameSeed: "urn:pulumi:dev::shop::aep:StreamingConnection::events", dataType: "xdm", ...extra };
  const inputs = await p.checked({}, news);
  const { id, outs } = await p.create(inputs);
  return { p, news, id, inputs: stored(inputs), outs: stored(outs) };
}

it("a refresh after a rename outside Pulumi stores the new name and no sourceId the program left to Flow Service", async () => {
  const s = await streamingCreated();
  expect(s.outs.sourceId).toEqual(expect.any(String));
  await emu.drift(s.id, { name: "events (renamed in the UI)" });

  const read = await s.p.read(s.id, s.outs);
  expect(read.inputs).toMatchObject({ name: "events (renamed in the UI)" });
  expect(read.inputs).not.toHaveProperty("sourceId");
  expect(read.inputs).not.toHaveProperty("inletUrl");
  expect(read.props).toMatchObject({ name: "events (renamed in the UI)", sourceId: s.outs.sourceId });

  // The next `up` renames it back: an update of the name alone, nothing replaced.
  const inputs = await s.p.checked(stored(read.inputs ?? {}), s.news);
  const diff = await s.p.diff(s.id, stored(read.props ?? {}), inputs);
  expect(diff).toMatchObject({ changes: true, replaces: [] });
  expect(inputs).not.toHaveProperty("sourceId");
});

it("refreshes keep a sourceId the program declared among the inputs", async () => {
  const s = await streamingCreated({ sourceId: "orders-web" });
  const first = await s.p.read(s.id, s.outs);
  expect(first.inputs).toMatchObject({ sourceId: "orders-web" });
  const second = await s.p.read(s.id, stored(first.props ?? {}));
  expect(second.inputs).toMatchObject({ sourceId: "orders-web" });
});

it("a refresh of state written before the provider listed what it leaves to Flow Service stores no sourceId input", async () => {
  const s = await streamingCreated();
  const { __kept: _unlisted, ...older } = s.outs;
  const read = await s.p.read(s.id, older);
  expect(read.inputs).not.toHaveProperty("sourceId");
  expect(read.props).toMatchObject({ sourceId: s.outs.sourceId });
});
