import { ProviderUnderTest, type Props, newProviderProcess, setProviderClock } from "../../helpers/engine";
import { DEMO, FakeClock, TestEmulator } from "../../helpers/emulator";

/**
 * A dataflow's `schedule.startTime` once it has passed, through the serialized provider as the engine drives
 * it, against the emulator over HTTP. The provider and the emulator read one injected clock.
 */
const clock = new FakeClock();
const seconds = () => Math.floor(clock.now() / 1000);
let emu: TestEmulator;
let p: ProviderUnderTest;
const SCHEMA = DEMO.orders.schemaId;
let flowArgs: Props;

beforeAll(async () => {
  emu = await TestEmulator.start({ clock: clock.now });
  newProviderProcess();
  setProviderClock(clock.now);
  const make = async (kind: string, args: Props) => {
    const provider = await ProviderUnderTest.load(kind, emu.config());
    return provider.create(await provider.checked({}, { __autoName: kind, ...args }));
  };
  const s3 = await make("s3", { accessKey: "AKIASTART", secretKey: "start-time-secret-1", bucketName: "orders-bucket" });
  const lake = await make("datasetBase", {});
  const source = await make("sourceConnection", { baseConnectionId: s3.id, connectionSpecId: s3.outs.connectionSpecId, format: "delimited", path: "/in/*.csv" });
  const target = await make("targetConnection", { baseConnectionId: lake.id, dataSetId: DEMO.orders.dataSetId, schemaId: SCHEMA });
  const mapping = await make("mappingSet", { schemaId: SCHEMA, mappings: [{ source: "id", destination: "_id" }] });
  flowArgs = { __autoName: "orders-flow", flowSpecName: "CloudStorageToAEP", sourceConnectionId: source.id, targetConnectionId: target.id, mappingId: mapping.id, mappingVersion: 0 };
  p = await ProviderUnderTest.load("dataflow", emu.config());
});
afterAll(async () => {
  setProviderClock();
  await emu.stop();
});

/** A dataflow whose schedule starts `inSeconds` from now. */
async function dataflow(inSeconds: number): Promise<{ id: string; outs: Props; start: number }> {
  const start = seconds() + inSeconds;
  const { id, outs } = await p.create(await p.checked({}, { ...flowArgs, schedule: { startTime: start, frequency: "hour", interval: 1 } }));
  return { id, outs, start };
}

/** What `pulumi preview` and `pulumi up` run first for a changed program: check against the state, then diff. */
async function preview(f: { id: string; outs: Props }, schedule: Props, extra: Props = {}) {
  const news = await p.checked(f.outs, { ...flowArgs, ...extra, schedule });
  return { news, diff: () => p.diff(f.id, f.outs, news) };
}

describe("a dataflow's start time", () => {
  it("changes in place before it has passed", async () => {
    const f = await dataflow(3600);
    const { news, diff } = await preview(f, { startTime: f.start + 60, frequency: "hour", interval: 1 });
    expect(await diff()).toMatchObject({ changes: true, replaces: [] });
    await p.update(f.id, f.outs, news);
    expect((await emu.control.flow(f.id)).scheduleParams.startTime).toBe(String(f.start + 60));
  });

  it("is refused at preview once it has passed, naming schedule.startTime, the rule and both ways out, from the second Flow Service refuses it", async () => {
    const f = await dataflow(10);
    const { news, diff } = await preview(f, { startTime: f.start + 86_400, frequency: "hour", interval: 1 });
    clock.advance(10_000 - 1);
    expect(await diff()).toMatchObject({ changes: true, replaces: [] });
    clock.advance(1);
    const refusal = diff();
    await expect(refusal).rejects.toThrow(
      `Dataflow: schedule.startTime cannot change once the dataflow's start time has passed (Flow Service refuses it, for enabled and disabled dataflows alike): ${f.start} (${new Date(f.start * 1000).toISOString().replace(".000Z", "Z")}) has passed, and the program sets ${f.start + 86_400}.`,
    );
    await expect(refusal).rejects.toThrow(`Keep startTime: ${f.start} (frequency, interval and backfill still change in place), or replace the dataflow with \`pulumi up --replace <its URN>\``);
    // What `pulumi up` met before: the PATCH, which Flow Service (here the emulator) refuses at the same second.
    await expect(p.update(f.id, f.outs, news)).rejects.toThrow(/1100-400.*scheduleParams\.startTime/s);
  });

  it("still lets the rest of the schedule change in place once it has passed", async () => {
    const f = await dataflow(10);
    clock.advance(60_000);
    const { news, diff } = await preview(f, { startTime: f.start, frequency: "day", interval: 2 });
    expect(await diff()).toMatchObject({ changes: true, replaces: [] });
    await p.update(f.id, f.outs, news);
    expect((await emu.control.flow(f.id)).scheduleParams).toMatchObject({ startTime: String(f.start), frequency: "day", interval: "2" });
  });

  it("takes a new start time with a change that replaces the dataflow anyway, and through `pulumi up --replace`, which skips diff", async () => {
    const f = await dataflow(10);
    clock.advance(60_000);
    const schedule = { startTime: seconds() + 3600, frequency: "hour", interval: 1 };
    const moved = await preview(f, schedule, { sourceConnectionId: "26b53912-1005-49f0-b539-12100559f0e2" });
    expect(await moved.diff()).toMatchObject({ changes: true, replaces: ["sourceConnectionId"] });

    // `--replace`: check passes against the state, then the engine checks again without it, deletes and creates.
    await preview(f, schedule);
    await p.delete(f.id, f.outs);
    const { id } = await p.create(await p.checked({}, { ...flowArgs, schedule }));
    expect((await emu.control.flow(id)).scheduleParams.startTime).toBe(String(schedule.startTime));
  });
});
