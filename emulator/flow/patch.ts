/**
 * `PATCH /connections/{id}`: a JSON Patch (RFC 6902) restricted to what Flow Service lets a client change:
 * `/name`, `/description`, `/auth/params` and `/auth/params/<field>`, with ops add, replace, remove (any case).
 */
import { flowError } from "../errors";
import { isObject } from "../util";
import { patchOpName } from "./entities";
import type { SpecRegistry } from "./spec-registry";
import { findAuthSpec, STREAMING_FIXED_PARAMS, STREAMING_SERVER_PARAMS, STREAMING_SPEC_ID } from "./specs";
import type { Params, StoredConnection } from "../types";
import { validateParams } from "./validation";

export interface PatchResult {
  name: string;
  description: string;
  params?: Params;
}

type Target = { kind: "name" } | { kind: "description" } | { kind: "params" } | { kind: "param"; field: string };

function unescapePointer(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** [choice] Segments that reach an object's prototype; any path through one is refused as invalid input. */
const PROTOTYPE_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

function targetOf(path: unknown, hasAuth: boolean): Target {
  if (typeof path !== "string") throw flowError("1455-400", "path: must be a JSON pointer string");
  const segment = path.split("/").map(unescapePointer).find((s) => PROTOTYPE_SEGMENTS.has(s));
  if (segment !== undefined) throw flowError("1100-400", `${path}: '${segment}' is not allowed in a patch path`);
  if (path === "/connectionSpec" || path.startsWith("/connectionSpec/")) {
    throw flowError("1414-400", `${path}: the connection spec of a connection cannot be changed; create a new connection`);
  }
  if (path === "/name") return { kind: "name" };
  if (path === "/description") return { kind: "description" };
  if (hasAuth && path === "/auth/params") return { kind: "params" };
  const m = /^\/auth\/params\/([^/]+)$/.exec(path);
  if (hasAuth && m) return { kind: "param", field: unescapePointer(m[1]) };
  throw flowError("1455-400", `${path}: path not found or not patchable (allowed: /name, /description, /auth/params, /auth/params/<field>)`);
}

/** Applies the ops to a copy of the connection's patchable fields; throws a Flow error on the first bad op. */
export function applyPatch(connection: StoredConnection, ops: unknown, specs: SpecRegistry, inletUrl?: string): PatchResult {
  if (!Array.isArray(ops)) throw flowError("1405-400", "Request body must be a JSON Patch array of operations");
  // [choice] An empty patch changes nothing and is refused rather than renewing the etag for nothing.
  if (ops.length === 0) throw flowError("1405-400", "Request body must contain at least one patch operation");
  const result: PatchResult = { name: connection.name, description: connection.description };
  // The rendered inletUrl counts as present, so a patch that names it gets the "cannot be changed" answer.
  if (connection.auth) result.params = { ...connection.auth.params, ...(inletUrl ? { inletUrl } : {}) };
  const fixed: ReadonlySet<string> = new Set(
    connection.connectionSpec.id === STREAMING_SPEC_ID ? [...STREAMING_SERVER_PARAMS, ...STREAMING_FIXED_PARAMS] : [],
  );
  for (const [i, op] of ops.entries()) {
    if (!isObject(op)) throw flowError("1405-400", `[${i}]: a patch operation must be an object`);
    const name = patchOpName(op.op);
    if (name === undefined) throw flowError("1434-400", `[${i}].op: unsupported operation '${String(op.op)}' (supported: add, replace, remove)`);
    const target = targetOf(op.path, connection.auth !== undefined);
    if (name !== "remove" && !("value" in op)) throw flowError("1405-400", `[${i}]: '${op.op}' needs a value`);
    if (name === "remove" && target.kind === "param" && fixed.has(target.field)) {
      throw flowError("1100-400", `auth.params.${target.field}: cannot be changed after creation (it is fixed by the inlet); create a new connection`);
    }
    applyOne(result, name, target, op.value, String(op.path));
  }
  if (connection.auth && result.params) result.params = checkParams(connection, result.params, specs, inletUrl);
  return result;
}

function applyOne(r: PatchResult, op: string, t: Target, value: unknown, path: string): void {
  switch (t.kind) {
    case "name":
      if (op === "remove") throw flowError("1100-400", "name: is required and cannot be removed");
      if (typeof value !== "string" || value.trim() === "") throw flowError("1100-400", "name: must be a non-empty string");
      r.name = value;
      return;
    case "description":
      if (op === "remove") r.description = "";
      else if (typeof value !== "string") throw flowError("1100-400", "description: must be string");
      else r.description = value;
      return;
    case "params":
      if (op === "remove") throw flowError("1100-400", "auth.params: is required and cannot be removed");
      if (!isObject(value)) throw flowError("1100-400", "auth.params: must be object");
      r.params = { ...value };
      return;
    case "param": {
      const params = r.params as Params;
      const exists = Object.prototype.hasOwnProperty.call(params, t.field);
      if (op !== "add" && !exists) throw flowError("1455-400", `${path}: path not found (auth.params.${t.field} is not set)`);
      if (op === "remove") delete params[t.field];
      else params[t.field] = value;
    }
  }
}

/**
 * [choice] Streaming params set by the server (inletId, inletUrl) or fixed at creation (sourceId, dataType,
 * authenticationRequired) keep their value when a patch leaves them out, and a patch that changes them is a
 * `1100-400`. The result must still satisfy the auth spec's schema.
 */
function checkParams(connection: StoredConnection, params: Params, specs: SpecRegistry, inletUrl?: string): Params {
  const streaming = connection.connectionSpec.id === STREAMING_SPEC_ID;
  const next: Params = { ...params };
  if (streaming) {
    const current: Params = { ...connection.auth?.params, inletUrl };
    for (const key of [...STREAMING_SERVER_PARAMS, ...STREAMING_FIXED_PARAMS]) {
      if (key in next && next[key] !== current[key]) {
        throw flowError("1100-400", `auth.params.${key}: cannot be changed after creation (it is fixed by the inlet); create a new connection`);
      }
      if (current[key] !== undefined) next[key] = current[key]; // left out of a whole-object replace: kept
    }
    delete next.inletUrl; // rendered from the base URL, never stored
  }
  const spec = specs.connectionSpec(connection.connectionSpec.id);
  const auth = spec && connection.auth ? findAuthSpec(spec, connection.auth.specName) : undefined;
  if (!auth) return next;
  const { inletId: _serverFilled, ...clientParams } = next;
  const problem = validateParams(auth, streaming ? clientParams : next);
  if (problem) throw flowError("1100-400", problem);
  return next;
}
