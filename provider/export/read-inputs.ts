/**
 * The one place export takes the provider's own read mapping (entity → inputs), so what it declares is
 * what `pulumi refresh` would read: base connections through provider/connection/wire.ts, the pipeline
 * kinds through provider/pipeline/body.ts, each with an empty prior state (an import: nothing declared
 * before). Nothing else in provider/export/ imports those modules.
 */
import type { ConnectionItem } from "../client/types";
import { inputsFromItem } from "../connection/wire";
import { inputsFromEntity } from "../pipeline/body";
import type { EntityKind, Inputs, PipelineKind } from "../resources/declaration";

/** What Flow Service shows in place of a secret param. */
export { MASKED } from "../connection/wire";

/** A base connection's inputs as the provider reads them; no `sandbox` (the stack's `aep:sandbox` decides). */
export function baseConnectionInputs(kind: EntityKind, item: ConnectionItem, sandbox: string): Inputs {
  const { sandbox: _read, ...inputs } = inputsFromItem(kind, item, {}, sandbox);
  return inputs;
}

/** A source or target connection's, a mapping set's or a dataflow's inputs as the provider reads them; no `sandbox`. */
export function pipelineInputs(kind: PipelineKind, item: Record<string, unknown>, sandbox: string): Inputs {
  const { sandbox: _read, ...inputs } = inputsFromEntity(kind, item, {}, sandbox);
  return inputs;
}
