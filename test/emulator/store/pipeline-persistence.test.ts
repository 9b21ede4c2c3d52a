import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { expectFlowError, Harness } from "../../helpers/emulator";
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
