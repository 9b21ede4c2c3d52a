import { datasetBaseKind } from "./dataset-base";
import type { EntityKind } from "./declaration";
import { ftpKind } from "./ftp";
import { s3Kind } from "./s3";
import { sftpKind } from "./sftp";
import { streamingKind } from "./streaming";

export const KINDS: readonly EntityKind[] = [ftpKind, sftpKind, s3Kind, datasetBaseKind, streamingKind];

export function kindByName(name: string): EntityKind {
  const kind = KINDS.find((k) => k.kind === name);
  if (!kind) throw new Error(`unknown connection kind "${name}": the installed pulumi-aep-flow is older than the one that created this resource; upgrade it`);
  return kind;
}
