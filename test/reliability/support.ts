import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Declared, type StackHandle, cliExport, declare, makeStack, pulumiOnPath, sharedProgram } from "../helpers/e2e";
import { DEMO, type TestEmulator } from "../helpers/emulator";

/** Secrets the reliability stacks declare, from stack config (encrypted in state). */
export const SECRETS = { ftpPassword: "rel-ftp-pass", sftpPassword: "rel-sftp-pass", s3Secret: "rel-s3-secret" };

const KINDS: Array<(i: number) => Omit<Declared, "name">> = [
  () => ({ type: "FtpConnection", args: { host: "ftp.example.com", userName: "ingest", password: { secret: "ftpPassword" } } }),
  (i) => ({ type: "SftpConnection", args: { host: "sftp.example.com", port: 22 + (i % 3), userName: "ingest", password: { secret: "sftpPassword" } } }),
  (i) => ({ type: "S3Connection", args: { accessKey: "AKIARELIABILITY", secretKey: { secret: "s3Secret" }, bucketName: `bucket-${i}` } }),
  (i) => ({ type: "DatasetBaseConnection", args: { description: `lake ${i}` } }),
  (i) => ({ type: "StreamingConnection", args: { dataType: i % 2 ? "raw" : "xdm" } }),
];

/** `n` resources cycling through the five kinds, with generated names. */
export function mixed(n: number, prefix = "c"): Declared[] {
  return Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, ...KINDS[i % KINDS.length](i) }));
}

/**
 * A stack of the packed provider (in the program folder test files share) with the resources declared
 * and `aep:*` config (e.g. `emu.config()`). The stack name gets a random suffix: its config file lives
 * in the shared folder.
 */
export async function stackFor(aepConfig: Record<string, string>, resources: Declared[], stackName = "rel"): Promise<StackHandle> {
  if (!pulumiOnPath()) throw new Error("The Pulumi CLI is not on PATH: run `bash scripts/ensure-pulumi.sh` (npm test does this in its global setup).");
  const h = await makeStack(sharedProgram(), {}, `${stackName}-${randomBytes(4).toString("hex")}`);
  await declare(h.stack, resources, SECRETS);
  await configure(h, aepConfig);
  return h;
}

/** Sets `aep:*` config, the client secret as a secret. */
export async function configure(h: StackHandle, aepConfig: Record<string, string>): Promise<void> {
  await h.stack.setAllConfig(Object.fromEntries(Object.entries(aepConfig).map(([k, v]) => [k, { value: v, secret: k === "aep:clientSecret" }])));
}

interface StateResource {
  urn: string;
  type: string;
  id?: string;
  outputs?: Record<string, unknown>;
}

export interface StateView {
  connections: StateResource[];
  pendingOperations: Array<{ type: string; resource: StateResource }>;
}

/** Our connection resources and the pending operations, from `pulumi stack export` as a user runs it. */
export function stateOf(h: StackHandle): StateView {
  const deployment = JSON.parse(cliExport(h)).deployment as { resources?: StateResource[]; pending_operations?: Array<{ type: string; resource: StateResource }> };
  return {
    connections: (deployment.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/aep:")),
    pendingOperations: deployment.pending_operations ?? [],
  };
}

export interface Convergence {
  inEmulator: number;
  inState: number;
  /** Connections sharing a name with another (a create that posted twice). */
  duplicates: number;
  /** Connections in the emulator that no resource in state refers to. */
  orphans: number;
  /** Resources in state whose connection the emulator does not hold. */
  missing: number;
  pendingOperations: number;
}

/** Compares the emulator's connections with the stack's state, one to one. */
export async function convergence(emu: Pick<TestEmulator, "connections">, h: StackHandle): Promise<Convergence> {
  const held = await emu.connections();
  const state = stateOf(h);
  const stateIds = new Set(state.connections.map((r) => r.id));
  const heldIds = new Set(held.map((c) => c.id as string));
  const names = new Map<string, number>();
  for (const c of held) names.set(c.name, (names.get(c.name) ?? 0) + 1);
  return {
    inEmulator: held.length,
    inState: state.connections.length,
    duplicates: [...names.values()].reduce((n, count) => n + (count - 1), 0),
    orphans: held.filter((c) => !stateIds.has(c.id)).length,
    missing: state.connections.filter((r) => !heldIds.has(r.id as string)).length,
    pendingOperations: state.pendingOperations.length,
  };
}

/** The converged outcome for `n` resources, for toEqual. */
export function converged(n: number): Convergence {
  return { inEmulator: n, inState: n, duplicates: 0, orphans: 0, missing: 0, pendingOperations: 0 };
}

/**
 * Records a figure for the README (one JSON line per figure in $AEP_RELIABILITY_FIGURES, default a
 * file in the temp folder) and prints it, so a run's numbers can be read back.
 */
export function report(test: string, figures: Record<string, unknown>): void {
  const file = process.env.AEP_RELIABILITY_FIGURES ?? join(tmpdir(), "aep-reliability-figures.jsonl");
  appendFileSync(file, `${JSON.stringify({ test, ...figures })}\n`);
  process.stdout.write(`[reliability] ${test}: ${JSON.stringify(figures)}\n`);
}

// ---- Pipelines ---------------------------------------------------------------------------------

/** The emulator's demo datasets, in turn: a target connection and its mapping set write with the dataset's schema. */
const PIPELINE_DATASETS = [DEMO.orders, DEMO.customers, DEMO.loyalty];
export const CLOUD_STORAGE_FLOW_SPEC_ID = "9753525b-82c7-4dce-8a9b-5ccfce2b9876";
/** 2030-03-17: a first run still to come, so a schedule may change in place. */
export const PIPELINE_START = 1_900_000_000;
const FILE_BASES = [KINDS[0], KINDS[1], KINDS[2]];
const ref = (r: string) => ({ ref: r });

/** What a pipeline's update changes: a new mapping version, a daily schedule, the dataflow disabled. */
export interface PipelineGeneration {
  updated: boolean;
}

/** The mappings a pipeline's mapping set declares in a generation. */
export function pipelineMappings(g: PipelineGeneration): Array<{ source: string; destination: string }> {
  const base = [{ source: "id", destination: "_id" }];
  return g.updated ? [...base, { source: "total", destination: "commerce.order.priceTotal" }] : base;
}

/** The names of pipeline `i`'s six resources. */
export function pipelineNames(i: number) {
  return { base: `p${i}base`, lake: `p${i}lake`, source: `p${i}files`, target: `p${i}dataset`, mapping: `p${i}mapping`, flow: `p${i}flow` };
}

/**
 * `n` pipelines, six resources each: a file base connection (FTP, SFTP or S3 in turn), a source
 * connection on it, a dataset base connection with a target connection, a mapping set and an hourly
 * dataflow. The updated generation moves every mapping to a new version, every schedule to daily and
 * disables every dataflow.
 */
export function pipelines(n: number, g: PipelineGeneration = { updated: false }): Declared[] {
  return Array.from({ length: n }, (_, i) => {
    const r = pipelineNames(i);
    const dataset = PIPELINE_DATASETS[i % PIPELINE_DATASETS.length];
    return [
      { name: r.base, ...FILE_BASES[i % FILE_BASES.length](i) },
      { name: r.lake, type: "DatasetBaseConnection", args: {} },
      { name: r.source, type: "SourceConnection", args: { baseConnectionId: ref(`${r.base}.id`), connectionSpecId: ref(`${r.base}.connectionSpecId`), format: "delimited", path: `/inbound/${i}/*.csv` } },
      { name: r.target, type: "TargetConnection", args: { baseConnectionId: ref(`${r.lake}.id`), dataSetId: dataset.dataSetId, schemaId: dataset.schemaId } },
      { name: r.mapping, type: "MappingSet", args: { schemaId: dataset.schemaId, mappings: pipelineMappings(g) } },
      {
        name: r.flow,
        type: "Dataflow",
        args: {
          flowSpecName: "CloudStorageToAEP",
          sourceConnectionId: ref(`${r.source}.id`),
          targetConnectionId: ref(`${r.target}.id`),
          mappingId: ref(`${r.mapping}.id`),
          mappingVersion: ref(`${r.mapping}.version`),
          schedule: { startTime: PIPELINE_START, frequency: g.updated ? "day" : "hour", interval: 1 },
          ...(g.updated ? { enabled: false } : {}),
        },
      },
    ];
  }).flat();
}

/** The emulator's collections, and which one holds each resource type. */
export type Collection = "connections" | "sourceConnections" | "targetConnections" | "flows" | "mappingSets";
const COLLECTION_OF: Record<string, Collection> = { SourceConnection: "sourceConnections", TargetConnection: "targetConnections", Dataflow: "flows", MappingSet: "mappingSets" };
export const collectionOf = (type: string): Collection => COLLECTION_OF[type.slice(type.lastIndexOf(":") + 1)] ?? "connections";

/** Everything the emulator holds, per collection (every org and sandbox). */
export function heldEntities(emu: Pick<TestEmulator, "control">): Record<Collection, Array<Record<string, unknown>>> {
  const c = emu.control;
  return { connections: c.connections(), sourceConnections: c.sourceConnections(), targetConnections: c.targetConnections(), flows: c.flows(), mappingSets: c.mappingSets() };
}

export type CollectionConvergence = Omit<Convergence, "pendingOperations">;

/** Compares every collection of the emulator with the stack's state, one to one. */
export function pipelineConvergence(emu: Pick<TestEmulator, "control">, h: StackHandle): { collections: Record<Collection, CollectionConvergence>; pendingOperations: number } {
  const held = heldEntities(emu);
  const state = stateOf(h);
  const collections = {} as Record<Collection, CollectionConvergence>;
  for (const [collection, items] of Object.entries(held) as Array<[Collection, Array<Record<string, unknown>>]>) {
    const inState = state.connections.filter((r) => collectionOf(r.type) === collection);
    const stateIds = new Set(inState.map((r) => r.id));
    const heldIds = new Set(items.map((e) => String(e.id)));
    const names = new Map<string, number>();
    for (const e of items) names.set(String(e.name), (names.get(String(e.name)) ?? 0) + 1);
    collections[collection] = {
      inEmulator: items.length,
      inState: inState.length,
      duplicates: [...names.values()].reduce((n, count) => n + (count - 1), 0),
      orphans: items.filter((e) => !stateIds.has(String(e.id))).length,
      missing: inState.filter((r) => !heldIds.has(String(r.id))).length,
    };
  }
  return { collections, pendingOperations: state.pendingOperations.length };
}

/** The converged outcome with `n` entities in every collection (`mappingSets` apart: Data Prep keeps them), for toEqual. */
export function pipelinesConverged(n: number, mappingSets: CollectionConvergence = { inEmulator: n, inState: n, duplicates: 0, orphans: 0, missing: 0 }) {
  const one = (k: number): CollectionConvergence => ({ inEmulator: k, inState: k, duplicates: 0, orphans: 0, missing: 0 });
  // Each pipeline has two base connections: its file connection and its dataset base connection.
  return { collections: { connections: one(2 * n), sourceConnections: one(n), targetConnections: one(n), flows: one(n), mappingSets }, pendingOperations: 0 };
}
