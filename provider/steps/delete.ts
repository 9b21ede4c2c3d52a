import { nameIndexOf } from "../connection/name-index";
import type { EntityKind, Inputs } from "../resources/declaration";
import { client, kindFor, log, sandboxOf } from "./context";
import { deleteWaitingForDependents, inUse, waited } from "./deletes-in-flight";
import { describeFailure, userError } from "./failures";

export async function remove(declared: EntityKind, id: string, props: Inputs): Promise<void> {
  const sandbox = sandboxOf(props);
  const action = `deleting connection ${id} in sandbox "${sandbox}"`;
  const kind = await kindFor(declared, props, action, false);
  const c = client(kind, props, action);
  try {
    await deleteWaitingForDependents(() => c.deleteItem(kind.endpoint, sandbox, id), inUse, {
      onRetry: (attempt) => log(`${kind.typeName}: ${action}: another delete of this deployment ended since Flow Service refused this one as in use (1418-400): asking again (attempt ${attempt})`),
      refusal: (waitedMs) =>
        userError(`${kind.typeName}: ${action}: Flow Service refuses because dataflows still use this connection (1418-400), directly or through a source or target connection on it${waited(waitedMs)}. Delete those first (declared in this program, Pulumi deletes them first), or keep the connection with the \`retainOnDelete\` resource option.`),
    });
    nameIndexOf(c).forget(sandbox, kind.connectionSpecId, id);
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}
