/**
 * The lifecycle entry point that every serialized provider (shim.js) loads at run time, as
 * `require("pulumi-aep-flow/lifecycle")`. Shims stored in existing stacks call it forever: never
 * rename or remove this module or any of its seven functions, and never change their parameters.
 */
import * as connection from "./connection/lifecycle";
import { setStackConfig } from "./config";
import type { Inputs } from "./resources/declaration";
import { kindByName } from "./resources/registry";

interface ConfigureRequest {
  /** The SDK's config object; `rawConfig` (every key of the stack's config) where it has one. */
  config: { get(key: string): string | undefined; rawConfig?: unknown };
}

export async function configure(_kind: string, req: ConfigureRequest): Promise<void> {
  const raw = req.config.rawConfig;
  setStackConfig((key) => req.config.get(key), raw && typeof raw === "object" ? Object.keys(raw) : []);
}

export function check(kind: string, olds: Inputs, news: Inputs) {
  return connection.check(kindByName(kind), olds, news);
}

export function diff(kind: string, id: string, olds: Inputs, news: Inputs) {
  return connection.diff(kindByName(kind), id, olds, news);
}

export function create(kind: string, inputs: Inputs) {
  return connection.create(kindByName(kind), inputs);
}

export function read(kind: string, id: string, props?: Inputs) {
  return connection.read(kindByName(kind), id, props);
}

export function update(kind: string, id: string, olds: Inputs, news: Inputs) {
  return connection.update(kindByName(kind), id, olds, news);
}

// `delete` is a reserved word in TypeScript declarations, so it is exported under its name here.
function deleteConnection(kind: string, id: string, props: Inputs): Promise<void> {
  return connection.remove(kindByName(kind), id, props);
}
export { deleteConnection as delete };
