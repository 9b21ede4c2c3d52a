/** pulumi-aep-flow: Adobe Experience Platform Flow Service connections as Pulumi resources. */
export { FtpConnection, type FtpConnectionArgs } from "./resources/ftp";
export { SftpConnection, type SftpConnectionArgs } from "./resources/sftp";
export { S3Connection, type S3ConnectionArgs } from "./resources/s3";
export { DatasetBaseConnection, type DatasetBaseConnectionArgs } from "./resources/dataset-base";
export { StreamingConnection, type StreamingConnectionArgs } from "./resources/streaming";
export type { CommonArgs } from "./resources/resource";
export { FlowServiceError } from "./client/flow-service-error";
// Functions a program calls (in its own process, also during preview): exploring and looking up.
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
