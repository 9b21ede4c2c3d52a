import { CONNECTION_SPECS, FLOW_SPECS } from "../../../provider/catalog/index";
import { checkInputs } from "../../../provider/engine/inputs";
import type { Inputs, PipelineKind } from "../../../provider/resources/declaration";
import { anyKindByName } from "../../../provider/resources/registry";

/**
 * SourceConnection and Dataflow read their spec rules from the catalog: a source connection on any catalog
 * spec (file-based or not), a dataflow on any catalog flow spec, by name or by id.
 */
const kind = (name: string) => anyKindByName(name) as PipelineKind;
const failures = (name: string, news: Inputs) => checkInputs(kind(name), {}, { __autoName: "res", ...news }).failures;
const BASE = "9e2541a0-b143-4d23-a541-a0b143dd2301";

describe("SourceConnection", () => {
  const fileBased = CONNECTION_SPECS.filter((s) => s.fileBased);
  const notFileBased = CONNECTION_SPECS.filter((s) => !s.fileBased && s.category !== "Streaming");

  it.each(fileBased.map((s) => [s.name, s.id]))("requires format and path on the file-based spec %s", (_n, id) => {
    expect(failures("sourceConnection", { baseConnectionId: BASE, connectionSpecId: id }).map((f) => f.property).sort()).toEqual(["format", "path"]);
    expect(failures("sourceConnection", { baseConnectionId: BASE, connectionSpecId: id, format: "json", path: "/in/*.json" })).toEqual([]);
  });

  it.each(notFileBased.map((s) => [s.name, s.id, s.title, s.sourceParams]))("takes no format on %s, which is not file-based, and its required source params in params", (_n, id, title, listed) => {
    const required = listed.filter((p) => p.required);
    const params = required.length > 0 ? { params: Object.fromEntries(required.map((p) => [p.name, "orders"])) } : {};
    expect(failures("sourceConnection", { baseConnectionId: BASE, connectionSpecId: id, ...params })).toEqual([]);
    expect(failures("sourceConnection", { baseConnectionId: BASE, connectionSpecId: id, ...params, format: "json" })).toEqual([{ property: "format", reason: `is for file-based sources; ${title} is not one: remove it` }]);
    for (const p of required) {
      expect(failures("sourceConnection", { baseConnectionId: BASE, connectionSpecId: id })).toContainEqual({ property: "", reason: `params.${p.name} is required by a source connection of ${title}; set it in params` });
    }
  });

  it("leaves a spec the catalog does not ship to Flow Service", () => {
    expect(failures("sourceConnection", { baseConnectionId: BASE, connectionSpecId: "0a2b4c6d-0000-4000-8000-000000000001" })).toEqual([]);
  });
});

describe("Dataflow", () => {
  const refs = { sourceConnectionId: "26b53912-1005-49f0-b539-12100559f0e2", targetConnectionId: "f7eb08fa-5f04-4e45-ab08-fa5f046e45ee", mappingId: "bf5286a9c1ad4266baca76ba3adc9366", mappingVersion: 0 };
  const scheduled = FLOW_SPECS.filter((f) => f.schedule);

  it.each(scheduled.map((f) => [f.name, f]))("takes the schedule rules of %s from the catalog, by name and by id", (_n, spec) => {
    const rules = spec.schedule!;
    for (const by of [{ flowSpecName: spec.name }, { flowSpecId: spec.id }]) {
      expect(failures("dataflow", { ...refs, ...by })).toContainEqual({ property: "schedule", reason: expect.stringMatching(new RegExp(`^is required by ${spec.name}`)) });
      for (const frequency of rules.frequencies.filter((f) => f !== "once")) {
        const min = rules.minInterval[frequency] ?? 1;
        expect(failures("dataflow", { ...refs, ...by, schedule: { startTime: 1_900_000_000, frequency, interval: min } })).toEqual([]);
        if (min > 1) expect(failures("dataflow", { ...refs, ...by, schedule: { startTime: 1_900_000_000, frequency, interval: min - 1 } })).not.toEqual([]);
      }
    }
  });

  it("keeps the two known flow specs' messages exactly", () => {
    expect(failures("dataflow", { ...refs, flowSpecName: "Steam data with transformation", mappingId: undefined, mappingVersion: undefined })).toEqual([
      { property: "mappingId", reason: "is required by the streaming flow spec: pass a MappingSet's id (mapping.id)" },
    ]);
    expect(failures("dataflow", { ...refs, flowSpecName: "CloudStorageToAEP", schedule: { startTime: 1_900_000_000, frequency: "minute", interval: 5 } })).toEqual([
      { property: "", reason: 'schedule.interval must be at least 15 for frequency "minute", got 5' },
    ]);
  });
});
