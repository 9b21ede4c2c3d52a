import { ProviderUnderTest, type Props, deploymentOf } from "../../helpers/engine";
import { TestEmulator } from "../../helpers/emulator";

/**
 * Adopting a connection made by hand (`existingConnectionId`): what the program declares is written,
 * what it leaves undeclared (the name, the description) stays the connection's own. Each deployment
 * is a new provider process; between deployments the test holds what the engine stores (the inputs
 * `check` returned, or `read` after a refresh, and the outputs), as the engine does.
 */
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

const SFTP_SPEC = "b7bf2577-4520-42c9-bae9-cad01560f7bc";
const LAKE_SPEC = "c604ff05-7f1a-43c0-8e18-33bf874cb11c";
const HAND_MADE = { name: "Partner SFTP (hand-made)", description: "Files the partner drops every night" };
const SFTP_ARGS = { host: "sftp.partner.example.com", userName: "ingest", password: "partner-password-1" };

/** The hand-made connection, created through the API as another tool would. */
function handMadeSftp(): Promise<{ id: string; etag: string }> {
  return emu.createDirect({
    ...HAND_MADE,
    connectionSpec: { id: SFTP_SPEC, version: "1.0" },
    auth: { specName: "Basic Authentication for sftp", params: { host: SFTP_ARGS.host, userName: SFTP_ARGS.userName, password: "partner-password-0" } },
  });
}

/** What the program declares: the resource name `partner-sftp`, no name, no description. */
function sftpNews(id: string, extra: Props = {}): Props {
  return { __autoName: "partner-sftp", __nameSeed: "urn:pulumi:dev::shop::aep:SftpConnection::partner-sftp", ...SFTP_ARGS, existingConnectionId: id, ...extra };
}

/** What the engine stores of a resource: its inputs and its outputs (never `__provider`, which each call adds). */
interface Held {
  inputs: Props;
  outs: Props;
}

const stored = (p: Props): Props => Object.fromEntries(Object.entries(p).filter(([k]) => k !== "__provider"));

async function sftp(): Promise<ProviderUnderTest> {
  return (await deploymentOf(["sftp"], emu.config())).sftp;
}

async function adopted(id: string, news: Props = sftpNews(id)): Promise<Held> {
  const p = await sftp();
  const inputs = await p.checked({}, news);
  const { outs } = await p.create(inputs);
  return { inputs: stored(inputs), outs: stored(outs) };
}

/** `pulumi preview` (or the preview of an `up`): check against the stored inputs, then diff against the stored outputs. */
async function preview(held: Held, news: Props) {
  const p = await sftp();
  const inputs = await p.checked(held.inputs, news);
  return { inputs, diff: await p.diff("id", held.outs, inputs) };
}

/** `pulumi refresh`: read with the stored outputs; the engine stores what read returns. */
async function refresh(id: string, held: Held): Promise<Held> {
  const r = await (await sftp()).read(id, held.outs);
  return { inputs: stored(r.inputs ?? {}), outs: stored(r.props ?? {}) };
}

it("keeps a hand-made connection's name and description when the program declares neither", async () => {
  const { id } = await handMadeSftp();
  const held = await adopted(id);

  expect(await emu.connection(id)).toMatchObject({ ...HAND_MADE, auth: { params: { password: SFTP_ARGS.password } } });
  expect(held.outs).toMatchObject(HAND_MADE);
  // No generated name is stored for it, and none is shown as an input.
  expect(held.inputs).not.toHaveProperty("name");
  expect(held.inputs).not.toHaveProperty("__generatedName");
  expect(held.inputs).not.toHaveProperty("description");
});

it("adopts without any PATCH when nothing declared differs from the connection", async () => {
  const { id } = await emu.createDirect({ ...HAND_MADE, connectionSpec: { id: LAKE_SPEC, version: "1.0" } });
  const p = (await deploymentOf(["datasetBase"], emu.config())).datasetBase;
  await emu.clearRequests();
  const { outs } = await p.create(await p.checked({}, { __autoName: "lake", existingConnectionId: id }));
  expect(outs).toMatchObject({ ...HAND_MADE, etag: (await emu.connection(id)).etag });
  expect((await emu.requests()).counts).toEqual({ "POST /ims/token/v3": 1, "GET /connections/{id}": 1 });
});

it("shows no change at the next preview, nor after a refresh, nor after a rename outside Pulumi", async () => {
  const { id } = await handMadeSftp();
  let held = await adopted(id);
  expect((await preview(held, sftpNews(id))).diff).toMatchObject({ changes: false, replaces: [] });

  held = await refresh(id, held);
  expect(held.inputs).not.toHaveProperty("name");
  expect(held.inputs).not.toHaveProperty("description");
  expect(held.outs).toMatchObject(HAND_MADE);
  expect((await preview(held, sftpNews(id))).diff).toMatchObject({ changes: false, replaces: [] });

  await emu.drift(id, { name: "Partner SFTP (renamed in the UI)", description: "" });
  held = await refresh(id, held);
  expect(held.outs).toMatchObject({ name: "Partner SFTP (renamed in the UI)" });
  expect(held.inputs).not.toHaveProperty("name");
  expect((await preview(held, sftpNews(id))).diff).toMatchObject({ changes: false, replaces: [] });
});

it("keeps the adopted name through an update of a declared property, and patches only that", async () => {
  const { id } = await handMadeSftp();
  const held = await adopted(id);
  const news = sftpNews(id, { host: "sftp2.partner.example.com" });
  const { inputs, diff } = await preview(held, news);
  expect(diff).toMatchObject({ changes: true, replaces: [] });

  const outs = await (await sftp()).update(id, held.outs, inputs);
  expect(outs).toMatchObject({ ...HAND_MADE, host: "sftp2.partner.example.com" });
  expect(await emu.connection(id)).toMatchObject({ ...HAND_MADE, auth: { params: { host: "sftp2.partner.example.com" } } });
});

it("writes a name and description the program declares, at adoption and later", async () => {
  const { id } = await handMadeSftp();
  const held = await adopted(id, sftpNews(id, { name: "partner files" }));
  expect(await emu.connection(id)).toMatchObject({ name: "partner files", description: HAND_MADE.description });
  expect(held.outs).toMatchObject({ name: "partner files", description: HAND_MADE.description });

  const news = sftpNews(id, { name: "partner files", description: "managed by Pulumi" });
  const { inputs, diff } = await preview(held, news);
  expect(diff).toMatchObject({ changes: true, replaces: [] });
  await (await sftp()).update(id, held.outs, inputs);
  expect(await emu.connection(id)).toMatchObject({ name: "partner files", description: "managed by Pulumi" });
});

it("keeps the adopted name after the program drops existingConnectionId, which is ignored after creation", async () => {
  const { id } = await handMadeSftp();
  const held = await adopted(id);
  const { existingConnectionId: _dropped, ...news } = sftpNews(id);
  const { inputs, diff } = await preview(held, news);
  expect(inputs).not.toHaveProperty("name");
  expect(diff).toMatchObject({ changes: false, replaces: [] });
});
