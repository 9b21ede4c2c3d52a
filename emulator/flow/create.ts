/**
 * Validation of `POST /connections` and the connection it creates. Checks run in a fixed order so that
 * a request with several faults always gets the same answer (see the README's [choice] list).
 */
import { flowError } from "../errors";
import type { Fields } from "./collection";
import { newInletId } from "./model";
import type { SpecRegistry } from "./spec-registry";
import { findAuthSpec, STREAMING_SERVER_PARAMS, STREAMING_SPEC_ID, type ConnectionSpec } from "./specs";
import type { Params, StoredConnection } from "../types";
import { isObject } from "../util";
import { validateParams } from "./validation";

const TOP_LEVEL = new Set(["name", "description", "auth", "connectionSpec", "providerId"]);

/** `connectionSpec`: a known spec (`1413-400`) with its version (`1100-422` when missing), nothing else in it. */
export function checkSpec(body: Record<string, unknown>, specs: SpecRegistry): ConnectionSpec {
  const cs = body.connectionSpec;
  if (!isObject(cs) || cs.id === undefined) throw flowError("1413-400", "connectionSpec.id is required");
  const spec = specs.connectionSpec(cs.id);
  if (!spec) throw flowError("1413-400", `connectionSpec.id: connection spec '${String(cs.id)}' not found`);
  // [choice] 422 when the version is missing, as Adobe's destinations spec requires it.
  if (cs.version === undefined) throw flowError("1100-422", "connectionSpec.version is required");
  if (cs.version !== spec.version) {
    throw flowError("1413-400", `connectionSpec.version: version '${String(cs.version)}' of connection spec '${spec.id}' not found (use "${spec.version}")`);
  }
  for (const key of Object.keys(cs)) {
    if (key !== "id" && key !== "version") throw flowError("1100-400", `connectionSpec.${key}: not allowed`);
  }
  return spec;
}

function checkTopLevel(body: Record<string, unknown>, spec: ConnectionSpec): void {
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.has(key)) throw flowError("1100-400", `${key}: not allowed in a connection`);
  }
  if (body.providerId !== undefined && body.providerId !== spec.providerId) {
    throw flowError(
      "1100-400",
      spec.providerId
        ? `providerId: must be '${spec.providerId}' for connection spec '${spec.id}'`
        : `providerId: connection spec '${spec.id}' has no provider id; omit providerId`,
    );
  }
  if (body.name === undefined) throw flowError("1100-400", "name: missing required property 'name'");
  if (typeof body.name !== "string" || body.name.trim() === "") throw flowError("1100-400", "name: must be a non-empty string");
  if (body.description !== undefined && typeof body.description !== "string") {
    throw flowError("1100-400", "description: must be string");
  }
}

function checkAuth(body: Record<string, unknown>, spec: ConnectionSpec): StoredConnection["auth"] {
  if (spec.authSpec.length === 0) {
    // [choice] Strict: a connection spec without auth specs (dataset base) refuses any auth block.
    if (body.auth !== undefined) throw flowError("1100-400", `auth: not allowed: connection spec '${spec.name}' takes no auth`);
    return undefined;
  }
  const auth = body.auth;
  if (auth === undefined) throw flowError("1100-400", "auth: missing required property 'auth'");
  if (!isObject(auth)) throw flowError("1100-400", "auth: must be object");
  const authSpec = findAuthSpec(spec, auth.specName);
  if (!authSpec) {
    const names = spec.authSpec.map((a) => `'${a.name}'`).join(", ");
    throw flowError("1415-400", `auth.specName: '${String(auth.specName)}' is not an auth spec of connection spec '${spec.id}' (expected one of ${names})`);
  }
  for (const key of Object.keys(auth)) {
    if (key !== "specName" && key !== "params") throw flowError("1100-400", `auth.${key}: not allowed`);
  }
  if (!isObject(auth.params)) throw flowError("1100-400", "auth.params: must be object");
  const params: Params = { ...auth.params };
  if (spec.id === STREAMING_SPEC_ID) {
    for (const key of STREAMING_SERVER_PARAMS) {
      if (key in params) throw flowError("1100-400", `auth.params.${key}: is set by the server and must not be sent`);
    }
  }
  const problem = validateParams(authSpec, params);
  if (problem) throw flowError("1100-400", problem);
  if (spec.id === STREAMING_SPEC_ID) {
    params.sourceId ??= params.name;
    params.authenticationRequired ??= false;
    params.inletId = newInletId();
  }
  return { specName: authSpec.name, params };
}

/**
 * Validates a POST body (parsed) against its connection spec, whichever spec of the registry it names, and
 * builds the connection's fields. Throws a Flow error on the first problem.
 */
export function buildConnection(body: unknown, specs: SpecRegistry): Fields<StoredConnection> {
  if (!isObject(body)) throw flowError("1405-400", "Request body must be a JSON object");
  const spec = checkSpec(body, specs);
  checkTopLevel(body, spec);
  const auth = checkAuth(body, spec);
  const connection: Fields<StoredConnection> = {
    name: body.name as string,
    description: (body.description as string | undefined) ?? "",
    connectionSpec: { id: spec.id, version: spec.version },
    state: "enabled",
    usedByDataflows: 0,
  };
  if (auth) connection.auth = auth;
  if (spec.providerId) connection.providerId = spec.providerId;
  return connection;
}
