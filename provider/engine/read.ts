import { listingCacheOf } from "../client/listing-cache";
import type { Inputs } from "../resources/declaration";
import { client, kindFor, sandboxOf } from "./context";
import { describeFailure, userError } from "./failures";
import type { EngineKind, Entity } from "./kind";

/**
 * Read, for every kind: from one listing of its collection (within its scope) per sandbox and deployment,
 * checked item by item as its GET is (provider/client/listing-cache.ts says when a GET is made instead).
 */
export async function read(declared: EngineKind, id: string, props: Inputs | undefined) {
  const prior = props ?? {};
  const sandbox = sandboxOf(prior);
  const action = `reading ${declared.noun} ${id} in sandbox "${sandbox}"`;
  const kind = await kindFor(declared, prior, action, false);
  const c = client(kind, prior, action);
  const { store } = kind;
  let item: Entity | undefined;
  try {
    item = await listingCacheOf(c).item<Entity>(
      {
        collection: store.collection,
        sandbox,
        scope: store.scope(kind),
        list: (maxPages) => store.listPages(kind, c, sandbox, maxPages),
        get: (itemId) => store.get(kind, c, sandbox, itemId),
      },
      id,
    );
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
  // Gone: returning no id tells the engine to drop it from state on refresh.
  if (!item) return {};
  const foreign = kind.wire.foreign(kind, item);
  if (foreign) throw userError(`${kind.typeName}: ${action}: ${foreign}`);
  const values = kind.wire.inputsFrom(kind, item, prior, sandbox);
  kind.hooks.readInputs?.(values, item, prior);
  const outs = kind.wire.outputs(kind, values, kind.wire.factsOf(kind, item));
  // The engine stores these as the inputs that the next diff and its display start from: only what the
  // program declares, never what it leaves to the entity (a phantom "+sourceId" otherwise).
  const declaredValues = kind.wire.declaredOf(values);
  return { id, props: outs, inputs: kind.hooks.declaredInputs?.(declaredValues, prior) ?? declaredValues };
}
