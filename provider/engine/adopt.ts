import type { Inputs } from "../resources/declaration";
import { claimedBy } from "./context";
import { userError } from "./failures";
import { type ConnectionInputs, withKept } from "./inputs";
import type { EngineKind, Entity, Facts, StepContext } from "./kind";

/** Create with `existingId` (or `existingConnectionId`, named by `input`): adopt that entity instead of posting one. */
export async function adoptExisting(kind: EngineKind, ctx: StepContext, inputs: ConnectionInputs, id: string, input: string): Promise<{ id: string; facts: Facts; how: string; inputs: Inputs }> {
  const item = await kind.store.get(kind, ctx.c, ctx.sandbox, id);
  if (!item) throw userError(`${kind.typeName}: ${ctx.action}: no ${kind.noun} with that id exists in sandbox "${ctx.sandbox}"; check ${input} and sandbox`);
  return { id, ...(await adoptItem(kind, ctx, inputs, item)), how: "was adopted" };
}

/**
 * Makes an existing entity what is declared: refused when it is of another kind or differs in anything
 * that cannot change in place; else patched (only where it differs, and every secret, which the service
 * masks). The name and description the program leaves undeclared are the entity's own: kept, not patched.
 */
export async function adoptItem(kind: EngineKind, ctx: StepContext, inputs: ConnectionInputs, item: Entity): Promise<{ facts: Facts; inputs: Inputs }> {
  const problem = kind.wire.adoptionProblem(kind, item, inputs);
  if (problem) throw userError(`${kind.typeName}: ${ctx.action}: ${problem}`);
  const declared = withKept(inputs, { name: item.name, description: item.description });
  let facts = kind.wire.factsOf(kind, item);
  if (kind.hooks.write) {
    // A kind written whole (a mapping set, whose write is its next version): written only when it holds something else.
    if (kind.wire.mismatches(kind, item, declared).length > 0) facts = { ...facts, ...(await kind.hooks.write(kind, ctx, item.id, { ...declared, ...facts }, declared)) };
  } else {
    const ops = kind.wire.adoptOps(kind, item, declared);
    if (ops.length > 0) facts.etag = (await ctx.c.patchItem(kind.store.collection, ctx.sandbox, item.id, String(item.etag), ops)).etag;
  }
  claimedBy(ctx.c).add(item.id);
  return { facts, inputs: declared };
}
