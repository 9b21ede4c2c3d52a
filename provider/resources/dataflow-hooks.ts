/**
 * What is particular to a dataflow, for the engine: its flow spec (resolved at create, never at preview)
 * and its `enabled` input (Flow Service's enable and disable actions, with If-Match).
 */
import { FlowServiceError } from "../client/flow-service-error";
import { userError } from "../engine/failures";
import { isSet } from "../engine/inputs";
import type { EngineKind, Facts, Hooks, StepContext } from "../engine/kind";
import type { Inputs } from "./declaration";
import { resolveFlowSpec } from "./flow-specs";

/** What the dataflow's flow spec makes of the body: its id, and whether a schedule is allowed. */
async function prepare(kind: EngineKind, ctx: StepContext, inputs: Inputs): Promise<Inputs> {
  const spec = await resolveFlowSpec(ctx.c, ctx.sandbox, { name: inputs.flowSpecName as string | undefined, id: inputs.flowSpecId as string | undefined });
  if (spec.scheduled && !isSet(inputs.schedule)) throw userError(`${kind.typeName}: flow spec ${spec.name} schedules its runs: set schedule, e.g. { startTime: <epoch seconds>, frequency: "hour", interval: 1 }`);
  if (!spec.scheduled && isSet(inputs.schedule)) throw userError(`${kind.typeName}: flow spec ${spec.name} takes no schedule (it runs continuously): remove schedule`);
  return { flowSpecId: spec.id };
}

/**
 * Enables or disables the dataflow when its state is not the declared one. The action carries If-Match;
 * a lost answer is resolved by reading the state back (the action is repeated only while the flow is
 * still in the other state), bounded by aep:maxAttempts.
 */
async function settle(kind: EngineKind, ctx: StepContext, id: string, inputs: Inputs, facts: Facts): Promise<Facts> {
  const { c, sandbox, action } = ctx;
  const enabled = inputs.enabled !== false;
  const want = enabled ? "enabled" : "disabled";
  let current = { etag: String(facts.etag), state: facts.state ?? "enabled" };
  for (let attempt = 1; current.state !== want; attempt++) {
    try {
      const done = await c.flowAction(sandbox, id, enabled ? "enable" : "disable", current.etag);
      return { ...facts, etag: done.etag, state: want };
    } catch (err) {
      if (err instanceof FlowServiceError && err.status === 412) throw userError(`${kind.typeName}: ${action}: the dataflow was changed outside Pulumi while it was being ${enabled ? "enabled" : "disabled"} (its etag no longer matches). Run \`pulumi refresh\`, then \`pulumi up\` again.`);
      if (!(err instanceof FlowServiceError) || !err.ambiguous || attempt >= c.maxAttempts) throw err;
      const item = await kind.store.get(kind, c, sandbox, id);
      if (!item) throw userError(`${kind.typeName}: ${action}: the dataflow no longer exists; run \`pulumi refresh\``);
      current = { etag: String(item.etag), state: String(item.state) };
    }
  }
  return { ...facts, ...current };
}

export const dataflowHooks: Hooks = {
  prepare,
  settle,
  factOutputs: (facts) => ({ enabled: facts.state === "enabled" }),
  readInputs: (inputs, item) => {
    inputs.enabled = item.state === "enabled";
  },
  // A flow spec declared by name stays declared by name; its id is an output only.
  declaredInputs: (inputs, prior) => {
    if (!isSet(prior.flowSpecName)) return inputs;
    const { flowSpecId: _id, ...rest } = inputs;
    return rest;
  },
};
