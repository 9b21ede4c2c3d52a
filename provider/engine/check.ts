import { checkInputs } from "./inputs";
import type { InputRules, Inputs } from "../resources/declaration";
import { configurationProblems } from "../settings";

/** Local only (no network, no credentials needed): `pulumi preview` reports bad inputs and bad configuration. */
export async function check(kind: InputRules, olds: Inputs, news: Inputs) {
  const result = checkInputs(kind, olds ?? {}, news ?? {});
  for (const problem of configurationProblems()) result.failures.push({ property: "", reason: problem });
  return result;
}

