import * as pulumi from "@pulumi/pulumi";
import type { ArgsOf, EntityKind, KindName, OutputsOf } from "./declaration";
export type { CommonArgs } from "./common";

// One provider object per kind, each the whole export of its own module (provider/shims/): see
// ARCHITECTURE.md ("How a deployment runs") for why `__provider` is a reference, not code. Pulumi
// also caches the serialization by object identity: 200 resources of one kind are serialized once.
/* eslint-disable @typescript-eslint/no-require-imports */
const shims: Record<KindName, pulumi.dynamic.ResourceProvider> = {
  ftp: require("../shims/ftp"),
  sftp: require("../shims/sftp"),
  s3: require("../shims/s3"),
  datasetBase: require("../shims/dataset-base"),
  streaming: require("../shims/streaming"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Outputs every connection resource has. */
export interface ConnectionOutputs {
  /** Current etag (revision) of the connection; changes on every write. */
  readonly etag: pulumi.Output<string>;
  /** Connection name in Flow Service (the declared one, or the one generated once). */
  readonly name: pulumi.Output<string>;
  /** Free-text description. */
  readonly description: pulumi.Output<string | undefined>;
  /** Sandbox the connection lives in. */
  readonly sandbox: pulumi.Output<string>;
  /** Connection state reported by Flow Service, e.g. `enabled`. */
  readonly state: pulumi.Output<string>;
  /** The connection spec id of this kind. */
  readonly connectionSpecId: pulumi.Output<string>;
}

/** The arguments of a kind's own properties (`interface XArgs extends CommonArgs, KindArgs<…>`). */
export type KindArgs<K extends EntityKind> = K extends EntityKind<infer P> ? ArgsOf<P> : never;

/** The outputs of a kind's own properties, for the class's interface (`interface X extends KindOutputs<…>`). */
export type KindOutputs<K extends EntityKind> = K extends EntityKind<infer P> ? OutputsOf<P> : never;

/** Base of the connection resources: the outputs they share, secrets and the serialized shim. */
export abstract class ConnectionResource extends pulumi.dynamic.Resource {
  declare readonly etag: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly sandbox: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;
  declare readonly connectionSpecId: pulumi.Output<string>;

  protected constructor(kind: EntityKind, name: string, args: object, opts?: pulumi.CustomResourceOptions) {
    const props: Record<string, unknown> = { ...(args as Record<string, unknown>) };
    const secrets = kind.params.filter((p) => p.secret).map((p) => p.input);
    for (const key of secrets) if (props[key] !== undefined) props[key] = pulumi.secret(props[key]);
    // The Pulumi resource name prefixes auto-generated connection names; the URN makes their suffix
    // reproducible, so a create repeated after an interruption finds what the lost attempt created.
    props.__autoName = name;
    props.__nameSeed = pulumi.createUrn(name, `aep:${kind.typeName}`, opts?.parent);
    const outputs = [
      "etag",
      "name",
      "description",
      "sandbox",
      "state",
      "connectionSpecId",
      ...kind.params.map((p) => p.input),
      ...(kind.derived ?? []).map((d) => d.output),
      ...Object.keys(kind.serverOutputs ?? {}),
    ];
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
