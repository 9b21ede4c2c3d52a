/**
 * The control API under /__admin: never logged, faulted or throttled. JSON in, JSON out, errors as
 * `{"error": "..."}`. Needs `x-admin-token` when the emulator has an admin token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { adminAccessError } from "../admin-access";
import { adminError, ApiError } from "../errors";
import { parseRateLimit, routeOf, TokenBucket } from "../faults";
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

export function registerAdmin(app: FastifyInstance, state: EmulatorState): void {
  type Handler = (req: FastifyRequest) => Result | Promise<Result>;
  const route = (handler: Handler) => (req: FastifyRequest, reply: FastifyReply) =>
    respond(req, reply, "/__admin", () => handler(req));
  // Checked before the body is read, for known and unknown admin routes alike (a refusal tells a stranger nothing).
  app.addHook("onRequest", async (req, reply) => {
    if (routeOf(req.routeOptions.url, req.url) !== null) return;
    const refusal = adminAccessError(req, state.adminToken);
    if (refusal) {
      send(req, reply, refusal.result);
      return reply;
    }
  });
  const P = "/__admin";
  const ok = (body: unknown): Result => ({ status: 200, body });

  app.post(`${P}/reset`, route(() => reset(state)));
  app.get(`${P}/requests`, route(() => ok(state.traffic.log.snapshot())));
  app.delete(`${P}/requests`, route(() => (state.traffic.log.clear(), { status: 204 })));
  app.post(`${P}/faults`, route((req) => ({ status: 201, body: { id: state.traffic.faults.add(jsonBody(req.body)).id } })));
  app.get(`${P}/faults`, route(() => ok({ items: state.traffic.faults.list() })));
  app.delete(`${P}/faults`, route(() => (state.traffic.faults.clear(), { status: 204 })));
  app.put(
    `${P}/rate-limit`,
    route((req) => {
      const { requestsPerSecond, burst } = parseRateLimit(jsonBody(req.body));
      state.traffic.bucket = new TokenBucket(requestsPerSecond, burst);
      return { status: 204 };
    }),
  );
  app.delete(`${P}/rate-limit`, route(() => ((state.traffic.bucket = null), { status: 204 })));
  app.get(`${P}/connections`, route(() => ok({ items: state.store.all().map((c) => renderAdminConnection(c, state.baseUrl)) })));
  app.get(`${P}/connections/:id`, route((req) => ok(renderAdminConnection(stored(state, req), state.baseUrl))));
  app.patch(`${P}/connections/:id`, route((req) => drift(state, req)));
  app.delete(
    `${P}/connections/:id`,
    route(async (req) => {
      await state.store.delete(stored(state, req).id);
      return { status: 204 };
    }),
  );
  app.put(`${P}/connections/:id/dataflows`, route((req) => setDataflows(state, req)));
  app.get(`${P}/inlets/:inletId/events`, route((req) => {
    const items = state.store.events((req.params as { inletId: string }).inletId);
    return ok({ items: items.map(({ receivedTimeMs, xactionId, body }) => ({ receivedTimeMs, xactionId, body })) });
  }));
  app.get(`${P}/clients`, route(() => ok({ items: [...state.clients.values()] })));
}
