// Builds the catalog of connection and flow specs from the source notes (provider/catalog/notes/), one JSON
// file per spec, each citing the Adobe page its facts come from. Checks every note, then writes
// provider/catalog/connection-specs.ts, provider/catalog/flow-specs.ts and the lists between the catalog
// markers of README.md and docs/catalog.md. Plain Node, no dependencies: it runs before any build.
// Usage: npm run catalog            write the outputs
//        node scripts/build-catalog.js --check   exit 1 when a note is wrong or an output is stale
//        --notes <dir>              read the notes from another folder (tests feed it broken notes)
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const OUT = {
  connections: path.join(root, "provider", "catalog", "connection-specs.ts"),
  flows: path.join(root, "provider", "catalog", "flow-specs.ts"),
  readme: path.join(root, "README.md"),
  docs: path.join(root, "docs", "catalog.md"),
};

// The fields of CatalogConnectionSpec / CatalogFlowSpec / CatalogParam (provider/catalog/types.ts), in the
// order the generated files write them. A note with any other key is refused: a typo would be lost.
const CONNECTION_KEYS = ["id", "name", "title", "category", "providerId", "authSpecs", "sourceParams", "fileBased", "flowSpecNames", "explorable", "source"];
const CONNECTION_OPTIONAL = new Set(["providerId"]);
const FLOW_KEYS = ["id", "name", "providerId", "sourceConnectionSpecIds", "targetConnectionSpecIds", "mapping", "schedule", "source"];
const FLOW_OPTIONAL = new Set(["schedule"]);
const PARAM_KEYS = ["name", "type", "required", "secret", "description", "enum", "format", "minLength", "maxLength", "pattern", "minimum", "maximum", "default"];
const PARAM_TYPES = ["string", "integer", "number", "boolean", "object", "array"];
const CATEGORIES = ["CloudStorage", "Database", "CRM", "CustomerSuccess", "MarketingAutomation", "eCommerce", "Payments", "Analytics", "Streaming", "Protocols", "Advertising", "Consent"];
const MAPPING = ["required", "optional", "none"];
const FREQUENCIES = ["once", "minute", "hour", "day", "week"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// A citation is Adobe's published page or the page's path in AdobeDocs/experience-platform.en.
const SOURCE = /^(https:\/\/experienceleague\.adobe\.com\/\S+|help\/\S+\.md)$/;
const MARK = { start: "<!-- catalog:start -->", end: "<!-- catalog:end -->" };

function parseArgs(argv) {
  const args = { check: false, notes: path.join(root, "provider", "catalog", "notes") };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--check") args.check = true;
    else if (argv[i] === "--notes" && argv[i + 1]) args.notes = path.resolve(argv[++i]);
    else throw new Error(`build-catalog: unknown argument ${argv[i]} (takes --check and --notes <dir>)`);
  }
  return args;
}

/** Every `*.json` of a folder, sorted, parsed; a file that is not JSON is an error naming it. */
function readNotes(dir, errors) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const file = path.join(path.basename(dir), f);
      try {
        return { file, note: JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) };
      } catch (e) {
        errors.push(`${file}: not JSON (${e.message})`);
        return undefined;
      }
    })
    .filter(Boolean);
}

const isText = (v) => typeof v === "string" && v.trim() !== "";

function checkKeys(where, obj, keys, optional, errors) {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return void errors.push(`${where}: must be an object`);
  for (const k of Object.keys(obj)) if (!keys.includes(k)) errors.push(`${where}: unknown field "${k}" (fields: ${keys.join(", ")})`);
  for (const k of keys) if (!optional.has(k) && !(k in obj)) errors.push(`${where}: "${k}" is missing`);
}

function checkParam(where, p, errors) {
  const optional = new Set(PARAM_KEYS.slice(5));
  checkKeys(where, p, PARAM_KEYS, optional, errors);
  if (!p || typeof p !== "object") return;
  if (!isText(p.name)) errors.push(`${where}: "name" must be a non-empty string`);
  if (!PARAM_TYPES.includes(p.type)) errors.push(`${where}: "type" must be one of ${PARAM_TYPES.join(", ")}`);
  for (const k of ["required", "secret"]) if (typeof p[k] !== "boolean") errors.push(`${where}: "${k}" must be true or false`);
  if (!isText(p.description)) errors.push(`${where}: "description" must say what the param is for`);
  if ("enum" in p && (!Array.isArray(p.enum) || p.enum.length === 0 || p.enum.some((v) => !["string", "number", "boolean"].includes(typeof v))))
    errors.push(`${where}: "enum" must be a non-empty list of strings, numbers or booleans`);
  if ("format" in p && (!isText(p.format) || p.format === "password")) errors.push(`${where}: "format" must be a JSON Schema format other than password (set "secret" instead)`);
  if ("pattern" in p) {
    try {
      new RegExp(p.pattern, "u");
    } catch (e) {
      errors.push(`${where}: "pattern" is not a regular expression (${e.message})`);
    }
  }
  for (const k of ["minLength", "maxLength"]) if (k in p && !(Number.isInteger(p[k]) && p[k] >= 0)) errors.push(`${where}: "${k}" must be a whole number ≥ 0`);
  for (const k of ["minimum", "maximum"]) if (k in p && typeof p[k] !== "number") errors.push(`${where}: "${k}" must be a number`);
  if (p.minLength > p.maxLength) errors.push(`${where}: "minLength" is above "maxLength"`);
  if (p.minimum > p.maximum) errors.push(`${where}: "minimum" is above "maximum"`);
  if ("default" in p && !["string", "number", "boolean"].includes(typeof p.default)) errors.push(`${where}: "default" must be a string, number or boolean`);
}

function checkParams(where, params, errors) {
  if (!Array.isArray(params)) return void errors.push(`${where}: must be a list`);
  const seen = new Set();
  params.forEach((p, i) => {
    checkParam(`${where}[${i}]`, p, errors);
    if (p && seen.has(p.name)) errors.push(`${where}: param "${p.name}" is listed twice`);
    if (p) seen.add(p.name);
  });
}

function checkConnection({ file, note: n }, errors) {
  checkKeys(file, n, CONNECTION_KEYS, CONNECTION_OPTIONAL, errors);
  if (!n || typeof n !== "object") return;
  if (!UUID.test(n.id)) errors.push(`${file}: "id" must be a lowercase UUID, as Flow Service writes spec ids`);
  for (const k of ["name", "title"]) if (!isText(n[k])) errors.push(`${file}: "${k}" must be a non-empty string`);
  if (!CATEGORIES.includes(n.category)) errors.push(`${file}: "category" must be one of ${CATEGORIES.join(", ")}`);
  if ("providerId" in n && !UUID.test(n.providerId)) errors.push(`${file}: "providerId" must be a lowercase UUID`);
  if (!Array.isArray(n.authSpecs)) errors.push(`${file}: "authSpecs" must be a list`);
  else {
    const names = new Set();
    n.authSpecs.forEach((a, i) => {
      const where = `${file}: authSpecs[${i}]`;
      checkKeys(where, a, ["name", "type", "params"], new Set(), errors);
      if (!a || typeof a !== "object") return;
      if (!isText(a.name) || !isText(a.type)) errors.push(`${where}: "name" and "type" must be non-empty strings`);
      if (names.has(a.name)) errors.push(`${where}: auth spec "${a.name}" is listed twice`);
      names.add(a.name);
      checkParams(`${where}.params`, a.params, errors);
    });
  }
  checkParams(`${file}: sourceParams`, n.sourceParams, errors);
  for (const k of ["fileBased", "explorable"]) if (typeof n[k] !== "boolean") errors.push(`${file}: "${k}" must be true or false`);
  if (!Array.isArray(n.flowSpecNames) || n.flowSpecNames.some((s) => !isText(s))) errors.push(`${file}: "flowSpecNames" must be a list of flow spec names`);
  if (!SOURCE.test(n.source ?? "")) errors.push(`${file}: "source" must cite the Adobe page (https://experienceleague.adobe.com/… or help/….md)`);
}

function checkFlow({ file, note: f }, errors) {
  checkKeys(file, f, FLOW_KEYS, FLOW_OPTIONAL, errors);
  if (!f || typeof f !== "object") return;
  for (const k of ["id", "providerId"]) if (!UUID.test(f[k])) errors.push(`${file}: "${k}" must be a lowercase UUID`);
  if (!isText(f.name)) errors.push(`${file}: "name" must be a non-empty string`);
  for (const k of ["sourceConnectionSpecIds", "targetConnectionSpecIds"])
    if (!Array.isArray(f[k]) || f[k].length === 0 || f[k].some((id) => !UUID.test(id))) errors.push(`${file}: "${k}" must be a non-empty list of lowercase UUIDs`);
  if (!MAPPING.includes(f.mapping)) errors.push(`${file}: "mapping" must be one of ${MAPPING.join(", ")}`);
  if ("schedule" in f) {
    const s = f.schedule;
    checkKeys(`${file}: schedule`, s, ["frequencies", "minInterval", "backfill"], new Set(), errors);
    if (s && typeof s === "object") {
      if (!Array.isArray(s.frequencies) || s.frequencies.some((q) => !FREQUENCIES.includes(q))) errors.push(`${file}: schedule.frequencies must be among ${FREQUENCIES.join(", ")}`);
      for (const [q, v] of Object.entries(s.minInterval ?? {}))
        if (!(s.frequencies ?? []).includes(q) || !(Number.isInteger(v) && v >= 1)) errors.push(`${file}: schedule.minInterval.${q} must be a whole number ≥ 1 for a listed frequency`);
      if (typeof s.backfill !== "boolean") errors.push(`${file}: schedule.backfill must be true or false`);
    }
  }
  if (!SOURCE.test(f.source ?? "")) errors.push(`${file}: "source" must cite the Adobe page (https://experienceleague.adobe.com/… or help/….md)`);
}

function unique(entries, key, what, errors) {
  const seen = new Map();
  for (const { file, note } of entries) {
    const v = note && note[key];
    if (v === undefined) continue;
    if (seen.has(v)) errors.push(`${file}: ${what} ${key} "${v}" is also ${seen.get(v)}'s`);
    else seen.set(v, file);
  }
}

/** The cross-checks: names resolve both ways, so `Dataflow` never refuses a pairing the catalog offers. */
function crossCheck(connections, flows, errors) {
  unique(connections, "id", "connection spec", errors);
  unique(connections, "name", "connection spec", errors);
  unique(flows, "id", "flow spec", errors);
  unique(flows, "name", "flow spec", errors);
  const specIds = new Set(connections.map((c) => c.note.id));
  const flowByName = new Map(flows.map((f) => [f.note.name, f.note]));
  for (const { file, note: c } of connections)
    for (const name of c.flowSpecNames ?? []) {
      const flow = flowByName.get(name);
      if (!flow) errors.push(`${file}: flow spec "${name}" has no note in flows/ (write one, or drop the name)`);
      else if (!(flow.sourceConnectionSpecIds ?? []).includes(c.id)) errors.push(`${file}: flow spec "${name}" does not list ${c.id} in sourceConnectionSpecIds`);
    }
  for (const { file, note: f } of flows)
    for (const k of ["sourceConnectionSpecIds", "targetConnectionSpecIds"])
      for (const id of f[k] ?? []) if (!specIds.has(id)) errors.push(`${file}: ${k} names ${id}, which no connection note has (add its note, or drop the id)`);
}

// ---- rendering: the same shape as the hand-written seed (one param per line, short lists inline) ----

const lit = (v) => (typeof v === "string" ? JSON.stringify(v) : String(v));
const inlineList = (xs) => `[${xs.map(lit).join(", ")}]`;
function inlineObject(o, keys) {
  const parts = keys.filter((k) => o[k] !== undefined).map((k) => `${k}: ${Array.isArray(o[k]) ? inlineList(o[k]) : typeof o[k] === "object" ? inlineRecord(o[k]) : lit(o[k])}`);
  return `{ ${parts.join(", ")} }`;
}
const inlineRecord = (r) => `{ ${Object.entries(r).map(([k, v]) => `${k}: ${lit(v)}`).join(", ")} }`;

function paramList(params, indent) {
  if (params.length === 0) return "[]";
  if (params.length === 1) return `[${inlineObject(params[0], PARAM_KEYS)}]`;
  return `[\n${params.map((p) => `${indent}  ${inlineObject(p, PARAM_KEYS)},`).join("\n")}\n${indent}]`;
}

function idList(ids, indent, lead) {
  const inline = inlineList(ids);
  if (lead.length + inline.length <= 150) return inline;
  return `[\n${ids.map((id) => `${indent}  ${lit(id)},`).join("\n")}\n${indent}]`;
}

function renderConnection(c) {
  const lines = ["  {", `    id: ${lit(c.id)},`, `    name: ${lit(c.name)},`, `    title: ${lit(c.title)},`, `    category: ${lit(c.category)},`];
  if (c.providerId) lines.push(`    providerId: ${lit(c.providerId)},`);
  if (c.authSpecs.length === 0) lines.push("    authSpecs: [],");
  else {
    lines.push("    authSpecs: [");
    for (const a of c.authSpecs)
      lines.push("      {", `        name: ${lit(a.name)},`, `        type: ${lit(a.type)},`, `        params: ${paramList(a.params, "        ")},`, "      },");
    lines.push("    ],");
  }
  lines.push(
    `    sourceParams: ${paramList(c.sourceParams, "    ")},`,
    `    fileBased: ${c.fileBased},`,
    `    flowSpecNames: ${inlineList(c.flowSpecNames)},`,
    `    explorable: ${c.explorable},`,
    `    source: ${lit(c.source)},`,
    "  },",
  );
  return lines.join("\n");
}

function renderFlow(f) {
  const lines = ["  {", `    id: ${lit(f.id)},`, `    name: ${lit(f.name)},`, `    providerId: ${lit(f.providerId)},`];
  for (const k of ["sourceConnectionSpecIds", "targetConnectionSpecIds"]) lines.push(`    ${k}: ${idList(f[k], "    ", `    ${k}: `)},`);
  lines.push(`    mapping: ${lit(f.mapping)},`);
  if (f.schedule) lines.push(`    schedule: ${inlineObject(f.schedule, ["frequencies", "minInterval", "backfill"])},`);
  lines.push(`    source: ${lit(f.source)},`, "  },");
  return lines.join("\n");
}

function tsFile(kind, type, constName, entries, render) {
  return [
    `// Generated by scripts/build-catalog.js from provider/catalog/notes/${kind}/*.json: do not edit; run \`npm run catalog\`.`,
    `import type { ${type} } from "./types";`,
    "",
    `export const ${constName}: readonly ${type}[] = [`,
    ...entries.map(render),
    "];",
    "",
  ].join("\n");
}

const byName = (a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.name.localeCompare(b.name);

/**
 * The README's list: one line (the README stays short), the titles by category; the ids, auth specs and
 * flow specs live in docs/catalog.md.
 */
function readmeList(connections) {
  const groups = [];
  for (const cat of CATEGORIES) {
    const titles = connections.filter((c) => c.category === cat).map((c) => c.title);
    if (titles.length) groups.push(`${cat}: ${titles.join(", ")}`);
  }
  return `${connections.length} specs. ${groups.join("; ")}.`;
}

const cell = (s) => String(s).replace(/\|/g, "\\|");

function docsList(connections, flows) {
  const out = [`${connections.length} connection specs and ${flows.length} flow specs.`, "", "### Connection specs", ""];
  out.push("| Title | `name` | Category | Connection spec id | Auth specs (secret params in bold) | Flow specs | Source page |", "| --- | --- | --- | --- | --- | --- | --- |");
  for (const c of [...connections].sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || byName(a, b))) {
    const auth = c.authSpecs.length === 0 ? "none" : c.authSpecs.map((a) => `${a.name}: ${a.params.map((p) => (p.secret ? `**${p.name}**` : p.name)).join(", ")}`).join("; ");
    out.push(`| ${cell(c.title)} | \`${cell(c.name)}\` | ${c.category} | \`${c.id}\` | ${cell(auth)} | ${c.flowSpecNames.join(", ") || "none"} | ${c.source} |`);
  }
  out.push("", "### Flow specs", "", "| `name` | Flow spec id | Sources | Mapping | Schedule | Source page |", "| --- | --- | --- | --- | --- | --- |");
  const title = new Map(connections.map((c) => [c.id, c.title]));
  for (const f of flows) {
    const schedule = f.schedule ? `${f.schedule.frequencies.join(", ")}; least interval ${Object.entries(f.schedule.minInterval).map(([k, v]) => `${k} ${v}`).join(", ")}; backfill ${f.schedule.backfill ? "yes" : "no"}` : "none";
    out.push(`| \`${cell(f.name)}\` | \`${f.id}\` | ${f.sourceConnectionSpecIds.map((id) => title.get(id)).join(", ")} | ${f.mapping} | ${schedule} | ${f.source} |`);
  }
  return out.join("\n");
}

/** Replaces what is between the markers: on lines of its own, or within one line (`inline`). */
function between(text, body, file, inline = false) {
  const start = text.indexOf(MARK.start);
  const end = text.indexOf(MARK.end);
  if (start < 0 || end < start) throw new Error(`${file} has no ${MARK.start} … ${MARK.end} block for the catalog list`);
  const sep = inline ? "" : "\n";
  return `${text.slice(0, start + MARK.start.length)}${sep}${body}${sep}${text.slice(end)}`;
}

/** Checks the notes; returns the outputs by path, or the errors. */
function build(notesDir) {
  const errors = [];
  const connections = readNotes(path.join(notesDir, "connections"), errors);
  const flows = readNotes(path.join(notesDir, "flows"), errors);
  if (connections.length === 0) errors.push(`${notesDir}: no connection notes under connections/`);
  for (const c of connections) checkConnection(c, errors);
  for (const f of flows) checkFlow(f, errors);
  if (errors.length === 0) crossCheck(connections, flows, errors);
  if (errors.length) return { errors };
  const specs = connections.map((c) => c.note).sort(byName);
  const flowSpecs = flows.map((f) => f.note).sort(byName);
  const read = (p) => (fs.existsSync(p) ? fs.readFileSync(p, "utf8") : "");
  return {
    errors,
    outputs: {
      [OUT.connections]: tsFile("connections", "CatalogConnectionSpec", "CONNECTION_SPECS", specs, renderConnection),
      [OUT.flows]: tsFile("flows", "CatalogFlowSpec", "FLOW_SPECS", flowSpecs, renderFlow),
      [OUT.readme]: between(read(OUT.readme), readmeList(specs), "README.md", true),
      [OUT.docs]: between(read(OUT.docs), docsList(specs, flowSpecs), "docs/catalog.md"),
    },
  };
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const { errors, outputs } = build(args.notes);
  if (errors.length) {
    console.error(`build-catalog: ${errors.length} problem(s) in the notes:\n  ${errors.join("\n  ")}`);
    process.exit(1);
  }
  const stale = Object.keys(outputs).filter((p) => !fs.existsSync(p) || fs.readFileSync(p, "utf8") !== outputs[p]);
  if (args.check) {
    if (stale.length) {
      console.error(`build-catalog: stale, run \`npm run catalog\`: ${stale.map((p) => path.relative(root, p)).join(", ")}`);
      process.exit(1);
    }
    console.log("build-catalog: the catalog is up to date");
    return;
  }
  for (const p of stale) fs.writeFileSync(p, outputs[p]);
  console.log(`build-catalog: ${stale.length ? `wrote ${stale.map((p) => path.relative(root, p)).join(", ")}` : "nothing to write"}`);
}

if (require.main === module) main();
module.exports = { build };
