/**
 * `--flow`, `--name-prefix` and `--spec` against a sandbox built through the public API, and what an
 * export does with an entity no kind can declare (a target connection without a base connection): the
 * dataflow using it keeps its id as a literal, with a comment, and the README lists it.
 */
import type { FlowServiceClient } from "../../../provider/client/client";
import { UsageError } from "../../../provider/export/filters";
import { DEMO, SPEC, TestEmulator } from "../../helpers/emulator";
import { FLOW_SPEC, type Seeded, seedClient, seedSandbox } from "./support/seed";
import { block, runExport } from "./support/run";

const SANDBOX = "dev";
let emu: TestEmulator;
let seeded: Seeded;
let client: FlowServiceClient;
/** A second dataflow named "Orders hourly", on its own source connection. */
let twin: { source: string; flow: string };
/** A target connection with no base connection, and the dataflow writing through it. */
let orphan: { target: string; source: string; flow: string };

beforeAll(async () => {
  emu = await TestEmulator.start();
  client = seedClient(emu.baseUrl);
  seeded = await seedSandbox(client, SANDBOX);
  const source = async (name: string) =>
    (await client.createItem("/sourceConnections", SANDBOX, { name, baseConnectionId: seeded.s3.base, connectionSpec: { id: SPEC.s3, version: "1.0" }, data: { format: "json" }, params: { path: `/${name}` } })).id;
  const flow = async (name: string, sourceId: string, targetId: string) =>
    (
      await client.createItem("/flows", SANDBOX, {
        name,
        flowSpec: { id: FLOW_SPEC.cloudStorage, version: "1.0" },
        sourceConnectionIds: [sourceId],
        targetConnectionIds: [targetId],
        transformations: [{ name: "Mapping", params: { mappingId: seeded.s3.mapping, mappingVersion: 0 } }],
        scheduleParams: { startTime: "1767225600", frequency: "day", interval: "1" },
      })
    ).id;
  const twinSource = await source("twin-orders");
  twin = { source: twinSource, flow: await flow("Orders hourly", twinSource, seeded.s3.target) };
  const orphanTarget = (
    await client.createItem("/targetConnections", SANDBOX, {
      name: "Orphan target",
      connectionSpec: { id: SPEC.datasetBase, version: "1.0" },
      data: { format: "parquet_xdm", schema: { id: DEMO.orders.schemaId, version: "application/vnd.adobe.xed-full+json;version=1" } },
      params: { dataSetId: DEMO.orders.dataSetId },
    })
  ).id;
  const orphanSource = await source("orphan-files");
  orphan = { target: orphanTarget, source: orphanSource, flow: await flow("Orphan flow", orphanSource, orphanTarget) };
});

afterAll(async () => {
  await emu?.stop();
});

const writtenIds = (r: Awaited<ReturnType<typeof runExport>>): string[] => r.program.written.map((w) => w.id).sort();

describe("--flow", () => {
  it("exports exactly one dataflow and what it uses: its source and target connections, their base connections, its mapping set", async () => {
    const p = seeded.sftp;
    const byName = await runExport(emu, SANDBOX, { filters: { flows: [p.flowName] } });
    expect(writtenIds(byName)).toEqual([p.flow, p.source, p.target, p.mapping, p.base, seeded.lake].sort());
    expect(byName.program.written.filter((w) => w.typeName === "Dataflow")).toHaveLength(1);
    const byId = await runExport(emu, SANDBOX, { filters: { flows: [p.flow] } });
    expect(byId.program.files.get("index.ts")).toBe(byName.program.files.get("index.ts"));
    // The README says how the entities were chosen; names are those of a whole export.
    expect(byName.program.files.get("README.md")).toContain(`chosen with --flow "${p.flowName}"`);
    const whole = await runExport(emu, SANDBOX);
    for (const w of byName.program.written) expect(whole.program.written.find((x) => x.id === w.id)?.resourceName).toBe(w.resourceName);
  });

  it("refuses a name two dataflows share, listing their ids, and a name no dataflow has, with the closest ones", async () => {
    const ids = [seeded.s3.flow, twin.flow].sort().join(", ");
    await expect(runExport(emu, SANDBOX, { filters: { flows: ["Orders hourly"] } })).rejects.toThrow(new UsageError(`--flow "Orders hourly": 2 dataflows have that name (${ids}); name one by its id`));
    const error = await runExport(emu, SANDBOX, { filters: { flows: ["Customers dialy"] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^--flow "Customers dialy": no dataflow in sandbox "dev" has that name or id; did you mean "Customers daily"/);
  });
});

describe("--name-prefix and --spec", () => {
  it("--name-prefix: the entities whose name starts with it, and what they use", async () => {
    const r = await runExport(emu, SANDBOX, { filters: { namePrefixes: ["Customers"] } });
    // "Customers dataset", "Customers mapping", "Customers daily", and through the dataflow its source and its base.
    const p = seeded.sftp;
    expect(writtenIds(r)).toEqual([p.target, p.mapping, p.flow, p.source, p.base, seeded.lake].sort());
    await expect(runExport(emu, SANDBOX, { filters: { namePrefixes: ["customers"] } })).rejects.toThrow(/^--name-prefix "customers": no entity's name in sandbox "dev" starts with it/);
  });

  it("--spec: the base connections of a spec by catalog name or id, what uses them, and what that uses", async () => {
    const byName = await runExport(emu, SANDBOX, { filters: { specs: ["SFTP"] } });
    const p = seeded.sftp;
    expect(writtenIds(byName)).toEqual([seeded.unusedSftp, p.base, p.source, p.flow, p.target, p.mapping, seeded.lake].sort());
    const byId = await runExport(emu, SANDBOX, { filters: { specs: [SPEC.sftp] } });
    expect(writtenIds(byId)).toEqual(writtenIds(byName));
    await expect(runExport(emu, SANDBOX, { filters: { specs: ["Amazon S4"] } })).rejects.toThrow(/^--spec "Amazon S4": not a connection spec id, nor a name the package's catalog knows; did you mean "Amazon S3"/);
  });

  it("filters add up: the program holds what any of them selects", async () => {
    const r = await runExport(emu, SANDBOX, { filters: { flows: [seeded.streaming.flowName], specs: ["FTP"] } });
    const p = seeded.streaming;
    expect(writtenIds(r)).toEqual([p.flow, p.source, p.base, p.target, p.mapping, seeded.lake, seeded.unusedFtp].sort());
  });
});

describe("an entity no kind can declare", () => {
  it("is left out, named in the README with the reason; the dataflow using it keeps its id as a literal with a comment", async () => {
    const r = await runExport(emu, SANDBOX, { filters: { flows: ["Orphan flow"] } });
    expect(writtenIds(r)).toEqual([orphan.flow, orphan.source, seeded.s3.base, seeded.s3.mapping].sort());
    const index = r.program.files.get("index.ts") as string;
    const flow = block(index, "orphan-flow");
    expect(flow).toContain(`  targetConnectionId: ${JSON.stringify(orphan.target)}, // target connection ${orphan.target} is not exported (it names no base connection, which a TargetConnection needs`);
    const readme = r.program.files.get("README.md") as string;
    expect(readme).toContain(`- target connection \`${orphan.target}\` ("Orphan target"): it names no base connection, which a TargetConnection needs`);
    expect(readme).toContain(`\`orphan-flow\`'s \`targetConnectionId\` (target connection ${orphan.target})`);
    expect(r.stats.skipped).toBe(1);
  });

  it("is listed by a whole export too, which declares everything else", async () => {
    const whole = await runExport(emu, SANDBOX);
    expect(whole.stats.skipped).toBe(1);
    expect(whole.program.written.map((w) => w.id)).not.toContain(orphan.target);
    expect(whole.program.written.map((w) => w.id)).toEqual(expect.arrayContaining([orphan.flow, orphan.source, twin.flow, twin.source]));
    expect(whole.program.files.get("README.md")).toContain(`## Not exported\n\nNo resource kind of pulumi-aep-flow can declare these as they are:\n\n- target connection \`${orphan.target}\``);
  });
});
