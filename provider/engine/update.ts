import { FlowServiceError } from "../client/flow-service-error";
import type { PatchOperation } from "../client/types";
import type { Inputs } from "../resources/declaration";
import { client, kindFor, log, sandboxOf } from "./context";
import { describeFailure, userError } from "./failures";
import { UNSETTLED_OUTPUT, settleAfterWrite } from "./follow-up";
import { type CheckedInputs, type ConnectionInputs, type StoredOutputs, isSet, withKept } from "./inputs";
import type { EngineKind, Facts, StepContext } from "./kind";
import { verifyUpdated } from "./verify";

/**
 * Update, for every kind: read back first when the last follow-up did not finish and it writes; the write
 * (a PATCH with If-Match whose lost answer is resolved by reading back, or the kind's own `write`); then
 * the follow-ups, whose failure keeps the write's etag or version recorded.
 */
export async function update(declared: EngineKind, id: string, olds: StoredOutputs, inputs: ConnectionInputs): Promise<{ outs: Inputs }> {
  // What the program leaves to the entity keeps its stored value: never patched, still an output.
  const kept = withKept(inputs, olds);
  const sandbox = sandboxOf(olds);
  const action = `updating ${declared.noun} ${id} ("${kept.name}") in sandbox "${sandbox}"`;
  const kind = await kindFor(declared, kept, action, true);
  const news = keepResolved(kind, olds, kept);
  const c = client(kind, news, action);
  c.redactor.add(...kind.wire.secretValues(kind, olds));
  const ctx: StepContext = { c, sandbox, action };
  let facts = kind.wire.storedFacts(kind, olds);
  let wrote = false;
  try {
    if (olds[UNSETTLED_OUTPUT] === true && kind.settleWrites) facts = { ...facts, ...(await settledFacts(kind, ctx, id, olds, facts)) };
    if (kind.hooks.write) {
      facts = { ...facts, ...(await kind.hooks.write(kind, ctx, id, olds, news)) };
      wrote = true;
    } else {
      const ops = kind.wire.patch(kind, olds, news);
      if (ops.length > 0) {
        facts = { ...facts, etag: await patchResolvingAmbiguity(kind, ctx, id, String(facts.etag), ops, news, olds) };
        wrote = true;
      }
    }
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
  // The write, when there was one, is applied: its etag (or version) is recorded whatever the follow-ups do.
  const ack = { id, outs: kind.wire.outputs(kind, news, facts), inputs: news, noun: kind.noun, what: wrote ? "was updated" : "is kept as it was" };
  const outs = await settleAfterWrite(kind, ctx, ack, facts, action);
  return verifyUpdated(kind, id, olds, news, { outs });
}

/**
 * A value the service filled or that was resolved at create (a dataflow's flow spec id from its name) and
 * that the program does not declare keeps its stored value: it cannot change in place.
 */
function keepResolved(kind: EngineKind, olds: Inputs, news: CheckedInputs): CheckedInputs {
  const out: CheckedInputs = { ...news };
  for (const p of kind.params) if (p.serverDefault && p.replaceOnChange && !isSet(out[p.input]) && isSet(olds[p.input])) out[p.input] = olds[p.input];
  return out;
}

/**
 * The facts of an entity whose last follow-up did not finish (an action whose answer was lost may have
 * been applied): read back, and taken only when every declared value is still as recorded, so a change
 * made outside Pulumi meanwhile is refused, not overwritten.
 */
async function settledFacts(kind: EngineKind, ctx: StepContext, id: string, olds: Inputs, facts: Facts): Promise<Facts> {
  const item = await kind.store.get(kind, ctx.c, ctx.sandbox, id);
  if (!item) throw userError(`${kind.typeName}: ${ctx.action}: the ${kind.noun} no longer exists. Run \`pulumi refresh\` to drop it from the state; the next \`pulumi up\` creates it again.`);
  if (item.etag !== facts.etag) {
    const mismatches = kind.wire.mismatches(kind, item, olds);
    if (mismatches.length > 0) throw userError(`${kind.typeName}: ${ctx.action}: the ${kind.noun} was changed outside Pulumi since it was last read (a new etag, and ${mismatches.join(", ")}). Run \`pulumi refresh\` to see the change, then \`pulumi up\` again.`);
  }
  return kind.wire.factsOf(kind, item);
}

/**
 * PATCH with If-Match. A lost or unusable answer is resolved by reading the entity back: the etag unchanged
 * means nothing was applied (patch again). A new etag is ours only if every declared visible value is as
 * patched; then what the service masks (secrets) is written again under the new etag. Anything else, like
 * a 412, means someone else changed it. Bounded by aep:maxAttempts PATCHes.
 */
async function patchResolvingAmbiguity(kind: EngineKind, ctx: StepContext, id: string, etag: string, ops: PatchOperation[], news: Inputs, olds: Inputs): Promise<string> {
  const { c, sandbox, action } = ctx;
  const removed = kind.wire.removedBy(kind, ops);
  const changedOutside = (what: string) =>
    userError(`${kind.typeName}: ${action}: the ${kind.noun} was changed outside Pulumi since it was last read (${what}). Run \`pulumi refresh\` to see the change, then \`pulumi up\` again.`);
  let pending = ops;
  let expectEtag = etag;
  for (let attempt = 1; ; attempt++) {
    try {
      return (await c.patchItem(kind.store.collection, sandbox, id, expectEtag, pending)).etag;
    } catch (err) {
      if (err instanceof FlowServiceError && err.status === 412) throw changedOutside("its etag no longer matches");
      if (err instanceof FlowServiceError && err.status === 404 && err.code === "1101-404") {
        throw userError(`${kind.typeName}: ${action}: the ${kind.noun} no longer exists. Run \`pulumi refresh\` to drop it from the state; the next \`pulumi up\` creates it again.`);
      }
      if (!(err instanceof FlowServiceError) || !err.ambiguous || attempt >= c.maxAttempts) throw err;
      const item = await kind.store.get(kind, c, sandbox, id);
      if (!item) throw userError(`${kind.typeName}: ${action}: the ${kind.noun} no longer exists (the answer to its update was lost). Run \`pulumi refresh\` to drop it from the state.`);
      if (item.etag === expectEtag) continue;
      const mismatches = kind.wire.mismatches(kind, item, news, removed);
      if (mismatches.length > 0) throw changedOutside(`a new etag, and ${mismatches.join(", ")}`);
      // Everything visible is as declared; what the service masks cannot be seen, so write it again.
      pending = kind.wire.unseenOps(kind, pending, item, news, olds);
      if (pending.length === 0) return String(item.etag);
      expectEtag = String(item.etag);
      log(`${action}: the answer was lost and its etag moved with every visible value as declared; writing its secrets again`);
    }
  }
}
