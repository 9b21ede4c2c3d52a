import type { FlowServiceClient } from "../client/client";
import { FlowServiceError } from "../client/flow-service-error";
import { type CheckedInputs, type StoredOutputs, sameValue } from "./inputs";
import type { Inputs } from "../resources/declaration";
import type { EngineKind } from "./kind";
import { client, sandboxOf } from "./context";
import { InitFailedError, describeFailure } from "./failures";

/**
 * `verifyConnectivity`: after a create, and after an update that changed where the connection points or how
 * it signs in, one `GET /connections/{id}/test`. A connection Flow Service cannot reach fails the step as
 * Pulumi's "created but failed to initialize" (InitFailedError with the id and outputs): the engine keeps it
 * in state, and the next `pulumi up` updates it, which tests again, so nothing is created twice.
 */
export const VERIFY_INPUT = "verifyConnectivity";

/**
 * Stored with the outputs of a connection whose test failed, so the next `up`'s update tests it again even
 * when nothing changed. Never an input: `check` and `diff` never see it.
 */
export const UNPROVEN_OUTPUT = "__connectivityUnproven";

export function verifies(kind: Pick<EngineKind, "reach">, inputs: Inputs): boolean {
  return kind.reach !== undefined && inputs[VERIFY_INPUT] === true;
}

/** After create: tests when the flag is on; returns the created connection, or throws InitFailedError. */
export async function verifyCreated(kind: EngineKind, inputs: CheckedInputs, created: { id: string; outs: Inputs }): Promise<{ id: string; outs: Inputs }> {
  if (!verifies(kind, inputs)) return created;
  await proveOrKeep(kind, created.id, inputs, created.outs, "was created");
  return created;
}

/**
 * After update: tests when the flag is on and a REACH_INPUTS value changed, the flag was just turned on, or
 * the last test failed; returns the outputs, or throws InitFailedError carrying them.
 */
export async function verifyUpdated(kind: EngineKind, id: string, olds: StoredOutputs, news: CheckedInputs, updated: { outs: Inputs }): Promise<{ outs: Inputs }> {
  if (!verifies(kind, news)) return updated;
  const changed = (kind.reach?.inputs ?? []).filter((k) => !sameValue(olds[k] ?? null, news[k] ?? null));
  const unproven = olds[UNPROVEN_OUTPUT] === true;
  const turnedOn = olds[VERIFY_INPUT] !== true;
  if (changed.length === 0 && !unproven && !turnedOn) return updated;
  await proveOrKeep(kind, id, news, updated.outs, unproven ? "is kept from an earlier deployment whose test failed" : "was updated");
  return updated;
}

async function proveOrKeep(kind: EngineKind, id: string, inputs: CheckedInputs, outs: Inputs, what: string): Promise<void> {
  const sandbox = sandboxOf(inputs);
  const action = `testing connection ${id} ("${inputs.name}") in sandbox "${sandbox}"`;
  const reach = kind.reach as NonNullable<EngineKind["reach"]>;
  const target = reach.target(inputs);
  const c: FlowServiceClient = client(kind, inputs, action);
  let reason: string | undefined;
  try {
    const result = await c.testConnection(kind.store.collection, sandbox, id);
    if (result === undefined) reason = `${kind.typeName}: ${action}: the connection no longer exists (Flow Service answered 1101-404). Run \`pulumi refresh\` to drop it from the state; the next \`pulumi up\` creates it again.`;
    else if (!result) {
      reason =
        `${kind.typeName}: connection ${id} ("${inputs.name}") in sandbox "${sandbox}" ${what}, but Flow Service could not reach the ${target} ` +
        `(GET /connections/${id}/test answered {"result": false}). Fix: ${reach.fix}, and that the server accepts connections from Adobe Experience Platform; ` +
        "then run `pulumi up` again: the connection is kept and tested again, nothing is created twice (or set verifyConnectivity: false to deploy without the test).";
    }
  } catch (err) {
    const described = describeFailure(kind, `${action} (to reach the ${target})`, err);
    reason = `${described.message} The connection ${what} and is kept; the next \`pulumi up\` tests it again.`;
    if (!(err instanceof FlowServiceError)) reason = `${kind.typeName}: ${action}: ${reason}`;
  }
  // Quiet on success; on failure the engine shows the error under the resource.
  if (reason === undefined) {
    delete outs[UNPROVEN_OUTPUT];
    return;
  }
  reason = c.redactor.redact(reason);
  // The dynamic provider adds `__provider` to a step's outputs only when it succeeds; a destroy right after
  // this failure reads the provider from these outputs, so they carry it themselves.
  const provider = typeof inputs.__provider === "string" ? { __provider: inputs.__provider } : {};
  throw new InitFailedError(reason, id, { ...outs, [UNPROVEN_OUTPUT]: true, ...provider }, [reason]);
}
