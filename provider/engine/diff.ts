import { now } from "../clock";
import { diffInputs } from "./inputs";
import type { InputRules, Inputs } from "../resources/declaration";
import { userError } from "./failures";

/**
 * Local only, from declared inputs (never `__provider`): always explicit `changes`. An update the service
 * would refuse (the kind's `refuseChange`) fails here, so `pulumi preview` shows what `pulumi up` would hit.
 */
export async function diff(kind: InputRules, _id: string, olds: Inputs, news: Inputs) {
  const d = diffInputs(kind, olds ?? {}, news ?? {});
  const refusal = d.changes && d.replaces.length === 0 ? kind.refuseChange?.(olds ?? {}, news ?? {}, now()) : undefined;
  if (refusal) throw userError(`${kind.typeName}: ${refusal.property} ${refusal.reason}`);
  // The engine deletes first when either this answer or the resource option asks. The option is true
  // unless the user says otherwise (registration() in resources/resource.ts explains why), so false here leaves that
  // choice to the user: true would override an explicit `deleteBeforeReplace: false`.
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
}

