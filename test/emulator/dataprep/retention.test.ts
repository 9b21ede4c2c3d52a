import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startEmulator, type EmulatorOptions } from "../../../emulator";
import { FakeClock, Harness } from "../../helpers/emulator";
import { createMappingSet, createPipeline, created, dataPrep, expectDataPrepError, pipelineBodies } from "../support/pipeline";

/** The versions a mapping set keeps, by number, as the admin API shows them. */
const kept = (h: Harness, id: string): number[] => h.control.mappingSet(id).versions.map((v: { version: number }) => v.version);

describe("Data Prep's memory in the emulator is bounded", () => {
  const clock = new FakeClock();
  let h: Harness;
  const start = async (opts: EmulatorOptions) => (h = await Harness.start({ clock: clock.now, ...opts }));
  afterEach(() => h?.stop());

  /** The bytes one version of the default body costs, as the emulator counts it (JSON text). */
  async function versionSize(): Promise<number> {
    const probe = await Harness.start({ clock: clock.now });
    try {
      await createMappingSet(probe);
      return probe.control.mappingSetUsage().bytes;
    } finally {
      await probe.stop();
    }
  }

  it("starts with 10 versions a set and 64 MiB in all, and refuses a limit below 1 naming the option", async () => {
    await start({});
    expect(h.control.mappingSetUsage()).toEqual({ sets: 0, versionsKept: 0, versionsDropped: 0, bytes: 0, limits: { versionsPerSet: 10, bytes: 64 * 1024 * 1024 } });
    await expect(startEmulator({ port: 0, mappingSetVersions: 0 })).rejects.toThrow("mappingSetVersions must be an integer >= 1, got 0");
    await expect(startEmulator({ port: 0, mappingSetBytes: 1.5 })).rejects.toThrow("mappingSetBytes must be an integer >= 1, got 1.5");
  });

  it("keeps a set's last N versions: the latest and recent ones answer GET, a dropped one is a 404 saying so, and a flow may still name it", async () => {
    await start({ mappingSetVersions: 3 });
    const p = await createPipeline(h);
    for (let n = 1; n <= 5; n++) {
      const put = await dataPrep(h, "PUT", `/mappingSets/${p.mappingId}`, { body: pipelineBodies.mappingSet(`v${n}`) });
      expect(put.body).toMatchObject({ version: n, name: `v${n}` });
    }
    expect(kept(h, p.mappingId)).toEqual([3, 4, 5]);
    expect(h.control.mappingSetUsage()).toMatchObject({ sets: 1, versionsKept: 3, versionsDropped: 3 });

    expect((await dataPrep(h, "GET", `/mappingSets/${p.mappingId}`)).body).toMatchObject({ version: 5, name: "v5" });
    expect((await dataPrep(h, "GET", `/mappingSets/${p.mappingId}?version=3`)).body).toMatchObject({ version: 3, name: "v3" });
    const dropped = expectDataPrepError(await dataPrep(h, "GET", `/mappingSets/${p.mappingId}?version=2`), "2002-404");
    expect(dropped).toContain("version 2 is no longer kept by the emulator, which keeps the last 3 versions of a set (mappingSetVersions, --mapping-set-versions)");
    expect(dropped).toContain("the oldest it keeps is version 3 (latest: 5)");
    expect(expectDataPrepError(await dataPrep(h, "GET", `/mappingSets/${p.mappingId}?version=6`), "2002-404")).toContain("has no version 6 (latest: 5)");

    // Data Prep stored version 0 once: a flow may still name it, as it may with Adobe, which keeps every version.
    const flow = await created(h, "/flows", pipelineBodies.flow(p.sourceId, p.targetId, p.mappingId));
    expect((await h.api("GET", `/flows/${flow.id}`)).body.items[0].transformations[0].params.mappingVersion).toBe(0);
  });

  it("holds at most mappingSetBytes over every set, dropping the oldest versions that are not a set's latest first", async () => {
    const one = await versionSize();
    await start({ mappingSetBytes: Math.floor(3.5 * one) });
    const a = await createMappingSet(h);
    clock.advance(1000);
    await dataPrep(h, "PUT", `/mappingSets/${a}`, { body: pipelineBodies.mappingSet() });
    clock.advance(1000);
    const b = await createMappingSet(h);
    clock.advance(1000);
    expect(h.control.mappingSetUsage()).toMatchObject({ versionsKept: 3, versionsDropped: 0, bytes: 3 * one });

    const put = await dataPrep(h, "PUT", `/mappingSets/${b}`, { body: pipelineBodies.mappingSet() });
    expect(put.status).toBe(200);
    // Four versions do not fit in 3.5: the oldest of all (a's version 0) goes, never a latest.
    expect({ a: kept(h, a), b: kept(h, b) }).toEqual({ a: [1], b: [0, 1] });
    expect(h.control.mappingSetUsage()).toMatchObject({ sets: 2, versionsKept: 3, versionsDropped: 1, bytes: 3 * one });
    expect((await dataPrep(h, "GET", `/mappingSets/${a}`)).body.version).toBe(1);
    expect((await dataPrep(h, "GET", `/mappingSets/${b}?version=0`)).status).toBe(200);
  });

  it("refuses with 2000-507 a write the latest versions alone cannot fit, changing nothing, and takes one that does not grow them", async () => {
    const one = await versionSize();
    await start({ mappingSetBytes: Math.floor(2.5 * one) });
    const a = await createMappingSet(h);
    const b = await createMappingSet(h);
    const before = h.control.mappingSetUsage();

    const third = await dataPrep(h, "POST", "/mappingSets", { body: pipelineBodies.mappingSet() });
    const message = expectDataPrepError(third, "2000-507");
    expect(third.body.title).toBe("Insufficient storage");
    expect(message).toContain(`the emulator keeps at most ${Math.floor(2.5 * one)} bytes of mapping sets (mappingSetBytes, --mapping-set-bytes)`);
    expect(message).toContain("POST /__admin/reset");
    // Ten times as many mappings: a latest version the limit cannot hold beside the other set's.
    const larger = pipelineBodies.mappingSet("larger", Array.from({ length: 20 }, (_, i) => `person.field${i}`));
    expectDataPrepError(await dataPrep(h, "PUT", `/mappingSets/${a}`, { body: larger }), "2000-507");
    await expect(h.control.putMappingSetVersion(b, larger)).rejects.toMatchObject({
      result: { status: 507, body: { error: expect.stringContaining("--mapping-set-bytes") } },
    });
    expect(h.control.mappingSetUsage()).toEqual(before);
    expect((await dataPrep(h, "GET", `/mappingSets/${a}`)).body.version).toBe(0);

    // The same size again replaces what the latest versions hold: taken, the older version dropped.
    const same = await dataPrep(h, "PUT", `/mappingSets/${a}`, { body: pipelineBodies.mappingSet() });
    expect(same.body.version).toBe(1);
    expect(kept(h, a)).toEqual([1]);
    expect(h.control.mappingSetUsage()).toMatchObject({ sets: 2, versionsKept: 2, versionsDropped: 1, bytes: 2 * one });
  });

  it("trims a data directory written under larger limits when it starts, on disk too", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "aep-emu-retention-"));
    await start({ dataDir });
    const id = await createMappingSet(h);
    for (let n = 1; n <= 4; n++) await dataPrep(h, "PUT", `/mappingSets/${id}`, { body: pipelineBodies.mappingSet(`v${n}`) });
    await h.stop();

    await start({ dataDir, mappingSetVersions: 2 });
    expect(kept(h, id)).toEqual([3, 4]);
    expect(h.control.mappingSetUsage()).toMatchObject({ versionsKept: 2, versionsDropped: 3 });
    await h.stop();
    const file = JSON.parse(readFileSync(path.join(dataDir, "mappingSets", `${id}.json`), "utf8"));
    expect(file.versions.map((v: { version: number }) => v.version)).toEqual([3, 4]);
    await start({ dataDir });
    expect((await dataPrep(h, "GET", `/mappingSets/${id}`)).body).toMatchObject({ version: 4, name: "v4" });
  });
});
