import { connectionKind } from "./connection";
import { dataflowKind } from "./dataflow";
import { datasetBaseKind } from "./dataset-base";
import type { EngineKind } from "../engine/kind";
import { connectionView, pipelineView } from "../engine/kinds";
import type { EntityKind, PipelineKind } from "./declaration";
import { ftpKind } from "./ftp";
import { mappingSetKind } from "./mapping-set";
import { s3Kind } from "./s3";
import { sftpKind } from "./sftp";
import { sourceConnectionKind } from "./source-connection";
import { streamingKind } from "./streaming";
import { targetConnectionKind } from "./target-connection";

/** The base connection kinds. */
export const KINDS: readonly EntityKind[] = [ftpKind, sftpKind, s3Kind, datasetBaseKind, streamingKind, connectionKind];

/** The pipeline kinds. */
export const PIPELINE_KINDS: readonly PipelineKind[] = [sourceConnectionKind, targetConnectionKind, mappingSetKind, dataflowKind];

/** Any kind by the name its serialized provider passes (the lifecycle's entry). */
export function anyKindByName(name: string): EntityKind | PipelineKind {
  const kind = KINDS.find((k) => k.kind === name) ?? PIPELINE_KINDS.find((k) => k.kind === name);
  if (!kind) throw new Error(`unknown kind "${name}": the installed pulumi-aep-flow is older than the one that created this resource; upgrade it`);
  return kind;
}

/** A base connection kind by name. */
export function kindByName(name: string): EntityKind {
  const kind = anyKindByName(name);
  if (isPipelineKind(kind)) throw new Error(`"${name}" is a pipeline kind, not a base connection kind`);
  return kind;
}

export function isPipelineKind(kind: EntityKind | PipelineKind): kind is PipelineKind {
  return PIPELINE_KINDS.includes(kind as PipelineKind);
}

/** Every kind as the engine runs it (provider/engine/), by the name its serialized provider passes. */
const ENGINE_KINDS = new Map<string, EngineKind>([...KINDS.map((k): [string, EngineKind] => [k.kind, connectionView(k)]), ...PIPELINE_KINDS.map((k): [string, EngineKind] => [k.kind, pipelineView(k)])]);

/** A kind as the engine runs it, by name. */
export function engineKindByName(name: string): EngineKind {
  const kind = ENGINE_KINDS.get(name);
  if (!kind) throw new Error(`unknown kind "${name}": the installed pulumi-aep-flow is older than the one that created this resource; upgrade it`);
  return kind;
}
