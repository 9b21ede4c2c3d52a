/**
 * What the one lifecycle (provider/engine/) reads of a kind: its input rules, where its entities live
 * (a Store), how its inputs meet the wire (a Wire), and the hooks for what is particular to it. Every
 * kind's view is made from its declaration (engine/kinds.ts); nothing here names a kind.
 */
import type { FlowServiceClient } from "../client/client";
import type { PatchOperation } from "../client/types";
import type { InputRules, Inputs, LiveSpecs } from "../resources/declaration";
import type { Provenance } from "./ownership";

/** An entity as its service renders it (a listing item or a GET's). */
export type Entity = Record<string, unknown> & { id: string };

/** What the service decided about an entity: an etag and state (Flow Service), or a version (Data Prep). */
export interface Facts {
  etag?: string;
  state?: string;
  version?: number;
  /** Values the service fills (a streaming inlet), by output name. */
  serverValues?: Record<string, unknown>;
}

/** The requests of one kind's collection. `kind` is the view of the resource at hand (its spec resolved). */
export interface Store {
  /** The item paths' prefix, as the listing cache and the name index key them (`/connections`, `/mappingSets`). */
  collection: string;
  /** What narrows a listing within the collection (a base connection's spec id), if anything. */
  scope(kind: EngineKind): string | undefined;
  /** The one POST of a create: the id and what the answer says. */
  create(c: FlowServiceClient, sandbox: string, body: Record<string, unknown>): Promise<{ id: string; facts: Facts }>;
  /** The entity, or undefined only when the service says it does not exist. */
  get(kind: EngineKind, c: FlowServiceClient, sandbox: string, id: string): Promise<Entity | undefined>;
  /** Up to `maxPages` pages of the collection (within the kind's scope). */
  listPages(kind: EngineKind, c: FlowServiceClient, sandbox: string, maxPages: number): Promise<{ items: Entity[]; complete: boolean }>;
  /** The entities with exactly this name (within the kind's scope). */
  listNamed(kind: EngineKind, c: FlowServiceClient, sandbox: string, name: string): Promise<Entity[]>;
}

/** Where a kind's inputs meet the wire: its bodies, patches, read-back and outputs. */
export interface Wire {
  /** The body of a create. */
  body(kind: EngineKind, inputs: Inputs): Record<string, unknown>;
  /** The JSON Patch from `olds` to `news`. */
  patch(kind: EngineKind, olds: Inputs, news: Inputs): PatchOperation[];
  /** How an entity differs from the declared inputs, in words naming each property; `removed`: wire params the inputs dropped. */
  mismatches(kind: EngineKind, item: Entity, inputs: Inputs, removed?: string[]): string[];
  /** Why an entity is not of this kind (another connection spec), or undefined. */
  foreign(kind: EngineKind, item: Entity): string | undefined;
  /** Inputs as the service holds them, for `read`. */
  inputsFrom(kind: EngineKind, item: Entity, prior: Inputs, sandbox: string): Inputs;
  /** The inputs `read` hands the engine (without what the resource leaves to the entity). */
  declaredOf(values: Inputs): Inputs;
  /** The outputs of `inputs` and what the service decided. */
  outputs(kind: EngineKind, inputs: Inputs, facts: Facts): Inputs;
  /** What an entity says of itself (its etag and state, or version, and any server-filled values). */
  factsOf(kind: EngineKind, item: Entity): Facts;
  /** The facts stored outputs hold. */
  storedFacts(kind: EngineKind, outs: Inputs): Facts;
  /** Every secret of these inputs as given and as sent, for redaction. */
  secretValues(kind: Pick<EngineKind, "params">, inputs: Inputs): string[];
  /**
   * After a lost PATCH answer whose new etag shows every visible value as declared: the operations that
   * must be written again because the service masks their values (secrets). Empty when none.
   */
  unseenOps(kind: EngineKind, pending: PatchOperation[], item: Entity, news: Inputs, olds: Inputs): PatchOperation[];
  /** The wire params a patch removes (a removed param must then be absent to count as applied). */
  removedBy(kind: EngineKind, ops: PatchOperation[]): string[];
  /** Why an existing entity cannot be adopted as declared (another kind, or a value that cannot change in place), or undefined. */
  adoptionProblem(kind: EngineKind, item: Entity, inputs: Inputs): string | undefined;
  /** The patch that makes an existing entity (adopted) what the inputs declare. */
  adoptOps(kind: EngineKind, item: Entity, declared: Inputs): PatchOperation[];
}

/** What a hook is given: the step's client, sandbox and words. */
export interface StepContext {
  c: FlowServiceClient;
  sandbox: string;
  /** The step in words, for messages ("creating dataflow \"x\" in sandbox \"prod\""). */
  action: string;
}

/** How an entity found under this resource's generated name is taken (see engine/leftover.ts). */
export interface LeftoverRule {
  /**
   * Whether the entity must hold the declared values to be taken (else only its creator is checked, and
   * `take` makes it what is declared).
   */
  mustMatch: boolean;
  /** What the step reports taking it, when the kind takes it in a way of its own. */
  take?(kind: EngineKind, ctx: StepContext, item: Entity, inputs: Inputs): Promise<{ facts: Facts; inputs?: Inputs }>;
}

/** What is particular to a kind, beside its declaration; the engine calls each where its step needs it. */
export interface Hooks {
  /** Before the create's POST: values the body needs that only a request tells (a dataflow's flow spec id). */
  prepare?(kind: EngineKind, ctx: StepContext, inputs: Inputs): Promise<Inputs>;
  /**
   * After an acknowledged create or update: the follow-up writes that bring the entity to what is declared
   * (a dataflow's enable or disable action). Its failure records the write, never repeats it.
   */
  settle?(kind: EngineKind, ctx: StepContext, id: string, inputs: Inputs, facts: Facts): Promise<Facts>;
  /** Read back: inputs the entity holds in a way of its own (a dataflow's `enabled` from its state). */
  readInputs?(inputs: Inputs, item: Entity, prior: Inputs): void;
  /** Read back: what of the inputs read stays an output only (a flow spec declared by name keeps its id out of the inputs). */
  declaredInputs?(inputs: Inputs, prior: Inputs): Inputs;
  /** Outputs that follow from the facts (a dataflow's `enabled`). */
  factOutputs?(facts: Facts): Inputs;
  /** An update that is not a PATCH (a mapping set's PUT, stored as its next version). */
  write?(kind: EngineKind, ctx: StepContext, id: string, olds: Inputs, news: Inputs): Promise<Facts>;
  /** A delete that is not a DELETE (Data Prep cannot delete a mapping set): no request. */
  remove?(kind: EngineKind, sandbox: string, id: string): Promise<void>;
  /** The leftover rule; default: taken as it is when it holds the declared values. */
  leftover?: LeftoverRule;
}

/** What a kind declares for the engine beside its properties (withEngineParts). */
export interface EngineParts {
  /** Where its entities live, when not in Flow Service's collection `endpoint` (Data Prep's mapping sets). */
  store?: Store;
  /** What is particular to the kind. */
  hooks?: Hooks;
  /** Whether its `settle` hook writes, so that an unfinished one is read back before the next write. */
  settleWrites?: boolean;
}

/** A kind's declaration with its engine parts, written beside it (`export const dataflowKind = withEngineParts(declarePipelineKind({…}), {…})`). */
export function withEngineParts<K extends object>(kind: K, parts: EngineParts): K & EngineParts {
  return Object.assign(kind, parts);
}

/** One kind as the engine sees it. */
export interface EngineKind extends InputRules {
  typeName: string;
  /** Human name for messages ("SFTP", "source connection"). */
  title: string;
  /** What one entity is called in messages ("connection", "dataflow"). */
  noun: string;
  /** The connection spec of a base connection kind (its entities are checked to be of it). */
  connectionSpecId?: string;
  store: Store;
  wire: Wire;
  hooks: Hooks;
  /** Whether a create must read the entity when its answer lacks a server-filled value (a streaming inlet). */
  readAfterCreate?: boolean;
  /** Whether follow-ups after a write must be read back before the next write (a settle hook that writes). */
  settleWrites?: boolean;
  /** A DELETE refused as in use (1418-400), in the kind's words: why, and the way out. */
  inUse: { reason: string; fix: string };
  /** The kind as it applies to one resource (the generic Connection's spec); `live` at create and update. */
  forResource?(inputs: Inputs, live: LiveSpecs | undefined): Promise<EngineKind>;
  /** What a failed connectivity test says and which inputs make an update test again. */
  reach?: { inputs: readonly string[]; target: (inputs: Inputs) => string; fix: string };
  /** Whether the entity's service can delete it (Data Prep cannot delete mapping sets): the advice in messages. */
  deletable: boolean;
  /** Provenance of an entity for the ownership check. */
  provenance(kind: EngineKind, item: Entity, inputs: Inputs): Provenance;
}
