import * as pulumi from "@pulumi/pulumi";
import { SftpConnection, SourceConnection } from "pulumi-aep-flow";

const config = new pulumi.Config();

const sftp = new SftpConnection("partner-sftp", {
  host: "sftp.partner.example.com",
  userName: "aep-ingest",
  privateKeyContent: config.requireSecret("sftpPrivateKey"),
});

// The partner's gzip-compressed, tab-separated files under /outbound, folders included.
const files = new SourceConnection("partner-files", {
  baseConnectionId: sftp.id,
  connectionSpecId: sftp.connectionSpecId,
  format: "delimited",
  columnDelimiter: "\t",
  compressionType: "gzip",
  path: "/outbound/*.tsv.gz",
  recursive: true,
});

export const sourceConnectionId = files.id;
export const state = files.state;
