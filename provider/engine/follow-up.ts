/**
 * What follows a write the service acknowledged (a dataflow's enable or disable action and its
 * read-back, a connectivity test, the read of a streaming inlet, anything a kind adds later). Such a
 * call may fail, but the write must never be repeated and what it returned must never be lost: the
 * failure becomes Pulumi's "created but failed to initialize" (InitFailedError), which records the id
 * and the outputs (with the etag or version the write returned) together with the error. The engine
 * then runs an update on the next `pulumi up` even when nothing changed, which finishes the work with
 * no new POST.
 */
import type { EntityKind, Inputs } from "../resources/declaration";
import { InitFailedError, describeFailure, userError } from "./failures";
import type { EngineKind, Facts, StepContext } from "./kind";

/**
 * Stored with the outputs of an entity whose follow-up did not finish: the etag and state recorded
 * may be older than the service's (an action whose answer was lost may have been applied), so the
 * next update reads the entity back before it writes. Never an input: `check` and `diff` never see it.
 */
export const UNSETTLED_OUTPUT = "__unsettled";

/** What the step had already recorded when its follow-up began. */
export interface Acknowledged {
  id: string;
  /** The outputs as the acknowledged write left them (its etag or version among them). */
  outs: Inputs;
  /** The inputs of the step, for the serialized provider the outputs must carry. */
  inputs: Inputs;
  /** What the entity is, in words ("connection", "dataflow"). */
  noun: string;
  /** The step's own words for what it did ("was created", "was updated"). */
  what: string;
}

/**
 * Runs `followUp` after an acknowledged write. Its result is the step's outputs; any failure is
 * recorded as an initialization failure carrying `ack.outs`, never rethrown as a plain error that a
 * caller could take for a lost write.
 */
export async function afterAcknowledgedWrite(kind: Pick<EntityKind, "typeName">, ack: Acknowledged, action: string, followUp: () => Promise<Inputs>, redact: (text: string) => string = (t) => t): Promise<Inputs> {
  try {
    return await followUp();
  } catch (err) {
    // Already recorded in these terms (a connectivity test that failed): keep its own outputs.
    if (err instanceof InitFailedError) throw err;
    const described = describeFailure(kind, action, err).message.replace(/\.+$/, "");
    const reason = redact(
      `${described}. The ${ack.noun} ${ack.id} ${ack.what} and is recorded in the stack; the next \`pulumi up\` finishes this step without creating it again.`,
    );
    // The dynamic provider adds `__provider` to a step's outputs only when it succeeds; a destroy right
    // after this failure reads the provider from these outputs, so they carry it themselves.
    const provider = typeof ack.inputs.__provider === "string" ? { __provider: ack.inputs.__provider } : {};
    throw new InitFailedError(reason, ack.id, { ...ack.outs, [UNSETTLED_OUTPUT]: true, ...provider }, [reason]);
  }
}

/**
 * The follow-ups of a kind after an acknowledged create or update, from `facts` (what the write said):
 * the read of values the service fills when the answer lacks them (a streaming inlet; `readAfterCreate`),
 * then the kind's `settle` hook (a dataflow's action). Without either, the write's outputs as they are.
 */
export async function settleAfterWrite(kind: EngineKind, ctx: StepContext, ack: Acknowledged, facts: Facts, action: string): Promise<Inputs> {
  const filled = Object.keys(kind.serverOutputs ?? {}).every((k) => facts.serverValues?.[k] !== undefined && facts.serverValues?.[k] !== null);
  const mustRead = kind.readAfterCreate === true && !filled;
  if (!mustRead && !kind.hooks.settle) return ack.outs;
  return afterAcknowledgedWrite(
    kind,
    ack,
    action,
    async () => {
      let now = facts;
      if (mustRead) {
        const item = await kind.store.get(kind, ctx.c, ctx.sandbox, ack.id);
        if (!item) throw userError(`${kind.typeName}: ${ctx.action}: the ${kind.noun} ${ack.id} ${ack.what} but Flow Service no longer finds it; run \`pulumi refresh\``);
        now = kind.wire.factsOf(kind, item);
      }
      if (kind.hooks.settle) now = await kind.hooks.settle(kind, ctx, ack.id, ack.inputs, now);
      return kind.wire.outputs(kind, ack.inputs, now);
    },
    (t) => ctx.c.redactor.redact(t),
  );
}
