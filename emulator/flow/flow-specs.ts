/**
 * The flow specs of the contract (`GET /flowSpecs`), as Adobe's tutorials show them. Their transformation
 * and schedule specs are real JSON Schemas: flows.ts checks a flow's transformations and scheduleParams
 * against them with ajv, the way Flow Service does.
 */
import { flowError } from "../errors";
import { FTP_SPEC_ID, S3_SPEC_ID, SFTP_SPEC_ID, STREAMING_SPEC_ID, DATASET_BASE_SPEC_ID, type JsonSchema } from "./specs";
import { compileSchema, type SchemaCheck } from "./validation";

export interface FlowSpec {
  id: string;
  name: string;
  providerId: string;
  version: string;
  sourceConnectionSpecIds: string[];
  targetConnectionSpecIds: string[];
  transformationSpecs: Array<{ name: string; spec: JsonSchema }>;
  scheduleSpec?: { name: string; type: string; spec: JsonSchema };
  attributes: Record<string, unknown>;
}

export const CLOUD_STORAGE_FLOW_SPEC_ID = "9753525b-82c7-4dce-8a9b-5ccfce2b9876";
export const STREAMING_FLOW_SPEC_ID = "c1a19761-d2c7-4702-b9fa-fe91f0613e81";
const PLATFORM_PROVIDER_ID = "0ed90a81-07f4-4586-8190-b40eccef1c5a";
const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/**
 * mappingVersion is checked as an integer: a decimal string (Adobe's examples send `"0"`) is read as its
 * number before the check, and stored as sent.
 */
const mappingSpec = (required: string[]): JsonSchema => ({
  $schema: DRAFT_07,
  type: "object",
  description: "defines various params required for different mapping from source to target",
  properties: { mappingId: { type: "string", minLength: 1 }, mappingVersion: { type: "integer", minimum: 0 } },
  required,
  additionalProperties: false,
});

/**
 * The tutorial's PeriodicSchedule. Its text allows `once` while its JSON Schema's enum omits it: `once` is
 * included, and then `interval` is not required. [choice] Unknown schedule fields are refused.
 */
const periodicSchedule: JsonSchema = {
  $schema: DRAFT_07,
  type: "object",
  properties: {
    startTime: { description: "epoch time (seconds)", type: "integer", minimum: 0 },
    frequency: { type: "string", enum: ["once", "minute", "hour", "day", "week"] },
    interval: { type: "integer", description: "at least 15 for minute, 1 otherwise" },
    backfill: { type: "boolean", default: true },
  },
  required: ["startTime", "frequency"],
  additionalProperties: false,
  allOf: [
    {
      if: { type: "object", properties: { frequency: { const: "minute" } }, required: ["frequency"] },
      then: { type: "object", properties: { interval: { type: "integer", minimum: 15 } } },
    },
    {
      if: { type: "object", properties: { frequency: { const: "once" } }, required: ["frequency"] },
      else: { type: "object", required: ["interval"], properties: { interval: { type: "integer", minimum: 1 } } },
    },
  ],
};

export const FLOW_SPECS: readonly FlowSpec[] = [
  {
    id: CLOUD_STORAGE_FLOW_SPEC_ID,
    name: "CloudStorageToAEP",
    providerId: PLATFORM_PROVIDER_ID,
    version: "1.0",
    sourceConnectionSpecIds: [FTP_SPEC_ID, SFTP_SPEC_ID, S3_SPEC_ID],
    targetConnectionSpecIds: [DATASET_BASE_SPEC_ID],
    transformationSpecs: [{ name: "Mapping", spec: mappingSpec(["mappingId", "mappingVersion"]) }],
    scheduleSpec: { name: "PeriodicSchedule", type: "Periodic", spec: periodicSchedule },
    attributes: { isSourceFlow: true, flacValidationSupported: true },
  },
  {
    id: STREAMING_FLOW_SPEC_ID,
    // Adobe's spelling.
    name: "Steam data with transformation",
    providerId: PLATFORM_PROVIDER_ID,
    version: "1.0",
    sourceConnectionSpecIds: [STREAMING_SPEC_ID],
    targetConnectionSpecIds: [DATASET_BASE_SPEC_ID],
    transformationSpecs: [{ name: "Mapping", spec: mappingSpec(["mappingId"]) }],
    attributes: { isSourceFlow: true },
  },
];

/** Each spec's schemas, compiled once. */
const checks = new Map<string, { schedule?: SchemaCheck; transformations: Map<string, SchemaCheck> }>(
  FLOW_SPECS.map((s) => [
    s.id,
    {
      schedule: s.scheduleSpec ? compileSchema(s.scheduleSpec.spec) : undefined,
      transformations: new Map(s.transformationSpecs.map((t) => [t.name, compileSchema(t.spec)])),
    },
  ]),
);

export function findFlowSpec(id: unknown): FlowSpec | undefined {
  return FLOW_SPECS.find((s) => s.id === id);
}

export function scheduleCheck(spec: FlowSpec): SchemaCheck | undefined {
  return checks.get(spec.id)?.schedule;
}

export function transformationCheck(spec: FlowSpec, name: string): SchemaCheck | undefined {
  return checks.get(spec.id)?.transformations.get(name);
}

/** `GET /flowSpecs/{id}`: [choice] an unknown id is the no-such-resource `1000-404`. */
export function getFlowSpec(id: string): FlowSpec {
  const spec = findFlowSpec(id);
  if (!spec) throw flowError("1000-404", `Flow spec '${id}' not found`, undefined, "Flow spec not found");
  return spec;
}
