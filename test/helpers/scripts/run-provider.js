// Run with cwd = a Pulumi program folder: loads a serialized provider text exactly as the engine's
// dynamic-provider process does (require-from-string, no filename), calls check, and reports which
// lifecycle file answered. Usage: node run-provider.js <file holding the text>
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");
const text = fs.readFileSync(process.argv[2], "utf8");
const requireFromString = createRequire(require.resolve("@pulumi/pulumi", { paths: [process.cwd(), __dirname] }))("require-from-string");
const provider = requireFromString(text).handler();
Promise.resolve(provider.check({}, { __autoName: "x", host: "ftp.example.com", userName: "u", password: "ftp-pass-1" })).then((r) => {
  const lifecycle = Object.keys(require.cache).filter((k) => k.endsWith(path.join("dist", "provider", "lifecycle.js")));
  process.stdout.write(JSON.stringify({ failures: r.failures, name: r.inputs.name, lifecycle }));
});
