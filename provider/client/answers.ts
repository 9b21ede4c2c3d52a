import type { ConnectionItem, IdAndEtag } from "./types";

/**
 * Shape checks for Flow Service's answers. Nothing a server says is used before it passes one: a
 * proxy's login page, an empty 201 or `{}` must never become a resource with no id, a dropped
 * resource, or another POST.
 */
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/** What's wrong with an answer, or undefined when it is usable. */
export type Problem = string | undefined;

export function idAndEtagProblem(body: unknown): Problem {
  if (!isObject(body)) return `expected {"id", "etag"}, got ${describe(body)}`;
  if (!isText(body.id)) return `"id" is ${describe(body.id)}, not a string`;
  if (!isText(body.etag)) return `"etag" is ${describe(body.etag)}, not a string`;
  return undefined;
}

export function asIdAndEtag(body: unknown): IdAndEtag {
  const b = body as Record<string, string>;
  return { id: b.id, etag: b.etag };
}

export function connectionItemProblem(item: unknown): Problem {
  if (!isObject(item)) return `expected a connection, got ${describe(item)}`;
  for (const key of ["id", "name", "etag"] as const) if (!isText(item[key]) && !(key === "name" && typeof item[key] === "string")) return `"${key}" is ${describe(item[key])}, not a string`;
  if (!isObject(item.connectionSpec) || !isText(item.connectionSpec.id)) return `"connectionSpec.id" is missing`;
  if (item.description !== undefined && item.description !== null && typeof item.description !== "string") return `"description" is ${describe(item.description)}`;
  if (item.auth !== undefined && item.auth !== null) {
    if (!isObject(item.auth) || (item.auth.params !== undefined && !isObject(item.auth.params))) return `"auth" is not an object with "params"`;
  }
  if (item.createdAt !== undefined && typeof item.createdAt !== "number") return `"createdAt" is ${describe(item.createdAt)}, not a number`;
  return undefined;
}

/**
 * A source or target connection (`connectionSpec` and `baseConnectionId`) or a flow (`flowSpec`):
 * the fields the lifecycle reads, each of the type it expects.
 */
export function pipelineItemProblem(item: unknown): Problem {
  if (!isObject(item)) return `expected an entity, got ${describe(item)}`;
  for (const key of ["id", "etag"] as const) if (!isText(item[key])) return `"${key}" is ${describe(item[key])}, not a string`;
  if (typeof item.name !== "string") return `"name" is ${describe(item.name)}, not a string`;
  const spec = item.flowSpec ?? item.connectionSpec;
  if (!isObject(spec) || !isText(spec.id)) return `neither "connectionSpec.id" nor "flowSpec.id" is set`;
  if (item.description !== undefined && item.description !== null && typeof item.description !== "string") return `"description" is ${describe(item.description)}`;
  for (const key of ["data", "params", "scheduleParams"] as const) if (item[key] !== undefined && item[key] !== null && !isObject(item[key])) return `"${key}" is ${describe(item[key])}, not an object`;
  for (const key of ["sourceConnectionIds", "targetConnectionIds", "transformations"] as const) if (item[key] !== undefined && !Array.isArray(item[key])) return `"${key}" is ${describe(item[key])}, not an array`;
  if (item.state !== undefined && typeof item.state !== "string") return `"state" is ${describe(item.state)}, not a string`;
  if (item.createdAt !== undefined && typeof item.createdAt !== "number") return `"createdAt" is ${describe(item.createdAt)}, not a number`;
  return undefined;
}

/** Checks one item of a collection's answers. */
export type ItemCheck = (item: unknown) => Problem;

/** `GET /connections/{id}`: `{"items": [item]}` holding exactly the connection asked for. */
export function singleItemProblem(body: unknown, id: string, itemProblem: ItemCheck = connectionItemProblem): Problem {
  if (!isObject(body) || !Array.isArray(body.items)) return `expected {"items": [connection]}, got ${describe(body)}`;
  if (body.items.length !== 1) return `expected one connection, got ${body.items.length}`;
  const problem = itemProblem(body.items[0]);
  if (problem) return problem;
  if ((body.items[0] as ConnectionItem).id !== id) return `it holds connection ${JSON.stringify((body.items[0] as ConnectionItem).id)}, not ${id}`;
  return undefined;
}

/** A listing page: `{"items": [...], "_links": {...}}`, every item a connection. */
export function listingProblem(body: unknown, itemProblem: ItemCheck = connectionItemProblem): Problem {
  if (!isObject(body) || !Array.isArray(body.items)) return `expected {"items": [...]}, got ${describe(body)}`;
  for (const [i, item] of body.items.entries()) {
    const problem = itemProblem(item);
    if (problem) return `item ${i}: ${problem}`;
  }
  if (body._links !== undefined && !isObject(body._links)) return `"_links" is ${describe(body._links)}`;
  return undefined;
}

/**
 * Flow Service's own "this connection does not exist" (`1101-404`). A 404 in any other shape (an
 * HTML page from a wrong path, a gateway's error) says nothing about the connection.
 */
export function isConnectionNotFound(body: unknown): boolean {
  if (!isObject(body)) return false;
  const type = typeof body.type === "string" ? body.type : "";
  return /FLOW-1101-404$/.test(type) || body.code === "1101-404" || body.error_code === "1101-404";
}

/** Data Prep's own "this mapping set (version) does not exist" (`2002-404`). */
export function isMappingSetNotFound(body: unknown): boolean {
  if (!isObject(body)) return false;
  const type = typeof body.type === "string" ? body.type : "";
  return /DPREP-2002-404$/.test(type);
}

/**
 * A mapping set as Data Prep renders it: an id, an integer version, the output schema reference
 * and its mappings, each with a source and a destination.
 */
export function mappingSetProblem(item: unknown, id?: string): Problem {
  if (!isObject(item)) return `expected a mapping set, got ${describe(item)}`;
  if (!isText(item.id)) return `"id" is ${describe(item.id)}, not a string`;
  if (id !== undefined && item.id !== id) return `it holds mapping set ${JSON.stringify(item.id)}, not ${id}`;
  if (!Number.isInteger(item.version) || (item.version as number) < 0) return `"version" is ${describe(item.version)}, not a whole number`;
  if (item.name !== undefined && item.name !== null && typeof item.name !== "string") return `"name" is ${describe(item.name)}`;
  const schemaRef = isObject(item.outputSchema) ? item.outputSchema.schemaRef : undefined;
  if (!isObject(schemaRef) || !isText(schemaRef.id)) return `"outputSchema.schemaRef.id" is missing`;
  if (!Array.isArray(item.mappings)) return `"mappings" is ${describe(item.mappings)}, not an array`;
  for (const [i, m] of item.mappings.entries()) {
    if (!isObject(m) || typeof m.source !== "string" || typeof m.destination !== "string") return `mappings[${i}] has no source and destination`;
  }
  if (item.createdDate !== undefined && typeof item.createdDate !== "number") return `"createdDate" is ${describe(item.createdDate)}, not a number`;
  return undefined;
}

/** The answer to a mapping set's POST: `{id, version}` at least. */
export function mappingSetCreatedProblem(body: unknown): Problem {
  if (!isObject(body)) return `expected {"id", "version"}, got ${describe(body)}`;
  if (!isText(body.id)) return `"id" is ${describe(body.id)}, not a string`;
  if (!Number.isInteger(body.version)) return `"version" is ${describe(body.version)}, not a whole number`;
  return undefined;
}

/** A page of mapping sets: `{"data": [...], "_page": {...}}`. */
export function mappingSetPageProblem(body: unknown): Problem {
  if (!isObject(body) || !Array.isArray(body.data)) return `expected {"data": [...]}, got ${describe(body)}`;
  for (const [i, item] of body.data.entries()) {
    const problem = mappingSetProblem(item);
    if (problem) return `item ${i}: ${problem}`;
  }
  return undefined;
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return Object.keys(v).length === 0 ? "{}" : "an object without them";
  return typeof v;
}
