import * as pulumi from "@pulumi/pulumi";
import { createShim } from "../shim";
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

// One shim per kind, reused: Pulumi caches the serialized text by object identity, so 200
// resources of one kind are serialized once.
const shims = new Map<KindName, pulumi.dynamic.ResourceProvider>();

function shimFor(kind: KindName): pulumi.dynamic.ResourceProvider {
  let shim = shims.get(kind);
  if (!shim) shims.set(kind, (shim = createShim(kind)));
  return shim;
}

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
      shimFor(kind.kind),
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
