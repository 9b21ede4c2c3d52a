import * as pulumi from "@pulumi/pulumi";
import { hostName, nonEmptyString } from "../validation";
import type { ConnectionKind } from "./kind";
import { type CommonArgs, ConnectionResource } from "./resource";

export const ftpKind: ConnectionKind = {
  kind: "ftp",
  typeName: "FtpConnection",
  title: "FTP",
  connectionSpecId: "fb2e94c9-c031-467d-8103-6bd6e0a432f2",
  authSpecName: () => "Basic Authentication for FTP",
  params: [
    // Adobe's FTP connection spec has no port parameter (host, userName and password only).
    { input: "host", wire: "host", required: true, validate: hostName("ftp.example.com", "Flow Service's FTP connection takes no port: its auth params are host, userName and password") },
    // The FTP tutorial's tables say `username`; the JSON it sends, and the API, use `userName`.
    { input: "userName", wire: "userName", required: true, validate: nonEmptyString(256) },
    { input: "password", wire: "password", required: true, secret: true, validate: nonEmptyString() },
  ],
};

export interface FtpConnectionArgs extends CommonArgs {
  /**
   * FTP server host name or IP address, without scheme or port (Flow Service's FTP connection has no
   * port parameter). Updated in place.
   */
  host: pulumi.Input<string>;
  /** User name on the FTP server. Updated in place. */
  userName: pulumi.Input<string>;
  /** Password on the FTP server. Stored as a Pulumi secret; never read back from Flow Service. Updated in place. */
  password: pulumi.Input<string>;
}

/** An FTP source connection (Flow Service connection spec `fb2e94c9-…`, beta). */
export class FtpConnection extends ConnectionResource {
  declare readonly host: pulumi.Output<string>;
  declare readonly userName: pulumi.Output<string>;
  declare readonly password: pulumi.Output<string>;

  constructor(name: string, args: FtpConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(ftpKind, name, args, opts);
  }
}
