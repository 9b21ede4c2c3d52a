/**
 * Lookups in the catalog of connection and flow specs the package ships (generated data beside this file).
 * The catalog answers at preview, with no request; at `up` the live spec is authoritative.
 */
import { CONNECTION_SPECS } from "./connection-specs";
import { FLOW_SPECS } from "./flow-specs";
import type { CatalogAuthSpec, CatalogConnectionSpec, CatalogFlowSpec } from "./types";

export type { CatalogAuthSpec, CatalogConnectionSpec, CatalogFlowSpec, CatalogParam } from "./types";
export { CONNECTION_SPECS, FLOW_SPECS };

const BY_ID = new Map(CONNECTION_SPECS.map((s) => [s.id, s]));
const BY_NAME = new Map(CONNECTION_SPECS.map((s) => [s.name, s]));

export function connectionSpecById(id: string): CatalogConnectionSpec | undefined {
  return BY_ID.get(id);
}

/** By the name Flow Service gives the spec, exactly (`Amazon S3`, `datalake`). */
export function connectionSpecByName(name: string): CatalogConnectionSpec | undefined {
  return BY_NAME.get(name);
}

export function authSpecOf(spec: CatalogConnectionSpec, name: string): CatalogAuthSpec | undefined {
  return spec.authSpecs.find((a) => a.name === name);
}

export function flowSpecById(id: string): CatalogFlowSpec | undefined {
  return FLOW_SPECS.find((f) => f.id === id);
}

export function flowSpecByName(name: string): CatalogFlowSpec | undefined {
  return FLOW_SPECS.find((f) => f.name === name);
}

/** The flow specs that take a source connection of this connection spec. */
export function flowSpecsForSource(connectionSpecId: string): CatalogFlowSpec[] {
  return FLOW_SPECS.filter((f) => f.sourceConnectionSpecIds.includes(connectionSpecId));
}

/** Levenshtein distance, case-insensitive: how far a name given is from one known. */
export function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const next = [i];
    for (let j = 1; j <= y.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    row = next;
  }
  return row[y.length];
}

/** The `n` names of `known` closest to `name` (a contained name first), for "did you mean" in messages. */
export function closestNames(name: string, known: readonly string[], n = 3): string[] {
  const lower = name.toLowerCase();
  const score = (k: string) => (k.toLowerCase().includes(lower) || lower.includes(k.toLowerCase()) ? -1 : distance(name, k));
  return [...known].sort((a, b) => score(a) - score(b) || a.localeCompare(b)).slice(0, n);
}
