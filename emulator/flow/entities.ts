/**
 * What every Flow Service entity shares, whatever its kind: the bookkeeping fields, the If-Match rule, the
 * not-found answer, the name rule, and the JSON Patch operations on its fields.
 */
import { flowError, type ApiError } from "../errors";
import type { EntityMeta } from "../types";
import { isObject, MAX_JSON_DEPTH, nestsDeeperThan, sandboxIdOf } from "../util";
import { clientUser, newConnectionId, newEtag, type Caller } from "./model";

/** Parses a JSON request body; empty or malformed → `1405-400` with the parser's reason. */
export function parseJsonBody(raw: unknown): unknown {
  const text = typeof raw === "string" ? raw : "";
  if (text.trim() === "") throw flowError("1405-400", "Request body is empty; a JSON document is required");
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw flowError("1405-400", `Request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw flowError("1405-400", `Request body is not valid JSON: ${(e as Error).message}`);
  }
}

/** Who a change is recorded as: `updatedBy` and `updatedClient`. */
export interface Actor {
  by: string;
  client: string;
}

export const actorOf = (caller: Caller): Actor => ({ by: caller.client.clientId, client: clientUser(caller.client.clientId) });

/** The bookkeeping of a new entity in the caller's org and sandbox. */
export function newMeta(caller: Caller, seq: number, now: number): EntityMeta {
  const actor = caller.client.clientId;
  return {
    id: newConnectionId(),
    createdAt: now,
    updatedAt: now,
    createdBy: actor,
    updatedBy: actor,
    createdClient: clientUser(actor),
    updatedClient: clientUser(actor),
    sandboxId: sandboxIdOf(caller.client.orgId, caller.sandbox),
    sandboxName: caller.sandbox,
    imsOrgId: caller.client.orgId,
    etag: newEtag(undefined, now),
    seq,
  };
}

/** The fields every write renews. */
export function touched(current: EntityMeta, actor: Actor, now: number): Pick<EntityMeta, "updatedAt" | "updatedBy" | "updatedClient" | "etag"> {
  return { updatedAt: now, updatedBy: actor.by, updatedClient: actor.client, etag: newEtag(current.etag, now) };
}

/** The bookkeeping fields as GET renders them (`version` equals `etag`, as for connections). */
export function renderMeta(e: EntityMeta): Record<string, unknown> {
  return {
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    createdBy: e.createdBy,
    updatedBy: e.updatedBy,
    createdClient: e.createdClient,
    updatedClient: e.updatedClient,
    sandboxId: e.sandboxId,
    sandboxName: e.sandboxName,
    imsOrgId: e.imsOrgId,
    version: e.etag,
    etag: e.etag,
  };
}

/**
 * [choice] Flow Service's one not-found code for every Flow entity: `1101-404`, as for connections; another
 * org's or sandbox's entity gets exactly this answer.
 */
export function notFound(what: string, id: string): ApiError {
  return flowError("1101-404", `${what} '${id}' not found`, undefined, `${what} not found`);
}

/** An If-Match that is sent must equal the etag ([choice] no `*`, no weak etags). */
export function checkIfMatch(ifMatch: string | undefined, etag: string, what: string): void {
  if (ifMatch && ifMatch !== etag) {
    throw flowError("1404-412", `If-Match ${ifMatch} does not match the ${what}'s etag ${etag}; it was changed since it was read`);
  }
}

/** Names follow the connection rule: a non-empty string (not only spaces). */
export function checkName(value: unknown, field = "name"): string {
  if (value === undefined) throw flowError("1100-400", `${field}: missing required property '${field}'`);
  if (typeof value !== "string" || value.trim() === "") throw flowError("1100-400", `${field}: must be a non-empty string`);
  return value;
}

export function checkDescription(value: unknown): string {
  if (value !== undefined && typeof value !== "string") throw flowError("1100-400", "description: must be string");
  return (value as string | undefined) ?? "";
}

/** [choice] Segments that reach an object's prototype; any path through one is refused as invalid input. */
const PROTOTYPE_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);
const OPS: ReadonlySet<string> = new Set(["add", "replace", "remove"]);

/**
 * A patch operation's name, or undefined when it is none of add, replace, remove. Read without case:
 * RFC 6902 spells them lower case, Flow Service's OpenAPI spec enumerates `ADD`, `REPLACE`, `REMOVE`.
 */
export function patchOpName(op: unknown): "add" | "replace" | "remove" | undefined {
  if (typeof op !== "string") return undefined;
  const name = op.toLowerCase();
  return OPS.has(name) ? (name as "add" | "replace" | "remove") : undefined;
}

export interface PatchOp {
  op: "add" | "replace" | "remove";
  path: string;
  /** The path's reference tokens, unescaped. */
  segments: string[];
  value?: unknown;
}

/**
 * A JSON Patch body checked the way `/connections` checks it: an array of at least one operation
 * (`1405-400`), ops add/replace/remove (`1434-400`), string paths (`1455-400`), a value for add and replace.
 */
export function parseOps(ops: unknown): PatchOp[] {
  if (!Array.isArray(ops)) throw flowError("1405-400", "Request body must be a JSON Patch array of operations");
  // [choice] An empty patch changes nothing and is refused rather than renewing the etag for nothing.
  if (ops.length === 0) throw flowError("1405-400", "Request body must contain at least one patch operation");
  return ops.map((op, i) => {
    if (!isObject(op)) throw flowError("1405-400", `[${i}]: a patch operation must be an object`);
    const name = patchOpName(op.op);
    if (name === undefined) throw flowError("1434-400", `[${i}].op: unsupported operation '${String(op.op)}' (supported: add, replace, remove)`);
    if (typeof op.path !== "string" || !op.path.startsWith("/")) throw flowError("1455-400", `[${i}].path: must be a JSON pointer string`);
    const segments = op.path.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const bad = segments.find((s) => PROTOTYPE_SEGMENTS.has(s));
    if (bad !== undefined) throw flowError("1100-400", `${op.path}: '${bad}' is not allowed in a patch path`);
    if (name !== "remove" && !("value" in op)) throw flowError("1405-400", `[${i}]: '${op.op}' needs a value`);
    return { op: name, path: op.path, segments, value: op.value };
  });
}

/**
 * Applies one operation to `doc` in place (RFC 6902 add, replace, remove on objects and arrays; `-` appends).
 * A parent that does not exist, or a replace/remove of a member that does not, is a `1455-400`.
 */
export function applyOp(doc: Record<string, unknown>, op: PatchOp): void {
  const notFoundAt = () => flowError("1455-400", `${op.path}: path not found`);
  let parent: unknown = doc;
  for (const segment of op.segments.slice(0, -1)) {
    if (Array.isArray(parent) && /^\d+$/.test(segment) && Number(segment) < parent.length) parent = parent[Number(segment)];
    else if (isObject(parent) && Object.prototype.hasOwnProperty.call(parent, segment)) parent = parent[segment];
    else throw notFoundAt();
  }
  const last = op.segments[op.segments.length - 1];
  const value = structuredClone(op.value);
  if (Array.isArray(parent)) {
    const index = last === "-" && op.op === "add" ? parent.length : /^\d+$/.test(last) ? Number(last) : -1;
    const bound = op.op === "add" ? parent.length : parent.length - 1;
    if (index < 0 || index > bound) throw notFoundAt();
    if (op.op === "add") parent.splice(index, 0, value);
    else if (op.op === "replace") parent[index] = value;
    else parent.splice(index, 1);
    return;
  }
  if (!isObject(parent)) throw notFoundAt();
  const exists = Object.prototype.hasOwnProperty.call(parent, last);
  if (op.op !== "add" && !exists) throw notFoundAt();
  if (op.op === "remove") delete parent[last];
  else parent[last] = value;
}
