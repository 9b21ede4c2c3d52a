import type * as pulumi from "@pulumi/pulumi";
import { boolean, nonEmptyString, oneOf } from "../validators";
import { declareKind, optional, required } from "./declaration";
import { type CommonArgs, type ConnectionOutputs, connectionEngineArgs, DynamicResource, settleConnection, type KindArgs, type KindOutputs } from "./resource";

export const streamingKind = declareKind({
  kind: "streaming",
  typeName: "StreamingConnection",
  title: "HTTP streaming",
  endpoint: "/connections",
  body: "auth.params",
  connectionSpecId: "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb",
  providerId: "521eee4d-8cbe-4906-bb48-fb6bd4450033",
  authSpecName: () => "Streaming Connection",
  properties: {
    /** `xdm` (XDM-shaped records) or `raw`. Changing it replaces the connection. */
    dataType: required<"xdm" | "raw">('"xdm" | "raw"', { schemaRule: true, replaceOnChange: true, validate: oneOf(["xdm", "raw"]) }),
    /** Source id of the streamed records. Default: the connection name (set by Flow Service). Changing it replaces the connection. */
    sourceId: optional<string>("string", { replaceOnChange: true, serverDefault: true, validate: nonEmptyString(256) }),
    /** Require an IMS bearer token on the inlet (authenticated connection). Default false. Changing it replaces the connection. */
    authenticationRequired: optional<boolean>("boolean", { schemaRule: true, replaceOnChange: true, validate: boolean }),
  },
  // The streaming auth spec requires `name`; it follows the connection name.
  extraWireParams: (inputs) => ({ name: inputs.name }),
  serverOutputs: { inletId: "inletId", inletUrl: "inletUrl", sourceId: "sourceId" },
  readAfterCreate: true,
});

export interface StreamingConnectionArgs extends CommonArgs, KindArgs<typeof streamingKind> {}

/** An HTTP API streaming connection; exposes the inlet (`inletUrl`, `inletId`) that data is posted to. */
export class StreamingConnection extends DynamicResource {
  /** Where to POST records: `https://dcs.adobedc.net/collection/<inletId>`. */
  declare readonly inletUrl: pulumi.Output<string>;
  /** The inlet's id (64 hex characters), set by Flow Service. */
  declare readonly inletId: pulumi.Output<string>;

  constructor(name: string, args: StreamingConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(...connectionEngineArgs(streamingKind, name, args, opts));
    settleConnection(this, streamingKind, args);
  }
}
export interface StreamingConnection extends ConnectionOutputs, KindOutputs<typeof streamingKind> {}
