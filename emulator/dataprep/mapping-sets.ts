/**
 * Data Prep mapping sets (`/data/foundation/conversion/mappingSets`): versioned, never deleted through the
 * API. The one owner of their create, read, list and new versions, for clients (PUT) and the admin API
 * alike, within the limits of retention.ts. Every check-then-write runs without an `await` in between.
 */
import { createHash, randomUUID } from "node:crypto";
import { dataPrepError } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Clock, MappingSetVersion, Params, StoredMappingSet } from "../types";
import { isObject, MAX_JSON_DEPTH, nestsDeeperThan } from "../util";
import { visibleTo, type Caller } from "../flow/model";
import { compileSchema } from "../flow/validation";
import { admit, trimAll, usageOf, type MappingSetLimits, type MappingSetUsage } from "./retention";

/** [choice] At most 1000 mappings in a set. */
const MAX_MAPPINGS = 1000;
/** [choice] Page size: default 10 (Adobe's spec), at most 100. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

/** [choice] Strict: unknown keys in the body, `outputSchema`, `schemaRef` and each mapping are refused. */
const checkBody = compileSchema({
  type: "object",
  required: ["outputSchema", "mappings"],
  additionalProperties: false,
  properties: {
    name: { type: "string" },
    description: { type: "string" },
    outputSchema: {
      type: "object",
      required: ["schemaRef"],
      additionalProperties: false,
      properties: {
        schemaRef: {
          type: "object",
          required: ["id", "contentType"],
          additionalProperties: false,
          properties: { id: { type: "string", minLength: 1 }, contentType: { type: "string", minLength: 1 } },
        },
      },
    },
    inputSchema: { type: "object" },
    mappings: {
      type: "array",
      minItems: 1,
      maxItems: MAX_MAPPINGS,
      items: {
        type: "object",
        required: ["sourceType", "source", "destination"],
        additionalProperties: false,
        properties: {
          sourceType: { enum: ["ATTRIBUTE", "EXPRESSION", "STATIC"] },
          source: { type: "string", minLength: 1 },
          destination: { type: "string", minLength: 1 },
          name: { type: "string" },
          description: { type: "string" },
        },
      },
    },
  },
});

/** What a body sets in a version. */
type VersionFields = Omit<MappingSetVersion, "version" | "modifiedDate" | "modifiedBy" | "bytes">;

const badRequest = (message: string) => dataPrepError("2000-400", message);

/** A mapping set id as Data Prep makes them: 32 lowercase hex characters. */
function newMappingSetId(): string {
  return randomUUID().replace(/-/g, "");
}

/** Parses a JSON body; empty, too deep or malformed → `2000-400`. */
export function parseBody(raw: unknown): unknown {
  const text = typeof raw === "string" ? raw : "";
  if (text.trim() === "") throw badRequest("Request body is empty; a JSON document is required");
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw badRequest(`Request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`Request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** The body of POST and PUT: its shape, then no destination twice. */
export function checkMappingSetBody(body: unknown): VersionFields {
  if (!isObject(body)) throw badRequest("Request body must be a JSON object");
  const problem = checkBody(body);
  if (problem) throw badRequest(problem);
  const mappings = body.mappings as Params[];
  const firstAt = new Map<string, number>();
  mappings.forEach((m, i) => {
    const destination = m.destination as string;
    const first = firstAt.get(destination);
    if (first !== undefined) throw badRequest(`mappings[${i}].destination: '${destination}' is already the destination of mappings[${first}]`);
    firstAt.set(destination, i);
  });
  const fields: VersionFields = { outputSchema: structuredClone(body.outputSchema as Params), mappings: structuredClone(mappings) };
  if (body.name !== undefined) fields.name = body.name as string;
  if (body.description !== undefined) fields.description = body.description as string;
  if (body.inputSchema !== undefined) fields.inputSchema = structuredClone(body.inputSchema as Params);
  return fields;
}

/** One page of `GET /mappingSets`. */
interface MappingSetPage {
  items: StoredMappingSet[];
  limit: number;
  next?: URLSearchParams;
}

function intParam(query: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = query.get(name);
  // [choice] An empty value (an unset Postman variable) counts as not sent.
  if (raw === null || raw.trim() === "") return fallback;
  const n = /^\d{1,9}$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw badRequest(`${name}: must be an integer between ${min} and ${max}, got '${raw}'`);
  return n;
}

const latestOf = (set: StoredMappingSet): MappingSetVersion => set.versions[set.versions.length - 1];

/** Whether version `n` of the set was ever stored (kept or dropped since): a flow may name any of them. */
export function hasVersion(set: StoredMappingSet, n: unknown): boolean {
  return Number.isInteger(n) && (n as number) >= 0 && (n as number) <= latestOf(set).version;
}

/** A version as stored: the fields, its number and stamp, and its size as JSON text (what retention counts). */
function stamped(fields: VersionFields, version: number, modifiedDate: number, modifiedBy: string): MappingSetVersion {
  const v: MappingSetVersion = { ...fields, version, modifiedDate, modifiedBy };
  v.bytes = Buffer.byteLength(JSON.stringify(v));
  return v;
}

export class MappingSets {
  constructor(
    private readonly store: ConnectionStore,
    private readonly clock: Clock,
    private readonly limits: MappingSetLimits,
  ) {}

  /** `POST /mappingSets` → version 0. */
  async create(raw: unknown, caller: Caller): Promise<StoredMappingSet> {
    const fields = checkMappingSetBody(parseBody(raw));
    const now = this.clock();
    const by = caller.client.clientId;
    const set: StoredMappingSet = {
      id: newMappingSetId(),
      seq: this.store.nextSeq(),
      imsOrgId: caller.client.orgId,
      sandboxName: caller.sandbox,
      createdDate: now,
      createdBy: by,
      versions: [stamped(fields, 0, now, by)],
    };
    return this.write(set);
  }

  /** The caller's mapping set; another org's or sandbox's is a missing one (`2002-404`). */
  get(id: string, caller: Caller): StoredMappingSet {
    const set = this.store.entity("mappingSets", id);
    if (!visibleTo(set, caller)) throw dataPrepError("2002-404", `Mapping set '${id}' not found`);
    return set;
  }

  /**
   * `GET /mappingSets/{id}[?version=N]`: the latest version unless one is asked for. [choice] A version the
   * emulator dropped (retention.ts) is a `2002-404` that says so, with the versions it still has.
   */
  version(set: StoredMappingSet, raw: string | null): MappingSetVersion {
    if (raw === null) return latestOf(set);
    if (!/^\d{1,9}$/.test(raw.trim())) throw badRequest(`version: must be an integer >= 0, got '${raw}'`);
    const n = Number(raw);
    const found = set.versions.find((v) => v.version === n);
    if (found) return found;
    const latest = latestOf(set).version;
    if (!hasVersion(set, n)) throw dataPrepError("2002-404", `Mapping set '${set.id}' has no version ${n} (latest: ${latest})`);
    throw dataPrepError(
      "2002-404",
      `Mapping set '${set.id}': version ${n} is no longer kept by the emulator, which keeps the last ${this.limits.versionsPerSet} versions of a set ` +
        `(mappingSetVersions, --mapping-set-versions) and drops the oldest when all sets hold more than ${this.limits.bytes} bytes ` +
        `(mappingSetBytes, --mapping-set-bytes); the oldest it keeps is version ${set.versions[0].version} (latest: ${latest})`,
    );
  }

  /**
   * `GET /mappingSets?limit=&start=&name=&orderBy=`: offset paging. [choice] `orderBy` defaults to
   * `-updatedDate` (the latest version's date), ties broken by creation order. The spec's default,
   * `lastUpdateDate` (Adobe's Postman collection sends it), names the same date: with a sign it sorts
   * as `updatedDate` does, without one as the default does. Unknown keys (`expandSchema`) are ignored.
   */
  list(query: URLSearchParams, caller: Caller): MappingSetPage {
    const limit = intParam(query, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
    const start = intParam(query, "start", 0, 1e9, 0);
    const sent = query.get("orderBy")?.trim() || "-updatedDate";
    const orderBy = sent === "lastUpdateDate" ? "-updatedDate" : sent.replace(/^([+-]?)lastUpdateDate$/, "$1updatedDate");
    const m = /^([+-]?)(createdDate|updatedDate)$/.exec(orderBy);
    if (!m) throw badRequest(`orderBy: '${sent}' is not an order (use createdDate, updatedDate or lastUpdateDate, with + or -)`);
    const sign = m[1] === "-" ? -1 : 1;
    const dateOf = (s: StoredMappingSet) => (m[2] === "createdDate" ? s.createdDate : latestOf(s).modifiedDate);
    // [choice] An empty name (an unset Postman variable) filters nothing, as if not sent.
    const name = query.get("name") || null;
    const rows = this.store
      .entities("mappingSets")
      .filter((s) => visibleTo(s, caller) && (name === null || latestOf(s).name === name))
      .sort((a, b) => sign * (dateOf(a) - dateOf(b) || a.seq - b.seq));
    const items = rows.slice(start, start + limit);
    if (start + limit >= rows.length) return { items, limit };
    const next = new URLSearchParams({ start: String(start + limit), limit: String(limit) });
    if (name !== null) next.set("name", name);
    if (query.get("orderBy")?.trim()) next.set("orderBy", sent);
    return { items, limit, next };
  }

  /** `PUT /mappingSets/{id}`: the whole body as for POST, stored as version latest + 1. */
  async replace(id: string, caller: Caller, raw: unknown): Promise<{ set: StoredMappingSet; version: MappingSetVersion }> {
    const current = this.get(id, caller);
    const body = parseBody(raw);
    // [Adobe] The PUT example of Data Prep's mapping-set guide repeats the set's id in the body: taken
    // when it is this set's own, refused when it names another.
    if (typeof body === "object" && body !== null && !Array.isArray(body) && "id" in body) {
      const { id: sent, ...rest } = body as Record<string, unknown>;
      if (sent !== id) throw badRequest(`id: ${JSON.stringify(sent)} is not this mapping set's id (${id}); omit it or send the set's own`);
      return this.addVersion(current, checkMappingSetBody(rest), caller.client.clientId);
    }
    return this.addVersion(current, checkMappingSetBody(body), caller.client.clientId);
  }

  /** The one write path of a new version, for a client's PUT and the admin API's. */
  async addVersion(current: StoredMappingSet, fields: VersionFields, by: string): Promise<{ set: StoredMappingSet; version: MappingSetVersion }> {
    const version = stamped(fields, latestOf(current).version + 1, this.clock(), by);
    const set = await this.write({ ...current, versions: [...current.versions, version] });
    return { set, version };
  }

  /**
   * Stores `next` within the limits (retention.ts): its oldest versions, and other sets' oldest if all sets hold
   * too much, are dropped in the same turn; a write the limits cannot fit is `2000-507` and changes nothing.
   */
  private async write(next: StoredMappingSet): Promise<StoredMappingSet> {
    const admission = admit(this.store.entities("mappingSets"), next, this.limits);
    if ("refused" in admission) throw dataPrepError("2000-507", admission.refused);
    await Promise.all(admission.writes.map((s) => this.store.putEntity("mappingSets", s)));
    return admission.writes[0];
  }

  /** Brings what a data directory holds within the limits (it may have been written under larger ones). */
  async trim(): Promise<void> {
    await Promise.all(trimAll(this.store.entities("mappingSets"), this.limits).map((s) => this.store.putEntity("mappingSets", s)));
  }

  /** What the mapping sets hold, against the limits. */
  usage(): MappingSetUsage {
    return usageOf(this.store.entities("mappingSets"), this.limits);
  }

  // Behind the client's back (the admin API): no caller, every org and sandbox.

  all(): StoredMappingSet[] {
    return this.store.entities("mappingSets");
  }

  find(id: string): StoredMappingSet | undefined {
    return this.store.entity("mappingSets", id);
  }

  /** Data Prep has no DELETE: only the admin API removes a mapping set (flows that use it are left as they are). */
  async remove(id: string): Promise<void> {
    await this.store.deleteEntity("mappingSets", id);
  }
}

/** A mapping set as GET renders it (not wrapped in items): one version, with the set's own fields. */
export function renderMappingSet(set: StoredMappingSet, v: MappingSetVersion = latestOf(set)): Record<string, unknown> {
  const item: Record<string, unknown> = { id: set.id };
  if (v.name !== undefined) item.name = v.name;
  if (v.description !== undefined) item.description = v.description;
  item.version = v.version;
  item.outputSchema = structuredClone(v.outputSchema);
  if (v.inputSchema !== undefined) item.inputSchema = structuredClone(v.inputSchema);
  return {
    ...item,
    mappings: structuredClone(v.mappings),
    createdDate: set.createdDate,
    modifiedDate: v.modifiedDate,
    createdBy: set.createdBy,
    modifiedBy: v.modifiedBy,
    // [choice] The sandbox's name and a fixed status: Data Prep's responses show them, its spec does not define them.
    sandboxName: set.sandboxName,
    status: "PUBLISHED",
  };
}

/**
 * A mapping's id: 32 lowercase hex characters, as Data Prep's guide shows them. [choice] Derived from the
 * set, the version and the mapping's place in it, so ids are stable without being stored, and a PUT (a new
 * version) gives every mapping a new id.
 */
export function mappingIdOf(set: StoredMappingSet, v: MappingSetVersion, index: number): string {
  return createHash("sha256").update(`${set.id}/${v.version}/${index}`).digest("hex").slice(0, 32);
}

/**
 * One mapping as `GET /mappingSets/{id}/mappings` renders it (Data Prep's MappingOperation): its id, the
 * version and dates of the mapping set version that holds it, and the mapping as sent.
 */
export function renderMapping(set: StoredMappingSet, v: MappingSetVersion, index: number): Record<string, unknown> {
  return {
    id: mappingIdOf(set, v, index),
    version: v.version,
    createdDate: v.modifiedDate,
    modifiedDate: v.modifiedDate,
    createdBy: v.modifiedBy,
    modifiedBy: v.modifiedBy,
    ...structuredClone(v.mappings[index]),
  };
}

/** The mappings of a version, each as `renderMapping` renders it. */
export function renderMappings(set: StoredMappingSet, v: MappingSetVersion): Array<Record<string, unknown>> {
  return v.mappings.map((_, i) => renderMapping(set, v, i));
}

/** One mapping of a version by its id; an id not in it is a `2002-404`. */
export function findMapping(set: StoredMappingSet, v: MappingSetVersion, mappingId: string): Record<string, unknown> {
  const index = v.mappings.findIndex((_, i) => mappingIdOf(set, v, i) === mappingId);
  if (index < 0) throw dataPrepError("2002-404", `Mapping '${mappingId}' not found in version ${v.version} of mapping set '${set.id}'`);
  return renderMapping(set, v, index);
}

/** Every version, for the admin API. */
export function renderAdminMappingSet(set: StoredMappingSet): Record<string, unknown> {
  return { ...renderMappingSet(set), imsOrgId: set.imsOrgId, versions: set.versions.map((v) => renderMappingSet(set, v)) };
}
