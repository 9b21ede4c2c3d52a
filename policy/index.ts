// The policy pack: `pulumi preview --policy-pack <this folder>` runs it (see the README's "Policy pack").
import { PolicyPack } from "@pulumi/policy";
import { RULES } from "./rules";

new PolicyPack("aep-flow-guardrails", {
  description: "Guardrails for Adobe Experience Platform Flow Service connections and dataflows declared with pulumi-aep-flow.",
  policies: RULES,
});
