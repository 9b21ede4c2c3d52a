import type { FlowServiceClient } from "../client/client";
import { type ConnectionInputs, isSet, sameValue, withKept } from "../connection/inputs";
import { adoptOps, buildOutputs, paramsOf, serverValuesOf } from "../connection/wire";
import type { EntityKind, Inputs } from "../resources/declaration";
import { claimedBy, client, sandboxOf, withArticle } from "./context";
import { describeFailure, userError } from "./failures";

/** Create with `existingConnectionId`: adopt that connection instead of posting one. */
export function adoptExisting(kind: EntityKind, inputs: ConnectionInputs & { existingConnectionId: string }): Promise<{ id: string; outs: Inputs }> {
  const sandbox = sandboxOf(inputs);
  const c = client(kind, inputs, `adopting connection ${inputs.existingConnectionId} in sandbox "${sandbox}"`);
  return adopt(kind, c, inputs, inputs.existingConnectionId, sandbox);
}

export async function adopt(kind: EntityKind, c: FlowServiceClient, inputs: ConnectionInputs, id: string, sandbox: string): Promise<{ id: string; outs: Inputs }>;
export async function adopt(kind: EntityKind, c: FlowServiceClient, inputs: ConnectionInputs, id: string, sandbox: string, opts: { ifStillExists: true }): Promise<{ id: string; outs: Inputs } | undefined>;
export async function adopt(kind: EntityKind, c: FlowServiceClient, inputs: ConnectionInputs, id: string, sandbox: string, opts?: { ifStillExists: true }): Promise<{ id: string; outs: Inputs } | undefined> {
  const action = `adopting connection ${id} in sandbox "${sandbox}"`;
  try {
    const item = await c.getItem(kind.endpoint, sandbox, id);
    if (!item && opts?.ifStillExists) return undefined;
    if (!item) throw userError(`${kind.typeName}: ${action}: no connection with that id exists in sandbox "${sandbox}"; check existingConnectionId and sandbox`);
    if (item.connectionSpec?.id !== kind.connectionSpecId) {
      throw userError(`${kind.typeName}: ${action}: it is not ${withArticle(kind.title)} connection (its connection spec is ${item.connectionSpec?.id}); ${kind.otherSpecFix ?? "declare it with the matching resource type"}`);
    }
    const wantAuth = kind.authSpecName?.(inputs);
    if (wantAuth && item.auth?.specName !== wantAuth) {
      throw userError(`${kind.typeName}: ${action}: it uses "${item.auth?.specName}" authentication, not "${wantAuth}", which cannot be changed in place; declare the same authentication or create a new connection`);
    }
    for (const p of kind.params) {
      const server = paramsOf(kind, item)[p.wire];
      if (p.replaceOnChange && !p.local && isSet(inputs[p.input]) && isSet(server) && !sameValue(server, inputs[p.input])) {
        throw userError(`${kind.typeName}: ${action}: its ${p.input} is ${JSON.stringify(server)}, declared ${JSON.stringify(inputs[p.input])}; ${p.input} cannot be changed in place, so declare the same value`);
      }
    }
    // The name and description the program leaves undeclared are the connection's own: kept, not patched.
    const declared = withKept(inputs, { name: item.name, description: item.description });
    const ops = adoptOps(kind, item, declared);
    const etag = ops.length > 0 ? (await c.patchItem(kind.endpoint, sandbox, id, item.etag, ops)).etag : item.etag;
    claimedBy(c).add(id);
    return { id, outs: buildOutputs(kind, declared, { etag, state: item.state, serverValues: serverValuesOf(kind, item) }) };
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}
