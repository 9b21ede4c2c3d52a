import { checkInputs, diffInputs } from "../../../provider/engine/inputs";
import { entityBody, entityPatch, inputsFromEntity } from "../../../provider/engine/entity-wire";
import { pipelineOutputs } from "../../../provider/engine/entity-wire";
import type { Inputs, PipelineKind } from "../../../provider/resources/declaration";
import { PIPELINE_KINDS, anyKindByName } from "../../../provider/resources/registry";
import { UNKNOWN } from "../../../provider/validators";

const S3_SPEC = "ecadc60c-7455-4d87-84dc-2a0e293d997b";
const STREAMING_SPEC = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb";
const CLOUD = "9753525b-82c7-4dce-8a9b-5ccfce2b9876";

/** Valid inputs of each pipeline kind. */
export const PIPELINE_VALID: Record<string, Inputs> = {
  sourceConnection: { baseConnectionId: "9e2541a0-b143-4d23-a541-a0b143dd2301", connectionSpecId: S3_SPEC, format: "delimited", path: "/in/*.csv" },
  targetConnection: { baseConnectionId: "2a0e293d-997b-4d87-84dc-ecadc60c7455", dataSetId: "5f3c3cedb2805c194ff0b69a", schemaId: "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4" },
  mappingSet: { schemaId: "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4", mappings: [{ source: "id", destination: "_id" }, { source: "first", destination: "person.name.firstName" }] },
  dataflow: {
    flowSpecName: "CloudStorageToAEP",
    sourceConnectionId: "26b53912-1005-49f0-b539-12100559f0e2",
    targetConnectionId: "f7eb08fa-5f04-4e45-ab08-fa5f046e45ee",
    mappingId: "bf5286a9c1ad4266baca76ba3adc9366",
    mappingVersion: 0,
    schedule: { startTime: 1_900_000_000, frequency: "hour", interval: 1 },
  },
};

const kind = (name: string) => anyKindByName(name) as PipelineKind;
const check = (name: string, news: Inputs, olds: Inputs = {}) => checkInputs(kind(name), olds, { __autoName: "res", ...news });
const failuresOf = (name: string, change: Inputs) => check(name, { ...PIPELINE_VALID[name], ...change }).failures;

describe("check of the pipeline kinds", () => {
  it.each(PIPELINE_KINDS.map((k) => [k.typeName, k.kind] as const))("accepts valid %s inputs and generates a name", (_t, name) => {
    const { inputs, failures } = check(name, PIPELINE_VALID[name]);
    expect(failures).toEqual([]);
    expect(inputs.name).toMatch(/^res-[a-z0-9]{7}$/);
  });

  it("fills declared defaults so they are stored and compared", () => {
    expect(check("dataflow", PIPELINE_VALID.dataflow).inputs.enabled).toBe(true);
    expect(check("targetConnection", PIPELINE_VALID.targetConnection).inputs).toMatchObject({ format: "parquet_xdm", schemaVersion: "application/vnd.adobe.xed-full+json;version=1" });
    expect(check("mappingSet", PIPELINE_VALID.mappingSet).inputs.schemaContentType).toBe("application/vnd.adobe.xed-full+json;version=1");
  });

  it("accepts unknown references at preview", () => {
    expect(failuresOf("dataflow", { sourceConnectionId: UNKNOWN, targetConnectionId: UNKNOWN, mappingId: UNKNOWN, mappingVersion: UNKNOWN })).toEqual([]);
    expect(failuresOf("sourceConnection", { baseConnectionId: UNKNOWN, connectionSpecId: UNKNOWN, format: undefined, path: undefined })).toEqual([]);
  });

  const cases: Array<[string, Inputs, string, RegExp]> = [
    ["sourceConnection", { baseConnectionId: undefined }, "baseConnectionId", /is required for SourceConnection/],
    ["sourceConnection", { baseConnectionId: "not an id!" }, "baseConnectionId", /must be the id of a base connection \(e\.g\. `s3\.id`\)/],
    ["sourceConnection", { connectionSpecId: undefined }, "connectionSpecId", /is required/],
    ["sourceConnection", { format: "csv" }, "format", /delimited/],
    ["sourceConnection", { format: undefined }, "format", /is required for a file-based source connection/],
    ["sourceConnection", { path: undefined }, "path", /is required for a file-based source connection/],
    ["sourceConnection", { columnDelimiter: ";;" }, "columnDelimiter", /exactly one character/],
    ["sourceConnection", { format: "json", columnDelimiter: ";" }, "columnDelimiter", /delimited files only/],
    ["sourceConnection", { compressionType: "zip" }, "compressionType", /gzip/],
    ["sourceConnection", { recursive: "yes" }, "recursive", /true or false/],
    ["sourceConnection", { connectionSpecId: STREAMING_SPEC, format: undefined }, "path", /not used by a streaming source connection/],
    ["sourceConnection", { connectionSpecId: STREAMING_SPEC, path: undefined, format: "parquet" }, "format", /must be "json"/],
    ["sourceConnection", { existingConnectionId: "9e2541a0-b143-4d23-a541-a0b143dd2301" }, "existingConnectionId", /is not a property of SourceConnection/],
    ["targetConnection", { dataSetId: undefined }, "dataSetId", /is required/],
    ["targetConnection", { schemaId: "" }, "schemaId", /empty/],
    ["targetConnection", { baseConnectionId: 7 }, "baseConnectionId", /DatasetBaseConnection/],
    ["mappingSet", { mappings: [] }, "mappings", /^mappings must hold at least one mapping/],
    ["mappingSet", { mappings: "id:_id" }, "mappings", /must be a list/],
    ["mappingSet", { mappings: [{ source: "a" }] }, "mappings[0].destination", /is required: each mapping is \{ source, destination \}/],
    ["mappingSet", { mappings: [{ source: "a", destination: "x" }, { source: "b", destination: "x" }] }, "mappings[1].destination", /"x" is already mapped by mappings\[0\]/],
    ["mappingSet", { mappings: [{ source: "a", destination: "x", sourceType: "STATIC" }] }, "mappings[0].sourceType", /must be "ATTRIBUTE" or "EXPRESSION"/],
    ["mappingSet", { mappings: [{ source: "a", destination: "x", identity: true }] }, "mappings[0].identity", /is not a mapping field/],
    ["mappingSet", { schemaId: undefined }, "schemaId", /is required/],
    ["dataflow", { flowSpecName: undefined }, "flowSpecName", /or flowSpecId is required/],
    ["dataflow", { flowSpecId: CLOUD }, "flowSpecId", /name the flow spec twice/],
    ["dataflow", { schedule: undefined }, "schedule", /is required by CloudStorageToAEP/],
    ["dataflow", { schedule: { startTime: 1, frequency: "minute", interval: 5 } }, "schedule.interval", /must be at least 15 for frequency "minute", got 5/],
    ["dataflow", { schedule: { startTime: 1, frequency: "hour" } }, "schedule.interval", /is required/],
    ["dataflow", { schedule: { startTime: 1, frequency: "once", interval: 1 } }, "schedule.interval", /not used with frequency "once"/],
    ["dataflow", { schedule: { startTime: 1, frequency: "monthly", interval: 1 } }, "schedule.frequency", /must be one of once, minute, hour, day, week/],
    ["dataflow", { schedule: { startTime: "tomorrow", frequency: "day", interval: 1 } }, "schedule.startTime", /seconds since the epoch/],
    ["dataflow", { schedule: { startTime: 1, frequency: "day", interval: 1, cron: "* * *" } }, "schedule.cron", /is not a schedule field/],
    ["dataflow", { mappingVersion: undefined }, "mappingVersion", /is required with mappingId: pass mapping\.version/],
    ["dataflow", { mappingId: undefined }, "mappingId", /is required by CloudStorageToAEP/],
    ["dataflow", { mappingVersion: -1 }, "mappingVersion", /at least 0|>= 0|integer/],
    ["dataflow", { enabled: "yes" }, "enabled", /true or false/],
    ["dataflow", { flowSpecName: "Steam data with transformation" }, "schedule", /not used by a streaming dataflow/],
  ];
  // A failure inside an object-valued input (or of one) names its property first in the reason, with
  // no property field: the engine would print the object's value in Go's notation.
  it.each(cases)("%s %j fails on %s", (name, change, property, reason) => {
    const failures = failuresOf(name, change);
    const named = failures.filter((f) => f.property === property || (f.property === "" && f.reason.startsWith(`${property} `)));
    expect(named.map((f) => f.reason)).toContainEqual(expect.stringMatching(reason));
  });
});

/** Old state as the engine stores it. */
function stored(name: string, inputs: Inputs): Inputs {
  const checked = check(name, inputs).inputs;
  return { ...pipelineOutputs(kind(name), checked, { etag: '"e1"', state: "enabled", version: 0 }), __provider: "old text" };
}

const diffs: Array<[string, string, Inputs, boolean, string[]]> = [
  ["sourceConnection", "nothing changed", {}, false, []],
  ["sourceConnection", "name changed", { name: "renamed" }, true, []],
  ["sourceConnection", "path changed", { path: "/in2/*.csv" }, true, ["path"]],
  ["sourceConnection", "base connection replaced (unknown at preview)", { baseConnectionId: UNKNOWN }, true, ["baseConnectionId"]],
  ["sourceConnection", "base connection updated in place (its spec unknown at preview)", { connectionSpecId: UNKNOWN }, false, []],
  ["sourceConnection", "base connection replaced, reference and spec unknown", { baseConnectionId: UNKNOWN, connectionSpecId: UNKNOWN }, true, ["baseConnectionId", "connectionSpecId"]],
  ["sourceConnection", "another base connection, its spec unknown", { baseConnectionId: "0c4b2d1e-5f6a-4b7c-8d9e-0f1a2b3c4d5e", connectionSpecId: UNKNOWN }, true, ["baseConnectionId", "connectionSpecId"]],
  ["targetConnection", "dataset changed", { dataSetId: "5ba9452f7de80400007fc52a" }, true, ["dataSetId"]],
  ["targetConnection", "default declared explicitly", { format: "parquet_xdm" }, false, []],
  ["mappingSet", "mappings changed", { mappings: [{ source: "id", destination: "_id" }] }, true, []],
  ["mappingSet", "schema changed", { schemaId: "https://ns.adobe.com/acme/schemas/89abc189258b1cb1a816d8f2b2341a6d98000ed8f4008305" }, true, []],
  ["dataflow", "nothing changed (flowSpecId resolved, not declared)", {}, false, []],
  ["dataflow", "schedule changed", { schedule: { startTime: 1_900_000_000, frequency: "day", interval: 1 } }, true, []],
  ["dataflow", "mapping version moved (unknown at preview)", { mappingVersion: UNKNOWN }, true, []],
  ["dataflow", "disabled", { enabled: false }, true, []],
  ["dataflow", "source connection replaced", { sourceConnectionId: UNKNOWN }, true, ["sourceConnectionId"]],
  ["dataflow", "flow spec changed", { flowSpecName: "Steam data with transformation", schedule: undefined }, true, ["flowSpecName"]],
  ["dataflow", "sandbox changed", { sandbox: "dev" }, true, ["sandbox"]],
];

describe("diff of the pipeline kinds", () => {
  it.each(diffs)("%s: %s → changes=%s replaces=%j", (name, _label, change, changes, replaces) => {
    const olds: Inputs = { ...stored(name, PIPELINE_VALID[name]), ...(name === "dataflow" ? { flowSpecId: CLOUD } : {}) };
    const news = check(name, { ...PIPELINE_VALID[name], name: olds.name, ...change }, olds).inputs;
    const d = diffInputs(kind(name), olds, news);
    expect(d.changes).toBe(changes);
    expect(d.replaces.sort()).toEqual(replaces.sort());
  });
});

describe("an input unknown at preview that can only keep its value", () => {
  const olds = stored("sourceConnection", PIPELINE_VALID.sourceConnection);

  it("diff: an unknown spec of an unchanged base connection is no change, so no replacement is announced", () => {
    const news = { ...olds, connectionSpecId: UNKNOWN };
    expect(diffInputs(kind("sourceConnection"), olds, news)).toEqual({ changes: false, replaces: [], changed: [] });
  });

  it("diff: the engine's question before it replaces a base connection (every input taken from it unknown) still answers replace", () => {
    const news = { ...olds, baseConnectionId: UNKNOWN, connectionSpecId: UNKNOWN };
    expect(diffInputs(kind("sourceConnection"), olds, news).replaces.sort()).toEqual(["baseConnectionId", "connectionSpecId"]);
  });

  it("check: stores the old spec and keeps the generated name", () => {
    const { inputs, failures } = check("sourceConnection", { ...PIPELINE_VALID.sourceConnection, connectionSpecId: UNKNOWN }, olds);
    expect(failures).toEqual([]);
    expect(inputs.connectionSpecId).toBe(S3_SPEC);
    expect(inputs.name).toBe(olds.name);
  });

  it("check: the file-based rules, which need the spec, still apply", () => {
    const { failures } = check("sourceConnection", { ...PIPELINE_VALID.sourceConnection, connectionSpecId: UNKNOWN, path: undefined }, olds);
    expect(failures).toContainEqual(expect.objectContaining({ property: "path", reason: expect.stringMatching(/is required for a file-based source connection/) }));
  });

  it("check: without an old value (a create) the spec stays unknown", () => {
    expect(check("sourceConnection", { ...PIPELINE_VALID.sourceConnection, connectionSpecId: UNKNOWN }).inputs.connectionSpecId).toBe(UNKNOWN);
  });

  it.each(PIPELINE_KINDS.flatMap((k) => k.params.filter((p) => p.followsFrom).map((p) => [k.typeName, p.input, p.followsFrom as string] as const)))(
    "%s.%s follows from %s, a reference of the same kind whose change replaces it",
    (typeName, _input, from) => {
      const basis = PIPELINE_KINDS.find((k) => k.typeName === typeName)?.params.find((p) => p.input === from);
      expect(basis).toMatchObject({ replaceOnChange: true, references: expect.any(String) });
    },
  );
});

describe("the wire body", () => {
  it("puts each property at its path, as Adobe's tutorials send it", () => {
    const inputs = check("sourceConnection", { ...PIPELINE_VALID.sourceConnection, columnDelimiter: "\t", compressionType: "gzip", recursive: true }).inputs;
    expect(entityBody(kind("sourceConnection"), inputs)).toEqual({
      name: inputs.name,
      baseConnectionId: PIPELINE_VALID.sourceConnection.baseConnectionId,
      connectionSpec: { id: S3_SPEC, version: "1.0" },
      data: { format: "delimited", columnDelimiter: "\t", properties: { compressionType: "gzip" } },
      params: { path: "/in/*.csv", recursive: "true" },
    });
  });

  it("builds a dataflow's flow spec, connections, mapping transformation and schedule", () => {
    const inputs: Inputs = { ...check("dataflow", PIPELINE_VALID.dataflow).inputs, flowSpecId: CLOUD };
    const body = entityBody(kind("dataflow"), inputs);
    expect(body).toEqual({
      name: inputs.name,
      flowSpec: { id: CLOUD, version: "1.0" },
      sourceConnectionIds: ["26b53912-1005-49f0-b539-12100559f0e2"],
      targetConnectionIds: ["f7eb08fa-5f04-4e45-ab08-fa5f046e45ee"],
      transformations: [{ name: "Mapping", params: { mappingId: "bf5286a9c1ad4266baca76ba3adc9366", mappingVersion: 0 } }],
      scheduleParams: { startTime: 1_900_000_000, frequency: "hour", interval: 1 },
    });
    expect(body).not.toHaveProperty("enabled");
    expect(body).not.toHaveProperty("flowSpecName");
  });

  it("patches a dataflow's changed members whole and never its flow spec or connections", () => {
    const olds = { ...check("dataflow", PIPELINE_VALID.dataflow).inputs, flowSpecId: CLOUD };
    const news = { ...olds, mappingVersion: 1, schedule: { startTime: 1_900_000_000, frequency: "day", interval: 2 }, description: "daily", enabled: false };
    expect(entityPatch(kind("dataflow"), olds, news)).toEqual([
      { op: "add", path: "/description", value: "daily" },
      { op: "replace", path: "/transformations", value: [{ name: "Mapping", params: { mappingId: "bf5286a9c1ad4266baca76ba3adc9366", mappingVersion: 1 } }] },
      { op: "replace", path: "/scheduleParams", value: { startTime: 1_900_000_000, frequency: "day", interval: 2 } },
    ]);
  });

  it("reads Adobe's string-rendered schedule and mapping version back as declared", () => {
    const prior = { ...check("dataflow", PIPELINE_VALID.dataflow).inputs, flowSpecId: CLOUD };
    const item = {
      ...entityBody(kind("dataflow"), prior),
      scheduleParams: { startTime: "1900000000", frequency: "hour", interval: "1" },
      transformations: [{ name: "Mapping", params: { mappingId: "bf5286a9c1ad4266baca76ba3adc9366", mappingVersion: "0" } }],
    };
    const read = inputsFromEntity(kind("dataflow"), item, prior, "prod");
    expect(diffInputs(kind("dataflow"), prior, read).changed).toEqual([]);
    const changed = inputsFromEntity(kind("dataflow"), { ...item, scheduleParams: { startTime: "1900000000", frequency: "week", interval: "1" } }, prior, "prod");
    expect(changed.schedule).toEqual({ startTime: 1_900_000_000, frequency: "week", interval: 1 });
  });

  it("reads mappings back without what Data Prep adds, and keeps the declared default source type", () => {
    const prior = check("mappingSet", PIPELINE_VALID.mappingSet).inputs;
    const wire = entityBody(kind("mappingSet"), prior) as { mappings: Array<Record<string, unknown>> };
    const item = { ...wire, mappings: wire.mappings.map((m, i) => ({ ...m, id: `m${i}`, version: 0, createdDate: 1 })) };
    expect(inputsFromEntity(kind("mappingSet"), item, prior, "prod").mappings).toEqual(prior.mappings);
    const imported = inputsFromEntity(kind("mappingSet"), item, {}, "prod");
    expect(imported.mappings).toEqual([{ sourceType: "ATTRIBUTE", source: "id", destination: "_id" }, { sourceType: "ATTRIBUTE", source: "first", destination: "person.name.firstName" }]);
  });
});
