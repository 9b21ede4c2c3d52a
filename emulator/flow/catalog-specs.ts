/**
 * The package's catalog of connection and flow specs (provider/catalog/, data only) as Flow Service serves
 * them: each catalog entry becomes a connection spec whose auth specs carry a draft-07 JSON Schema derived from
 * its params, and each catalog flow spec a flow spec whose schedule spec is derived from its frequencies. This
 * is the one module of the emulator that reads provider/: the catalog is a leaf of plain data and types, so
 * the emulator serves exactly what the package checks at preview. The hand-written specs (specs.ts,
 * flow-specs.ts) win over the derived form for their ids (spec-registry.ts).
 */
import type { CatalogAuthSpec, CatalogConnectionSpec, CatalogFlowSpec, CatalogParam } from "../../provider/catalog/types";
import type { FlowSpec } from "./flow-specs";
import type { ConnectionSpec, JsonSchema } from "./specs";
import { knowsFormat } from "./validation";

export type { CatalogAuthSpec, CatalogConnectionSpec, CatalogFlowSpec, CatalogParam };

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";
const STRING_KEYWORDS = ["pattern", "minLength", "maxLength"] as const;
const NUMBER_KEYWORDS = ["minimum", "maximum"] as const;

/**
 * One param's JSON Schema. A secret is `format: "password"` (what masks it on GET). Keywords go only where
 * their type takes them (ajv's strict mode refuses `minLength` on an integer), and a `format` the emulator's
 * ajv does not know is left out of the schema rather than failing it: [choice] such a param is checked for
 * its type only.
 */
export function paramSchema(p: CatalogParam): JsonSchema {
  const s: JsonSchema = { type: p.type };
  if (p.secret) s.format = "password";
  else if (p.format !== undefined && knowsFormat(p.format)) s.format = p.format;
  if (p.enum !== undefined) s.enum = [...p.enum];
  if (p.type === "string") for (const k of STRING_KEYWORDS) if (p[k] !== undefined) s[k] = p[k];
  if (p.type === "integer" || p.type === "number") for (const k of NUMBER_KEYWORDS) if (p[k] !== undefined) s[k] = p[k];
  if (p.default !== undefined) s.default = p.default;
  s.description = p.description;
  return s;
}

/** An object schema over params: their properties, the required ones, and whether other keys are refused. */
export function paramsSchema(params: readonly CatalogParam[], description: string, closed: boolean): JsonSchema {
  const schema: JsonSchema = {
    $schema: DRAFT_07,
    type: "object",
    description,
    properties: Object.fromEntries(params.map((p) => [p.name, paramSchema(p)])),
    required: params.filter((p) => p.required).map((p) => p.name),
  };
  // The hand-written five have `additionalProperties: false`, and so has every derived auth spec.
  if (closed) schema.additionalProperties = false;
  return schema;
}

function permissions(name: string): Record<string, unknown> {
  return {
    view: [{ "@type": "lowLevel", name, permissions: ["read"] }],
    manage: [{ "@type": "lowLevel", name, permissions: ["write"] }],
  };
}

/**
 * A catalog entry as `GET /connectionSpecs` shows it: Adobe's fields (`authSpec[].spec`, `sourceSpec.spec`
 * for the params a source connection takes, `attributes.category`), version "1.0" as every spec of the
 * contract. [choice] A spec with neither auth specs nor flows is a destination (`isDestination`), any other a
 * source (`isSource`), as the hand-written five are marked.
 */
export function connectionSpecOf(entry: CatalogConnectionSpec): ConnectionSpec {
  const destination = entry.authSpecs.length === 0 && entry.flowSpecNames.length === 0;
  const spec: ConnectionSpec = {
    id: entry.id,
    name: entry.name,
    version: "1.0",
    authSpec: entry.authSpecs.map((a) => ({ name: a.name, type: a.type, spec: paramsSchema(a.params, "Auth params", true) })),
    attributes: { category: entry.category, ...(destination ? { isDestination: true } : { isSource: true }) },
    permissionsInfo: permissions(destination ? "Dataset" : "EnterpriseSource"),
  };
  if (entry.providerId !== undefined) spec.providerId = entry.providerId;
  if (entry.sourceParams.length > 0) {
    spec.sourceSpec = { spec: paramsSchema(entry.sourceParams, "Source connection params", false) };
  }
  return spec;
}

const mappingSpec = (required: string[]): JsonSchema => ({
  $schema: DRAFT_07,
  type: "object",
  description: "defines various params required for different mapping from source to target",
  properties: { mappingId: { type: "string", minLength: 1 }, mappingVersion: { type: "integer", minimum: 0 } },
  required,
  additionalProperties: false,
});

/**
 * Adobe's PeriodicSchedule (flow-specs.ts) over the catalog's frequencies: `once` takes neither interval nor
 * backfill; any other frequency needs an interval of at least its `minInterval` (1 when the catalog gives
 * none); `backfill` only where the catalog says the flow spec takes it.
 */
export function scheduleSchema(schedule: NonNullable<CatalogFlowSpec["schedule"]>): JsonSchema {
  const periodic = schedule.frequencies.filter((f) => f !== "once");
  const properties: JsonSchema = {
    startTime: { description: "epoch time", type: "integer", minimum: 0 },
    frequency: { type: "string", enum: [...schedule.frequencies] },
    interval: { type: "integer" },
  };
  if (schedule.backfill) properties.backfill = { type: "boolean", default: true };
  const onceForbids = ["interval", ...(schedule.backfill ? ["backfill"] : [])];
  const least = (f: string) => Math.max(1, schedule.minInterval[f] ?? 1);
  const byFrequency = periodic.map((f) => ({
    if: { type: "object", properties: { frequency: { const: f } } },
    then: { type: "object", properties: { interval: { type: "integer", minimum: least(f) } } },
  }));
  // A flow spec without backfill has no `backfill` property; flows.ts refuses the key by that absence.
  return {
    $schema: DRAFT_07,
    type: "object",
    properties,
    required: ["startTime", "frequency"],
    if: { type: "object", properties: { frequency: { const: "once" } } },
    then: { type: "object", allOf: onceForbids.map((k) => ({ not: { type: "object", properties: { [k]: true }, required: [k] } })) },
    else: { type: "object", properties: { interval: true }, required: ["interval"], ...(byFrequency.length > 0 ? { allOf: byFrequency } : {}) },
  };
}

/**
 * A catalog flow spec as `GET /flowSpecs` shows it. Its sources are those it lists plus every catalog
 * connection spec that names it in `flowSpecNames`. A required or optional mapping is a `Mapping`
 * transformation spec (whether a flow must send it is the registry's rule, spec-registry.ts); none, no
 * transformation.
 */
export function flowSpecOf(entry: CatalogFlowSpec, connectionSpecs: readonly CatalogConnectionSpec[]): FlowSpec {
  const pairedSources = connectionSpecs.filter((c) => c.flowSpecNames.includes(entry.name)).map((c) => c.id);
  const spec: FlowSpec = {
    id: entry.id,
    name: entry.name,
    providerId: entry.providerId,
    version: "1.0",
    sourceConnectionSpecIds: [...new Set([...entry.sourceConnectionSpecIds, ...pairedSources])],
    targetConnectionSpecIds: [...entry.targetConnectionSpecIds],
    transformationSpecs: entry.mapping === "none" ? [] : [{ name: "Mapping", spec: mappingSpec(["mappingId"]) }],
    attributes: { isSourceFlow: true, frequency: entry.schedule ? "batch" : "streaming" },
  };
  if (entry.schedule) spec.scheduleSpec = { name: "PeriodicSchedule", type: "Periodic", spec: scheduleSchema(entry.schedule) };
  return spec;
}
