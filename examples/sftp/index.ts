import * as pulumi from "@pulumi/pulumi";
import { SftpConnection } from "pulumi-aep-flow";

const config = new pulumi.Config();

// SSH key authentication: the OpenSSH private key text (or its Base64). Switching to `password`
// later replaces the connection, because Flow Service cannot change the auth type in place.
const sftp = new SftpConnection("partner-sftp", {
  host: "sftp.example.com",
  port: 22,
  userName: "aep-ingest",
  privateKeyContent: config.requireSecret("sftpPrivateKey"),
  folderPath: "/outbound",
});

export const connectionId = sftp.id;
export const authType = sftp.authType;
