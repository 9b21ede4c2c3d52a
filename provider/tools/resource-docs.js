// Writes the README's per-resource property tables from the kind declarations, so the tables, the
// `…Args` types and `check` cannot disagree. The rules come from the built declarations (dist/), the
// doc comments from the types as the compiler sees them (the same text editors show on hover).
// Usage: npm run docs (after npm run build); test/provider/resources/readme.test.ts fails when stale.
"use strict";
const fs = require("fs");
const path = require("path");
const ts = require("typescript");

const root = path.join(__dirname, "..", "..");
const README = path.join(root, "README.md");

function docsOf(checker, type, name) {
  const types = type.isUnion() ? type.types : [type];
  for (const t of types) {
    const prop = checker.getPropertyOfType(t, name);
    // In a union of ways to set a property (SftpConnectionArgs), the one that refuses it says why not.
    if (prop && checker.getNonNullableType(checker.getTypeOfSymbol(prop)).flags & ts.TypeFlags.Never) continue;
    const text = prop ? ts.displayPartsToString(prop.getDocumentationComment(checker)).replace(/\s+/g, " ").trim() : "";
    if (text) return text;
  }
  return "";
}

/** The doc comment of every property of each exported type named, as `tsc` resolves it. */
function typeDocs(names) {
  const entry = path.join(root, "provider", "index.ts");
  const program = ts.createProgram([entry], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)));
  const out = {};
  for (const name of names) {
    let sym = exports.find((e) => e.name === name);
    if (!sym) throw new Error(`provider/index.ts exports no ${name}`);
    if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const type = checker.getDeclaredTypeOfSymbol(sym);
    out[name] = (prop) => docsOf(checker, type, prop);
  }
  return out;
}

const cell = (s) => s.replace(/\|/g, "\\|");

function table(rows) {
  const lines = ["| Property | Type | Required | Secret | On change | Wire | Description |", "|---|---|---|---|---|---|---|"];
  for (const r of rows) lines.push(`| \`${r.name}\` | \`${cell(r.typeText)}\` | ${r.required ? "yes" : "no"} | ${r.secret ? "yes" : ""} | ${r.replaceOnChange ? "replace" : r.createOnly ? "ignored" : "update"} | ${r.wire ? `\`${r.wire}\`` : ""} | ${cell(r.doc)} |`);
  return lines.join("\n");
}

/** The generated blocks, by marker name. */
function render() {
  const dist = path.join(root, "dist", "provider", "resources");
  const { KINDS, PIPELINE_KINDS } = require(path.join(dist, "registry.js"));
  const { commonProperties } = require(path.join(dist, "common.js"));
  const { pipelineCommonProperties } = require(path.join(dist, "pipeline-common.js"));
  const docs = typeDocs(["CommonArgs", "PipelineCommonArgs", ...[...KINDS, ...PIPELINE_KINDS].flatMap((k) => [`${k.typeName}Args`, k.typeName])]);
  const blocks = {};
  const commonTable = (properties, argsName) =>
    table(
      Object.entries(properties).map(([name, p]) => {
        const doc = docs[argsName](name);
        if (!doc) throw new Error(`${argsName}.${name} has no doc comment`);
        return { ...p, name, doc };
      }),
    );
  blocks.common = commonTable(commonProperties, "CommonArgs");
  blocks.pipelineCommon = commonTable(pipelineCommonProperties, "PipelineCommonArgs");
  for (const kind of [...KINDS, ...PIPELINE_KINDS]) {
    const rows = kind.params.map((p) => {
      const doc = docs[`${kind.typeName}Args`](p.input);
      // The mapped types must keep the declaration's doc comment on both the args and the outputs.
      if (!doc || docs[kind.typeName](p.input) !== doc) throw new Error(`${kind.typeName}.${p.input}: the args and outputs do not carry the declaration's doc comment`);
      // Base connections hold their params under a body member; pipeline kinds give the whole path.
      // A map of params (`spread`) sends each member under its own key.
      const wire = p.local ? "" : kind.body ? `${kind.body}.${p.spread ? "*" : p.wire}` : p.spread ? `${p.wire}.*` : p.wire;
      return { ...p, name: p.input, wire, doc };
    });
    const extra = [...(kind.derived ?? []).map((d) => d.output), ...Object.keys(kind.serverOutputs ?? {}).filter((o) => !kind.params.some((p) => p.input === o))];
    const outputs = extra.length ? `\n\nOutputs besides the properties: ${extra.map((o) => `\`${o}\` (${docs[kind.typeName](o) || "set by Flow Service"})`).join(", ")}.` : "";
    blocks[kind.typeName] = rows.length ? table(rows) + outputs : `No properties besides those every resource accepts.${outputs}`;
  }
  return blocks;
}

/** The README with every generated block replaced; throws when a marker is missing. */
function rewrite(text, blocks) {
  let out = text;
  for (const [name, body] of Object.entries(blocks)) {
    const start = `<!-- properties:${name}:start -->`;
    const end = `<!-- properties:${name}:end -->`;
    const a = out.indexOf(start);
    const b = out.indexOf(end);
    if (a < 0 || b < a) throw new Error(`README.md has no ${start} … ${end} block`);
    out = `${out.slice(0, a + start.length)}\n${body}\n${out.slice(b)}`;
  }
  return out;
}

module.exports = { render, rewrite, README };

if (require.main === module) {
  const before = fs.readFileSync(README, "utf8");
  const after = rewrite(before, render());
  if (after !== before) fs.writeFileSync(README, after);
  process.stdout.write(after === before ? "README.md is current\n" : "README.md rewritten\n");
}
