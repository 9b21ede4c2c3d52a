// Runs after tsc. Two things the compiler does not do:
// 1. The serialized shim and the per-kind provider modules must ship as written (see DECISIONS.md):
//    copy, never compile them.
// 2. The shim loads "pulumi-aep-flow/lifecycle" from the program's node_modules, and programs inside
//    this repository (examples/, the quickstart) import "pulumi-aep-flow" as users' programs do. Link
//    the repository into its own node_modules so both resolve here exactly as they do in a project.
const fs = require("fs");
const path = require("path");
const root = path.join(__dirname, "..");
const shims = fs.readdirSync(path.join(root, "provider", "shims")).map((f) => path.join("shims", f));
fs.mkdirSync(path.join(root, "dist", "provider", "shims"), { recursive: true });
for (const file of ["shim.js", "shim.d.ts", ...shims]) {
  fs.copyFileSync(path.join(root, "provider", file), path.join(root, "dist", "provider", file));
}
const name = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).name;
const link = path.join(root, "node_modules", name);
let current;
try {
  current = fs.readlinkSync(link);
} catch {
  current = undefined;
}
if (current !== "..") {
  fs.rmSync(link, { recursive: true, force: true });
  fs.symlinkSync("..", link, "dir");
}
