import type { Inputs } from "../resources/declaration";
import { client, kindFor, log, sandboxOf } from "./context";
import { deleteWaitingForDependents, inUse, waited } from "./deletes-in-flight";
import { describeFailure, userError } from "./failures";
import type { EngineKind } from "./kind";
import { namesOf } from "./names";

/** Delete, for every kind: a DELETE that waits for this deployment's other deletes while the entity is in use, or the kind's own `remove`. */
export async function remove(declared: EngineKind, id: string, props: Inputs): Promise<void> {
  const sandbox = sandboxOf(props);
  const action = `deleting ${declared.noun} ${id} in sandbox "${sandbox}"`;
  const kind = await kindFor(declared, props, action, false);
  if (kind.hooks.remove) return kind.hooks.remove(kind, sandbox, id);
  const c = client(kind, props, action);
  try {
    await deleteWaitingForDependents(() => c.deleteItem(kind.store.collection, sandbox, id), inUse, {
      onRetry: (attempt) => log(`${kind.typeName}: ${action}: another delete of this deployment ended since Flow Service refused this one as in use (1418-400): asking again (attempt ${attempt})`),
      refusal: (waitedMs) => userError(`${kind.typeName}: ${action}: Flow Service refuses because ${kind.inUse.reason}${waited(waitedMs)}. ${kind.inUse.fix}`),
    });
    namesOf(c).forget(kind, sandbox, id);
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}
