import { ProviderUnderTest, type Props } from "../../helpers/engine";

/**
 * Check failures of object-valued inputs (a dataflow's schedule, a mapping set's mappings, an unknown
 * input holding an object). The engine prints the program's value of a failure's property in Go's
 * notation (`{map[frequency:{minute} interval:{5} startTime:{1.7672256e+09}]}`), so these failures
 * name the nested property first in their reason, quote values as the program wrote them, and leave
 * the property field empty (test/e2e/check-messages.e2e.test.ts shows the CLI's text).
 */
const FLOW = {
  __autoName: "flow",
  flowSpecName: "CloudStorageToAEP",
  sourceConnectionId: "7a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9",
  targetConnectionId: "8b2c3d4e-5f60-4172-9384-a5b6c7d8e9f0",
  mappingId: "c0ffee00c0ffee00c0ffee00c0ffee00",
  mappingVersion: 0,
};
const MAPPING = { __autoName: "mapping", schemaId: "https://ns.adobe.com/tenant/schemas/orders" };

async function failures(kind: string, news: Props) {
  const p = await ProviderUnderTest.load(kind);
  return (await p.check({}, news)).failures;
}

it.each([
  ["a minute interval under 15", { startTime: 1767225600, frequency: "minute", interval: 5 }, 'schedule.interval must be at least 15 for frequency "minute", got 5'],
  ["an hourly schedule without interval", { startTime: 1767225600, frequency: "hour" }, 'schedule.interval is required with frequency "hour" (at least 1)'],
  ["a fractional interval", { startTime: 1767225600, frequency: "day", interval: 1.5 }, "schedule.interval must be a whole number, got 1.5"],
  ["a start time with a fraction of a second", { startTime: 1767225600.5, frequency: "hour", interval: 1 }, "schedule.startTime must be a whole number of seconds since the epoch (e.g. 1767225600), got 1767225600.5"],
  ["a start time as a date", { startTime: "2026-01-01T00:00:00Z", frequency: "hour", interval: 1 }, 'schedule.startTime must be a whole number of seconds since the epoch (e.g. 1767225600), got "2026-01-01T00:00:00Z"'],
  ["an unknown schedule field", { startTime: 1767225600, frequency: "hour", interval: 1, endTime: 1767312000 }, "schedule.endTime is not a schedule field; valid fields are startTime, frequency, interval, backfill"],
])("names the schedule field and quotes it as written: %s", async (_t, schedule, reason) => {
  expect(await failures("dataflow", { ...FLOW, schedule })).toEqual([{ property: "", reason }]);
});

it("refuses a schedule on a streaming dataflow naming schedule in the reason, not as a property whose value the engine prints", async () => {
  const schedule = { startTime: 1767225600, frequency: "hour", interval: 1 };
  expect(await failures("dataflow", { ...FLOW, flowSpecName: "Steam data with transformation", schedule })).toEqual([
    { property: "", reason: "schedule is not used by a streaming dataflow (it runs continuously); remove it" },
  ]);
});

it("still names a missing schedule as the property (the engine prints its value as not set, which it is)", async () => {
  expect(await failures("dataflow", FLOW)).toEqual([{ property: "schedule", reason: expect.stringMatching(/^is required by CloudStorageToAEP/) }]);
});

it.each([
  [
    "two mappings to one destination",
    [
      { source: "id", destination: "_id" },
      { source: "orderId", destination: "_id" },
    ],
    'mappings[1].destination "_id" is already mapped by mappings[0]; each destination takes one mapping',
  ],
  ["an unknown sourceType", [{ sourceType: "FIELD", source: "id", destination: "_id" }], 'mappings[0].sourceType must be "ATTRIBUTE" or "EXPRESSION", got "FIELD"'],
  ["no mappings", [], "mappings must hold at least one mapping"],
])("names the mapping by its index: %s", async (_t, mappings, reason) => {
  expect(await failures("mappingSet", { ...MAPPING, mappings })).toEqual([{ property: "", reason }]);
});

it("names an unknown input holding an object in the reason", async () => {
  expect(await failures("ftp", { __autoName: "f", host: "ftp.example.com", userName: "u", password: "ftp-password", auth: { user: "u" } })).toEqual([
    { property: "", reason: expect.stringMatching(/^auth is not a property of FtpConnection; valid properties are /) },
  ]);
});

it("keeps a scalar input's failure on its property, whose value the engine prints as written", async () => {
  expect(await failures("dataflow", { ...FLOW, schedule: { startTime: 1767225600, frequency: "hour", interval: 1 }, mappingVersion: -1 })).toEqual([
    { property: "mappingVersion", reason: "must be at least 0, got -1" },
  ]);
});
