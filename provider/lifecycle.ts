/**
 * The lifecycle entry point that every serialized provider (shim.js) loads at run time, as
 * `require("pulumi-aep-flow/lifecycle")`. Shims stored in existing stacks call it forever: never
 * rename or remove this module or any of its seven functions, and never change their parameters.
 * Each function finds the kind by name and runs the engine's step of the same name (provider/engine/),
 * the one lifecycle every kind shares.
 */
import { check as checkStep } from "./engine/check";
import { create as createStep } from "./engine/create";
import { remove } from "./engine/delete";
import { diff as diffStep } from "./engine/diff";
import type { ConnectionInputs, StoredOutputs } from "./engine/inputs";
import { read as readStep } from "./engine/read";
import { update as updateStep } from "./engine/update";
import type { Inputs } from "./resources/declaration";
import { engineKindByName } from "./resources/registry";
import { setStackConfig } from "./settings";

interface ConfigureRequest {
  /** The SDK's config object; `rawConfig` (every key of the stack's config) where it has one. */
  config: { get(key: string): string | undefined; rawConfig?: unknown };
}

export async function configure(_kind: string, req: ConfigureRequest): Promise<void> {
  const raw = req.config.rawConfig;
  setStackConfig((key) => req.config.get(key), raw && typeof raw === "object" ? Object.keys(raw) : []);
}

export function check(kind: string, olds: Inputs, news: Inputs) {
  return checkStep(engineKindByName(kind), olds, news);
}

export function diff(kind: string, id: string, olds: Inputs, news: Inputs) {
  return diffStep(engineKindByName(kind), id, olds, news);
}

// The engine hands create and update what check returned, and read, update and delete what the
// last step stored: the casts below name those shapes once.

export function create(kind: string, inputs: Inputs) {
  return createStep(engineKindByName(kind), inputs as ConnectionInputs);
}

export function read(kind: string, id: string, props?: Inputs) {
  return readStep(engineKindByName(kind), id, props);
}

export function update(kind: string, id: string, olds: Inputs, news: Inputs) {
  return updateStep(engineKindByName(kind), id, olds as StoredOutputs, news as ConnectionInputs);
}

// `delete` is a reserved word in TypeScript declarations, so it is exported under its name here.
function deleteEntity(kind: string, id: string, props: Inputs): Promise<void> {
  return remove(engineKindByName(kind), id, props);
}
export { deleteEntity as delete };
