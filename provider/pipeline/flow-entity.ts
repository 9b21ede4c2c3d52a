/**
 * The steps of the Flow Service pipeline entities: source connections, target connections and
 * dataflows. The rules are the base connections' (provider/steps/): POST and PATCH never repeated
 * blindly, an unusable answer resolved by reading back, only what this client created as declared
 * adopted, only `1101-404` taken for gone. A dataflow adds its flow spec (resolved at create) and
 * its `enabled` input (Flow Service's enable and disable actions).
 */
import { pipelineItemProblem } from "../client/answers";
import type { FlowServiceClient } from "../client/client";
import { propertyEquals } from "../client/filters";
import { FlowServiceError } from "../client/flow-service-error";
import { listingCacheOf } from "../client/listing-cache";
import type { ConnectionItem, PatchOperation } from "../client/types";
import { type CheckedInputs, GENERATED_NAME_INPUT, NAME_SEED_INPUT, isSet } from "../connection/inputs";
import type { Inputs, PipelineKind } from "../resources/declaration";
import { claimedBy, client, log, sandboxOf } from "../steps/context";
import { describeFailure, userError } from "../steps/failures";
import { type Body, entityBody, entityMismatches, entityPatch, inputsFromEntity } from "./body";
import { resolveFlowSpec } from "./flow-specs";
import { pipelineNamesOf } from "./names";
import { deleteWaitingForDependents, inUse, waited } from "../steps/deletes-in-flight";
import { afterAcknowledgedWrite, UNSETTLED_OUTPUT } from "../steps/follow-up";
import { whyNotOurs } from "../steps/ownership";
import { entityProvenance } from "./ownership";
import { pipelineOutputs } from "./outputs";

const isDataflow = (kind: PipelineKind) => kind.kind === "dataflow";

/** Pages of 100 a deployment lists to learn a collection's names; a larger one is asked name by name. */
const LISTING_PAGES = 10;

async function getEntity(kind: PipelineKind, c: FlowServiceClient, sandbox: string, id: string): Promise<Body | undefined> {
  return (await c.getItem(kind.endpoint, sandbox, id, pipelineItemProblem)) as unknown as Body | undefined;
}

/** Entities of this kind with exactly this name (the filter may match loosely; the name is checked). */
async function entitiesNamed(kind: PipelineKind, c: FlowServiceClient, sandbox: string, name: string): Promise<Body[]> {
  const byName = propertyEquals("name", name);
  const items = (await c.listItems(kind.endpoint, sandbox, byName ? [byName] : [], byName ? 10 : 50, pipelineItemProblem)) as unknown as Body[];
  return items.filter((i) => i.name === name);
}

/** What the dataflow's flow spec makes of the body: its id, and whether a schedule is allowed. */
async function flowSpecOverrides(kind: PipelineKind, c: FlowServiceClient, sandbox: string, inputs: Inputs): Promise<Record<string, unknown>> {
  if (!isDataflow(kind)) return {};
  const spec = await resolveFlowSpec(c, sandbox, { name: inputs.flowSpecName as string | undefined, id: inputs.flowSpecId as string | undefined });
  if (spec.scheduled && !isSet(inputs.schedule)) throw userError(`${kind.typeName}: flow spec ${spec.name} schedules its runs: set schedule, e.g. { startTime: <epoch seconds>, frequency: "hour", interval: 1 }`);
  if (!spec.scheduled && isSet(inputs.schedule)) throw userError(`${kind.typeName}: flow spec ${spec.name} takes no schedule (it runs continuously): remove schedule`);
  return { flowSpecId: spec.id };
}

export async function createEntity(kind: PipelineKind, inputs: CheckedInputs): Promise<{ id: string; outs: Inputs }> {
  const { name } = inputs;
  const sandbox = sandboxOf(inputs);
  const action = `creating ${kind.title} "${name}" in sandbox "${sandbox}"`;
  const c = client(kind, inputs, action);
  let resolved: Inputs;
  let found: { id: string; facts: Body; how: string };
  try {
    resolved = { ...inputs, ...(await flowSpecOverrides(kind, c, sandbox, inputs)) };
    found = await postOnce(kind, c, sandbox, resolved as CheckedInputs, action);
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
  // From here on the entity exists and its id is recorded whatever follows: never posted again.
  const { id, facts } = found;
  const outs = pipelineOutputs(kind, resolved, { etag: String(facts.etag), state: typeof facts.state === "string" ? facts.state : "enabled" });
  const ack = { id, outs, inputs, noun: kind.title, what: found.how };
  const settled = await afterAcknowledgedWrite(kind, ack, `${action}: the step after the ${kind.title} ${id} ${found.how}`, () => settle(kind, c, sandbox, id, resolved, facts, action), (t) => c.redactor.redact(t));
  return { id, outs: settled };
}

/**
 * The one POST of a create, or what stands for it: a leftover of an interrupted deployment, or the
 * result of a POST whose answer was lost. Bounded: at most aep:maxAttempts POSTs, each lost one
 * followed by one lookup. Nothing after the acknowledged POST runs here, so no failure of a later
 * call can be taken for a lost POST.
 */
async function postOnce(kind: PipelineKind, c: FlowServiceClient, sandbox: string, resolved: CheckedInputs, action: string): Promise<{ id: string; facts: Body; how: string }> {
  const { name } = resolved;
  const leftover = await leftoverOfInterruptedCreate(kind, c, resolved, sandbox, action);
  if (leftover) {
    log(`${action}: adopted ${kind.title} ${leftover.id} that an interrupted deployment created with this name`);
    return { id: String(leftover.id), facts: leftover, how: "was adopted" };
  }
  const body = entityBody(kind, resolved);
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    try {
      const created = await c.createItem(kind.endpoint, sandbox, body);
      claimedBy(c).add(created.id);
      await pipelineNamesOf(c).remember(kind.endpoint, sandbox, { id: created.id, name });
      return { id: created.id, facts: { etag: created.etag, state: "enabled" }, how: "was created" };
    } catch (err) {
      if (!(err instanceof FlowServiceError) || !err.ambiguous) throw err;
      const named = (await entitiesNamed(kind, c, sandbox, name)).filter((i) => !claimedBy(c).has(String(i.id)));
      const mine = named.filter((i) => whyNotOurs(c, entityProvenance(kind, i, resolved), startedAt) === undefined);
      if (mine.length > 1) throw userError(`${kind.typeName}: ${action}: the response was lost and ${mine.length} ${kind.title}s named "${name}" that this client created now exist (${mine.map((m) => m.id).join(", ")}); delete the extra ones and run \`pulumi refresh\``);
      if (mine.length === 1) {
        const item = mine[0];
        claimedBy(c).add(String(item.id));
        log(`${action}: the response was lost; adopted ${kind.title} ${item.id} that the request created`);
        return { id: String(item.id), facts: item, how: "was created (the answer to its POST was lost)" };
      }
      const others = named.map((i) => `${i.id} (${whyNotOurs(c, entityProvenance(kind, i, resolved), startedAt)})`);
      const notOurs = others.length > 0 ? `; left alone, because this deployment cannot show they are its own: ${others.join("; ")}` : "";
      if (attempt >= c.maxAttempts) {
        throw userError(c.redactor.redact(`${kind.typeName}: ${action}: ${attempt} attempts failed (the last: ${err.message}) and none created a ${kind.title} that can be shown to be this request's${notOurs}. Run \`pulumi up\` again`));
      }
      log(c.redactor.redact(`${action}: attempt ${attempt} failed (${err.code ?? err.status}) and created nothing${notOurs}: posting again`));
    }
  }
}

/**
 * A name derived from the resource's URN belongs to this resource alone: an entity bearing it was
 * created by an earlier attempt whose outcome Pulumi never recorded. Adopted only when it is this
 * client's as declared; a name the user chose is never looked up.
 */
async function leftoverOfInterruptedCreate(kind: PipelineKind, c: FlowServiceClient, inputs: CheckedInputs, sandbox: string, action: string): Promise<Body | undefined> {
  if (!isSet(inputs[NAME_SEED_INPUT]) || inputs.name !== inputs[GENERATED_NAME_INPUT]) return undefined;
  const { name } = inputs;
  const all = await pipelineNamesOf(c).named(
    kind.endpoint,
    sandbox,
    name,
    async () => {
      const { items, complete } = await c.listItemPages(kind.endpoint, sandbox, [], LISTING_PAGES, pipelineItemProblem);
      return complete ? (items as unknown as Body[]) : undefined;
    },
    () => entitiesNamed(kind, c, sandbox, name),
  );
  const found = all.filter((i) => !claimedBy(c).has(String(i.id)));
  if (found.length === 0) return undefined;
  if (found.length > 1) throw userError(`${kind.typeName}: ${action}: ${found.length} ${kind.title}s named "${name}" exist (${found.map((m) => m.id).join(", ")}), left by interrupted deployments; delete all but one and run \`pulumi up\` again`);
  // The listing may be older than this deployment: read the entity itself before deciding.
  const item = await getEntity(kind, c, sandbox, String(found[0].id));
  if (!item) return undefined;
  const why = whyNotOurs(c, entityProvenance(kind, item, inputs));
  if (why) {
    throw userError(`${kind.typeName}: ${action}: ${kind.title} ${item.id} already bears the generated name "${name}", but it cannot be shown to be this stack's (${why}); it may belong to another stack with the same project and stack name, and is left alone. Give this resource a name of its own (the name property), or delete that ${kind.title}`);
  }
  claimedBy(c).add(String(item.id));
  return item;
}

/** After the POST (or an adoption): a dataflow declared disabled is disabled; the outputs. */
async function settle(kind: PipelineKind, c: FlowServiceClient, sandbox: string, id: string, inputs: Inputs, facts: Body, action: string): Promise<Inputs> {
  let etag = String(facts.etag);
  let state = typeof facts.state === "string" ? facts.state : "enabled";
  if (isDataflow(kind)) ({ etag, state } = await applyEnabled(kind, c, sandbox, id, etag, state, inputs.enabled !== false, action));
  return pipelineOutputs(kind, inputs, { etag, state });
}

/**
 * Enables or disables a dataflow when its state is not the declared one. The action carries
 * If-Match; a lost answer is resolved by reading the state back (the action is repeated only while
 * the flow is still in the other state), bounded by aep:maxAttempts.
 */
async function applyEnabled(kind: PipelineKind, c: FlowServiceClient, sandbox: string, id: string, etag: string, state: string, enabled: boolean, action: string): Promise<{ etag: string; state: string }> {
  const want = enabled ? "enabled" : "disabled";
  let current = { etag, state };
  for (let attempt = 1; current.state !== want; attempt++) {
    try {
      const done = await c.flowAction(sandbox, id, enabled ? "enable" : "disable", current.etag);
      return { etag: done.etag, state: want };
    } catch (err) {
      if (err instanceof FlowServiceError && err.status === 412) throw userError(`${kind.typeName}: ${action}: the dataflow was changed outside Pulumi while it was being ${enabled ? "enabled" : "disabled"} (its etag no longer matches). Run \`pulumi refresh\`, then \`pulumi up\` again.`);
      if (!(err instanceof FlowServiceError) || !err.ambiguous || attempt >= c.maxAttempts) throw err;
      const item = await getEntity(kind, c, sandbox, id);
      if (!item) throw userError(`${kind.typeName}: ${action}: the dataflow no longer exists; run \`pulumi refresh\``);
      current = { etag: String(item.etag), state: String(item.state) };
    }
  }
  return current;
}

/**
 * A read's entity: from one listing of its collection per sandbox and deployment, checked item by
 * item as its GET is (provider/client/listing-cache.ts says when a GET is made instead).
 */
async function listedEntity(kind: PipelineKind, c: FlowServiceClient, sandbox: string, id: string): Promise<Body | undefined> {
  const item = await listingCacheOf(c).item<ConnectionItem>(
    {
      collection: kind.endpoint,
      sandbox,
      list: (maxPages) => c.listItemPages(kind.endpoint, sandbox, [], maxPages, pipelineItemProblem),
      get: (itemId) => c.getItem(kind.endpoint, sandbox, itemId, pipelineItemProblem),
    },
    id,
  );
  return item as unknown as Body | undefined;
}

export async function readEntity(kind: PipelineKind, id: string, props: Inputs | undefined) {
  const prior = props ?? {};
  const sandbox = sandboxOf(prior);
  const action = `reading ${kind.title} ${id} in sandbox "${sandbox}"`;
  const c = client(kind, prior, action);
  let item: Body | undefined;
  try {
    item = await listedEntity(kind, c, sandbox, id);
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
  if (!item) return {};
  const inputs = inputsFromEntity(kind, item, prior, sandbox);
  if (isDataflow(kind)) inputs.enabled = item.state === "enabled";
  const outs = pipelineOutputs(kind, inputs, { etag: String(item.etag), state: String(item.state ?? "enabled") });
  // A flow spec declared by name stays declared by name; its id is an output only.
  if (isDataflow(kind) && isSet(prior.flowSpecName)) delete inputs.flowSpecId;
  return { id, props: outs, inputs };
}

export async function updateEntity(kind: PipelineKind, id: string, olds: Inputs, news: CheckedInputs): Promise<{ outs: Inputs }> {
  const sandbox = sandboxOf(olds);
  const action = `updating ${kind.title} ${id} ("${news.name}") in sandbox "${sandbox}"`;
  const c = client(kind, news, action);
  // The flow spec does not change in place: keep the one resolved at create.
  const resolved: Inputs = isDataflow(kind) ? { ...news, flowSpecId: news.flowSpecId ?? olds.flowSpecId } : news;
  let etag = String(olds.etag);
  let state = typeof olds.state === "string" ? olds.state : "enabled";
  let patched = false;
  try {
    if (olds[UNSETTLED_OUTPUT] === true) ({ etag, state } = await settledFacts(kind, c, sandbox, id, olds, etag, action));
    const ops = entityPatch(kind, olds, resolved);
    if (ops.length > 0) {
      etag = await patchResolvingAmbiguity(kind, c, sandbox, id, etag, ops, resolved, action);
      patched = true;
    }
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
  if (!isDataflow(kind)) return { outs: pipelineOutputs(kind, resolved, { etag, state }) };
  // The PATCH, when there was one, is applied: its etag is recorded whatever the action does (with no
  // PATCH, every patched value already was as declared). `enabled` follows the state actually held.
  const ack = { id, outs: pipelineOutputs(kind, resolved, { etag, state }), inputs: news, noun: kind.title, what: patched ? "was updated" : "is kept as it was" };
  const settledOuts = await afterAcknowledgedWrite(
    kind,
    ack,
    action,
    async () => {
      const after = await applyEnabled(kind, c, sandbox, id, etag, state, resolved.enabled !== false, action);
      return pipelineOutputs(kind, resolved, after);
    },
    (t) => c.redactor.redact(t),
  );
  return { outs: settledOuts };
}

/**
 * The etag and state of an entity whose last follow-up did not finish (an action whose answer was
 * lost may have been applied): read back, and taken only when every declared value is still as
 * recorded, so a change made outside Pulumi meanwhile is refused, not overwritten.
 */
async function settledFacts(kind: PipelineKind, c: FlowServiceClient, sandbox: string, id: string, olds: Inputs, etag: string, action: string): Promise<{ etag: string; state: string }> {
  const item = await getEntity(kind, c, sandbox, id);
  if (!item) throw userError(`${kind.typeName}: ${action}: the ${kind.title} no longer exists. Run \`pulumi refresh\` to drop it from the state; the next \`pulumi up\` creates it again.`);
  if (item.etag !== etag) {
    const mismatches = entityMismatches(kind, item, olds);
    if (mismatches.length > 0) throw userError(`${kind.typeName}: ${action}: the ${kind.title} was changed outside Pulumi since it was last read (a new etag, and ${mismatches.join(", ")}). Run \`pulumi refresh\` to see the change, then \`pulumi up\` again.`);
  }
  return { etag: String(item.etag), state: String(item.state ?? "enabled") };
}

/**
 * PATCH with If-Match. A lost answer is resolved by reading back: the etag unchanged means nothing
 * was applied (patch again); a new etag is ours only if every declared value is as patched.
 */
async function patchResolvingAmbiguity(kind: PipelineKind, c: FlowServiceClient, sandbox: string, id: string, etag: string, ops: PatchOperation[], news: Inputs, action: string): Promise<string> {
  const changedOutside = (what: string) => userError(`${kind.typeName}: ${action}: the ${kind.title} was changed outside Pulumi since it was last read (${what}). Run \`pulumi refresh\` to see the change, then \`pulumi up\` again.`);
  for (let attempt = 1; ; attempt++) {
    try {
      return (await c.patchItem(kind.endpoint, sandbox, id, etag, ops)).etag;
    } catch (err) {
      if (err instanceof FlowServiceError && err.status === 412) throw changedOutside("its etag no longer matches");
      if (err instanceof FlowServiceError && err.status === 404 && err.code === "1101-404") throw userError(`${kind.typeName}: ${action}: the ${kind.title} no longer exists. Run \`pulumi refresh\` to drop it from the state; the next \`pulumi up\` creates it again.`);
      if (!(err instanceof FlowServiceError) || !err.ambiguous || attempt >= c.maxAttempts) throw err;
      const item = await getEntity(kind, c, sandbox, id);
      if (!item) throw userError(`${kind.typeName}: ${action}: the ${kind.title} no longer exists (the answer to its update was lost). Run \`pulumi refresh\` to drop it from the state.`);
      if (item.etag === etag) continue;
      const mismatches = entityMismatches(kind, item, news);
      if (mismatches.length > 0) throw changedOutside(`a new etag, and ${mismatches.join(", ")}`);
      return String(item.etag);
    }
  }
}

export async function removeEntity(kind: PipelineKind, id: string, props: Inputs): Promise<void> {
  const sandbox = sandboxOf(props);
  const action = `deleting ${kind.title} ${id} in sandbox "${sandbox}"`;
  const c = client(kind, props, action);
  try {
    await deleteWaitingForDependents(() => c.deleteItem(kind.endpoint, sandbox, id), inUse, {
      onRetry: (attempt) => log(`${kind.typeName}: ${action}: another delete of this deployment ended since Flow Service refused this one as in use (1418-400): asking again (attempt ${attempt})`),
      refusal: (waitedMs) =>
        userError(`${kind.typeName}: ${action}: Flow Service refuses because a dataflow still uses this ${kind.title} (1418-400)${waited(waitedMs)}. Delete that dataflow first (or declare it in this program, so Pulumi deletes it first), or keep the ${kind.title} with the \`retainOnDelete\` resource option.`),
    });
    await pipelineNamesOf(c).forget(kind.endpoint, sandbox, id);
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}
