/** pulumi-aep-flow: Adobe Experience Platform Flow Service connections and ingestion pipelines as Pulumi resources. */
// registrations:exports:start (`npm run registrations` writes this block from provider/resources/registry.ts)
export { FtpConnection, type FtpConnectionArgs } from "./resources/ftp";
export { SftpConnection, type SftpConnectionArgs } from "./resources/sftp";
export { S3Connection, type S3ConnectionArgs } from "./resources/s3";
export { DatasetBaseConnection, type DatasetBaseConnectionArgs } from "./resources/dataset-base";
export { StreamingConnection, type StreamingConnectionArgs } from "./resources/streaming";
export { Connection, type ConnectionArgs } from "./resources/connection";
export { SourceConnection, type SourceConnectionArgs } from "./resources/source-connection";
export { TargetConnection, type TargetConnectionArgs } from "./resources/target-connection";
export { MappingSet, type MappingSetArgs } from "./resources/mapping-set";
export { Dataflow, type DataflowArgs } from "./resources/dataflow";
// registrations:exports:end
// Types of a kind's arguments besides its …Args.
export type { Mapping } from "./resources/mapping-set";
export type { Schedule } from "./resources/dataflow";
export type { CommonArgs } from "./resources/resource";
export type { PipelineCommonArgs } from "./resources/pipeline-common";
export { FlowServiceError } from "./client/flow-service-error";
// Functions a program calls (in its own process, also during preview): exploring and looking up, connections and
// what pipelines reference (datasets, schemas).
export { exploreConnection, exploreConnectionOutput, type ExploreConnectionArgs, type ExploreConnectionResult, type ExploreEntry } from "./functions/explore";
export {
  getConnection,
  getConnectionOutput,
  getConnectionSpec,
  getConnectionSpecOutput,
  type ConnectionSpecSummary,
  type GetConnectionArgs,
  type GetConnectionResult,
  type GetConnectionSpecArgs,
  type GetConnectionSpecResult,
} from "./functions/lookups";
export {
  getDataset,
  getDatasetOutput,
  getSchema,
  getSchemaOutput,
  type GetDatasetArgs,
  type GetDatasetResult,
  type GetSchemaArgs,
  type GetSchemaResult,
} from "./functions/references";
