// Writes every registration of a kind from the registry (provider/resources/registry.ts: KINDS and
// PIPELINE_KINDS), so that adding a kind is its declaration, its registry entry and this command:
//   provider/shims/<kind>.js             each kind's provider object (created once, never rewritten; an
//                                        existing one must have the generated code, its comments may differ)
//   package.json "exports"               the shims' package paths, "./shims/<kind>"
//   provider/index.ts                    the kinds' classes and …Args types (a marked block)
//   provider/resources/declaration.ts    ConnectionKindName and PipelineKindName (a marked block)
//   policy/resources.ts                  the pack's Kind, KINDS, CONNECTION_KINDS and SECRET_INPUTS (marked
//                                        blocks: the pack compiles on its own and never imports the provider)
// The registry is read from the TypeScript sources, transpiled on load without type checking: a new
// kind's declaration names a kind the unions do not list yet, which the build refuses until this has run.
// Usage: npm run registrations [-- --check]. --check writes nothing and exits 1 when anything is stale
// (test/provider/registrations.test.ts runs it); --root <dir> reads and writes another copy of the repository.
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

/** Loads the repository's TypeScript modules from source (CommonJS, types erased, nothing checked). */
function enableTypeScriptRequire() {
  if (require.extensions[".ts"]) return;
  require.extensions[".ts"] = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    const { outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    module._compile(outputText, filename);
  };
}

/** The stored text of a kind's shim. Byte for byte what the nine first kinds shipped with: never change it. */
function shimText(kind, file) {
  return `"use strict";
// The ${kind} provider object. A program that installed this package serializes it into \`__provider\` as
// require("pulumi-aep-flow/shims/${file}") (Pulumi stores a reference to an installed module, not its code);
// see ../shim.js. This path is stored in users' state: never move or rename this file or its export.
module.exports = require("../shim").createShim("${kind}");
`;
}

/**
 * Whether an existing shim is the kind's shim: its code (comments and blank lines aside) is the generated
 * code. Its comments are left as they are: a shim is never rewritten, and what a stack stores is its path.
 */
function isShimOf(kind, file, text) {
  const code = (t) =>
    t
      .split(/\r?\n/)
      .filter((line) => line.trim() !== "" && !line.trim().startsWith("//"))
      .join("\n");
  return code(text) === code(shimText(kind, file));
}

const quoted = (names) => names.map((n) => JSON.stringify(n));

/** The registered kinds, each with the file name of its modules, checked for what the generated code relies on. */
function readRegistry(root) {
  enableTypeScriptRequire();
  const resources = path.join(root, "provider", "resources");
  const { KINDS, PIPELINE_KINDS } = require(path.join(resources, "registry.ts"));
  const { moduleName } = require(path.join(resources, "resource.ts"));
  const all = [...KINDS.map((k) => ({ decl: k, pipeline: false })), ...PIPELINE_KINDS.map((k) => ({ decl: k, pipeline: true }))];
  const problems = [];
  const seen = new Map();
  const kinds = all.map(({ decl, pipeline }) => {
    const file = moduleName(decl.kind);
    const where = `kind "${decl.kind}" (${decl.typeName})`;
    if (!/^[a-z][A-Za-z0-9]*$/.test(decl.kind)) problems.push(`${where}: a kind's name is camelCase letters and digits (it names its shim file, ${file}.js)`);
    if (!/^[A-Z][A-Za-z0-9]*$/.test(decl.typeName)) problems.push(`${where}: typeName must be a PascalCase class name`);
    for (const key of [decl.kind, decl.typeName]) {
      if (seen.has(key)) problems.push(`${where}: "${key}" is also registered by ${seen.get(key)}; kind names and type names are unique`);
      seen.set(key, where);
    }
    const modulePath = path.join(resources, `${file}.ts`);
    if (!fs.existsSync(modulePath)) {
      problems.push(`${where}: its declaration and class belong in provider/resources/${file}.ts (the kind's name in kebab case), which does not exist`);
    } else {
      const mod = require(modulePath);
      if (!Object.values(mod).includes(decl)) problems.push(`${where}: provider/resources/${file}.ts does not export this declaration`);
      if (typeof mod[decl.typeName] !== "function") problems.push(`${where}: provider/resources/${file}.ts exports no class ${decl.typeName}`);
    }
    const secrets = decl.params.filter((p) => p.secret).map((p) => p.input);
    return { kind: decl.kind, typeName: decl.typeName, file, pipeline, endpoint: decl.endpoint, secrets };
  });
  if (problems.length) throw new Error(`the registry cannot be generated from:\n  ${problems.join("\n  ")}`);
  return kinds;
}

/** The generated blocks of each file, by marker name. */
function blocks(kinds) {
  const base = kinds.filter((k) => !k.pipeline);
  const pipeline = kinds.filter((k) => k.pipeline);
  // Flow Service connections: every base connection, and the pipeline kinds on the connection collections.
  const connections = kinds.filter((k) => !k.pipeline || k.endpoint === "/sourceConnections" || k.endpoint === "/targetConnections");
  const secrets = [...new Set(kinds.flatMap((k) => k.secrets))];
  const list = (names, indent) => names.map((n) => `${indent}${JSON.stringify(n)},`).join("\n");
  return {
    "provider/index.ts": {
      exports: kinds.map((k) => `export { ${k.typeName}, type ${k.typeName}Args } from "./resources/${k.file}";`).join("\n"),
    },
    "provider/resources/declaration.ts": {
      "kind-names": [
        "/** The base connection kinds. The text of each is stored in every resource's serialized provider. */",
        `export type ConnectionKindName = ${quoted(base.map((k) => k.kind)).join(" | ")};`,
        "/** The kinds of an ingestion pipeline built on base connections (the engine, provider/engine/, runs every kind). */",
        `export type PipelineKindName = ${quoted(pipeline.map((k) => k.kind)).join(" | ")};`,
      ].join("\n"),
    },
    "policy/resources.ts": {
      kinds: [
        "export type Kind =",
        `${kinds.map((k) => `  | ${JSON.stringify(k.typeName)}`).join("\n")};`,
        "",
        "const KINDS: ReadonlySet<string> = new Set<Kind>([",
        list(kinds.map((k) => k.typeName), "  "),
        "]);",
        "",
        "/** Every kind that is a Flow Service connection (base, source or target): they have a name and a description. */",
        "export const CONNECTION_KINDS: ReadonlySet<Kind> = new Set<Kind>([",
        list(connections.map((k) => k.typeName), "  "),
        "]);",
      ].join("\n"),
      "secret-inputs": `export const SECRET_INPUTS = [${quoted(secrets).join(", ")}] as const;`,
    },
  };
}

const START = (name) => new RegExp(`^// registrations:${name}:start\\b.*$`, "m");
const END = (name) => `// registrations:${name}:end`;

/** The text with each marked block replaced; throws when a marker is missing. */
function rewriteBlocks(file, text, named) {
  let out = text;
  for (const [name, body] of Object.entries(named)) {
    const start = START(name).exec(out);
    const end = start ? out.indexOf(`\n${END(name)}`, start.index) : -1;
    if (!start || end < 0) throw new Error(`${file} has no "// registrations:${name}:start" … "${END(name)}" block (each on a line of its own)`);
    const from = start.index + start[0].length;
    out = `${out.slice(0, from)}\n${body}${out.slice(end)}`;
  }
  return out;
}

/** package.json with "./shims/<kind>" for every kind, after "./lifecycle", in the registry's order. */
function rewritePackage(text, kinds) {
  const pkg = JSON.parse(text);
  if (!pkg.exports || !("./lifecycle" in pkg.exports)) throw new Error(`package.json "exports" has no "./lifecycle" entry to place the shims after`);
  const exportsOut = {};
  for (const [key, value] of Object.entries(pkg.exports)) {
    if (key.startsWith("./shims/")) continue;
    exportsOut[key] = value;
    if (key === "./lifecycle") for (const k of kinds) exportsOut[`./shims/${k.file}`] = `./dist/provider/shims/${k.file}.js`;
  }
  return `${JSON.stringify({ ...pkg, exports: exportsOut }, null, 2)}\n`;
}

/**
 * Every file as it should be: { file: { before, after } } (before undefined for a file to create).
 * An existing shim whose code differs is an error, never rewritten: its path and text are in users' state.
 */
function plan(root) {
  const kinds = readRegistry(root);
  const read = (file) => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), "utf8") : undefined);
  const files = {};
  for (const k of kinds) {
    const file = `provider/shims/${k.file}.js`;
    const before = read(file);
    if (before !== undefined && !isShimOf(k.kind, k.file, before)) {
      throw new Error(`${file} differs from the shim generated for kind "${k.kind}": a shim's path and text are stored in users' state and never change; restore it (git checkout -- ${file})`);
    }
    files[file] = { before, after: before ?? shimText(k.kind, k.file) };
  }
  for (const [file, named] of Object.entries(blocks(kinds))) {
    const before = read(file);
    if (before === undefined) throw new Error(`${file} is missing`);
    files[file] = { before, after: rewriteBlocks(file, before, named) };
  }
  const pkg = read("package.json");
  files["package.json"] = { before: pkg, after: rewritePackage(pkg, kinds) };
  return files;
}

/** The files whose text is not what the registry generates. */
function stale(root) {
  return Object.entries(plan(root))
    .filter(([, f]) => f.before !== f.after)
    .map(([file]) => file);
}

module.exports = { plan, stale, shimText };

if (require.main === module) {
  const args = process.argv.slice(2);
  const rootAt = args.indexOf("--root");
  const root = path.resolve(rootAt >= 0 ? args[rootAt + 1] : path.join(__dirname, ".."));
  try {
    const files = plan(root);
    const changed = Object.entries(files).filter(([, f]) => f.before !== f.after);
    if (args.includes("--check")) {
      if (changed.length) {
        process.stderr.write(`stale, run \`npm run registrations\`: ${changed.map(([file]) => file).join(", ")}\n`);
        process.exit(1);
      }
      process.stdout.write("registrations are current\n");
    } else {
      for (const [file, f] of changed) fs.writeFileSync(path.join(root, file), f.after);
      process.stdout.write(changed.length ? `written: ${changed.map(([file]) => file).join(", ")}\n` : "registrations are current\n");
    }
  } catch (err) {
    process.stderr.write(`registrations: ${err.message}\n`);
    process.exit(1);
  }
}
