/**
 * The control API under /__admin: never logged, faulted or throttled. JSON in, JSON out, errors as
 * `{"error": "..."}`. Needs `x-admin-token` when the emulator has an admin token.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { adminError } from "../errors";
import { parseRateLimit, TokenBucket } from "../faults";
import { respond } from "../http";
import { ADMIN_ACTOR, newEtag, renderAdminConnection } from "../model";
import { findAuthSpec, findSpec, STREAMING_SPEC_ID } from "../specs";
import type { EmulatorState } from "../state";
import type { Params, Result, StoredConnection } from "../types";
import { header, isObject } from "../util";
import { validateParams } from "../validation";

function jsonBody(raw: unknown): unknown {
  const text = typeof raw === "string" ? raw.trim() : "";
  if (text === "") return {};
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

/** A change behind the client's back: name, description, params merged (null removes a param). */
async function drift(state: EmulatorState, req: FastifyRequest): Promise<Result> {
  const current = stored(state, req);
  const body = jsonBody(req.body);
  if (!isObject(body)) throw adminError(400, "body must be a JSON object");
  const next: StoredConnection = { ...current };
  if (body.name !== undefined) {
    if (typeof body.name !== "string" || body.name.trim() === "") throw adminError(400, "name must be a non-empty string");
    next.name = body.name;
  }
  if (body.description !== undefined) {
    if (typeof body.description !== "string") throw adminError(400, "description must be a string");
    next.description = body.description;
  }
  if (body.auth !== undefined) {
    if (!current.auth) throw adminError(400, "this connection has no auth");
    if (!isObject(body.auth) || !isObject(body.auth.params)) throw adminError(400, "auth.params must be an object");
    const params: Params = { ...current.auth.params };
    for (const [k, v] of Object.entries(body.auth.params)) {
      if (v === null) delete params[k];
      else params[k] = v;
    }
    const spec = findSpec(current.connectionSpec.id);
    const authSpec = spec && findAuthSpec(spec, current.auth.specName);
    const { inletId, ...rest } = params;
    const problem = authSpec ? validateParams(authSpec, current.connectionSpec.id === STREAMING_SPEC_ID ? rest : params) : null;
    if (problem) throw adminError(400, problem);
    if (current.connectionSpec.id === STREAMING_SPEC_ID && inletId !== current.auth.params.inletId) {
      throw adminError(400, "auth.params.inletId cannot be changed");
    }
    next.auth = { specName: current.auth.specName, params };
  }
  const now = Date.now();
  Object.assign(next, { updatedAt: now, updatedBy: ADMIN_ACTOR, updatedClient: ADMIN_ACTOR, etag: newEtag(current.etag, now) });
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
    respond(req, reply, "/__admin", () => {
      // [choice] Without an admin token (only allowed on loopback) the admin API is open.
      if (state.adminToken !== undefined && header(req.headers, "x-admin-token") !== state.adminToken) {
        throw adminError(401, "x-admin-token header missing or wrong");
      }
      return handler(req);
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
