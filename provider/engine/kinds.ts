/**
 * Every kind's view for the engine (kind.ts), made from its declaration: where its entities live and how
 * its inputs meet the wire follow from the shape it declares (a base connection's `auth` block, or a
 * pipeline entity's dotted wire paths), and what is particular to it from the hooks it declares beside
 * itself. Nothing here names a kind.
 */
import { pipelineItemProblem } from "../client/answers";
import { propertyEquals } from "../client/filters";
import type { ConnectionItem, PatchOperation } from "../client/types";
import { type ConnectionInputs, isSet, sameValue, withoutKept } from "./inputs";
import { adoptOps, buildOutputs, createBody, declaredMismatches, inputsFromItem, paramOfPath, paramPath, paramsOf, secretValues, secretWireKeys, serverValuesOf, patchOps } from "./connection-wire";
import { entityAdoptOps, entityAdoptionProblem, entityBody, entityMismatches, entityPatch, inputsFromEntity, pipelineOutputs } from "./entity-wire";
import type { EntityKind, Inputs, PipelineKind } from "../resources/declaration";
import type { EngineKind, EngineParts, Entity, Facts, Store, Wire } from "./kind";
import { adoptItem } from "./adopt";
import { log, withArticle } from "./context";
import type { StepContext } from "./kind";

/** A base connection's leftover is adopted as `existingId` would: made what is declared (its secrets written again). */
async function takeConnectionLeftover(kind: EngineKind, ctx: StepContext, item: Entity, inputs: Inputs): Promise<{ facts: Facts; inputs: Inputs }> {
  const taken = await adoptItem(kind, ctx, inputs as ConnectionInputs, item);
  log(`${ctx.action}: adopted connection ${item.id} that an interrupted deployment created with this name`);
  return { facts: taken.facts, inputs: taken.inputs as Inputs };
}

const asConnection = (kind: EngineKind): EntityKind => kind as unknown as EntityKind;
const asItem = (item: Entity): ConnectionItem => item as unknown as ConnectionItem;
const asPipeline = (kind: EngineKind): PipelineKind => kind as unknown as PipelineKind;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** Flow Service's collections: every one answers in the same shapes; a base connection's listing is narrowed to its spec. */
function flowServiceStore(collection: string, scoped: boolean, itemProblem?: typeof pipelineItemProblem): Store {
  const filtersOf = (kind: EngineKind): string[] => (scoped ? [`connectionSpec.id==${kind.connectionSpecId}`] : []);
  return {
    collection,
    scope: (kind) => (scoped ? kind.connectionSpecId : undefined),
    async create(c, sandbox, body) {
      const created = await c.createItem(collection, sandbox, body);
      // A new entity is enabled (Flow Service says so on every later read).
      return { id: created.id, facts: { etag: created.etag, state: "enabled" } };
    },
    get: async (_kind, c, sandbox, id) => (await c.getItem(collection, sandbox, id, itemProblem)) as unknown as Entity | undefined,
    listPages: async (kind, c, sandbox, maxPages) => (await c.listItemPages(collection, sandbox, filtersOf(kind), maxPages, itemProblem)) as unknown as { items: Entity[]; complete: boolean },
    async listNamed(kind, c, sandbox, name) {
      const byName = propertyEquals("name", name);
      // A name filter finds a page or two; without one (a name holding `"`), the whole (scoped) listing is longer.
      const items = await c.listItems(collection, sandbox, byName ? [byName, ...filtersOf(kind)] : filtersOf(kind), byName ? 10 : 50, itemProblem);
      return (items as unknown as Entity[]).filter((i) => i.name === name);
    },
  };
}

/** Base connections: `{ name, connectionSpec, auth: { specName, params } }`, secrets masked on every read. */
const connectionWire: Wire = {
  body: (kind, inputs) => createBody(asConnection(kind), inputs) as unknown as Record<string, unknown>,
  patch: (kind, olds, news) => patchOps(asConnection(kind), olds, news),
  mismatches: (kind, item, inputs, removed) => declaredMismatches(asConnection(kind), asItem(item), inputs, removed),
  foreign: (kind, item) => {
    const spec = (item.connectionSpec as { id?: unknown } | undefined)?.id;
    return spec === kind.connectionSpecId ? undefined : `it is not ${withArticle(kind.title)} connection (its connection spec is ${String(spec)})`;
  },
  inputsFrom: (kind, item, prior, sandbox) => inputsFromItem(asConnection(kind), asItem(item), prior, sandbox),
  declaredOf: withoutKept,
  outputs: (kind, inputs, facts) => buildOutputs(asConnection(kind), inputs, { etag: facts.etag as string, state: facts.state, serverValues: facts.serverValues }),
  factsOf: (kind, item) => ({ etag: str(item.etag), state: str(item.state), serverValues: serverValuesOf(asConnection(kind), asItem(item)) }),
  storedFacts: (kind, outs) => {
    const serverValues: Record<string, unknown> = {};
    for (const k of Object.keys(asConnection(kind).serverOutputs ?? {})) if (outs[k] !== undefined && outs[k] !== null) serverValues[k] = outs[k];
    return { etag: str(outs.etag), state: str(outs.state), serverValues };
  },
  secretValues: (kind, inputs) => secretValues(kind, inputs),
  unseenOps(kind, pending, item, news, olds) {
    // A secret the program removed is one too: its removal is written again like any secret.
    const k = asConnection(kind);
    const secretPaths = new Set([...secretWireKeys(k, news, olds)].map((key) => paramPath(k, key)));
    const present = paramsOf(k, asItem(item));
    return pending
      .filter((op) => secretPaths.has(op.path))
      .flatMap((op): PatchOperation[] => {
        const key = paramOfPath(k, op.path) as string;
        if (op.op === "remove") return key in present ? [op] : [];
        return [{ op: "add", path: op.path, value: op.value }];
      });
  },
  removedBy: (kind, ops) => ops.flatMap((op) => (op.op === "remove" ? (paramOfPath(asConnection(kind), op.path) ?? []) : [])),
  adoptionProblem(kind, item, inputs) {
    const k = asConnection(kind);
    const foreign = connectionWire.foreign(kind, item);
    if (foreign) return `${foreign}; ${k.otherSpecFix ?? "declare it with the matching resource type"}`;
    const wantAuth = k.authSpecName?.(inputs);
    const auth = asItem(item).auth?.specName;
    if (wantAuth && auth !== wantAuth) return `it uses "${auth}" authentication, not "${wantAuth}", which cannot be changed in place; declare the same authentication or create a new connection`;
    const server = paramsOf(k, asItem(item));
    for (const p of k.params) {
      const [have, want] = [server[p.wire], inputs[p.input]];
      if (p.replaceOnChange && !p.local && isSet(want) && isSet(have) && !sameValue(have, want)) {
        return `its ${p.input} is ${JSON.stringify(have)}, declared ${JSON.stringify(want)}; ${p.input} cannot be changed in place, so declare the same value`;
      }
    }
    return undefined;
  },
  adoptOps: (kind, item, declared) => adoptOps(asConnection(kind), asItem(item), declared),
};

/** Pipeline entities: the body is the entity itself, each property at its dotted wire path; no secrets. */
const entityWire: Wire = {
  body: (kind, inputs) => entityBody(asPipeline(kind), inputs),
  patch: (kind, olds, news) => entityPatch(asPipeline(kind), olds, news),
  mismatches: (kind, item, inputs) => entityMismatches(asPipeline(kind), item, inputs),
  foreign: () => undefined,
  inputsFrom: (kind, item, prior, sandbox) => inputsFromEntity(asPipeline(kind), item, prior, sandbox),
  declaredOf: withoutKept,
  outputs: (kind, inputs, facts) => ({ ...pipelineOutputs(asPipeline(kind), inputs, facts), ...kind.hooks.factOutputs?.(facts) }),
  // Flow Service's entities (those with an etag) are enabled unless they say otherwise; Data Prep's have a version.
  factsOf: (_kind, item) => ({ etag: str(item.etag), state: str(item.etag) === undefined ? undefined : (str(item.state) ?? "enabled"), version: typeof item.version === "number" ? item.version : undefined }),
  storedFacts: (_kind, outs) => ({ etag: str(outs.etag), state: str(outs.etag) === undefined ? undefined : (str(outs.state) ?? "enabled"), version: typeof outs.version === "number" ? outs.version : undefined }),
  secretValues: () => [],
  unseenOps: () => [],
  removedBy: () => [],
  adoptionProblem: (kind, item, inputs) => entityAdoptionProblem(asPipeline(kind), item, inputs),
  adoptOps: (kind, item, declared) => entityAdoptOps(asPipeline(kind), item, declared),
};

const views = new WeakMap<object, EngineKind>();

/** A base connection kind (or one resource's, for a kind whose resources name their spec) as the engine sees it. */
export function connectionView(kind: EntityKind): EngineKind {
  let view = views.get(kind);
  if (view) return view;
  view = {
    ...kind,
    noun: "connection",
    store: flowServiceStore(kind.endpoint, true),
    wire: connectionWire,
    deletable: true,
    inUse: {
      reason: "dataflows still use this connection (1418-400), directly or through a source or target connection on it",
      fix: "Delete those first (declared in this program, Pulumi deletes them first), or keep the connection with the `retainOnDelete` resource option.",
    },
    hooks: { leftover: { mustMatch: true, take: takeConnectionLeftover } },
    forResource: kind.forResource && (async (inputs, live) => connectionView(await (kind.forResource as NonNullable<EntityKind["forResource"]>)(inputs, live))),
    provenance: (k, item, inputs) => ({ service: "Flow Service", createdBy: item.createdBy, createdClient: item.createdClient, createdAt: item.createdAt, mismatches: () => k.wire.mismatches(k, item, inputs) }),
  } as EngineKind;
  views.set(kind, view);
  return view;
}

/** A pipeline kind as the engine sees it: Flow Service's entities, or a store and hooks of its own (Data Prep's mapping sets). */
export function pipelineView(kind: PipelineKind & EngineParts): EngineKind {
  let view = views.get(kind);
  if (view) return view;
  const hooks = kind.hooks ?? {};
  view = {
    ...kind,
    noun: kind.title,
    store: kind.store ?? flowServiceStore(kind.endpoint, false, pipelineItemProblem),
    wire: entityWire,
    hooks,
    deletable: hooks.remove === undefined,
    settleWrites: kind.settleWrites,
    inUse: {
      reason: `a dataflow still uses this ${kind.title} (1418-400)`,
      fix: `Delete that dataflow first (or declare it in this program, so Pulumi deletes it first), or keep the ${kind.title} with the \`retainOnDelete\` resource option.`,
    },
    provenance: (k, item, inputs) => ({
      service: "the service",
      createdBy: item.createdBy,
      createdClient: item.createdClient,
      createdAt: item.createdAt ?? item.createdDate,
      mismatches: () => k.wire.mismatches(k, item, inputs),
    }),
  } as EngineKind;
  views.set(kind, view);
  return view;
}

export type { Facts, Inputs };
