import type * as pulumi from "@pulumi/pulumi";
import { describe, nonEmptyString, xdmSchemaId } from "../validators";
import { declarePipelineKind, optional, required } from "./declaration";
import type { PipelineCommonArgs } from "./pipeline-common";
import { withEngineParts } from "../engine/kind";
import { type KindArgs, type KindOutputs, pipelineEngineArgs, type PipelineOutputs, DynamicResource, settlePipeline } from "./resource";
import { mappingSetHooks, mappingSetStore } from "./mapping-set-hooks";
import { FULL_SCHEMA_VERSION } from "./target-connection";

/** One mapping: a source field (or expression) to an XDM path of the target schema. */
export interface Mapping {
  /** `ATTRIBUTE` (a source field, the default) or `EXPRESSION` (a Data Prep expression). */
  sourceType?: "ATTRIBUTE" | "EXPRESSION";
  /** The source field, or the expression. */
  source: string;
  /** The XDM path in the target schema, e.g. `person.name.firstName`. */
  destination: string;
  name?: string;
  description?: string;
}

const MAX_MAPPINGS = 1000;
const MAPPING_KEYS = new Set(["sourceType", "source", "destination", "name", "description"]);

function mappingsRule(v: unknown): string | undefined {
  if (!Array.isArray(v)) return `must be a list of { source, destination } mappings, got ${describe(v)}`;
  if (v.length === 0) return "must hold at least one mapping";
  if (v.length > MAX_MAPPINGS) return `may hold at most ${MAX_MAPPINGS} mappings, got ${v.length}`;
  const seen = new Map<string, number>();
  for (const [i, m] of v.entries()) {
    if (typeof m !== "object" || m === null || Array.isArray(m)) return `[${i}] must be an object { source, destination }, got ${describe(m)}`;
    const entry = m as Record<string, unknown>;
    for (const key of Object.keys(entry)) if (!MAPPING_KEYS.has(key)) return `[${i}].${key} is not a mapping field; valid fields are ${[...MAPPING_KEYS].join(", ")}`;
    if (entry.sourceType !== undefined && entry.sourceType !== "ATTRIBUTE" && entry.sourceType !== "EXPRESSION") return `[${i}].sourceType must be "ATTRIBUTE" or "EXPRESSION", got ${describe(entry.sourceType)}`;
    for (const key of ["source", "destination"]) {
      if (entry[key] === undefined) return `[${i}].${key} is required: each mapping is { source, destination }`;
      const reason = nonEmptyString(4096)(entry[key]);
      if (reason) return `[${i}].${key} ${reason}`;
    }
    for (const key of ["name", "description"]) if (entry[key] !== undefined && typeof entry[key] !== "string") return `[${i}].${key} must be a string, got ${describe(entry[key])}`;
    const destination = entry.destination as string;
    const first = seen.get(destination);
    if (first !== undefined) return `[${i}].destination ${JSON.stringify(destination)} is already mapped by mappings[${first}]; each destination takes one mapping`;
    seen.set(destination, i);
  }
  return undefined;
}

/** On the wire every mapping states its source type. */
function mappingsToWire(v: unknown): unknown {
  return (v as Array<Record<string, unknown>>).map((m) => ({ sourceType: "ATTRIBUTE", ...m }));
}

/** Read back: the fields a mapping declares, without what Data Prep adds (ids, dates, versions). */
function mappingsFromWire(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return v.map((m: Record<string, unknown>) => Object.fromEntries(Object.entries(m).filter(([k, x]) => MAPPING_KEYS.has(k) && x !== undefined && x !== null)));
}

export const mappingSetKind = withEngineParts(declarePipelineKind({
  kind: "mappingSet",
  typeName: "MappingSet",
  title: "mapping set",
  endpoint: "/mappingSets",
  properties: {
    /** The `$id` of the target XDM schema, `https://ns.adobe.com/<tenant>/schemas/<id>`: the target dataset's (`getDatasetOutput({ name }).schemaId`), or `getSchemaOutput({ name }).id`. Updated in place (a new version). */
    schemaId: required<string>("string", { wire: "outputSchema.schemaRef.id", validate: xdmSchemaId }),
    /** The schema's content type. Default `application/vnd.adobe.xed-full+json;version=1`. Updated in place (a new version). */
    schemaContentType: optional<string>("string", { wire: "outputSchema.schemaRef.contentType", default: FULL_SCHEMA_VERSION, validate: nonEmptyString(256) }),
    /** The mappings, source field (or expression) → XDM path; at most 1000, one per destination. Updated in place (a new version). */
    mappings: required<Mapping[]>("Mapping[]", { validate: mappingsRule, toWire: mappingsToWire, fromWire: mappingsFromWire }),
  },
}), { store: mappingSetStore, hooks: mappingSetHooks });

export interface MappingSetArgs extends PipelineCommonArgs, KindArgs<typeof mappingSetKind> {}

/**
 * A Data Prep mapping set. Every update is a new version (`version`); pass it to the dataflow's
 * `mappingVersion` so the dataflow moves to it in the same `pulumi up`. Data Prep cannot delete a
 * mapping set: destroying this resource removes it from the stack and leaves it in Data Prep.
 */
export class MappingSet extends DynamicResource {
  /** The mapping set's current version: 0 when created, one more after every update. */
  declare readonly version: pulumi.Output<number>;

  constructor(name: string, args: MappingSetArgs, opts?: pulumi.CustomResourceOptions) {
    super(...pipelineEngineArgs(mappingSetKind, ["version"], name, args, opts));
    settlePipeline(this, mappingSetKind, args);
  }
}
export interface MappingSet extends PipelineOutputs, KindOutputs<typeof mappingSetKind> {}
