/**
 * The two hand-written flow specs of the contract (`GET /flowSpecs`), as Adobe's tutorials show them; they win
 * over the catalog's derived form (catalog-specs.ts) for their ids. Their transformation and schedule specs
 * are real JSON Schemas: flows.ts checks a flow's transformations and scheduleParams against them with ajv,
 * the way Flow Service does.
 */
import { FTP_SPEC_ID, S3_SPEC_ID, SFTP_SPEC_ID, STREAMING_SPEC_ID, DATASET_BASE_SPEC_ID, type JsonSchema } from "./specs";
import { schemaCheck, type SchemaCheck } from "./validation";

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

const CLOUD_STORAGE_FLOW_SPEC_ID = "9753525b-82c7-4dce-8a9b-5ccfce2b9876";
const STREAMING_FLOW_SPEC_ID = "c1a19761-d2c7-4702-b9fa-fe91f0613e81";
const PLATFORM_PROVIDER_ID = "0ed90a81-07f4-4586-8190-b40eccef1c5a";
const STREAMING_PROVIDER_ID = "521eee4d-8cbe-4906-bb48-fb6bd4450033";
const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

/**
 * mappingVersion is checked as an integer: a decimal string (Adobe's examples send `"0"`) is read as its
 * number before the check, and stored as sent.
 */
const mappingSpec = (required: string[], description: string): JsonSchema => ({
  $schema: DRAFT_07,
  type: "object",
  description,
  properties: { mappingId: { type: "string", minLength: 1 }, mappingVersion: { type: "integer", minimum: 0 } },
  required,
  additionalProperties: false,
});

/**
 * Adobe's PeriodicSchedule, as its cloud storage tutorial prints it: `once` takes neither interval nor
 * backfill; any other frequency needs an interval, at least 15 for `minute` and 1 otherwise. Fields the
 * emulator does not model (a destination's `foldernameTemplate`) are accepted and stored as sent: Adobe
 * documents none as refused. [choice] startTime may not be negative.
 */
const periodicSchedule: JsonSchema = {
  $schema: DRAFT_07,
  type: "object",
  properties: {
    startTime: { description: "epoch time", type: "integer", minimum: 0 },
    frequency: { type: "string", enum: ["once", "minute", "hour", "day", "week"] },
    interval: { type: "integer" },
    backfill: { type: "boolean", default: true },
  },
  required: ["startTime", "frequency"],
  if: { type: "object", properties: { frequency: { const: "once" } } },
  // Adobe's schema, with the `properties` ajv's strict mode wants beside each `required`.
  then: {
    type: "object",
    allOf: [
      { not: { type: "object", properties: { interval: true }, required: ["interval"] } },
      { not: { type: "object", properties: { backfill: true }, required: ["backfill"] } },
    ],
  },
  else: {
    type: "object",
    properties: { interval: true },
    required: ["interval"],
    if: { type: "object", properties: { frequency: { const: "minute" } } },
    then: { type: "object", properties: { interval: { type: "integer", minimum: 15 } } },
    else: { type: "object", properties: { interval: { type: "integer", minimum: 1 } } },
  },
};

/** The source connection specs Adobe's CloudStorageToAEP lists; of them the emulator has FTP, SFTP and S3. */
const CLOUD_STORAGE_SOURCES = [
  "b3ba5556-48be-44b7-8b85-ff2b69b46dc4",
  S3_SPEC_ID,
  "b7829c2f-2eb0-4f49-a6ee-55e33008b629",
  "4c10e202-c428-4796-9208-5f1f5732b1cf",
  FTP_SPEC_ID,
  "32e8f412-cdf7-464c-9885-78184cb113fd",
  SFTP_SPEC_ID,
  "998b8ae3-cec0-43b7-8abe-40b1eb4ee069",
  "be5ec48c-5b78-49d5-b8fa-7c89ec4569b8",
  "54e221aa-d342-4707-bcff-7a4bceef0001",
  "c85f9425-fb21-426c-ad0b-405e9bd8a46c",
  "26f526f2-58f4-4712-961d-e41bf1ccc0e8",
];

export const FLOW_SPECS: readonly FlowSpec[] = [
  {
    id: CLOUD_STORAGE_FLOW_SPEC_ID,
    name: "CloudStorageToAEP",
    providerId: PLATFORM_PROVIDER_ID,
    version: "1.0",
    sourceConnectionSpecIds: CLOUD_STORAGE_SOURCES,
    targetConnectionSpecIds: [DATASET_BASE_SPEC_ID],
    transformationSpecs: [{ name: "Mapping", spec: mappingSpec(["mappingId", "mappingVersion"], "defines various params required for different mapping from source to target") }],
    scheduleSpec: { name: "PeriodicSchedule", type: "Periodic", spec: periodicSchedule },
    attributes: { isSourceFlow: true, flacValidationSupported: true, frequency: "batch", notification: { category: "sources", flowRun: { enabled: true } } },
  },
  {
    id: STREAMING_FLOW_SPEC_ID,
    // Adobe's spelling.
    name: "Steam data with transformation",
    providerId: STREAMING_PROVIDER_ID,
    version: "1.0",
    // As Adobe's streaming tutorial lists them; of these the emulator has the HTTP API one.
    sourceConnectionSpecIds: ["d27d4907-7351-47dd-bbc2-05a04365703d", "51ae16c2-bdad-42fd-9fce-8d5dfddaf140", STREAMING_SPEC_ID],
    targetConnectionSpecIds: [DATASET_BASE_SPEC_ID],
    // The tutorial's flow sends mappingVersion too, which the schema does not name: it is allowed.
    transformationSpecs: [{ name: "Mapping", spec: mappingSpec(["mappingId"], "defines various params required for different mapping from Raw to XDM") }],
    attributes: { uiAttributes: { apiFeatures: { deleteSupported: false, updateSupported: false, flowRunsSupported: false } } },
  },
];

/** The check of a flow spec's schedule (compiled on first use, validation.ts). */
export function scheduleCheck(spec: FlowSpec): SchemaCheck | undefined {
  return spec.scheduleSpec ? schemaCheck(spec.scheduleSpec.spec) : undefined;
}

export function transformationCheck(spec: FlowSpec, name: string): SchemaCheck | undefined {
  const t = spec.transformationSpecs.find((x) => x.name === name);
  return t ? schemaCheck(t.spec) : undefined;
}
