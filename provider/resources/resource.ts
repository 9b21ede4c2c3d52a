import * as pulumi from "@pulumi/pulumi";
import type { ConnectionKind, KindName } from "./kind";

/** Arguments every connection resource accepts. */
export interface CommonArgs {
  /** Connection name in Flow Service. Default: `<resource name>-<7 characters derived from the resource's URN>`, generated once. Updated in place. */
  name?: pulumi.Input<string>;
  /** Free-text description. Updated in place. */
  description?: pulumi.Input<string>;
  /** Sandbox the connection lives in. Default: config `aep:sandbox`, env `AEP_SANDBOX`, else `prod`. Changing it replaces the connection. */
  sandbox?: pulumi.Input<string>;
  /**
   * Adopt this existing connection instead of creating one: on create it is read, checked to be of
   * this kind, and patched to the declared name, description and auth params; then it is managed like
   * any other (use the `retainOnDelete` resource option to keep it on destroy). Ignored after creation.
   */
  existingConnectionId?: pulumi.Input<string>;
}

// One provider object per kind, each the whole export of its own module (provider/shims/): Pulumi
// serializes a module that a program installed from node_modules as `require("<its export path>")`,
// about 300 bytes, instead of its code. `__provider` is stored twice per resource and the state is
// rewritten after every step, so this keeps every deployment's state writes small. Pulumi also caches
// the serialization by object identity: 200 resources of one kind are serialized once.
/* eslint-disable @typescript-eslint/no-require-imports */
const shims: Record<KindName, pulumi.dynamic.ResourceProvider> = {
  ftp: require("../shims/ftp"),
  sftp: require("../shims/sftp"),
  s3: require("../shims/s3"),
  datasetBase: require("../shims/dataset-base"),
  streaming: require("../shims/streaming"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Base of the five connection resources: the outputs they share, secrets and the serialized shim. */
export abstract class ConnectionResource extends pulumi.dynamic.Resource {
  /** Current etag (revision) of the connection; changes on every write. */
  declare readonly etag: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly sandbox: pulumi.Output<string>;
  /** Connection state reported by Flow Service, e.g. `enabled`. */
  declare readonly state: pulumi.Output<string>;
  declare readonly connectionSpecId: pulumi.Output<string>;

  protected constructor(kind: ConnectionKind, name: string, args: object, opts?: pulumi.CustomResourceOptions, extraOutputs: string[] = []) {
    const props: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    const secrets = kind.params.filter((p) => p.secret).map((p) => p.input);
    for (const key of secrets) if (props[key] !== undefined) props[key] = pulumi.secret(props[key]);
    // The Pulumi resource name prefixes auto-generated connection names; the URN makes their suffix
    // reproducible, so a create repeated after an interruption finds what the lost attempt created.
    props.__autoName = name;
    props.__nameSeed = pulumi.createUrn(name, `aep:${kind.typeName}`, opts?.parent);
    const outputs = ["etag", "name", "description", "sandbox", "state", "connectionSpecId", ...kind.params.map((p) => p.input), ...extraOutputs];
    for (const key of outputs) if (!(key in props)) props[key] = undefined;
    super(
      shims[kind.kind],
      name,
      props,
      {
        ...opts,
        // Delete first, then create: a replacement whose generated name does not change (`pulumi up
        // --replace`, replaceOnChanges) must not find the connection it replaces and adopt it. It also
        // means a connection that dataflows still use is refused (1418) before anything is created.
        deleteBeforeReplace: opts?.deleteBeforeReplace ?? true,
        additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...secrets])],
      },
      "aep",
      kind.typeName,
    );
  }
}
