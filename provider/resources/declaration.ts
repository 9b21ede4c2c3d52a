import type * as pulumi from "@pulumi/pulumi";
import type { ParamRule } from "../catalog/check";
import type { CheckFailure, Validator } from "../validators";

/**
 * One declaration per entity kind: every property once, with its rules; the resource's `…Args` type,
 * its outputs, the lifecycle's rules, the wire mapping and the README's property tables all come
 * from it. A property's doc comment is written on its key in the `properties` object literal: the
 * mapped types below keep it, so editors and `tsc` show it on `…Args` and on the outputs.
 */

// registrations:kind-names:start (`npm run registrations` writes this block from provider/resources/registry.ts)
/** The base connection kinds. The text of each is stored in every resource's serialized provider. */
export type ConnectionKindName = "ftp" | "sftp" | "s3" | "datasetBase" | "streaming" | "connection";
/** The kinds of an ingestion pipeline built on base connections (the engine, provider/engine/, runs every kind). */
export type PipelineKindName = "sourceConnection" | "targetConnection" | "mappingSet" | "dataflow";
// registrations:kind-names:end
/** Every entity kind. */
export type KindName = ConnectionKindName | PipelineKindName;

/** The rules of one property. `T` is its TypeScript type on the Pulumi surface (phantom). */
export interface Property<T = unknown, Required extends boolean = boolean> {
  readonly required: Required;
  /** Stored as a Pulumi secret, never read back, redacted from every message. */
  readonly secret?: boolean;
  /** Changing it replaces the entity (the API cannot change it in place). */
  readonly replaceOnChange?: boolean;
  /**
   * Its validator accepts exactly what the connection spec's JSON Schema accepts for it (the
   * property tests of `check` compare the two); unset when the provider's rule is stricter.
   */
  readonly schemaRule?: boolean;
  /** Read on create only; a later change does nothing (e.g. `existingId`). */
  readonly createOnly?: boolean;
  /**
   * Never sent as it is: a setting of the provider or something it acts on itself (`verifyConnectivity`,
   * a flow spec's name, a dataflow's `enabled`); kept from state on read.
   */
  readonly local?: boolean;
  /** Flow Service fills it when it is not declared (its output is then always set). */
  readonly serverDefault?: boolean;
  readonly validate: Validator;
  /** Key in the entity's body on the wire; default: the property's own name. */
  readonly wire?: string;
  /** Input value → wire value (e.g. an OpenSSH key → Base64). */
  readonly toWire?: (value: unknown) => unknown;
  /** Wire value → input value, for `read` (e.g. `"true"` → `true`); the inverse of `toWire`. */
  readonly fromWire?: (value: unknown) => unknown;
  /** Its value when not declared, filled in by `check` (so it is stored, compared and shown). */
  readonly default?: unknown;
  /**
   * Its value when not declared, from the other declared inputs and the stored ones, filled in by `check`
   * (the generic Connection's `connectionSpecId` from a `connectionSpecName` the catalog knows); undefined
   * when it cannot be told without a request.
   */
  readonly derive?: (news: Inputs, olds: Inputs) => unknown;
  /**
   * Its value is a map whose members are wire params, each under its own key (the generic Connection's
   * `params` and `secretParams`): sent, patched, compared and redacted member by member. With `secret`,
   * every member is a secret.
   */
  readonly spread?: boolean;
  /** The property holds the id of another resource of this type (e.g. a flow's source connection). */
  readonly references?: string;
  /**
   * Its value is fixed by another property's (a source connection's connection spec by its base
   * connection, whose spec never changes): while that one is known and unchanged, an unknown value
   * of this one (a preview) is its old value, so `check` stores that and `diff` sees no change.
   */
  readonly followsFrom?: string;
  /** For the README: the type as users write it. */
  readonly typeText: string;
  /** Phantom: carries `T` for the mapped types; never set. */
  readonly __type?: T;
}

type Rules = Omit<Property, "required" | "typeText" | "__type">;

/** A required property of type `T`; `typeText` is how the README shows the type. */
export function required<T>(typeText: string, rules: Rules): Property<T, true> {
  return { ...rules, required: true, typeText };
}

/** An optional property of type `T`. */
export function optional<T>(typeText: string, rules: Rules): Property<T, false> {
  return { ...rules, required: false, typeText };
}

/** A property that holds another resource's id: `pulumi.Input<string>`, e.g. `baseConnectionId`. */
export function reference<R extends boolean>(typeName: string, isRequired: R, rules: Omit<Rules, "references">): Property<string, R> {
  return { ...rules, references: typeName, required: isRequired, typeText: `string (${typeName} id)` };
}

export type Properties = Record<string, Property>;

type TypeOf<P> = P extends Property<infer T> ? T : never;
type RequiredKeys<P extends Properties> = { [K in keyof P]: P[K] extends Property<unknown, true> ? K : never }[keyof P];
type OptionalKeys<P extends Properties> = Exclude<keyof P, RequiredKeys<P>>;
type OutputKeys<P extends Properties> = { [K in keyof P]: P[K] extends Property<unknown, true> ? K : P[K] extends { serverDefault: true } ? K : never }[keyof P];

/** The resource's arguments: `pulumi.Input` of each property, optional unless required (docs kept). */
export type ArgsOf<P extends Properties> = { [K in keyof P as K extends RequiredKeys<P> ? K : never]: pulumi.Input<TypeOf<P[K]>> } & {
  [K in keyof P as K extends OptionalKeys<P> ? K : never]?: pulumi.Input<TypeOf<P[K]>>;
};

/** The resource's outputs of these properties (docs kept); set unless optional and not server-filled. */
export type OutputsOf<P extends Properties> = {
  readonly [K in keyof P]: pulumi.Output<K extends OutputKeys<P> ? TypeOf<P[K]> : TypeOf<P[K]> | undefined>;
};

export type Inputs = Record<string, unknown>;

export type { CheckFailure } from "../validators";

/**
 * Where a base connection's params sit in its body on the wire, as a dotted path: `auth.params`, so a
 * param `host` is `auth.params.host` (a pipeline kind's properties each name their own dotted path instead).
 */
export type BodyShape = "auth.params";

/** One property as the lifecycle reads it: its Pulumi name and wire name with its rules. */
export interface PropertySpec extends Omit<Property, "wire" | "__type"> {
  /** Property name on the resource (args, outputs and state). */
  input: string;
  /** Key in the body's params on the wire. */
  wire: string;
}

/** What `check` and `diff` read of a kind: the rules of its properties, nothing of the wire. */
export interface InputRules {
  kind: KindName;
  typeName: string;
  /** What one entity is called in messages ("connection", "dataflow"); the engine's view sets it. */
  noun?: string;
  params: PropertySpec[];
  /** Inputs besides its own properties; default name, description, sandbox, existingId, existingConnectionId. */
  commonInputs?: readonly string[];
  /** `declared` is what the program set, before defaults and `derive` filled the rest in. */
  checkInputs?: (inputs: Inputs, declared: Inputs) => CheckFailure[];
  derived?: Array<{ output: string; compute: (inputs: Inputs) => unknown; triggers: string[] }>;
  serverOutputs?: Record<string, string>;
  refuseChange?: ChangeRule;
}

/**
 * A change that depends on what is stored and on the time (a dataflow's startTime that has passed): the
 * refusal, naming the property, the rule and the way out, or undefined. `diff` asks it when the change is
 * an update (a replacement sends no PATCH); never `check`, which `pulumi up --replace` runs too, so the
 * way out stays open. `now` is milliseconds since the epoch.
 */
export type ChangeRule = (olds: Inputs, news: Inputs, now: number) => CheckFailure | undefined;

/** What a kind declares; `declareKind` derives the rest. */
export interface KindDeclaration<P extends Properties> {
  kind: ConnectionKindName;
  /** Resource type name: the engine shows `pulumi-nodejs:dynamic/aep:<typeName>`. */
  typeName: string;
  /** Human name for messages ("SFTP"). */
  title: string;
  /** The collection on the wire: `/connections` (later `/sourceConnections`, `/targetConnections`, `/flows`). */
  endpoint: "/connections";
  body: BodyShape;
  connectionSpecId: string;
  providerId?: string;
  properties: P;
  /** The auth spec name for these inputs; undefined when the kind sends no `auth` block. */
  authSpecName?: (inputs: Inputs) => string;
  /** Cross-field rules beyond each property's own validator; `declared` is what the program set. */
  checkInputs?: (inputs: Inputs, declared: Inputs) => CheckFailure[];
  /** Values derived from inputs that force a replacement when they change (e.g. SFTP auth type). */
  derived?: Array<{ output: string; compute: (inputs: Inputs) => unknown; triggers: string[] }>;
  /** Params the provider sends that are not inputs of their own (streaming `name` = connection name). */
  extraWireParams?: (inputs: Inputs & { name: string }) => Record<string, unknown>;
  /** Params the server fills in that become outputs (streaming inlet). `output` name → wire name. */
  serverOutputs?: Record<string, string>;
  /** Whether create must GET the entity to learn `serverOutputs`. */
  readAfterCreate?: boolean;
  /**
   * The kind as it applies to one resource, for a kind whose resources each name their connection spec
   * (the generic Connection): its `connectionSpecId` and `title` from the inputs (or the stored outputs).
   * `live` is given at create and update, whose writes the live spec then checks first (see LiveSpecs);
   * read and delete resolve from state alone. Unset: the declaration is the kind of every resource.
   */
  forResource?: (inputs: Inputs, live: LiveSpecs | undefined) => Promise<EntityKind>;
  /**
   * What `verifyConnectivity` tests again after an update (a change of one of `inputs`), and how a failed
   * test tells where the connection points (`target`, never a secret) and what to check (`fix`).
   */
  reach?: { inputs: readonly string[]; target: (inputs: Inputs) => string; fix: string };
  /** What to do about a connection of another spec met at adoption; default: declare it with the matching resource type. */
  otherSpecFix?: string;
}

/**
 * One param of an auth spec as Flow Service's live spec describes it (its JSON Schema): the same rule as a
 * catalog param's, so one check serves both (`secret` is `format: "password"`, which Flow Service never returns).
 */
export type LiveParam = ParamRule;

/** A connection spec as `GET /connectionSpecs/{id}` describes it, as far as a connection's auth params go. */
export interface LiveSpec {
  id: string;
  name: string;
  authSpecs: Array<{ name: string; params: LiveParam[]; /** `additionalProperties: false`: no other param is taken. */ closed: boolean }>;
}

/** Connection specs as Flow Service serves them, each asked once per deployment (provider/engine/live-specs.ts). */
export interface LiveSpecs {
  /** Undefined when Flow Service says there is no such spec (`1413-404`). */
  byId(id: string): Promise<LiveSpec | undefined>;
  /** The specs with exactly this name (`GET /connectionSpecs?property=name==…`). */
  byName(name: string): Promise<LiveSpec[]>;
  /** Writes one line to the provider's log (a difference between the live spec and the catalog). */
  log(line: string): void;
}

/** A base connection kind as the lifecycle uses it: the declaration with its properties as a list. */
export interface EntityKind<P extends Properties = Properties> extends KindDeclaration<P> {
  params: PropertySpec[];
}

export function declareKind<P extends Properties>(declaration: KindDeclaration<P>): EntityKind<P> {
  return { ...declaration, params: propertyList(declaration.properties) };
}

/** The properties of a declaration as a list, each with its Pulumi name and wire name. */
export function propertyList(properties: Properties): PropertySpec[] {
  return Object.entries(properties).map(([input, p]): PropertySpec => {
    const { wire, __type: _phantom, ...rules } = p;
    return { ...rules, input, wire: wire ?? input };
  });
}

/** The collections of the pipeline kinds: three of Flow Service, and Data Prep's mapping sets. */
export type PipelineCollection = "/sourceConnections" | "/targetConnections" | "/flows" | "/mappingSets";

/**
 * What a pipeline kind declares. Its body on the wire is the entity itself: each property's `wire`
 * is a dotted path from the body's root (`data.format`, `transformations.0.params.mappingId`).
 */
export interface PipelineKindDeclaration<P extends Properties> {
  kind: PipelineKindName;
  /** Resource type name: the engine shows `pulumi-nodejs:dynamic/aep:<typeName>`. */
  typeName: string;
  /** Human name for messages ("source connection"). */
  title: string;
  endpoint: PipelineCollection;
  properties: P;
  /** Fixed members of every body this kind sends, by wire path (a target connection's Data Lake spec). */
  fixedWire?: Record<string, unknown>;
  /** Members that follow from the inputs, by wire path (a dataflow's transformation name). */
  wireExtras?: (inputs: Inputs) => Record<string, unknown>;
  /** Properties the provider fills when undeclared (a flow spec id resolved from its name): output → wire path. */
  serverOutputs?: Record<string, string>;
  /** Outputs every entity of the kind has, whatever its inputs (a target connection's Data Lake spec id): output → value. */
  constants?: Record<string, string>;
  /** Cross-field rules beyond each property's own validator; `declared` is what the program set. */
  checkInputs?: (inputs: Inputs, declared: Inputs) => CheckFailure[];
  /** An update the service refuses given what is stored and the time, refused at preview instead. */
  refuseChange?: ChangeRule;
}

/** A pipeline kind, as declared (provider/engine/kinds.ts makes its view for the engine). */
export interface PipelineKind<P extends Properties = Properties> extends PipelineKindDeclaration<P>, InputRules {
  kind: PipelineKindName;
  params: PropertySpec[];
  commonInputs: readonly string[];
}

/** Inputs every pipeline kind has besides its own properties. */
export const PIPELINE_COMMON_INPUTS = ["name", "description", "sandbox", "existingId"] as const;

export function declarePipelineKind<P extends Properties>(declaration: PipelineKindDeclaration<P>): PipelineKind<P> {
  return { ...declaration, params: propertyList(declaration.properties), commonInputs: PIPELINE_COMMON_INPUTS };
}
