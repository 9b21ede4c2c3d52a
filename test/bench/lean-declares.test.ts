/**
 * The lean no-op baseline registers exactly the properties each real resource class registers (its
 * declared inputs and its outputs, set or not): the Pulumi SDK's work in the program grows with them,
 * so a baseline declaring fewer would charge the SDK's cost to this package. The classes are probed
 * with the SDK's mocks in a Node process of their own (the SDK serializes the provider there, which
 * it cannot do inside a test environment).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const { DECLARED, TYPES, PIPELINE_TYPES } = require(join(ROOT, "bench", "program", "declare.js"));

const PROBE = `
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name + "-id", state: a.inputs }), call: () => ({}) }, "bench", "lean", false);
const aep = require("./dist/provider");
const out = {};
for (const type of JSON.parse(process.argv[1])) {
  const r = new aep[type]("probe-" + type, {});
  out[type] = Object.keys(r).filter((k) => !k.startsWith("__") && k !== "urn" && k !== "id" && pulumi.Output.isInstance(r[k])).sort();
}
process.stdout.write(JSON.stringify(out));
`;

it("holds, for every type of the mix, what the class registers", () => {
  const types = [...new Set([...TYPES, ...PIPELINE_TYPES])].sort();
  expect(Object.keys(DECLARED).sort()).toEqual(types);
  const probe = spawnSync(process.execPath, ["-e", PROBE, JSON.stringify(types)], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  expect(probe.status).toBe(0);
  const registered = JSON.parse(probe.stdout);
  for (const type of types) expect({ type, keys: [...DECLARED[type]].sort() }).toEqual({ type, keys: registered[type] });
});
