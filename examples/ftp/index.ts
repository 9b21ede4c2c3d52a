import * as pulumi from "@pulumi/pulumi";
// Inside this repository the package is imported by path; in your project: from "pulumi-aep-flow".
import { FtpConnection } from "../../provider";

const config = new pulumi.Config();

const ftp = new FtpConnection("orders-ftp", {
  description: "Nightly order exports",
  host: "ftp.example.com",
  userName: "aep-ingest",
  password: config.requireSecret("ftpPassword"),
});

export const connectionId = ftp.id;
export const etag = ftp.etag;
