/**
 * What is particular to a Data Prep mapping set, for the engine. Unlike Flow Service's entities it has no
 * etag: it is versioned, and an update is a PUT of the whole set, which Data Prep stores as the next
 * version. It cannot be deleted (the API has no DELETE): destroying the resource only forgets it.
 */
import { FlowServiceError } from "../client/flow-service-error";
import { log } from "../engine/context";
import { userError } from "../engine/failures";
import { isSet } from "../engine/inputs";
import type { EngineKind, Entity, Facts, Hooks, StepContext, Store } from "../engine/kind";
import type { Inputs } from "./declaration";

const asEntity = (item: unknown): Entity => item as Entity;

/** Data Prep's `/mappingSets`: POST answers the id and version 0; pages by `start`; `name` filters. */
export const mappingSetStore: Store = {
  collection: "/mappingSets",
  scope: () => undefined,
  async create(c, sandbox, body) {
    const created = await c.createMappingSet(sandbox, body);
    return { id: created.id, facts: { version: created.version } };
  },
  get: async (_kind, c, sandbox, id) => {
    const item = await c.getMappingSet(sandbox, id);
    return item && asEntity(item);
  },
  listPages: async (_kind, c, sandbox, maxPages) => {
    const { items, complete } = await c.listMappingSetPages(sandbox, undefined, maxPages);
    return { items: items.map(asEntity), complete };
  },
  listNamed: async (_kind, c, sandbox, name) => (await c.listMappingSets(sandbox, name)).filter((i) => i.name === name).map(asEntity),
};

/**
 * A PUT of the whole set: Data Prep stores it as the next version. A lost answer is resolved by reading
 * back: the version unchanged means nothing was stored (put again); a later version is ours only when it
 * holds what was declared. Data Prep has no etag, so a version written by someone else since the last
 * refresh is replaced (the README says so).
 */
async function write(kind: EngineKind, ctx: StepContext, id: string, olds: Inputs, news: Inputs): Promise<Facts> {
  const { c, sandbox, action } = ctx;
  // As Data Prep's guide sends it: the set's id, then the whole set.
  const body = { id, ...kind.wire.body(kind, news) };
  const known = typeof olds.version === "number" ? olds.version : undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const item = await c.putMappingSet(sandbox, id, body);
      return { version: item.version };
    } catch (err) {
      if (err instanceof FlowServiceError && err.status === 404) throw userError(`${kind.typeName}: ${action}: the mapping set no longer exists. Run \`pulumi refresh\` to drop it from the state; the next \`pulumi up\` creates it again.`);
      if (!(err instanceof FlowServiceError) || !err.ambiguous || attempt >= c.maxAttempts) throw err;
      const item = await c.getMappingSet(sandbox, id);
      if (!item) throw userError(`${kind.typeName}: ${action}: the mapping set no longer exists (the answer to its update was lost). Run \`pulumi refresh\` to drop it from the state.`);
      if (known !== undefined && item.version <= known) continue;
      const mismatches = kind.wire.mismatches(kind, asEntity(item), news);
      if (mismatches.length > 0) throw userError(`${kind.typeName}: ${action}: the answer was lost and mapping set version ${item.version} does not hold what was declared (${mismatches.join(", ")}); it was changed outside Pulumi. Run \`pulumi refresh\`, then \`pulumi up\` again.`);
      return { version: item.version };
    }
  }
}

/**
 * A mapping set bearing this resource's generated name that this client (API key and technical account)
 * created is this stack's own: left by an interrupted create, or by a destroy or replacement, which cannot
 * delete it. It is taken back rather than refused: its mappings may differ (the program changed since),
 * and then the declared ones become its next version.
 */
async function takeBack(kind: EngineKind, ctx: StepContext, item: Entity, inputs: Inputs): Promise<{ facts: Facts }> {
  const mismatches = kind.wire.mismatches(kind, item, inputs);
  const version = item.version as number;
  const what = `mapping set ${item.id}, which this stack created earlier and Data Prep kept (it cannot delete mapping sets: a \`pulumi destroy\` or a replacement leaves them, as does an interrupted create)`;
  if (mismatches.length === 0) {
    log(`${ctx.action}: took back ${what}; it holds what is declared (version ${version})`);
    return { facts: { version } };
  }
  const facts = await write(kind, { ...ctx, action: `updating mapping set ${item.id} ("${String(inputs.name)}") in sandbox "${ctx.sandbox}"` }, item.id, { ...inputs, version }, inputs);
  log(`${ctx.action}: took back ${what}, and wrote the declared mappings as its version ${String(facts.version)} (${mismatches.join(", ")})`);
  return { facts };
}

export const mappingSetHooks: Hooks = {
  write,
  // Who made it decides; what it holds does not (the declared mappings are written over it).
  leftover: { mustMatch: false, take: takeBack },
  async remove(kind, sandbox, id) {
    log(`${kind.typeName}: mapping set ${id} in sandbox "${sandbox}" stays in Data Prep, which cannot delete mapping sets; it is removed from the stack only`);
  },
  // A mapping set may have no name in Data Prep; the declared one stays.
  readInputs: (inputs, item, prior) => {
    if (!isSet(item.name) && isSet(prior.name)) inputs.name = prior.name;
  },
};
