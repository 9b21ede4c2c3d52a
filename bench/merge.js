#!/usr/bin/env node
// Adds the figures of a run measured apart to the reports without measuring anything: the figures
// of <apart results.json> that <into results.json> lacks join it, marked with their run, exactly as
// BENCH_MERGE adds an earlier run's to a new one. Writes results.json and results.md to BENCH_OUT
// (bench/) and the table in docs/benchmark.md (BENCH_README=0: not).
//
// Usage: node bench/merge.js <into results.json> <apart results.json>
"use strict";
const { readFileSync } = require("node:fs");
const path = require("node:path");
const { mergeFigures, writeReports } = require("./lib/report");

function read(file) {
  try {
    const results = JSON.parse(readFileSync(file, "utf8"));
    if (!Array.isArray(results.figures) || !results.meta) throw new Error("it has no meta and figures");
    return results;
  } catch (err) {
    throw new Error(`cannot merge the figures of ${file}: ${err.message}`);
  }
}

function main([into, apart]) {
  if (!into || !apart) throw new Error("usage: node bench/merge.js <into results.json> <apart results.json>");
  const results = mergeFigures(read(path.resolve(into)), read(path.resolve(apart)));
  const out = process.env.BENCH_OUT ? path.resolve(process.env.BENCH_OUT) : __dirname;
  const readme = process.env.BENCH_README !== "0" ? path.join(__dirname, "..", "docs", "benchmark.md") : undefined;
  process.stdout.write(`wrote ${writeReports(results, out, readme).join(", ")}\n`);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench merge failed: ${err.message}\n`);
  process.exit(1);
}
