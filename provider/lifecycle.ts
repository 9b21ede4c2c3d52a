/**
 * The lifecycle entry point that every serialized provider (shim.js) loads at run time, as
 * `require("pulumi-aep-flow/lifecycle")`. Shims stored in existing stacks call it forever: never
 * rename or remove this module or any of its seven functions, and never change their parameters.
 * Each function finds the kind's declaration and runs the step of the same name: provider/steps/ for
 * base connections, provider/pipeline/ for the pipeline kinds (check and diff are shared).
 */
import type { CheckedInputs, ConnectionInputs, StoredOutputs } from "./connection/inputs";
import type { Inputs } from "./resources/declaration";
import { pipelineSteps } from "./pipeline/steps";
import { anyKindByName as kindByName, isPipelineKind } from "./resources/registry";
import { setStackConfig } from "./settings";
import { check as checkStep } from "./steps/check";
import { create as createStep } from "./steps/create";
import { remove } from "./steps/delete";
import { diff as diffStep } from "./steps/diff";
import { read as readStep } from "./steps/read";
import { update as updateStep } from "./steps/update";

interface ConfigureRequest {
  /** The SDK's config object; `rawConfig` (every key of the stack's config) where it has one. */
  config: { get(key: string): string | undefined; rawConfig?: unknown };
}

export async function configure(_kind: string, req: ConfigureRequest): Promise<void> {
  const raw = req.config.rawConfig;
  setStackConfig((key) => req.config.get(key), raw && typeof raw === "object" ? Object.keys(raw) : []);
}

export function check(kind: string, olds: Inputs, news: Inputs) {
  return checkStep(kindByName(kind), olds, news);
}

export function diff(kind: string, id: string, olds: Inputs, news: Inputs) {
  return diffStep(kindByName(kind), id, olds, news);
}

// The engine hands create and update what check returned, and read, update and delete what the
// last step stored: the casts below name those shapes once.

export function create(kind: string, inputs: Inputs) {
  const k = kindByName(kind);
  return isPipelineKind(k) ? pipelineSteps(k).create(inputs as CheckedInputs) : createStep(k, inputs as ConnectionInputs);
}

export function read(kind: string, id: string, props?: Inputs) {
  const k = kindByName(kind);
  return isPipelineKind(k) ? pipelineSteps(k).read(id, props) : readStep(k, id, props);
}

export function update(kind: string, id: string, olds: Inputs, news: Inputs) {
  const k = kindByName(kind);
  return isPipelineKind(k) ? pipelineSteps(k).update(id, olds, news as CheckedInputs) : updateStep(k, id, olds as StoredOutputs, news as ConnectionInputs);
}

// `delete` is a reserved word in TypeScript declarations, so it is exported under its name here.
function deleteConnection(kind: string, id: string, props: Inputs): Promise<void> {
  const k = kindByName(kind);
  return isPipelineKind(k) ? pipelineSteps(k).remove(id, props) : remove(k, id, props);
}
export { deleteConnection as delete };
