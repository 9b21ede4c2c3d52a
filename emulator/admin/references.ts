/**
 * The control API's datasets and schemas: what a test or CI job sends to add one (checked here, whichever way it
 * came), and how the admin API shows them (every org and sandbox; the demo ones as in all of them).
 */
import { DATASET_ID, renderDataset, type DatasetInput } from "../catalog/datasets";
import { SEED_DATASETS } from "../catalog/seeds";
import { adminAssert } from "../errors";
import type { EmulatorClient, Params, Scope, StoredDataset, StoredSchema } from "../types";
import { isObject } from "../util";
import { renderSchema } from "../xdm/render";
import type { SchemaInput } from "../xdm/schemas";
import { DEMO_TENANT, SEED_SCHEMAS } from "../xdm/seeds";

/** Where the control API puts what it adds; default: the first client's org, sandbox `prod`. */
export interface ScopeInput {
  orgId?: string;
  sandbox?: string;
}

/** A dataset to add (`POST /__admin/dataSets`, `control.addDataset`). */
export interface AdminDatasetInput extends ScopeInput {
  name: string;
  /** The `$id` (or `meta:altId`) of a schema in the same org and sandbox, a demo schema included. */
  schemaId: string;
  description?: string;
  /** 24 lowercase hex characters; generated when absent. */
  id?: string;
  tags?: Record<string, string[]>;
}

/** A schema to add (`POST /__admin/schemas`, `control.addSchema`). */
export interface AdminSchemaInput extends ScopeInput {
  title: string;
  description?: string;
  /** `meta:class`; default the XDM Individual Profile class. */
  className?: string;
  /** The schema's `properties` (JSON Schema); default none. */
  fields?: Params;
  /** Default `acme`, the demo schemas' tenant. */
  tenant?: string;
  /** The `$id`'s last segment (letters, digits, hyphens); generated when absent. */
  id?: string;
}

const SCOPE_FIELDS = {
  orgId: "IMS org (…@AdobeOrg); default the first client's",
  sandbox: "a sandbox of a client of that org; default prod",
};

export const DATASET_FIELDS: Readonly<Record<keyof AdminDatasetInput, string>> = {
  name: "the dataset's name (non-empty)",
  schemaId: "the $id or meta:altId of a schema in the same org and sandbox (a demo schema included)",
  description: "string",
  id: "24 lowercase hex characters; generated when absent",
  tags: "{name: [values]}",
  ...SCOPE_FIELDS,
};

export const SCHEMA_FIELDS: Readonly<Record<keyof AdminSchemaInput, string>> = {
  title: "the schema's title, unique in its org and sandbox",
  description: "string",
  className: "meta:class; default https://ns.adobe.com/xdm/context/profile",
  fields: "the schema's properties (JSON Schema); default {}",
  tenant: `the $id's tenant; default ${DEMO_TENANT}`,
  id: "the $id's last segment (letters, digits, hyphens); generated when absent",
  ...SCOPE_FIELDS,
};

const PROFILE_CLASS = "https://ns.adobe.com/xdm/context/profile";

function text(body: Record<string, unknown>, field: string, max: number, required: boolean): string | undefined {
  const v = body[field];
  if (v === undefined && !required) return undefined;
  adminAssert(typeof v === "string" && (!required || v.trim() !== "") && v.length <= max, `${field} must be a ${required ? "non-empty " : ""}string of at most ${max} characters`);
  return v as string;
}

function known(body: unknown, fields: Record<string, string>): Record<string, unknown> {
  adminAssert(isObject(body), "body must be a JSON object");
  for (const key of Object.keys(body as object)) adminAssert(key in fields, `unknown field '${key}' (allowed: ${Object.keys(fields).join(", ")})`);
  return body as Record<string, unknown>;
}

/** The org and sandbox named, which a configured client must have. */
export function scopeFrom(body: Record<string, unknown>, clients: EmulatorClient[]): Scope {
  const orgId = text(body, "orgId", 256, false) ?? clients[0].orgId;
  const sandbox = text(body, "sandbox", 256, false) ?? "prod";
  const inOrg = clients.filter((c) => c.orgId === orgId);
  adminAssert(inOrg.length > 0, `orgId: no client of org '${orgId}' (orgs: ${[...new Set(clients.map((c) => c.orgId))].join(", ")})`);
  adminAssert(inOrg.some((c) => c.sandboxes.includes(sandbox)), `sandbox: org '${orgId}' has no sandbox '${sandbox}'`);
  return { imsOrgId: orgId, sandboxName: sandbox };
}

export function datasetInput(raw: unknown): DatasetInput {
  const body = known(raw, DATASET_FIELDS);
  const id = text(body, "id", 24, false);
  adminAssert(id === undefined || DATASET_ID.test(id), "id must be 24 lowercase hex characters (e.g. 5f3c3cedb2805c194ff0b69a)");
  const tags = body.tags ?? {};
  adminAssert(isObject(tags) && Object.values(tags).every((v) => Array.isArray(v) && v.every((x) => typeof x === "string")), "tags must be {name: [string values]}");
  return {
    name: text(body, "name", 256, true) as string,
    schemaId: text(body, "schemaId", 1024, true) as string,
    description: text(body, "description", 4096, false) ?? "",
    tags: tags as Record<string, string[]>,
    ...(id === undefined ? {} : { id }),
  };
}

export function schemaInput(raw: unknown): SchemaInput {
  const body = known(raw, SCHEMA_FIELDS);
  const tenant = text(body, "tenant", 64, false) ?? DEMO_TENANT;
  adminAssert(/^[A-Za-z0-9_-]+$/.test(tenant), "tenant must be letters, digits, underscores or hyphens");
  const id = text(body, "id", 128, false);
  adminAssert(id === undefined || /^[A-Za-z0-9-]+$/.test(id), "id must be letters, digits or hyphens");
  const fields = body.fields ?? {};
  adminAssert(isObject(fields), "fields must be an object (the schema's properties)");
  return {
    title: text(body, "title", 256, true) as string,
    description: text(body, "description", 4096, false) ?? "",
    className: text(body, "className", 1024, false) ?? PROFILE_CLASS,
    tenant,
    fields: structuredClone(fields as Params),
    ...(id === undefined ? {} : { id }),
  };
}

/** The demo datasets and schemas as the admin API shows them: in every org (`*`) and sandbox (`*`). */
const EVERYWHERE: Scope = { imsOrgId: "*", sandboxName: "*" };

export function adminDataset(d: StoredDataset, seed = false): Record<string, unknown> {
  return { id: d.id, ...renderDataset(d), imsOrg: d.imsOrgId, sandboxName: d.sandboxName, seed };
}

export function adminSchema(s: StoredSchema, seed = false): Record<string, unknown> {
  return { ...renderSchema(s, { full: true, text: true }), sandboxName: s.sandboxName, seed };
}

export const seedDatasets = (): Array<Record<string, unknown>> => SEED_DATASETS.map((d, i) => adminDataset({ ...d, ...EVERYWHERE, seq: i - SEED_DATASETS.length }, true));
export const seedSchemas = (): Array<Record<string, unknown>> => SEED_SCHEMAS.map((s, i) => adminSchema({ ...s, ...EVERYWHERE, seq: i - SEED_SCHEMAS.length }, true));
