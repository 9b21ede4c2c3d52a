import type * as pulumi from "@pulumi/pulumi";
import { hostName, nonEmptyString } from "../validators";
import { verifyConnectivityProperty } from "./common";
import { declareKind, required } from "./declaration";
import { type CommonArgs, type ConnectionOutputs, connectionEngineArgs, DynamicResource, settleConnection, type KindArgs, type KindOutputs } from "./resource";

export const ftpKind = declareKind({
  kind: "ftp",
  typeName: "FtpConnection",
  title: "FTP",
  endpoint: "/connections",
  body: "auth.params",
  connectionSpecId: "fb2e94c9-c031-467d-8103-6bd6e0a432f2",
  authSpecName: () => "Basic Authentication for FTP",
  reach: {
    inputs: ["host", "userName", "password"],
    target: (inputs) => `FTP server ${JSON.stringify(inputs.host)} as user ${JSON.stringify(inputs.userName)} with a password`,
    fix: "check host, userName and password",
  },
  properties: {
    // Adobe's FTP connection spec has no port parameter (host, userName and password only).
    /**
     * FTP server host name or IP address, without scheme or port (Flow Service's FTP connection has no
     * port parameter). Updated in place.
     */
    host: required<string>("string", { validate: hostName("ftp.example.com", "Flow Service's FTP connection takes no port: its auth params are host, userName and password") }),
    // The FTP tutorial's tables say `username`; the JSON it sends, and the API, use `userName`.
    /** User name on the FTP server. Updated in place. */
    userName: required<string>("string", { validate: nonEmptyString(256) }),
    /** Password on the FTP server. Stored as a Pulumi secret; never read back from Flow Service. Updated in place. */
    password: required<string>("string", { secret: true, validate: nonEmptyString() }),
    /**
     * Test the connection with Flow Service (`GET /connections/{id}/test`) after it is created and after
     * every update of where it points or how it signs in: a failed test fails the deployment, naming what
     * could not be reached; the connection is kept and the next `pulumi up` tests it again. Default false.
     * A setting of the provider, never sent to Flow Service.
     */
    verifyConnectivity: verifyConnectivityProperty,
  },
});

export interface FtpConnectionArgs extends CommonArgs, KindArgs<typeof ftpKind> {}

/** An FTP source connection (Flow Service connection spec `fb2e94c9-…`, beta). */
export class FtpConnection extends DynamicResource {
  constructor(name: string, args: FtpConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(...connectionEngineArgs(ftpKind, name, args, opts));
    settleConnection(this, ftpKind, args);
  }
}
export interface FtpConnection extends ConnectionOutputs, KindOutputs<typeof ftpKind> {}
