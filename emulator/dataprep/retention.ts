/**
 * How much of Data Prep's history the emulator keeps. Data Prep never deletes a mapping set and every PUT is a
 * new version, so without a bound the emulator's memory (and data directory) grows with every update: 120 PUTs
 * of a 0.86 MB set held 112 MB until a reset. Adobe documents no limit; these are [choice]s, written in
 * docs/flow-service-contract.md:
 * - each set keeps its last `versionsPerSet` versions; older ones are dropped (their number still counts:
 *   a flow may name it, a GET of it is a 404 that says why);
 * - all sets together keep at most `bytes` of versions (as JSON text): past it, the oldest versions that are
 *   not a set's latest are dropped first, across every set; a write that would still not fit, because the
 *   latest versions alone fill the limit, is refused with `2000-507` and nothing is changed.
 * Pure: the caller (mapping-sets.ts) stores what `admit` returns.
 */
import type { MappingSetVersion, StoredMappingSet } from "../types";

export interface MappingSetLimits {
  /** Versions kept per mapping set, the latest included (>= 1). */
  versionsPerSet: number;
  /** Bytes of kept versions, as JSON text, over every mapping set (>= 1). */
  bytes: number;
}

/** [choice] 10 versions a set, 64 MiB in all: a body is at most 1 MiB, so one full set holds at most 10 MiB. */
export const DEFAULT_MAPPING_SET_LIMITS: Readonly<MappingSetLimits> = { versionsPerSet: 10, bytes: 64 * 1024 * 1024 };

/** The limits from the emulator's options; a bad one stops the start, naming the option. */
export function mappingSetLimits(opts: { mappingSetVersions?: number; mappingSetBytes?: number }): MappingSetLimits {
  const pick = (name: string, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be an integer >= 1, got ${String(value)}`);
    return value;
  };
  return {
    versionsPerSet: pick("mappingSetVersions", opts.mappingSetVersions, DEFAULT_MAPPING_SET_LIMITS.versionsPerSet),
    bytes: pick("mappingSetBytes", opts.mappingSetBytes, DEFAULT_MAPPING_SET_LIMITS.bytes),
  };
}

/** Sizes of versions from files written before sizes were stored, measured once per loaded version. */
const measured = new WeakMap<MappingSetVersion, number>();

/** A version's size as JSON text: what it costs to hold. */
export function versionBytes(v: MappingSetVersion): number {
  if (v.bytes !== undefined) return v.bytes;
  let size = measured.get(v);
  if (size === undefined) measured.set(v, (size = Buffer.byteLength(JSON.stringify(v))));
  return size;
}

/** What the mapping sets hold, for the admin API and tests. */
export interface MappingSetUsage {
  sets: number;
  /** Versions whose bodies are held, every set's latest included. */
  versionsKept: number;
  /** Versions stored once and dropped since (their numbers still count). */
  versionsDropped: number;
  /** Bytes of the kept versions, as JSON text. */
  bytes: number;
  limits: MappingSetLimits;
}

const latestOf = (set: StoredMappingSet): MappingSetVersion => set.versions[set.versions.length - 1];
const sumBytes = (versions: MappingSetVersion[]): number => versions.reduce((n, v) => n + versionBytes(v), 0);

export function usageOf(sets: StoredMappingSet[], limits: MappingSetLimits): MappingSetUsage {
  let versionsKept = 0;
  let versionsDropped = 0;
  let bytes = 0;
  for (const s of sets) {
    versionsKept += s.versions.length;
    versionsDropped += latestOf(s).version + 1 - s.versions.length;
    bytes += sumBytes(s.versions);
  }
  return { sets: sets.length, versionsKept, versionsDropped, bytes, limits: { ...limits } };
}

/** The sets to store so that `next` fits (itself first), or why it cannot. */
export type Admission = { writes: StoredMappingSet[] } | { refused: string };

/**
 * Admits `next` (a new set, or a set with its new version appended) among `all` (what is stored; its old copy
 * is replaced). Decides everything before anything is written, so a refusal changes nothing.
 */
export function admit(all: StoredMappingSet[], next: StoredMappingSet, limits: MappingSetLimits): Admission {
  const trimmed: StoredMappingSet = { ...next, versions: next.versions.slice(-limits.versionsPerSet) };
  const before = all.find((s) => s.id === next.id);
  const others = all.filter((s) => s.id !== next.id);
  const sets = [trimmed, ...others];
  const total = sets.reduce((n, s) => n + sumBytes(s.versions), 0);
  if (total <= limits.bytes) return { writes: [trimmed] };

  const latest = sets.reduce((n, s) => n + versionBytes(latestOf(s)), 0);
  const latestBefore = latest - versionBytes(latestOf(trimmed)) + (before ? versionBytes(latestOf(before)) : 0);
  // A write that does not grow what the latest versions hold is always taken (a smaller PUT stays possible
  // when a lower limit, or a data directory from a larger one, left them over it).
  if (latest > limits.bytes && latest > latestBefore) {
    const size = versionBytes(latestOf(trimmed));
    return {
      refused:
        `the emulator keeps at most ${limits.bytes} bytes of mapping sets (mappingSetBytes, --mapping-set-bytes) and their latest versions ` +
        `would hold ${latest} with this version of ${size} bytes; start it with a larger limit, or free space with POST /__admin/reset ` +
        `or DELETE /__admin/mappingSets/{id}`,
    };
  }

  const { kept } = dropOldest(sets, total, limits.bytes);
  return { writes: [kept.get(trimmed) ?? trimmed, ...others.flatMap((s) => kept.get(s) ?? [])] };
}

/**
 * Drops versions that are not a set's latest, oldest first across every set (within a set, its own order),
 * until `total` is within `limit` or only latest versions are left: the sets that changed, as they become.
 */
function dropOldest(sets: StoredMappingSet[], total: number, limit: number): { kept: Map<StoredMappingSet, StoredMappingSet> } {
  const candidates = sets
    .flatMap((set) => set.versions.slice(0, -1).map((v) => ({ set, v })))
    .sort((a, b) => a.v.modifiedDate - b.v.modifiedDate || a.set.seq - b.set.seq || a.v.version - b.v.version);
  const dropped = new Map<StoredMappingSet, Set<MappingSetVersion>>();
  for (const { set, v } of candidates) {
    if (total <= limit) break;
    total -= versionBytes(v);
    let of = dropped.get(set);
    if (!of) dropped.set(set, (of = new Set()));
    of.add(v);
  }
  const kept = new Map<StoredMappingSet, StoredMappingSet>();
  for (const [set, of] of dropped) kept.set(set, { ...set, versions: set.versions.filter((v) => !of.has(v)) });
  return { kept };
}

/**
 * Every set within the limits, for a start from a data directory written under larger ones: the sets to
 * store again. Latest versions are never dropped, so they may stay over the byte limit (then only writes
 * that do not grow them are taken).
 */
export function trimAll(all: StoredMappingSet[], limits: MappingSetLimits): StoredMappingSet[] {
  const sets = all.map((s) => (s.versions.length > limits.versionsPerSet ? { ...s, versions: s.versions.slice(-limits.versionsPerSet) } : s));
  const { kept } = dropOldest(sets, usageOf(sets, limits).bytes, limits.bytes);
  return sets.map((s) => kept.get(s) ?? s).filter((s, i) => s !== all[i]);
}
