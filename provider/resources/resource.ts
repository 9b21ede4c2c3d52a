import * as pulumi from "@pulumi/pulumi";
import type { ArgsOf, EntityKind, KindName, OutputsOf, PipelineKind, PropertySpec } from "./declaration";
export type { CommonArgs } from "./common";

/**
 * The file name of a kind's modules, its name in kebab case: provider/resources/<name>.ts (declaration and
 * class) and provider/shims/<name>.js (its provider object, whose package path `pulumi-aep-flow/shims/<name>`
 * is stored in state). scripts/registrations.js writes the shims and their exports by the same rule.
 */
export function moduleName(kind: KindName): string {
  return kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

// One provider object per kind, each the whole export of its own module (provider/shims/): see
// ARCHITECTURE.md ("How a deployment runs") for why `__provider` is a reference, not code. Pulumi
// also caches the serialization by object identity (require returns the one module object): 200
// resources of one kind are serialized once.
function providerOf(kind: KindName): pulumi.dynamic.ResourceProvider {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`../shims/${moduleName(kind)}`);
}

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
export type KindArgs<K extends EntityKind | PipelineKind> = K extends EntityKind<infer P> ? ArgsOf<P> : K extends PipelineKind<infer P> ? ArgsOf<P> : never;

/** The outputs of a kind's own properties, for the class's interface (`interface X extends KindOutputs<…>`). */
export type KindOutputs<K extends EntityKind | PipelineKind> = K extends EntityKind<infer P> ? OutputsOf<P> : K extends PipelineKind<infer P> ? OutputsOf<P> : never;

interface ResourceKind {
  kind: KindName;
  typeName: string;
  params: PropertySpec[];
}

/**
 * The property bag and options every resource of this package hands the engine: secret args
 * marked, every output named, the generated-name seeds, and delete-before-replace by default.
 */
function registration(kind: ResourceKind, name: string, args: object, outputs: string[], opts?: pulumi.CustomResourceOptions) {
  const props: Record<string, unknown> = { ...(args as Record<string, unknown>) };
  const secrets = kind.params.filter((p) => p.secret).map((p) => p.input);
  for (const key of secrets) if (props[key] !== undefined) props[key] = pulumi.secret(props[key]);
  // The Pulumi resource name prefixes auto-generated names; the URN makes their suffix reproducible,
  // so a create repeated after an interruption finds what the lost attempt created.
  props.__autoName = name;
  props.__nameSeed = pulumi.createUrn(name, `aep:${kind.typeName}`, opts?.parent);
  for (const key of [...outputs, ...kind.params.map((p) => p.input)]) if (!(key in props)) props[key] = undefined;
  const options: pulumi.CustomResourceOptions = {
    ...opts,
    // Delete first, then create: a replacement whose generated name does not change (`pulumi up
    // --replace`, replaceOnChanges) must not find the entity it replaces and adopt it. With it the
    // engine also replaces, first, every dependent whose reference to this one would change: a
    // dataflow and its source connection are deleted before their base connection, which Flow
    // Service refuses to delete while they use it (1418-400), and created again after it.
    deleteBeforeReplace: opts?.deleteBeforeReplace ?? true,
    additionalSecretOutputs: [...new Set([...(opts?.additionalSecretOutputs ?? []), ...secrets])],
  };
  return { provider: providerOf(kind.kind), props, options };
}

/**
 * The outputs a resource knows in the program, set on it instead of read from the engine: the kind's
 * constants and the values derived from its arguments. At preview the engine does not ask a dynamic
 * provider for an update's or a create's outputs (the Node server never says it supports preview):
 * they are the inputs `check` returned, and every other output is unknown. An unknown
 * `s3.connectionSpecId` passed to a source connection, whose spec replaces it when it changes, made a
 * preview announce replacements that the `up` never did. Each value here is the one the provider
 * stores, so the state and the resource agree.
 */
function knownOutputs(resource: Record<string, unknown>, constants: Record<string, string>, derived: EntityKind["derived"], args: Record<string, unknown>): void {
  for (const [output, value] of Object.entries(constants)) resource[output] = pulumi.output(value);
  for (const d of derived ?? []) {
    // From the arguments the value depends on; a secret argument only decides which value, so the result is no secret.
    const inputs = pulumi.all(Object.fromEntries(d.triggers.map((t) => [t, args[t]])));
    resource[d.output] = pulumi.unsecret(inputs.apply((values) => d.compute(values)));
  }
}

/** The arguments of pulumi.dynamic.Resource's constructor, as a kind's class passes them to super(). */
type EngineArgs = [pulumi.dynamic.ResourceProvider, string, pulumi.Inputs, pulumi.CustomResourceOptions, string, string];

/** connectionSpecId is an engine output only for a kind without a spec of its own (the generic Connection). */
const specOutput = (kind: EntityKind): string[] => (kind.connectionSpecId === "" ? ["connectionSpecId"] : []);

// No class of this package stands between a kind's class and pulumi.dynamic.Resource, on purpose. Pulumi
// records where a resource was declared (its source position, and a stack trace stored in the state for
// every resource) by skipping the frames of Resource, CustomResource and dynamic.Resource: a base class in
// between was one more frame in every resource's state, and its constructor the source position of every
// kind. Even a base without a constructor shows: Pulumi's closure serialization attaches the inspector,
// under which V8 keeps the frames of default constructors. So a kind's class extends DynamicResource,
// passes super(...connectionEngineArgs(…)) or super(...pipelineEngineArgs(…)), then settles its outputs.

/**
 * The class every kind's class extends: pulumi.dynamic.Resource itself, with no base class of this package in
 * between (see above); the outputs a kind shares come from ConnectionOutputs or PipelineOutputs, merged into
 * its class's interface.
 */
export const DynamicResource = pulumi.dynamic.Resource;

/** What a connection kind's class passes to super(): the engine's arguments for one resource of `kind`. */
export function connectionEngineArgs(kind: EntityKind, name: string, args: object, opts?: pulumi.CustomResourceOptions): EngineArgs {
  const outputs = ["etag", "name", "description", "sandbox", "state", ...specOutput(kind), ...Object.keys(kind.serverOutputs ?? {})];
  const { provider, props, options } = registration(kind, name, args, outputs, opts);
  return [provider, name, props, options, "aep", kind.typeName];
}

/** What a connection kind's class calls after super(): the outputs the program knows (knownOutputs). */
export function settleConnection(resource: pulumi.dynamic.Resource, kind: EntityKind, args: object): void {
  // A kind without a spec of its own (the generic Connection: each resource names one) learns it from the engine.
  const constants: Record<string, string> = specOutput(kind).length > 0 ? {} : { connectionSpecId: kind.connectionSpecId };
  knownOutputs(resource as unknown as Record<string, unknown>, constants, kind.derived, args as Record<string, unknown>);
}

/** Outputs every pipeline resource has. */
export interface PipelineOutputs {
  /** Name in Flow Service (the declared one, or the one generated once). */
  readonly name: pulumi.Output<string>;
  /** Free-text description. */
  readonly description: pulumi.Output<string | undefined>;
  /** Sandbox the entity lives in. */
  readonly sandbox: pulumi.Output<string>;
}

/** What a pipeline kind's class passes to super(): the engine's arguments for one resource of `kind`. */
export function pipelineEngineArgs(kind: PipelineKind, outputs: string[], name: string, args: object, opts?: pulumi.CustomResourceOptions): EngineArgs {
  const { provider, props, options } = registration(kind, name, args, ["name", "description", "sandbox", ...outputs], opts);
  return [provider, name, props, options, "aep", kind.typeName];
}

/** What a pipeline kind's class calls after super(): the outputs the program knows (knownOutputs). */
export function settlePipeline(resource: pulumi.dynamic.Resource, kind: PipelineKind, args: object): void {
  knownOutputs(resource as unknown as Record<string, unknown>, kind.constants ?? {}, kind.derived, args as Record<string, unknown>);
}
