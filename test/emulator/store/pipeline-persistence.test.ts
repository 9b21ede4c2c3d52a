import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DEFAULT_CLIENT, startEmulator } from "../../../emulator";
import { expectFlowError, Harness, startCli } from "../../helpers/emulator";
import { createPipeline, dataPrep, item, pipelineBodies } from "../support/pipeline";

const freshDir = () => mkdtempSync(path.join(tmpdir(), "aep-emu-pipeline-"));

describe("pipeline entities in the data directory", () => {
  it("keeps every entity, etag, state and mapping-set version across a restart, and their integrity", async () => {
    const dataDir = freshDir();
    const first = await Harness.start({ dataDir });
    const p = await createPipeline(first);
    await dataPrep(first, "PUT", `/mappingSets/${p.mappingId}`, { body: pipelineBodies.mappingSet("second version") });
    const off = await first.api("POST", `/flows/${p.flowId}/action?op=disable`, { body: {} });
    const before = {
      sources: first.control.sourceConnections(),
      targets: first.control.targetConnections(),
      flows: first.control.flows(),
      mappingSets: first.control.mappingSets(),
    };
    await first.stop();
    for (const kind of ["sourceConnections", "targetConnections", "flows", "mappingSets"]) {
      expect(readdirSync(path.join(dataDir, kind)).filter((f) => f.endsWith(".json"))).toHaveLength(1);
    }

    const second = await Harness.start({ dataDir });
    try {
      expect({
        sources: second.control.sourceConnections(),
        targets: second.control.targetConnections(),
        flows: second.control.flows(),
        mappingSets: second.control.mappingSets(),
      }).toEqual(before);
      expect(await item(second, "/flows", p.flowId)).toMatchObject({ state: "disabled", etag: off.body.etag });
      expect((await dataPrep(second, "GET", `/mappingSets/${p.mappingId}?version=0`)).body.name).toBe("Summer collection mapping");
      expect((await dataPrep(second, "GET", `/mappingSets/${p.mappingId}`)).body).toMatchObject({ version: 1, name: "second version" });
      // Integrity holds after the restart, and new entities still sort as the newest.
      expectFlowError(await second.api("DELETE", `/sourceConnections/${p.sourceId}`), "1418-400");
      expectFlowError(await second.api("DELETE", `/connections/${p.baseId}`), "1418-400");
      const newer = await createPipeline(second);
      expect((await second.api("GET", "/flows?limit=1")).body.items[0].id).toBe(newer.flowId);
      await second.reset();
    } finally {
      await second.stop();
    }

    // A reset is durable too.
    const third = await Harness.start({ dataDir });
    try {
      expect([third.control.sourceConnections(), third.control.targetConnections(), third.control.flows(), third.control.mappingSets()]).toEqual([[], [], [], []]);
    } finally {
      await third.stop();
    }
  });

  it("ignores a temporary file a crash left, and refuses to start on a damaged entity file, naming it", async () => {
    const dataDir = freshDir();
    const emu = await Harness.start({ dataDir });
    const p = await createPipeline(emu);
    await emu.stop();
    writeFileSync(path.join(dataDir, "flows", `.${p.flowId}.json.999.1.tmp`), "{ torn");
    const again = await Harness.start({ dataDir });
    expect(again.control.flows().map((f) => f.id)).toEqual([p.flowId]);
    await again.stop();
    expect(readdirSync(path.join(dataDir, "flows"))).toEqual([`${p.flowId}.json`]);

    const damaged = path.join(dataDir, "mappingSets", `${p.mappingId}.json`);
    writeFileSync(damaged, JSON.stringify({ id: p.mappingId, seq: 4, versions: [] }));
    await expect(startEmulator({ port: 0, dataDir })).rejects.toThrow(`${damaged}: not a stored mapping set (needs versions); repair or remove the file`);
    writeFileSync(damaged, "");
    await expect(startEmulator({ port: 0, dataDir })).rejects.toThrow(`${damaged}: empty`);
  });

  it("loses no acknowledged pipeline write when the process is killed with SIGKILL", async () => {
    const dataDir = freshDir();
    const cli = await startCli(["--port", "0", "--data-dir", dataDir]);
    const endpoints = { baseUrl: cli.baseUrl, flowServiceUrl: `${cli.baseUrl}/data/foundation/flowservice`, imsUrl: cli.baseUrl, adminUrl: `${cli.baseUrl}/__admin` };
    const h = new Harness({ ...endpoints, clients: [DEFAULT_CLIENT], stop: async () => undefined });
    let p: Awaited<ReturnType<typeof createPipeline>>;
    let disabled: string;
    try {
      p = await createPipeline(h);
      await dataPrep(h, "PUT", `/mappingSets/${p.mappingId}`, { body: pipelineBodies.mappingSet("v1") });
      disabled = (await h.api("POST", `/flows/${p.flowId}/action?op=disable`)).body.etag;
    } finally {
      cli.child.kill("SIGKILL");
      await cli.exited;
    }
    const restarted = await Harness.start({ dataDir });
    try {
      expect(await item(restarted, "/flows", p.flowId)).toMatchObject({ state: "disabled", etag: disabled });
      expect((await dataPrep(restarted, "GET", `/mappingSets/${p.mappingId}`)).body).toMatchObject({ version: 1, name: "v1" });
      expect(restarted.control.sourceConnections().map((s) => s.id)).toEqual([p.sourceId]);
      expect(restarted.control.targetConnections().map((t) => t.id)).toEqual([p.targetId]);
    } finally {
      await restarted.stop();
    }
  });

  it("writes deletes through to the folders", async () => {
    const dataDir = freshDir();
    const emu = await Harness.start({ dataDir });
    const p = await createPipeline(emu);
    await emu.api("DELETE", `/flows/${p.flowId}`);
    await emu.api("DELETE", `/sourceConnections/${p.sourceId}`);
    await emu.control.deleteMappingSet(p.mappingId);
    await emu.stop();
    expect(readdirSync(path.join(dataDir, "flows"))).toEqual([]);
    expect(readdirSync(path.join(dataDir, "sourceConnections"))).toEqual([]);
    expect(readdirSync(path.join(dataDir, "mappingSets"))).toEqual([]);
    expect(readdirSync(path.join(dataDir, "targetConnections"))).toEqual([`${p.targetId}.json`]);
  });
});
