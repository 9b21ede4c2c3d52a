// Puts the Pulumi CLI on PATH for the E2E tests (scripts/ensure-pulumi.sh picks it: AEP_PULUMI_VERSION
// if set, else the `pulumi` on PATH when it is at least the oldest supported version, else the default,
// built and cached when missing). Workers start after this runs, so they inherit the PATH. Without a
// CLI the E2E tests fail with the script's instructions: a missing CLI is never a skip.
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");

module.exports = async () => {
  process.env.PULUMI_SKIP_UPDATE_CHECK = "true";
  process.env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION = "true";
  process.env.PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK = "true";
  // The policy pack's own dependencies (policy/node_modules), which its tests import.
  try {
    execFileSync("bash", [path.join(__dirname, "..", "scripts", "ensure-policy-pack.sh"), "--deps-only"], { stdio: ["ignore", "ignore", "inherit"] });
  } catch (err) {
    process.stderr.write(`ensure-policy-pack.sh failed: the policy tests will fail (${err.message.split("\n")[0]})\n`);
  }
  try {
    const bin = execFileSync("bash", [path.join(__dirname, "..", "scripts", "ensure-pulumi.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
    const version = execFileSync(path.join(bin, "pulumi"), ["version"], { encoding: "utf8" }).trim();
    process.stderr.write(`\nPulumi CLI ${version} from ${bin}\n`);
  } catch (err) {
    process.stderr.write(`ensure-pulumi.sh failed: the E2E tests will fail (${err.message.split("\n")[0]})\n`);
  }
};
