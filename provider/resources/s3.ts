import type * as pulumi from "@pulumi/pulumi";
import { isIpv4, nonEmptyString, optionalString } from "../validators";
import { isSet } from "../engine/inputs";
import { folderOf, verifyConnectivityProperty } from "./common";
import { declareKind, optional, required } from "./declaration";
import { type CommonArgs, type ConnectionOutputs, connectionEngineArgs, DynamicResource, settleConnection, type KindArgs, type KindOutputs } from "./resource";

/** Bucket names as the contract states them: 3–63 of a-z 0-9 -, alphanumeric at both ends, not an IP. */
export const bucketName = (v: unknown): string | undefined => {
  const base = nonEmptyString(63)(v);
  if (base) return base;
  const b = v as string;
  if (b.length < 3) return `must be 3 to 63 characters, got ${b.length}`;
  if (isIpv4(b)) return "must not be an IP address";
  if (!/^[a-z0-9-]+$/.test(b)) return `may contain only lowercase letters, digits and hyphens, got ${JSON.stringify(b)}`;
  if (!/^[a-z0-9].*[a-z0-9]$/.test(b)) return `must start and end with a letter or digit, got ${JSON.stringify(b)}`;
  return undefined;
};

// The S3 connection spec's own pattern for serviceUrl.
export const SERVICE_URL = /^https:\/\/s3\.[a-z0-9-]+\.amazonaws\.com\/?$/;

export const serviceUrl = (v: unknown): string | undefined => {
  const base = nonEmptyString(256)(v);
  if (base) return base;
  return SERVICE_URL.test(v as string) ? undefined : `must be an S3 regional endpoint such as "https://s3.us-east-1.amazonaws.com", got ${JSON.stringify(v)}`;
};

export const s3Kind = declareKind({
  kind: "s3",
  typeName: "S3Connection",
  title: "Amazon S3",
  endpoint: "/connections",
  body: "auth.params",
  connectionSpecId: "ecadc60c-7455-4d87-84dc-2a0e293d997b",
  authSpecName: () => "Access Key",
  reach: {
    inputs: ["accessKey", "secretKey", "sessionToken", "serviceUrl", "bucketName", "folderPath"],
    // Never a secret: the access key id is not one.
    target: (inputs) =>
      `${isSet(inputs.bucketName) ? `bucket ${JSON.stringify(inputs.bucketName)}` : "Amazon S3 (no bucketName)"}${isSet(inputs.serviceUrl) ? ` at ${inputs.serviceUrl}` : ""} with access key ${JSON.stringify(inputs.accessKey)}${isSet(inputs.sessionToken) ? " and a session token" : ""}${folderOf(inputs)}`,
    fix: "check accessKey, secretKey, sessionToken (temporary credentials expire), serviceUrl, bucketName and folderPath",
  },
  properties: {
    /** AWS access key id. Updated in place. */
    accessKey: required<string>("string", { wire: "s3AccessKey", validate: nonEmptyString(128) }),
    /** AWS secret access key. Secret; never read back from Flow Service. Updated in place. */
    secretKey: required<string>("string", { wire: "s3SecretKey", secret: true, validate: nonEmptyString(1024) }),
    /** AWS session token, for temporary credentials. Secret. Updated in place. */
    sessionToken: optional<string>("string", { wire: "s3SessionToken", secret: true, validate: nonEmptyString(8192) }),
    /** Regional S3 endpoint, e.g. `https://s3.us-east-1.amazonaws.com`. Updated in place. */
    serviceUrl: optional<string>("string", { schemaRule: true, validate: serviceUrl }),
    /** Bucket to restrict the connection to (3–63 lowercase letters, digits, hyphens). Updated in place. */
    bucketName: optional<string>("string", { schemaRule: true, validate: bucketName }),
    /** Folder within the bucket. Updated in place. */
    folderPath: optional<string>("string", { validate: optionalString(1024) }),
    /**
     * Test the connection with Flow Service (`GET /connections/{id}/test`) after it is created and after
     * every update of where it points or how it signs in: a failed test fails the deployment, naming what
     * could not be reached; the connection is kept and the next `pulumi up` tests it again. Default false.
     * A setting of the provider, never sent to Flow Service.
     */
    verifyConnectivity: verifyConnectivityProperty,
  },
});

export interface S3ConnectionArgs extends CommonArgs, KindArgs<typeof s3Kind> {}

/** An Amazon S3 source connection (access key authentication). */
export class S3Connection extends DynamicResource {
  constructor(name: string, args: S3ConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(...connectionEngineArgs(s3Kind, name, args, opts));
    settleConnection(this, s3Kind, args);
  }
}
export interface S3Connection extends ConnectionOutputs, KindOutputs<typeof s3Kind> {}
