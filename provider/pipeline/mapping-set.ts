/**
 * The steps of a Data Prep mapping set. Unlike Flow Service's entities it has no etag: it is
 * versioned, and an update is a PUT of the whole set, which Data Prep stores as the next version.
 * It cannot be deleted (the API has no DELETE): destroying the resource only forgets it.
 */
import type { FlowServiceClient } from "../client/client";
import { FlowServiceError } from "../client/flow-service-error";
import { listingCacheOf } from "../client/listing-cache";
import type { MappingSetItem } from "../client/types";
import { type CheckedInputs, GENERATED_NAME_INPUT, NAME_SEED_INPUT, isSet } from "../connection/inputs";
import type { Inputs, PipelineKind } from "../resources/declaration";
import { claimedBy, client, log, sandboxOf } from "../steps/context";
import { describeFailure, userError } from "../steps/failures";
import { type Body, entityBody, entityMismatches, inputsFromEntity } from "./body";
import { pipelineNamesOf } from "./names";
import { whyNotOurs } from "../steps/ownership";
import { entityProvenance } from "./ownership";
import { pipelineOutputs } from "./outputs";

const asBody = (item: MappingSetItem): Body => item as unknown as Body;

export async function createMappingSet(kind: PipelineKind, inputs: CheckedInputs): Promise<{ id: string; outs: Inputs }> {
  const { name } = inputs;
  const sandbox = sandboxOf(inputs);
  const action = `creating mapping set "${name}" in sandbox "${sandbox}"`;
  const c = client(kind, inputs, action);
  try {
    const leftover = await leftoverOfThisStack(kind, c, inputs, sandbox, action);
    if (leftover) return await reuse(kind, c, sandbox, leftover, inputs, action);
    const body = entityBody(kind, inputs);
    for (let attempt = 1; ; attempt++) {
      const startedAt = Date.now();
      try {
        const created = await c.createMappingSet(sandbox, body);
        claimedBy(c).add(created.id);
        await pipelineNamesOf(c).remember(kind.endpoint, sandbox, { id: created.id, name });
        return { id: created.id, outs: pipelineOutputs(kind, inputs, { version: created.version }) };
      } catch (err) {
        if (!(err instanceof FlowServiceError) || !err.ambiguous) throw err;
        // The POST may have been applied: a mapping set of this name that this client created since
        // the POST began, with these mappings, is its result.
        const named = (await c.listMappingSets(sandbox, name)).filter((i) => i.name === name && !claimedBy(c).has(i.id));
        const mine = named.filter((i) => whyNotOurs(c, entityProvenance(kind, asBody(i), inputs), startedAt) === undefined);
        if (mine.length > 1) throw userError(`${kind.typeName}: ${action}: the response was lost and ${mine.length} mapping sets named "${name}" that this client created now exist (${mine.map((m) => m.id).join(", ")}); Data Prep cannot delete them, so rename the extra ones and run \`pulumi refresh\``);
        if (mine.length === 1) {
          claimedBy(c).add(mine[0].id);
          log(`${action}: the response was lost; adopted mapping set ${mine[0].id} that the request created`);
          return { id: mine[0].id, outs: pipelineOutputs(kind, inputs, { version: mine[0].version }) };
        }
        if (attempt >= c.maxAttempts) throw userError(c.redactor.redact(`${kind.typeName}: ${action}: ${attempt} attempts failed (the last: ${err.message}) and none created a mapping set that can be shown to be this request's. Run \`pulumi up\` again`));
        log(c.redactor.redact(`${action}: attempt ${attempt} failed (${err.code ?? err.status}) and created nothing: posting again`));
      }
    }
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}

/**
 * A mapping set bearing this resource's generated name that this client (API key and technical
 * account) created is this stack's own: left by an interrupted create, or by a destroy or replacement,
 * which cannot delete it (Data Prep has no DELETE). It is taken back rather than refused: its mappings
 * may differ (the program changed since), and then the declared ones become its next version. A name
 * the user chose is never looked up.
 */
async function leftoverOfThisStack(kind: PipelineKind, c: FlowServiceClient, inputs: CheckedInputs, sandbox: string, action: string): Promise<MappingSetItem | undefined> {
  if (!isSet(inputs[NAME_SEED_INPUT]) || inputs.name !== inputs[GENERATED_NAME_INPUT]) return undefined;
  const { name } = inputs;
  // A Data Prep holding more mapping sets than a deployment should list is asked by name instead.
  const listAll = async () => {
    const { items, complete } = await c.listMappingSetPages(sandbox, undefined, 10);
    return complete ? items.map(asBody) : undefined;
  };
  const byName = async () => (await c.listMappingSets(sandbox, name)).filter((i) => i.name === name).map(asBody);
  const found = (await pipelineNamesOf(c).named(kind.endpoint, sandbox, name, listAll, byName)).filter((i) => !claimedBy(c).has(String(i.id)));
  if (found.length === 0) return undefined;
  if (found.length > 1) throw userError(`${kind.typeName}: ${action}: ${found.length} mapping sets named "${name}" exist (${found.map((m) => m.id).join(", ")}), left by earlier deployments; rename all but one and run \`pulumi up\` again`);
  const item = await c.getMappingSet(sandbox, String(found[0].id));
  if (!item) return undefined;
  // Who made it decides; what it holds does not (the declared mappings are written over it).
  const why = whyNotOurs(c, { ...entityProvenance(kind, asBody(item), inputs), mismatches: () => [] });
  if (why) throw userError(`${kind.typeName}: ${action}: mapping set ${item.id} already bears the generated name "${name}", but it cannot be shown to be this stack's (${why}); it is left alone. Give this resource a name of its own (the name property)`);
  claimedBy(c).add(item.id);
  return item;
}

/** Takes back this stack's leftover: as it is when it holds what is declared, else with the declared set as its next version. */
async function reuse(kind: PipelineKind, c: FlowServiceClient, sandbox: string, item: MappingSetItem, inputs: CheckedInputs, action: string): Promise<{ id: string; outs: Inputs }> {
  const mismatches = entityMismatches(kind, asBody(item), inputs);
  const what = `mapping set ${item.id}, which this stack created earlier and Data Prep kept (it cannot delete mapping sets: a \`pulumi destroy\` or a replacement leaves them, as does an interrupted create)`;
  if (mismatches.length === 0) {
    log(`${action}: took back ${what}; it holds what is declared (version ${item.version})`);
    return { id: item.id, outs: pipelineOutputs(kind, inputs, { version: item.version }) };
  }
  const { outs } = await updateMappingSet(kind, item.id, { ...inputs, version: item.version }, inputs);
  log(`${action}: took back ${what}, and wrote the declared mappings as its version ${String(outs.version)} (${mismatches.join(", ")})`);
  return { id: item.id, outs };
}

export async function readMappingSet(kind: PipelineKind, id: string, props: Inputs | undefined) {
  const prior = props ?? {};
  const sandbox = sandboxOf(prior);
  const action = `reading mapping set ${id} in sandbox "${sandbox}"`;
  const c = client(kind, prior, action);
  let item: MappingSetItem | undefined;
  try {
    // From one listing of the sandbox's mapping sets per deployment (each item checked as a GET's is).
    item = await listingCacheOf(c).item(
      {
        collection: "/mappingSets",
        sandbox,
        list: (maxPages) => c.listMappingSetPages(sandbox, undefined, maxPages),
        get: (itemId) => c.getMappingSet(sandbox, itemId),
      },
      id,
    );
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
  if (!item) return {};
  const inputs = inputsFromEntity(kind, asBody(item), prior, sandbox);
  // A mapping set may have no name in Data Prep; the declared one stays.
  if (!isSet(item.name) && isSet(prior.name)) inputs.name = prior.name;
  return { id, props: pipelineOutputs(kind, inputs, { version: item.version }), inputs };
}

/**
 * A PUT of the whole set: Data Prep stores it as the next version. A lost answer is resolved by
 * reading back: the version unchanged means nothing was stored (put again); a later version is ours
 * only when it holds what was declared. Data Prep has no etag, so a version written by someone else
 * since the last refresh is replaced (the README says so).
 */
export async function updateMappingSet(kind: PipelineKind, id: string, olds: Inputs, news: CheckedInputs): Promise<{ outs: Inputs }> {
  const sandbox = sandboxOf(olds);
  const action = `updating mapping set ${id} ("${news.name}") in sandbox "${sandbox}"`;
  const c = client(kind, news, action);
  // As Data Prep's guide sends it: the set's id, then the whole set.
  const body = { id, ...entityBody(kind, news) };
  const known = typeof olds.version === "number" ? olds.version : undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const item = await c.putMappingSet(sandbox, id, body);
        return { outs: pipelineOutputs(kind, news, { version: item.version }) };
      } catch (err) {
        if (err instanceof FlowServiceError && err.status === 404) throw userError(`${kind.typeName}: ${action}: the mapping set no longer exists. Run \`pulumi refresh\` to drop it from the state; the next \`pulumi up\` creates it again.`);
        if (!(err instanceof FlowServiceError) || !err.ambiguous || attempt >= c.maxAttempts) throw err;
        const item = await c.getMappingSet(sandbox, id);
        if (!item) throw userError(`${kind.typeName}: ${action}: the mapping set no longer exists (the answer to its update was lost). Run \`pulumi refresh\` to drop it from the state.`);
        if (known !== undefined && item.version <= known) continue;
        const mismatches = entityMismatches(kind, asBody(item), news);
        if (mismatches.length > 0) throw userError(`${kind.typeName}: ${action}: the answer was lost and mapping set version ${item.version} does not hold what was declared (${mismatches.join(", ")}); it was changed outside Pulumi. Run \`pulumi refresh\`, then \`pulumi up\` again.`);
        return { outs: pipelineOutputs(kind, news, { version: item.version }) };
      }
    }
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}

/** Data Prep cannot delete a mapping set: say so once, and let the engine forget it. */
export async function removeMappingSet(kind: PipelineKind, id: string, props: Inputs): Promise<void> {
  const sandbox = sandboxOf(props);
  log(`${kind.typeName}: mapping set ${id} in sandbox "${sandbox}" stays in Data Prep, which cannot delete mapping sets; it is removed from the stack only`);
}
