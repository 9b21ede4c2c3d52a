import * as pulumi from "@pulumi/pulumi";
import { S3Connection } from "pulumi-aep-flow";

const config = new pulumi.Config();

const s3 = new S3Connection("landing-bucket", {
  accessKey: config.require("s3AccessKey"),
  secretKey: config.requireSecret("s3SecretKey"),
  serviceUrl: "https://s3.us-east-1.amazonaws.com",
  bucketName: "acme-aep-landing",
  folderPath: "exports/",
});

export const connectionId = s3.id;
export const etag = s3.etag;
