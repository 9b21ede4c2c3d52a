import { FlowServiceError } from "../client/flow-service-error";
import { nameIndexOf } from "../connection/name-index";
import type { EntityKind, Inputs } from "../resources/declaration";
import { client, sandboxOf } from "./context";
import { describeFailure, userError } from "./failures";

export async function remove(kind: EntityKind, id: string, props: Inputs): Promise<void> {
  const sandbox = sandboxOf(props);
  const action = `deleting connection ${id} in sandbox "${sandbox}"`;
  const c = client(kind, props, action);
  try {
    await c.deleteItem(kind.endpoint, sandbox, id);
    nameIndexOf(c).forget(sandbox, kind.connectionSpecId, id);
  } catch (err) {
    if (err instanceof FlowServiceError && err.code === "1418-400") {
      throw userError(`${kind.typeName}: ${action}: Flow Service refuses because dataflows still use this connection (1418-400), directly or through a source or target connection on it. Delete those first (declared in this program, Pulumi deletes them first), or keep the connection with the \`retainOnDelete\` resource option.`);
    }
    throw describeFailure(kind, action, err);
  }
}
