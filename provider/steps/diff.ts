import { diffInputs } from "../connection/inputs";
import type { InputRules, Inputs } from "../resources/declaration";

/** Local only, from declared inputs (never `__provider`): always explicit `changes`. */
export async function diff(kind: InputRules, _id: string, olds: Inputs, news: Inputs) {
  const d = diffInputs(kind, olds ?? {}, news ?? {});
  // The engine deletes first when either this answer or the resource option asks. The option is true
  // unless the user says otherwise (ConnectionResource explains why), so false here leaves that
  // choice to the user: true would override an explicit `deleteBeforeReplace: false`.
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
}

