#!/usr/bin/env node
// deps-fresh.js: exits 0 when node_modules holds exactly what package-lock.json locks, 1 (with the
// reason on stderr) when it is missing or stale, so that scripts/run.sh knows whether to run `npm ci`.
//
// It reads each locked package's own package.json from node_modules (about 350 small files, ~30 ms)
// rather than trusting npm's record of its last install (node_modules/.package-lock.json), which a
// hand-made change to node_modules does not update. Optional packages for other platforms are never
// installed and may be absent. Runs on any Node.js (the machine's may be older than the project needs).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

// The project folder: this repository, or the one given as the first argument (for tests).
const root = process.argv[2] ? path.resolve(process.argv[2]) : path.join(__dirname, "..");
const readJson = (file) => JSON.parse(fs.readFileSync(path.join(root, file), "utf8"));

function stale(reason) {
  process.stderr.write(`deps: ${reason}\n`);
  process.exit(1);
}

const pkg = readJson("package.json");
let lock;
try {
  lock = readJson("package-lock.json");
} catch (err) {
  stale(`cannot read package-lock.json (${err.message})`);
}
if (!fs.existsSync(path.join(root, "node_modules"))) stale("node_modules is missing");

// package.json and the lockfile must agree on the direct dependencies (npm ci refuses otherwise).
const top = (lock.packages && lock.packages[""]) || {};
for (const field of ["dependencies", "devDependencies", "optionalDependencies"]) {
  const want = JSON.stringify(pkg[field] || {});
  const locked = JSON.stringify(top[field] || {});
  if (want !== locked) stale(`package.json's ${field} differ from package-lock.json's`);
}

let checked = 0;
for (const [key, entry] of Object.entries(lock.packages || {})) {
  if (!key.startsWith("node_modules/") || entry.link) continue;
  let installed;
  try {
    installed = JSON.parse(fs.readFileSync(path.join(root, key, "package.json"), "utf8")).version;
  } catch {
    if (entry.optional || entry.devOptional) continue; // another platform's optional package
    stale(`${key.slice("node_modules/".length)} is not installed`);
  }
  // Some packages publish a package.json whose version keeps its tag's "v" (@pulumi/policy: "v1.21.0").
  if (String(installed).replace(/^v/, "") !== entry.version) stale(`${key.slice("node_modules/".length)} is ${installed}, the lockfile says ${entry.version}`);
  checked++;
}
process.stderr.write(`deps: node_modules matches package-lock.json (${checked} packages)\n`);
