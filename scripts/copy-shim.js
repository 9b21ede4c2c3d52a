// The serialized shim must ship byte-for-byte as written (see DECISIONS.md): copy, never compile it.
const fs = require("fs");
const path = require("path");
const root = path.join(__dirname, "..");
for (const file of ["shim.js", "shim.d.ts"]) {
  const from = path.join(root, "provider", file);
  if (fs.existsSync(from)) fs.copyFileSync(from, path.join(root, "dist", "provider", file));
}
