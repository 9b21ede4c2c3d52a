import { AUTO_NAME_INPUT, GENERATED_NAME_INPUT, isSet } from "../connection/inputs";
import type { Inputs, PipelineKind } from "../resources/declaration";

/** What the server decided about an entity. */
export interface EntityFacts {
  etag?: string;
  state?: string;
  /** A mapping set's version. */
  version?: number;
}

/** Outputs: every declared input under its own name (defaults filled by check), the kind's constants, plus the server's facts. */
export function pipelineOutputs(kind: PipelineKind, inputs: Inputs, facts: EntityFacts): Inputs {
  const outs: Inputs = {};
  for (const key of [AUTO_NAME_INPUT, GENERATED_NAME_INPUT, ...kind.commonInputs]) if (isSet(inputs[key])) outs[key] = inputs[key];
  for (const p of kind.params) if (isSet(inputs[p.input])) outs[p.input] = inputs[p.input];
  if (facts.etag !== undefined) outs.etag = facts.etag;
  if (facts.state !== undefined) outs.state = facts.state;
  if (facts.version !== undefined) outs.version = facts.version;
  if (kind.kind === "dataflow") outs.enabled = facts.state === "enabled";
  Object.assign(outs, kind.constants);
  return outs;
}
