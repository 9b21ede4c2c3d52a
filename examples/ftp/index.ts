import * as pulumi from "@pulumi/pulumi";
import { FtpConnection } from "pulumi-aep-flow";

const config = new pulumi.Config();

const ftp = new FtpConnection("orders-ftp", {
  description: "Nightly order exports",
  host: "ftp.example.com",
  userName: "aep-ingest",
  password: config.requireSecret("ftpPassword"),
});

export const connectionId = ftp.id;
export const etag = ftp.etag;
