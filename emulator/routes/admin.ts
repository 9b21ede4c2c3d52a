/**
 * The control API under /__admin: never logged, faulted or throttled. JSON in, JSON out, errors as
 * `{"error": "..."}`. Needs `x-admin-token` when the emulator has an admin token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { adminAccessError } from "../admin-access";
import { adminError, ApiError } from "../errors";
import { FAULT_FIELDS, FAULT_KINDS, parseRateLimit, RATE_LIMIT_FIELDS, ROUTES, routeOf, TokenBucket } from "../faults";
import { respond, send } from "../http";
import { ADMIN_ACTOR, newEtag, renderAdminConnection } from "../model";
import { applyPatch, type PatchResult } from "../patch";
import type { EmulatorState } from "../state";
import type { Result, StoredConnection } from "../types";
import { isObject, MAX_JSON_DEPTH, nestsDeeperThan } from "../util";

function jsonBody(raw: unknown): unknown {
  const text = typeof raw === "string" ? raw.trim() : "";
  if (text === "") return {};
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw adminError(400, `body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw adminError(400, `body is not valid JSON: ${(e as Error).message}`);
  }
}

function stored(state: EmulatorState, req: FastifyRequest): StoredConnection {
  const id = (req.params as { id: string }).id;
  const c = state.store.get(id);
  if (!c) throw adminError(404, `connection '${id}' not found`);
  return c;
}

/** [choice] What drift may change; the same fields as a client's JSON Patch, through the same checks. */
export const DRIFT_FIELDS: Record<string, string> = {
  name: "new name (non-empty string)",
  description: "new description (string)",
  auth: "{params: {...}}: merged into the params, null removes one; the result must satisfy the auth spec",
};

function pointerTo(field: string): string {
  return `/auth/params/${field.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** The drift body as JSON Patch operations, so it passes exactly the public API's validation. */
function driftOps(current: StoredConnection, body: Record<string, unknown>): unknown[] {
  for (const key of Object.keys(body)) {
    if (!(key in DRIFT_FIELDS)) throw adminError(400, `unknown field '${key}' (allowed: ${Object.keys(DRIFT_FIELDS).join(", ")})`);
  }
  const ops: unknown[] = [];
  if (body.name !== undefined) ops.push({ op: "replace", path: "/name", value: body.name });
  if (body.description !== undefined) ops.push({ op: "replace", path: "/description", value: body.description });
  if (body.auth !== undefined) {
    if (!current.auth) throw adminError(400, "this connection has no auth");
    if (!isObject(body.auth) || !isObject(body.auth.params) || Object.keys(body.auth).some((k) => k !== "params")) {
      throw adminError(400, "auth must be {params: {...}}");
    }
    for (const [field, value] of Object.entries(body.auth.params)) {
      if (value !== null) ops.push({ op: "add", path: pointerTo(field), value });
      else if (Object.prototype.hasOwnProperty.call(current.auth.params, field)) ops.push({ op: "remove", path: pointerTo(field) });
    }
  }
  if (ops.length === 0) throw adminError(400, `nothing to change: send one of ${Object.keys(DRIFT_FIELDS).join(", ")}`);
  return ops;
}

/** A change behind the client's back: validated as a client's PATCH would be, stored with a new etag. */
async function drift(state: EmulatorState, req: FastifyRequest): Promise<Result> {
  const current = stored(state, req);
  const body = jsonBody(req.body);
  if (!isObject(body)) throw adminError(400, "body must be a JSON object");
  const inletId = current.auth?.params.inletId;
  let result: PatchResult;
  try {
    result = applyPatch(current, driftOps(current, body), typeof inletId === "string" ? `${state.baseUrl}/collection/${inletId}` : undefined);
  } catch (e) {
    // The Flow error's message, in the admin API's shape.
    if (e instanceof ApiError && e.result.status < 500) throw adminError(400, String((e.result.body as { errorMessage?: string }).errorMessage ?? (e.result.body as { error?: string }).error));
    throw e;
  }
  const now = Date.now();
  const next: StoredConnection = {
    ...current,
    name: result.name,
    description: result.description,
    updatedAt: now,
    updatedBy: ADMIN_ACTOR,
    updatedClient: ADMIN_ACTOR,
    etag: newEtag(current.etag, now),
  };
  if (current.auth && result.params) next.auth = { specName: current.auth.specName, params: result.params };
  await state.store.put(next);
  return { status: 200, body: renderAdminConnection(next, state.baseUrl) };
}

async function setDataflows(state: EmulatorState, req: FastifyRequest): Promise<Result> {
  const current = stored(state, req);
  const body = jsonBody(req.body);
  const count = isObject(body) ? body.count : undefined;
  if (!Number.isInteger(count) || (count as number) < 0) throw adminError(400, "count must be an integer >= 0");
  await state.store.put({ ...current, usedByDataflows: count as number });
  return { status: 204 };
}

async function reset(state: EmulatorState): Promise<Result> {
  await state.store.clear();
  state.traffic.faults.clear();
  state.traffic.log.clear();
  state.traffic.bucket = null;
  return { status: 204 };
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** One admin route: what the index shows, and the handler the router runs. */
interface AdminRoute {
  method: Method;
  /** Under /__admin. */
  path: string;
  summary: string;
  body?: Readonly<Record<string, string>>;
  run: (state: EmulatorState, req: FastifyRequest) => Result | Promise<Result>;
}

const ok = (body: unknown): Result => ({ status: 200, body });

/** The body of PUT /__admin/connections/{id}/dataflows. */
export const DATAFLOW_FIELDS: Readonly<Record<string, string>> = { count: "integer >= 0: dataflows using the connection; > 0 blocks DELETE (1418-400)" };

/** Every admin route, in one table: the router registers these, and GET /__admin and --help show them. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: "GET", path: "", summary: "this index", run: () => ok(adminIndex()) },
  { method: "POST", path: "/reset", summary: "204: clears connections, faults, rate limit, request log, inlet events (keeps clients and tokens)", run: (state) => reset(state) },
  { method: "GET", path: "/requests", summary: "{total, counts, entries}: the request log", run: (state) => ok(state.traffic.log.snapshot()) },
  { method: "DELETE", path: "/requests", summary: "204: clears the request log", run: (state) => (state.traffic.log.clear(), { status: 204 }) },
  {
    method: "POST",
    path: "/faults",
    summary: "201 {id}: adds a fault rule (first matching rule in insertion order fires)",
    body: FAULT_FIELDS,
    run: (state, req) => ({ status: 201, body: { id: state.traffic.faults.add(jsonBody(req.body)).id } }),
  },
  { method: "GET", path: "/faults", summary: "{items}: the rules, with fired and remaining", run: (state) => ok({ items: state.traffic.faults.list() }) },
  { method: "DELETE", path: "/faults", summary: "204: removes every rule", run: (state) => (state.traffic.faults.clear(), { status: 204 }) },
  {
    method: "PUT",
    path: "/rate-limit",
    summary: "204: token bucket on Flow Service and inlet routes (429 + Retry-After)",
    body: RATE_LIMIT_FIELDS,
    run: (state, req) => {
      const { requestsPerSecond, burst } = parseRateLimit(jsonBody(req.body));
      state.traffic.bucket = new TokenBucket(requestsPerSecond, burst);
      return { status: 204 };
    },
  },
  { method: "DELETE", path: "/rate-limit", summary: "204: removes the rate limit", run: (state) => ((state.traffic.bucket = null), { status: 204 }) },
  {
    method: "GET",
    path: "/connections",
    summary: "{items}: every connection, secrets in clear",
    run: (state) => ok({ items: state.store.all().map((c) => renderAdminConnection(c, state.baseUrl)) }),
  },
  { method: "GET", path: "/connections/:id", summary: "one connection, or 404", run: (state, req) => ok(renderAdminConnection(stored(state, req), state.baseUrl)) },
  { method: "PATCH", path: "/connections/:id", summary: "200 item: drift, a change behind the client's back", body: DRIFT_FIELDS, run: drift },
  {
    method: "DELETE",
    path: "/connections/:id",
    summary: "204: a delete behind the client's back",
    run: async (state, req) => {
      await state.store.delete(stored(state, req).id);
      return { status: 204 };
    },
  },
  { method: "PUT", path: "/connections/:id/dataflows", summary: "204: marks the connection as used by dataflows", body: DATAFLOW_FIELDS, run: setDataflows },
  {
    method: "GET",
    path: "/inlets/:inletId/events",
    summary: "{items}: what the inlet received, oldest first",
    run: (state, req) => {
      const items = state.store.events((req.params as { inletId: string }).inletId);
      return ok({ items: items.map(({ receivedTimeMs, xactionId, body }) => ({ receivedTimeMs, xactionId, body })) });
    },
  },
  { method: "GET", path: "/clients", summary: "{items}: the IMS clients", run: (state) => ok({ items: [...state.clients.values()] }) },
];

/** The admin API described from the tables the routes use. */
export function adminIndex(): Record<string, unknown> {
  return {
    routes: ADMIN_ROUTES.map(({ method, path, summary, body }) => ({ method, path: `/__admin${path.replace(/:(\w+)/g, "{$1}")}`, summary, ...(body ? { body } : {}) })),
    faultKinds: FAULT_KINDS,
    faultRoutes: ROUTES,
  };
}

/** The index as text, for `aep-flow-emulator --help`. */
export function adminIndexText(): string {
  const lines = ["Admin API (JSON; x-admin-token when a token is set, else a loopback Host; writes as application/json):"];
  for (const r of ADMIN_ROUTES) {
    lines.push(`  ${r.method.padEnd(6)} /__admin${r.path.replace(/:(\w+)/g, "{$1}")}  ${r.summary}`);
    for (const [field, what] of Object.entries(r.body ?? {})) lines.push(`           ${field}: ${what}`);
  }
  lines.push("  Fault kinds:");
  for (const [kind, what] of Object.entries(FAULT_KINDS)) lines.push(`    ${kind.padEnd(16)} ${what}`);
  return lines.join("\n");
}

export function registerAdmin(app: FastifyInstance, state: EmulatorState): void {
  // Checked before the body is read, for known and unknown admin routes alike (a refusal tells a stranger nothing).
  app.addHook("onRequest", async (req, reply) => {
    if (routeOf(req.routeOptions.url, req.url) !== null) return;
    const refusal = adminAccessError(req, state.adminToken);
    if (refusal) {
      send(req, reply, refusal.result);
      return reply;
    }
  });
  for (const r of ADMIN_ROUTES) {
    app.route({
      method: r.method,
      url: `/__admin${r.path}`,
      handler: (req: FastifyRequest, reply: FastifyReply) => respond(req, reply, "/__admin", () => r.run(state, req)),
    });
  }
}
