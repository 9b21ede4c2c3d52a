import * as pulumi from "@pulumi/pulumi";
import { boolean, nonEmptyString, oneOf } from "../validation";
import type { ConnectionKind } from "./kind";
import { type CommonArgs, ConnectionResource } from "./resource";

export const streamingKind: ConnectionKind = {
  kind: "streaming",
  typeName: "StreamingConnection",
  title: "HTTP streaming",
  connectionSpecId: "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb",
  providerId: "521eee4d-8cbe-4906-bb48-fb6bd4450033",
  authSpecName: () => "Streaming Connection",
  params: [
    { input: "dataType", wire: "dataType", required: true, replaceOnChange: true, validate: oneOf(["xdm", "raw"]) },
    { input: "sourceId", wire: "sourceId", replaceOnChange: true, validate: nonEmptyString(256) },
    { input: "authenticationRequired", wire: "authenticationRequired", replaceOnChange: true, validate: boolean },
  ],
  // The streaming auth spec requires `name`; it follows the connection name.
  extraWireParams: (inputs) => ({ name: inputs.name }),
  serverOutputs: { inletId: "inletId", inletUrl: "inletUrl", sourceId: "sourceId" },
  readAfterCreate: true,
};

export interface StreamingConnectionArgs extends CommonArgs {
  /** `xdm` (XDM-shaped records) or `raw`. Changing it replaces the connection. */
  dataType: pulumi.Input<"xdm" | "raw">;
  /** Source id of the streamed records. Default: the connection name (set by Flow Service). Changing it replaces the connection. */
  sourceId?: pulumi.Input<string>;
  /** Require an IMS bearer token on the inlet (authenticated connection). Default false. Changing it replaces the connection. */
  authenticationRequired?: pulumi.Input<boolean>;
}

/** An HTTP API streaming connection; exposes the inlet (`inletUrl`, `inletId`) that data is posted to. */
export class StreamingConnection extends ConnectionResource {
  declare readonly dataType: pulumi.Output<string>;
  declare readonly sourceId: pulumi.Output<string>;
  declare readonly authenticationRequired: pulumi.Output<boolean | undefined>;
  /** Where to POST records: `https://dcs.adobedc.net/collection/<inletId>`. */
  declare readonly inletUrl: pulumi.Output<string>;
  declare readonly inletId: pulumi.Output<string>;

  constructor(name: string, args: StreamingConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(streamingKind, name, args, opts, ["inletUrl", "inletId"]);
  }
}
