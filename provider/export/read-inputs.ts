/**
 * The one place export takes the provider's own read mapping (entity → inputs), so what it declares is
 * what `pulumi refresh` would read: the engine's Wire of the kind (provider/engine/kinds.ts), with an empty
 * prior state (an import: nothing declared before). Nothing else in provider/export/ reads entities as inputs.
 */
import type { ConnectionItem } from "../client/types";
import type { Entity } from "../engine/kind";
import type { EntityKind, Inputs, PipelineKind } from "../resources/declaration";
import { engineKindByName } from "../resources/registry";

/** What Flow Service shows in place of a secret param. */
export { MASKED } from "../engine/connection-wire";

function readInputs(kind: EntityKind | PipelineKind, item: Entity, sandbox: string): Inputs {
  const view = engineKindByName(kind.kind);
  const { sandbox: _read, ...inputs } = view.wire.inputsFrom(view, item, {}, sandbox);
  return inputs;
}

/** A base connection's inputs as the provider reads them; no `sandbox` (the stack's `aep:sandbox` decides). */
export function baseConnectionInputs(kind: EntityKind, item: ConnectionItem, sandbox: string): Inputs {
  return readInputs(kind, item as unknown as Entity, sandbox);
}

/** A source or target connection's, a mapping set's or a dataflow's inputs as the provider reads them; no `sandbox`. */
export function pipelineInputs(kind: PipelineKind, item: Record<string, unknown>, sandbox: string): Inputs {
  return readInputs(kind, item as Entity, sandbox);
}
