import type { FlowServiceClient } from "./client";
import { FlowServiceError } from "./flow-service-error";
import type { Problem } from "./answers";

/**
 * What a pipeline references outside Flow Service: Catalog's datasets and Schema Registry's tenant schemas, read
 * through the one client (its token, retries, pacing, redaction). Nothing a server says is used before its shape
 * is checked. Knows nothing of Pulumi.
 */

/** A dataset as Catalog shows it (its id is the key of the object around it). */
export interface DatasetItem {
  id: string;
  name: string;
  description?: string;
  schemaRef?: { id: string; contentType?: string };
  tags?: Record<string, string[]>;
}

/** A schema as Schema Registry shows it (`application/vnd.adobe.xed+json`). */
export interface SchemaItem {
  $id: string;
  "meta:altId"?: string;
  title: string;
  description?: string;
  version?: string;
  "meta:class"?: string;
}

/** [Adobe] A lookup names the schema's major version in `Accept`; the registry answers its latest minor version. */
const SCHEMA_ACCEPT = "application/vnd.adobe.xed+json; version=1";
const SCHEMA_LIST_ACCEPT = "application/vnd.adobe.xed+json";
/** [Adobe] Catalog's pages hold at most 100 objects. */
const PAGE = 100;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const optionalText = (v: unknown): boolean => v === undefined || v === null || typeof v === "string";

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : typeof v;
}

/** One dataset of an answer (`key` is its id). */
export function datasetProblem(key: string, value: unknown): Problem {
  if (!isObject(value)) return `dataset ${JSON.stringify(key)} is ${describe(value)}, not an object`;
  if (typeof value.name !== "string") return `dataset ${JSON.stringify(key)} has no "name"`;
  if (!optionalText(value.description)) return `dataset ${JSON.stringify(key)}'s "description" is ${describe(value.description)}`;
  const ref = value.schemaRef;
  if (ref !== undefined && ref !== null && !(isObject(ref) && isText(ref.id) && optionalText(ref.contentType))) return `dataset ${JSON.stringify(key)}'s "schemaRef" has no "id"`;
  if (value.tags !== undefined && value.tags !== null && !(isObject(value.tags) && Object.values(value.tags).every(Array.isArray))) return `dataset ${JSON.stringify(key)}'s "tags" are not lists`;
  return undefined;
}

/** A listing: an object keyed by dataset id, every value a dataset. */
export function datasetsProblem(body: unknown): Problem {
  if (!isObject(body)) return `expected an object keyed by dataset id, got ${describe(body)}`;
  for (const [key, value] of Object.entries(body)) {
    const problem = datasetProblem(key, value);
    if (problem) return problem;
  }
  return undefined;
}

/** A lookup: `{"<id>": dataset}`, holding the dataset asked for and nothing else. */
export function singleDatasetProblem(body: unknown, id: string): Problem {
  const problem = datasetsProblem(body);
  if (problem) return problem;
  const keys = Object.keys(body as object);
  if (keys.length !== 1 || keys[0] !== id) return `it holds ${keys.length === 0 ? "no dataset" : `dataset ${JSON.stringify(keys[0])}${keys.length > 1 ? ` and ${keys.length - 1} more` : ""}`}, not ${id}`;
  return undefined;
}

export function schemaProblem(item: unknown, id?: string): Problem {
  if (!isObject(item)) return `expected a schema, got ${describe(item)}`;
  if (!isText(item.$id)) return `"$id" is ${describe(item.$id)}, not a string`;
  if (id !== undefined && item.$id !== id) return `it holds schema ${JSON.stringify(item.$id)}, not ${id}`;
  if (typeof item.title !== "string") return `schema ${JSON.stringify(item.$id)} has no "title"`;
  for (const key of ["meta:altId", "description", "version", "meta:class"]) if (!optionalText(item[key])) return `schema ${JSON.stringify(item.$id)}'s "${key}" is ${describe(item[key])}`;
  return undefined;
}

/** A page of `GET /tenant/schemas`: `{"results": [schema, …], "_page": {"next": … | null}}`. */
export function schemaPageProblem(body: unknown): Problem {
  if (!isObject(body) || !Array.isArray(body.results)) return `expected {"results": [...]}, got ${describe(body)}`;
  for (const [i, item] of body.results.entries()) {
    const problem = schemaProblem(item);
    if (problem) return `result ${i}: ${problem}`;
  }
  const page = body._page;
  if (page !== undefined && page !== null && !(isObject(page) && (page.next === undefined || page.next === null || typeof page.next === "string"))) return `"_page.next" is not a string or null`;
  return undefined;
}

const datasetOf = (id: string, value: Record<string, unknown>): DatasetItem => ({ ...(value as unknown as Omit<DatasetItem, "id">), id });

/** `GET /dataSets/{id}`; undefined when Catalog answers 404. */
export async function getDataset(client: FlowServiceClient, sandbox: string, id: string): Promise<DatasetItem | undefined> {
  const path = `/dataSets/${encodeURIComponent(id)}`;
  const res = await client.request("GET", path, { sandbox, service: "catalog" }, [404]);
  if (res.status === 404) return undefined;
  client.checked("GET", path, res, singleDatasetProblem(res.data, id));
  return datasetOf(id, (res.data as Record<string, Record<string, unknown>>)[id]);
}

/**
 * The datasets named `name` (`property=name==…`, pages of 100 by `start`, at most `maxPages`). [Adobe] Catalog
 * reads `*` in a name filter as a wildcard and `**` as a literal `*`; the caller compares names exactly.
 */
export async function findDatasets(client: FlowServiceClient, sandbox: string, name: string, maxPages = 10): Promise<DatasetItem[]> {
  const found: DatasetItem[] = [];
  for (let page = 0; page < maxPages; page++) {
    const query = { property: `name==${name.replace(/\*/g, "**")}`, limit: String(PAGE), start: String(page * PAGE) };
    const res = await client.request("GET", "/dataSets", { sandbox, service: "catalog", query });
    client.checked("GET", "/dataSets", res, datasetsProblem(res.data));
    const entries = Object.entries(res.data as Record<string, Record<string, unknown>>);
    found.push(...entries.map(([id, value]) => datasetOf(id, value)));
    if (entries.length < PAGE) return found;
  }
  throw new FlowServiceError({ kind: "http", method: "GET", path: "/dataSets", message: `GET /dataSets (name ${JSON.stringify(name)}): more than ${maxPages} pages of ${PAGE}; giving up` });
}

/** `GET /tenant/schemas/{$id}` (the major version 1); undefined when Schema Registry answers 404. */
export async function getSchema(client: FlowServiceClient, sandbox: string, id: string): Promise<SchemaItem | undefined> {
  const path = `/tenant/schemas/${encodeURIComponent(id)}`;
  const res = await client.request("GET", path, { sandbox, service: "schemaRegistry", accept: SCHEMA_ACCEPT }, [404]);
  if (res.status === 404) return undefined;
  client.checked("GET", path, res, schemaProblem(res.data, id));
  return res.data as SchemaItem;
}

/**
 * The tenant schemas titled `title` (`property=title==…`, ordered by title, following `_page.next` for at most
 * `maxPages` pages). [Adobe] `limit` and `start` need `orderby`.
 */
export async function findSchemas(client: FlowServiceClient, sandbox: string, title: string, maxPages = 10): Promise<SchemaItem[]> {
  const found: SchemaItem[] = [];
  let start: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const query = { property: `title==${title}`, orderby: "title", limit: String(PAGE), ...(start === undefined ? {} : { start }) };
    const res = await client.request("GET", "/tenant/schemas", { sandbox, service: "schemaRegistry", accept: SCHEMA_LIST_ACCEPT, query });
    client.checked("GET", "/tenant/schemas", res, schemaPageProblem(res.data));
    const body = res.data as { results: SchemaItem[]; _page?: { next?: string | null } };
    found.push(...body.results);
    const next = body._page?.next;
    if (typeof next !== "string") return found;
    // A server that hands out the same start again would page forever.
    if (next === start) client.checked("GET", "/tenant/schemas", res, `"_page.next" repeats the start of this page (${JSON.stringify(next.slice(0, 80))})`);
    start = next;
  }
  throw new FlowServiceError({ kind: "http", method: "GET", path: "/tenant/schemas", message: `GET /tenant/schemas (title ${JSON.stringify(title)}): more than ${maxPages} pages of ${PAGE}; giving up` });
}
