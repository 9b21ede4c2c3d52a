/**
 * How Schema Registry shows a schema: the `Accept` header picks the format (Adobe's Schema Registry guide,
 * "Accept header"), and these are its renderings. Pure functions.
 */
import { createHash } from "node:crypto";
import { platformError } from "../errors";
import type { Params, StoredSchema } from "../types";
import { sandboxIdOf } from "../util";

/** The formats of a lookup (`GET /tenant/schemas/{id}`), by the media type's name. */
const LOOKUP_FORMATS: Record<string, { full: boolean; text: boolean }> = {
  xed: { full: false, text: true },
  "xed-full": { full: true, text: true },
  "xed-notext": { full: false, text: false },
  "xed-full-notext": { full: true, text: false },
  "xed-full-desc": { full: true, text: true },
  "xed-deprecatefield": { full: true, text: true },
};

/** The formats of a listing (`GET /tenant/schemas`): ids only, or each schema raw. */
const LIST_FORMATS = new Set(["xed-id", "xed"]);

export interface LookupFormat {
  full: boolean;
  text: boolean;
  /** The major version asked for. */
  version: number;
}

/** The `Accept` value's media name (`xed-full` of `application/vnd.adobe.xed-full+json; version=1`) and version. */
function parseAccept(accept: string | undefined): { name: string; version?: number } {
  const raw = (accept ?? "").trim();
  if (raw === "") throw platformError(406, "Accept header parameter is required");
  const [type, ...params] = raw.split(";").map((p) => p.trim());
  const m = /^application\/vnd\.adobe\.(xed(?:-[a-z]+)*)\+json$/i.exec(type);
  if (!m) throw platformError(406, `Unknown Accept media supplied: ${raw.slice(0, 200)}`);
  const version = params.map((p) => /^version\s*=\s*(\d{1,4})$/i.exec(p)).find((v) => v !== null);
  return { name: m[1].toLowerCase(), version: version ? Number(version[1]) : undefined };
}

/** A lookup's `Accept`: one of the six formats, with a version (else 406, or 400 without a version, as Adobe answers). */
export function lookupFormat(accept: string | undefined): LookupFormat {
  const { name, version } = parseAccept(accept);
  const format = LOOKUP_FORMATS[name];
  if (!format) throw platformError(406, `Unknown Accept media supplied: ${String(accept).slice(0, 200)}`);
  if (version === undefined) {
    throw platformError(400, "version must be supplied in the accept header. Example: application/vnd.adobe.xed-full-notext+json; version=1");
  }
  return { ...format, version };
}

/** A listing's `Accept`: `xed-id` (summaries) or `xed` (each schema raw). */
export function listFormat(accept: string | undefined): "xed-id" | "xed" {
  const { name } = parseAccept(accept);
  if (!LIST_FORMATS.has(name)) throw platformError(406, `Unknown Accept media supplied: ${String(accept).slice(0, 200)}`);
  return name as "xed-id" | "xed";
}

export const schemaUri = (s: Pick<StoredSchema, "tenant" | "id">): string => `https://ns.adobe.com/${s.tenant}/schemas/${s.id}`;
export const altIdOf = (s: Pick<StoredSchema, "tenant" | "id">): string => `_${s.tenant}.schemas.${s.id}`;

export const majorOf = (version: string): number => Number(version.split(".")[0]);

/** Without `title` and `description` anywhere (the `notext` formats). */
function withoutText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutText);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "title" && k !== "description").map(([k, v]) => [k, withoutText(v)]));
}

/** What a listing with `xed-id` shows of a schema. */
export function renderSummary(s: StoredSchema): Record<string, unknown> {
  return { $id: schemaUri(s), "meta:altId": altIdOf(s), version: s.version, title: s.title };
}

/**
 * The schema in a format: raw (`allOf` naming its class, then its fields) or full (`properties` resolved), with or
 * without titles and descriptions. [choice] Field groups are not emulated: a raw schema's fields stand inline in
 * its `allOf`; `xed-full-desc` and `xed-deprecatefield` show what `xed-full` shows.
 */
export function renderSchema(s: StoredSchema, format: { full: boolean; text: boolean }): Record<string, unknown> {
  const classRef = { $ref: s.className, type: "object", "meta:xdmType": "object" };
  const body: Params = {
    $id: schemaUri(s),
    "meta:altId": altIdOf(s),
    "meta:resourceType": "schemas",
    version: s.version,
    title: s.title,
    type: "object",
    description: s.description,
    ...(format.full ? { properties: structuredClone(s.fields) } : { allOf: [classRef, { type: "object", properties: structuredClone(s.fields) }] }),
    imsOrg: s.imsOrgId,
    "meta:extensible": false,
    "meta:abstract": false,
    "meta:extends": [s.className],
    "meta:xdmType": "object",
    "meta:class": s.className,
    "meta:containerId": "tenant",
    "meta:sandboxId": sandboxIdOf(s.imsOrgId, s.sandboxName),
    // [choice] `prod` is the production sandbox; every other name a development one.
    "meta:sandboxType": s.sandboxName === "prod" ? "production" : "development",
    "meta:tenantNamespace": `_${s.tenant}`,
    "meta:registryMetadata": {
      "repo:createdDate": s.created,
      "repo:lastModifiedDate": s.updated,
      "xdm:createdClientId": s.createdClient,
      eTag: createHash("sha256").update(JSON.stringify([s.id, s.version, s.fields, s.updated])).digest("hex"),
    },
  };
  return format.text ? body : (withoutText(body) as Record<string, unknown>);
}
