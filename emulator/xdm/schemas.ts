/**
 * Schema Registry's schemas of the tenant container (`/data/foundation/schemaregistry/tenant/schemas`): the demo
 * schemas (seeds.ts), present in every org and sandbox, and those the control API adds to one org and sandbox.
 * The one owner of their lookup, listing (paging, `property`, `orderby`) and additions; render.ts shows them.
 */
import { randomBytes } from "node:crypto";
import { platformError } from "../errors";
import { propertyFilter } from "../property-filter";
import type { ConnectionStore } from "../store/store";
import type { Clock, Params, Scope, StoredSchema } from "../types";
import { altIdOf, listFormat, lookupFormat, majorOf, renderSchema, renderSummary, schemaUri } from "./render";
import { DEMO_TENANT, SEED_SCHEMAS } from "./seeds";

/** Adobe's form of a tenant schema's `$id`: `https://ns.adobe.com/<tenant>/schemas/<id>`. */
export const SCHEMA_URI = /^https:\/\/ns\.adobe\.com\/([A-Za-z0-9_-]{1,64})\/schemas\/([A-Za-z0-9-]{1,128})$/;
const ALT_ID = /^_([A-Za-z0-9_-]{1,64})\.schemas\.([A-Za-z0-9-]{1,128})$/;

/** [Adobe] A listing holds at most 300 schemas; `limit` is a hint from 1 to 500 and needs `orderby`. */
const DEFAULT_LIMIT = 300;
const MAX_LIMIT = 500;
/** [choice] Fields `orderby` takes. */
const ORDER_FIELDS = ["title", "$id", "meta:altId", "version"];

const inScope = (s: Scope, scope: Scope): boolean => s.imsOrgId === scope.imsOrgId && s.sandboxName === scope.sandboxName;
const bad = (message: string) => platformError(400, message);

/** What the control API adds. */
export interface SchemaInput {
  title: string;
  description: string;
  tenant: string;
  className: string;
  fields: Params;
  /** The `$id`'s last segment; generated when absent. */
  id?: string;
}

/** A listing's page: the schemas, and where the next page starts (the last primary sort value), or null. */
export interface SchemaPage {
  results: Array<Record<string, unknown>>;
  orderby: string | null;
  next: string | null;
}

export class Schemas {
  constructor(
    private readonly store: ConnectionStore,
    private readonly clock: Clock,
  ) {}

  /** Every schema of the scope: the demo schemas, then the scope's own, in creation order. */
  visible(scope: Scope): StoredSchema[] {
    const seeds = SEED_SCHEMAS.map((s, i) => ({ ...s, ...scope, seq: i - SEED_SCHEMAS.length }));
    return [...seeds, ...this.store.entities("schemas").filter((s) => inScope(s, scope))];
  }

  /** A schema of the scope by its `$id` or `meta:altId`; undefined when there is none. */
  find(ref: string, scope: Scope): StoredSchema | undefined {
    const m = SCHEMA_URI.exec(ref) ?? ALT_ID.exec(ref);
    return m ? this.visible(scope).find((s) => s.tenant === m[1] && s.id === m[2]) : undefined;
  }

  /** `GET /tenant/schemas/{$id or meta:altId}` in the `Accept` header's format; a major version it lacks is a 404. */
  lookup(ref: string, scope: Scope, accept: string | undefined): Record<string, unknown> {
    const format = lookupFormat(accept);
    const schema = this.find(ref, scope);
    if (!schema || majorOf(schema.version) !== format.version) {
      throw platformError(404, `Object ${ref.slice(0, 300)} with version ${format.version} not found`);
    }
    return renderSchema(schema, format);
  }

  /**
   * `GET /tenant/schemas`: `property` filters (ANDed) on the raw schema's top-level fields, `orderby` (`-` for
   * descending; ties in creation order), and keyset paging: `start` is the primary sort value the page starts
   * after. [Adobe] `limit` and `start` need `orderby`; `limit` is a hint: a page also takes the schemas tied with
   * its last one, so `start` never skips any.
   */
  list(query: URLSearchParams, scope: Scope, accept: string | undefined): SchemaPage {
    const format = listFormat(accept);
    const orderby = query.get("orderby");
    if (orderby === null && (query.has("limit") || query.has("start"))) throw bad("limit and start need an orderby parameter (e.g. orderby=title)");
    const filters = query.getAll("property").map((p) => propertyFilter(p, { bad }));
    let rows = this.visible(scope).map((s) => ({ s, raw: renderSchema(s, { full: false, text: true }) }));
    rows = rows.filter(({ raw }) => filters.every((f) => f(raw)));
    const limit = this.limit(query.get("limit"));
    let next: string | null = null;
    if (orderby !== null) {
      const keys = orderby.split(",").map((k) => ({ field: k.trim().replace(/^[+-]/, ""), sign: k.trim().startsWith("-") ? -1 : 1 }));
      for (const { field } of keys) if (!ORDER_FIELDS.includes(field)) throw bad(`orderby: cannot order by '${field.slice(0, 60)}' (use one of ${ORDER_FIELDS.join(", ")})`);
      const text = (r: (typeof rows)[number], field: string) => String(r.raw[field]);
      rows.sort((a, b) => {
        for (const { field, sign } of keys) if (text(a, field) !== text(b, field)) return sign * (text(a, field) < text(b, field) ? -1 : 1);
        return 0;
      });
      const primary = keys[0];
      const start = query.get("start");
      if (start !== null) rows = rows.filter((r) => primary.sign * (text(r, primary.field) < start ? -1 : text(r, primary.field) > start ? 1 : 0) > 0);
      if (rows.length > limit) {
        const last = text(rows[limit - 1], primary.field);
        let end = limit;
        while (end < rows.length && text(rows[end], primary.field) === last) end++;
        next = end < rows.length ? last : null;
        rows = rows.slice(0, end);
      }
    } else {
      rows = rows.slice(0, limit);
    }
    return { results: rows.map(({ s, raw }) => (format === "xed-id" ? renderSummary(s) : raw)), orderby, next };
  }

  private limit(raw: string | null): number {
    if (raw === null) return DEFAULT_LIMIT;
    const n = /^\d{1,4}$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!(n >= 1 && n <= MAX_LIMIT)) throw bad(`limit: must be an integer from 1 to ${MAX_LIMIT}, got '${raw.slice(0, 40)}'`);
    return n;
  }

  // Behind the client's back (the control API).

  /** Every schema added, across orgs and sandboxes (the demo schemas are not stored). */
  added(): StoredSchema[] {
    return this.store.entities("schemas");
  }

  /**
   * A new schema in a scope. [Adobe] A title is unique in the tenant container ("Title must be unique", the XDM
   * troubleshooting guide); [choice] an id the scope's tenant already has, or a demo schema's, is refused too.
   */
  async add(input: SchemaInput, scope: Scope, createdClient: string): Promise<StoredSchema> {
    const taken = this.visible(scope).find((s) => s.title === input.title);
    if (taken) throw bad(`Title must be unique. An object ${schemaUri(taken)} already exists with the same title.`);
    const id = input.id ?? randomBytes(16).toString("hex");
    if (this.store.entity("schemas", id) || SEED_SCHEMAS.some((s) => s.id === id)) throw bad(`a schema with id '${id}' already exists`);
    const now = this.clock();
    const schema: StoredSchema = { ...scope, ...input, id, seq: this.store.nextSeq(), version: "1.0", created: now, updated: now, createdClient };
    await this.store.putEntity("schemas", schema);
    return schema;
  }

  /** Removes an added schema; a demo schema cannot be removed. */
  async remove(schema: StoredSchema): Promise<void> {
    await this.store.deleteEntity("schemas", schema.id);
  }

  /** An added schema by `$id` or `meta:altId`, whatever its scope. */
  findAdded(ref: string): StoredSchema | undefined {
    const m = SCHEMA_URI.exec(ref) ?? ALT_ID.exec(ref);
    return m ? this.added().find((s) => s.tenant === m[1] && s.id === m[2]) : undefined;
  }

  /** Whether `ref` names a demo schema. */
  isSeed(ref: string): boolean {
    const m = SCHEMA_URI.exec(ref) ?? ALT_ID.exec(ref);
    return m !== null && m[1] === DEMO_TENANT && SEED_SCHEMAS.some((s) => s.id === m[2]);
  }
}

export { altIdOf, schemaUri };
