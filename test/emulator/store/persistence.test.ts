import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DEFAULT_CLIENT, startEmulator } from "../../../emulator";
import { bodies, Harness, request, startCli } from "../../helpers/emulator";

const freshDir = () => mkdtempSync(path.join(tmpdir(), "aep-emu-data-"));
const withoutInletUrl = (items: Array<{ auth?: { params: Record<string, unknown> } }>) =>
  items.map((c) => (c.auth ? { ...c, auth: { ...c.auth, params: { ...c.auth.params, inletUrl: undefined } } } : c));

describe("persistence with a data directory", () => {
  it("keeps connections, etags, events, dataflow marks and tokens across a restart", async () => {
    const dataDir = freshDir();
    const first = await Harness.start({ dataDir });
    const ftp = await first.create(bodies.ftp("kept"));
    const patched = await first.api("PATCH", `/connections/${ftp.id}`, { body: [{ op: "replace", path: "/auth/params/password", value: "new-secret" }], headers: { "if-match": ftp.etag } });
    const stream = await first.create(bodies.streaming());
    const { inletId, inletUrl } = (await first.get(stream.id)).auth.params;
    await request("POST", inletUrl, { body: { event: 1 } });
    const gone = await first.create(bodies.s3("gone"));
    await first.api("DELETE", `/connections/${gone.id}`);
    await first.admin("PUT", `/connections/${stream.id}/dataflows`, { count: 1 });
    const before = (await first.admin("GET", "/connections")).body.items;
    const token = await first.token();
    await first.stop();

    const second = await Harness.start({ dataDir });
    try {
      const after = (await second.admin("GET", "/connections")).body.items;
      expect(withoutInletUrl(after)).toEqual(withoutInletUrl(before));
      expect(after.map((c: { name: string }) => c.name).sort()).toEqual(["Sample streaming connection", "kept"]);
      expect(after.find((c: { id: string }) => c.id === ftp.id)).toMatchObject({ etag: patched.body.etag, auth: { params: { password: "new-secret" } } });
      expect((await second.admin("GET", `/inlets/${inletId}/events`)).body.items.map((e: { body: unknown }) => e.body)).toEqual([{ event: 1 }]);
      // The stored inletUrl follows the new port.
      expect((await second.get(stream.id)).auth.params.inletUrl).toBe(`${second.emu.baseUrl}/collection/${inletId}`);
      // A token issued before the restart is still valid: the signing key is kept too.
      const headers = { authorization: `Bearer ${token}`, "x-api-key": DEFAULT_CLIENT.clientId, "x-gw-ims-org-id": DEFAULT_CLIENT.orgId, "x-sandbox-name": "prod" };
      expect((await request("GET", `${second.emu.flowServiceUrl}/connections/${ftp.id}`, { headers })).status).toBe(200);
      // New connections still sort as the newest; the mark still blocks the delete.
      const newest = await second.create(bodies.ftp("newest"));
      expect((await second.api("GET", "/connections?limit=1")).body.items[0].id).toBe(newest.id);
      expect((await second.api("DELETE", `/connections/${stream.id}`)).status).toBe(400);
      expect((await second.api("GET", `/connections/${gone.id}`)).status).toBe(404);
    } finally {
      await second.stop();
    }
  });

  it("writes through temporary files and ignores a leftover one", async () => {
    const dataDir = freshDir();
    const emu = await Harness.start({ dataDir });
    const c = await emu.create(bodies.ftp());
    await emu.stop();
    const files = readdirSync(path.join(dataDir, "connections"));
    expect(files).toEqual([`${c.id}.json`]);
    writeFileSync(path.join(dataDir, "connections", `.${c.id}.json.999.1.tmp`), "{ torn");
    const again = await Harness.start({ dataDir });
    try {
      expect((await again.admin("GET", "/connections")).body.items.map((x: { id: string }) => x.id)).toEqual([c.id]);
      expect(readdirSync(path.join(dataDir, "connections"))).toEqual([`${c.id}.json`]);
    } finally {
      await again.stop();
    }
  });

  it("forgets everything on disk after an admin reset", async () => {
    const dataDir = freshDir();
    const emu = await Harness.start({ dataDir });
    await emu.create(bodies.ftp());
    await emu.reset();
    await emu.stop();
    const again = await startEmulator({ port: 0, dataDir });
    try {
      expect((await request("GET", `${again.adminUrl}/connections`)).body.items).toEqual([]);
    } finally {
      await again.stop();
    }
  });

  it("loses nothing acknowledged when the process is killed with SIGKILL", async () => {
    const dataDir = freshDir();
    const cli = await startCli(["--port", "0", "--data-dir", dataDir]);
    const emu = { baseUrl: cli.baseUrl, flowServiceUrl: `${cli.baseUrl}/data/foundation/flowservice`, imsUrl: cli.baseUrl, adminUrl: `${cli.baseUrl}/__admin` };
    const h = new Harness({ ...emu, clients: [DEFAULT_CLIENT], stop: async () => undefined });
    const acked = new Map<string, string>();
    try {
      // Concurrent creates and patches, as a client would send them; every acknowledged one must survive.
      const created = await Promise.all(Array.from({ length: 25 }, (_, i) => h.create(bodies.ftp(`c-${i}`))));
      for (const c of created) acked.set(c.id, c.etag);
      const patched = await Promise.all(
        created.slice(0, 10).map((c) => h.api("PATCH", `/connections/${c.id}`, { body: [{ op: "replace", path: "/name", value: `p-${c.id}` }], headers: { "if-match": c.etag } })),
      );
      for (const p of patched) acked.set(p.body.id, p.body.etag);
      await h.api("DELETE", `/connections/${created[24].id}`);
      acked.delete(created[24].id);
    } finally {
      cli.child.kill("SIGKILL");
      await cli.exited;
    }
    const restarted = await startEmulator({ port: 0, dataDir });
    try {
      const items = (await request("GET", `${restarted.adminUrl}/connections`)).body.items as Array<{ id: string; etag: string }>;
      expect(new Map(items.map((c) => [c.id, c.etag]))).toEqual(acked);
    } finally {
      await restarted.stop();
    }
  });
});
