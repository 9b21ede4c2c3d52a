import type * as pulumi from "@pulumi/pulumi";
import { type CatalogFlowSpec, flowSpecById, flowSpecByName } from "../catalog/index";
import { UNKNOWN, boolean, describe, integer, nonEmptyString } from "../validators";
import { type CheckFailure, declarePipelineKind, type Inputs, optional, reference } from "./declaration";
import { dataflowHooks } from "./dataflow-hooks";
import { entityId, type PipelineCommonArgs } from "./pipeline-common";
import { withEngineParts } from "../engine/kind";
import { type KindArgs, type KindOutputs, pipelineEngineArgs, type PipelineOutputs, DynamicResource, settlePipeline } from "./resource";

/** The flow specs of Adobe's ingestion tutorials: cloud storage (scheduled batches) and HTTP streaming. */
export const CLOUD_STORAGE_FLOW_SPEC = { id: "9753525b-82c7-4dce-8a9b-5ccfce2b9876", name: "CloudStorageToAEP" };
export const STREAMING_FLOW_SPEC = { id: "c1a19761-d2c7-4702-b9fa-fe91f0613e81", name: "Steam data with transformation" };

/** When a dataflow runs (the flow spec's PeriodicSchedule). */
export interface Schedule {
  /** First run, in seconds since the epoch. */
  startTime: number;
  /** `once`, `minute`, `hour`, `day` or `week`. */
  frequency: "once" | "minute" | "hour" | "day" | "week";
  /** Frequencies between runs: at least 15 for `minute`, at least 1 otherwise; not used with `once`. */
  interval?: number;
  /** Ingest the files already there at the first run (default true). */
  backfill?: boolean;
}

const FREQUENCIES = ["once", "minute", "hour", "day", "week"] as const;
/** A number as the program wrote it (`1767225600.5`, never `1.7672256005e+09`); anything else described. */
const written = (v: unknown): string => (typeof v === "number" ? String(v) : describe(v));
/** 2026-01-01T00:00:00Z, for messages. */
const EXAMPLE_START_TIME = 1767225600;
const SCHEDULE_KEYS = new Set(["startTime", "frequency", "interval", "backfill"]);

/**
 * The limits of CloudStorageToAEP's scheduleSpec, checked without a call. A reason about one field
 * starts with its path (`.interval …`), which check turns into `schedule.interval …`; values are
 * quoted as JavaScript prints them, which is as the program wrote them.
 */
function scheduleRule(v: unknown): string | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return `must be an object { startTime, frequency, interval }, got ${describe(v)}`;
  const s = v as Record<string, unknown>;
  for (const key of Object.keys(s)) if (!SCHEDULE_KEYS.has(key)) return `.${key} is not a schedule field; valid fields are ${[...SCHEDULE_KEYS].join(", ")}`;
  if (typeof s.startTime !== "number" || !Number.isInteger(s.startTime) || s.startTime < 0) {
    return `.startTime must be a whole number of seconds since the epoch (e.g. ${EXAMPLE_START_TIME}), got ${written(s.startTime)}`;
  }
  if (!FREQUENCIES.includes(s.frequency as (typeof FREQUENCIES)[number])) return `.frequency must be one of ${FREQUENCIES.join(", ")}, got ${describe(s.frequency)}`;
  if (s.frequency === "once") {
    if (s.interval !== undefined) return `.interval is not used with frequency "once"; remove it`;
    if (s.backfill !== undefined) return `.backfill is not used with frequency "once" (its one run reads what is there); remove it`;
  } else {
    const min = s.frequency === "minute" ? 15 : 1;
    if (s.interval === undefined) return `.interval is required with frequency "${s.frequency}" (at least ${min})`;
    if (typeof s.interval !== "number" || !Number.isInteger(s.interval)) return `.interval must be a whole number, got ${written(s.interval)}`;
    if (s.interval < min) return `.interval must be at least ${min} for frequency "${s.frequency}", got ${s.interval}`;
  }
  if (s.backfill !== undefined && boolean(s.backfill)) return `.backfill ${boolean(s.backfill)}`;
  return undefined;
}

/** Adobe renders schedule numbers as strings ("1597784298"): read back as declared. */
function scheduleFromWire(v: unknown): unknown {
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if ((k === "startTime" || k === "interval") && typeof x === "string" && /^\d+$/.test(x)) out[k] = Number(x);
    else if (k === "backfill" && (x === "true" || x === "false")) out[k] = x === "true";
    else out[k] = x;
  }
  return out;
}

const known = (v: unknown) => v !== undefined && v !== null && v !== UNKNOWN;

/** Epoch seconds as an ISO date, for messages. */
const isoDate = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

/**
 * Adobe's update-dataflows tutorial (help/sources/tutorials/api/update-dataflows.md): "You cannot update the
 * `startTime` of a dataflow if the initially scheduled `startTime` has already occurred. This limitation
 * applies to both enabled and disabled dataflows." Flow Service answers such a PATCH with a 400, after
 * `pulumi preview` said "update": refused here at preview instead, with the two ways out. Not made a
 * replacement: a new dataflow loses the old one's runs and, with `backfill` (the default), ingests the
 * files already ingested again; `pulumi up --replace` does that when it is wanted (it skips `diff`).
 */
function startTimeRule(olds: Inputs, news: Inputs, now: number): CheckFailure | undefined {
  const before = (olds.schedule as Partial<Schedule> | undefined)?.startTime;
  const after = known(news.schedule) ? (news.schedule as Partial<Schedule>).startTime : undefined;
  if (typeof before !== "number" || before * 1000 > now || !known(after) || after === before) return undefined;
  return {
    property: "schedule.startTime",
    reason:
      `cannot change once the dataflow's start time has passed (Flow Service refuses it, for enabled and disabled dataflows alike): ` +
      `${before} (${isoDate(before)}) has passed, and the program sets ${JSON.stringify(after)}. ` +
      `Keep startTime: ${before} (frequency, interval and backfill still change in place), or replace the dataflow with ` +
      `\`pulumi up --replace <its URN>\` (\`pulumi stack --show-urns\` lists it): a new dataflow with the new start time, which with ` +
      `backfill ingests the source's files again (set backfill: false to take only new ones)`,
  };
}

/**
 * A schedule against its flow spec's scheduleSpec as the catalog gives it (frequencies, least interval,
 * backfill), beyond `scheduleRule`'s shape and the limits every scheduled flow spec shares. For
 * CloudStorageToAEP these add nothing: its limits are the shared ones.
 */
function scheduleFailures(spec: CatalogFlowSpec, schedule: unknown): CheckFailure[] {
  const rules = spec.schedule;
  if (!rules || !known(schedule) || typeof schedule !== "object" || scheduleRule(schedule)) return [];
  const s = schedule as Partial<Schedule>;
  const out: CheckFailure[] = [];
  if (typeof s.frequency === "string" && !rules.frequencies.includes(s.frequency)) out.push({ property: "schedule", reason: `.frequency must be one of ${rules.frequencies.join(", ")} for ${spec.name}, got ${JSON.stringify(s.frequency)}` });
  const min = typeof s.frequency === "string" ? rules.minInterval[s.frequency] : undefined;
  if (min !== undefined && typeof s.interval === "number" && s.interval < min) out.push({ property: "schedule", reason: `.interval must be at least ${min} for frequency "${s.frequency}" with ${spec.name}, got ${s.interval}` });
  if (s.backfill !== undefined && !rules.backfill) out.push({ property: "schedule", reason: `.backfill is not taken by ${spec.name}; remove it` });
  return out;
}

export const dataflowKind = withEngineParts(declarePipelineKind({
  kind: "dataflow",
  typeName: "Dataflow",
  title: "dataflow",
  endpoint: "/flows",
  fixedWire: { "flowSpec.version": "1.0" },
  wireExtras: (inputs) => (known(inputs.mappingId) ? { "transformations.0.name": "Mapping" } : {}),
  serverOutputs: { flowSpecId: "flowSpec.id" },
  properties: {
    /** The flow spec by name, e.g. `CloudStorageToAEP`; resolved at create (never at preview). Set this or `flowSpecId`. Changing it replaces the dataflow. */
    flowSpecName: optional<string>("string", { local: true, replaceOnChange: true, validate: nonEmptyString(256) }),
    /** The flow spec by id, e.g. `9753525b-82c7-4dce-8a9b-5ccfce2b9876`; an output either way. Changing it replaces the dataflow. */
    flowSpecId: optional<string>("string", { wire: "flowSpec.id", serverDefault: true, replaceOnChange: true, validate: entityId("a flow spec", CLOUD_STORAGE_FLOW_SPEC.id) }),
    /** The source connection read (a `SourceConnection`'s `id`). Changing it replaces the dataflow. */
    sourceConnectionId: reference("SourceConnection", true, { wire: "sourceConnectionIds.0", replaceOnChange: true, validate: entityId("a SourceConnection", "source.id") }),
    /** The target connection written (a `TargetConnection`'s `id`). Changing it replaces the dataflow. */
    targetConnectionId: reference("TargetConnection", true, { wire: "targetConnectionIds.0", replaceOnChange: true, validate: entityId("a TargetConnection", "target.id") }),
    /** The mapping set applied (a `MappingSet`'s `id`). Updated in place. */
    mappingId: reference("MappingSet", false, { wire: "transformations.0.params.mappingId", validate: entityId("a MappingSet", "mapping.id") }),
    /** The mapping set's version: pass `mapping.version`, so the dataflow moves to each new version in the same `pulumi up`. Updated in place. */
    mappingVersion: optional<number>("number", {
      wire: "transformations.0.params.mappingVersion",
      validate: integer(0),
      fromWire: (v) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v),
    }),
    /** When the dataflow runs; required by scheduled flow specs such as `CloudStorageToAEP`, refused by streaming ones. Updated in place; once its `startTime` has passed, a new `startTime` fails at preview (Flow Service refuses it): keep it, or `pulumi up --replace` the dataflow. */
    schedule: optional<Schedule>("Schedule", { wire: "scheduleParams", validate: scheduleRule, fromWire: scheduleFromWire }),
    /** Whether the dataflow runs (Flow Service's enable and disable actions). Default true. Updated in place. */
    enabled: optional<boolean>("boolean", { local: true, default: true, serverDefault: true, validate: boolean }),
  },
  refuseChange: startTimeRule,
  checkInputs: (inputs) => {
    const failures: CheckFailure[] = [];
    const name = inputs.flowSpecName;
    const id = inputs.flowSpecId;
    if (name === undefined && id === undefined) failures.push({ property: "flowSpecName", reason: `or flowSpecId is required, e.g. flowSpecName: "${CLOUD_STORAGE_FLOW_SPEC.name}"` });
    if (name !== undefined && id !== undefined) failures.push({ property: "flowSpecId", reason: "and flowSpecName name the flow spec twice; keep one" });
    // The flow spec's rules from the catalog (any flow spec it ships); one it does not ship is resolved at create.
    const spec = (typeof name === "string" ? flowSpecByName(name) : undefined) ?? (typeof id === "string" ? flowSpecById(id) : undefined);
    if (spec?.schedule) {
      if (inputs.schedule === undefined) failures.push({ property: "schedule", reason: `is required by ${spec.name}: e.g. { startTime: <epoch seconds>, frequency: "hour", interval: 1 }` });
      else failures.push(...scheduleFailures(spec, inputs.schedule));
      if (inputs.mappingId === undefined && spec.mapping === "required") failures.push({ property: "mappingId", reason: `is required by ${spec.name}: pass a MappingSet's id (mapping.id) with mappingVersion: mapping.version` });
    } else if (spec) {
      if (inputs.schedule !== undefined) failures.push({ property: "schedule", reason: "is not used by a streaming dataflow (it runs continuously); remove it" });
      if (inputs.mappingId === undefined && spec.mapping === "required") failures.push({ property: "mappingId", reason: "is required by the streaming flow spec: pass a MappingSet's id (mapping.id)" });
    }
    if (spec?.mapping === "none" && inputs.mappingId !== undefined) failures.push({ property: "mappingId", reason: `is not taken by ${spec.name} (it applies no mapping); remove it` });
    if (inputs.mappingId !== undefined && inputs.mappingVersion === undefined) failures.push({ property: "mappingVersion", reason: "is required with mappingId: pass mapping.version" });
    if (inputs.mappingId === undefined && inputs.mappingVersion !== undefined) failures.push({ property: "mappingVersion", reason: "needs mappingId: pass mapping.id too" });
    return failures;
  },
}), { hooks: dataflowHooks, settleWrites: true });

export interface DataflowArgs extends PipelineCommonArgs, KindArgs<typeof dataflowKind> {}

/** A dataflow: reads a source connection, applies a mapping set, writes a target connection, on a schedule. */
export class Dataflow extends DynamicResource {
  /** Current etag (revision); changes on every write and every enable or disable. */
  declare readonly etag: pulumi.Output<string>;
  /** `enabled` or `disabled`, as Flow Service reports it. */
  declare readonly state: pulumi.Output<string>;

  constructor(name: string, args: DataflowArgs, opts?: pulumi.CustomResourceOptions) {
    super(...pipelineEngineArgs(dataflowKind, ["etag", "state", "enabled", "flowSpecId"], name, args, opts));
    settlePipeline(this, dataflowKind, args);
  }
}
export interface Dataflow extends PipelineOutputs, KindOutputs<typeof dataflowKind> {}
