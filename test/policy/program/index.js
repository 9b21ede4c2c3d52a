// The policy tests' program: declares the resources listed in the stack config `resources`, as a
// user's program would, from the installed package. An arg given as {"secret": "<config key>"} is
// read with requireSecret; {"ref": "<resource name>"} is that resource's id, {"ref": …, "output":
// "<name>"} another of its outputs (outputs are unknown in a first preview), and {"ref": …, "apply":
// <value>} the value computed from it by an apply, as `lake.id.apply(() => false)` (unknown in a
// first preview too, whatever the value). Nothing is exported: what the preview prints comes from
// the engine and the policy pack alone.
"use strict";
const pulumi = require("@pulumi/pulumi");
const aep = require("pulumi-aep-flow");

const config = new pulumi.Config();
const declared = config.getObject("resources") || [];
const made = {};

for (const r of declared) {
  const args = {};
  for (const [key, value] of Object.entries(r.args || {})) {
    if (value && typeof value === "object" && typeof value.secret === "string") {
      args[key] = config.requireSecret(value.secret);
    } else if (value && typeof value === "object" && typeof value.ref === "string") {
      const output = made[value.ref][value.output || "id"];
      args[key] = "apply" in value ? output.apply(() => value.apply) : output;
    } else {
      args[key] = value;
    }
  }
  made[r.name] = new aep[r.type](r.name, args);
}
