/**
 * The control API over HTTP, under /__admin: never logged, faulted or throttled. JSON in, JSON out, errors
 * as `{"error": "..."}`. Each route parses the body, calls the in-process control API (control.ts) and
 * renders its value. Needs `x-admin-token` when the emulator has an admin token (access.ts).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { adminError } from "../errors";
import { respond, send } from "../http";
import { ROUTE_KEYS, routeKeyOf, type Method } from "../routes/table";
import { FAULT_FIELDS, FAULT_KINDS, type FaultRuleInput } from "../traffic/faults";
import { LATENCY_FIELDS } from "../traffic/latency";
import { RATE_LIMIT_FIELDS } from "../traffic/rate-limit";
import type { RateLimitConfig, Result } from "../types";
import { isObject, MAX_JSON_DEPTH, nestsDeeperThan } from "../util";
import { adminAccessError } from "./access";
import { REMOTE_FIELDS, type RemoteInput } from "../flow/remotes";
import { DRIFT_FIELDS, FLOW_DRIFT_FIELDS, type DriftChanges, type EmulatorControl, type FlowDriftChanges } from "./control";
import { DATASET_FIELDS, SCHEMA_FIELDS, type AdminDatasetInput, type AdminSchemaInput } from "./references";

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

const param = (req: FastifyRequest, name: string) => (req.params as Record<string, string>)[name];
const ok = (body: unknown): Result => ({ status: 200, body });
const done = (status: number) => (): Result => ({ status });

/** One admin route: what the index shows, and what the router runs. */
interface AdminRoute {
  method: Method;
  /** Under /__admin. */
  path: string;
  summary: string;
  body?: Readonly<Record<string, string>>;
  run: (control: EmulatorControl, req: FastifyRequest) => Result | Promise<Result>;
}

/** The body of PUT /__admin/connections/{id}/dataflows: the old test hook, from before flows were emulated. */
const DATAFLOW_FIELDS: Readonly<Record<string, string>> = { count: "integer >= 0: dataflows using the connection; > 0 blocks DELETE (1418-400); the old test hook, real flows block it too" };

/** Every admin route, in one table: the router registers these, and GET /__admin and --help show them. */
export const ADMIN_ROUTES: readonly AdminRoute[] = [
  { method: "GET", path: "", summary: "this index", run: () => ok(adminIndex()) },
  { method: "POST", path: "/reset", summary: "204: clears connections, source/target connections, flows, mapping sets, datasets and schemas added (the demo ones stay), faults, rate limit, latency, request log, inlet events, remotes (keeps clients and tokens)", run: (c) => c.reset().then(done(204)) },
  { method: "GET", path: "/requests", summary: "{total, counts, entries}: the request log", run: (c) => ok(c.requests()) },
  { method: "DELETE", path: "/requests", summary: "204: clears the request log", run: (c) => (c.clearRequests(), done(204)()) },
  {
    method: "POST",
    path: "/faults",
    summary: "201 {id}: adds a fault rule (first matching rule in insertion order fires)",
    body: FAULT_FIELDS,
    run: (c, req) => ({ status: 201, body: c.addFault(jsonBody(req.body) as FaultRuleInput) }),
  },
  { method: "GET", path: "/faults", summary: "{items}: the rules, with fired and remaining", run: (c) => ok({ items: c.faults() }) },
  { method: "DELETE", path: "/faults", summary: "204: removes every rule", run: (c) => (c.clearFaults(), done(204)()) },
  {
    method: "PUT",
    path: "/rate-limit",
    summary: "204: token bucket on Flow Service and inlet routes (429 + Retry-After)",
    body: RATE_LIMIT_FIELDS,
    run: (c, req) => (c.setRateLimit(jsonBody(req.body) as RateLimitConfig), done(204)()),
  },
  { method: "DELETE", path: "/rate-limit", summary: "204: removes the rate limit", run: (c) => (c.clearRateLimit(), done(204)()) },
  {
    method: "PUT",
    path: "/latency",
    summary: "204: a fixed delay before every request but /__admin",
    body: LATENCY_FIELDS,
    run: (c, req) => (c.setLatency(jsonBody(req.body) as { latencyMs: number }), done(204)()),
  },
  { method: "GET", path: "/latency", summary: "{latencyMs}: the fixed delay", run: (c) => ok(c.latency()) },
  { method: "GET", path: "/connections", summary: "{items}: every connection, secrets in clear", run: (c) => ok({ items: c.connections() }) },
  { method: "GET", path: "/connections/:id", summary: "one connection, or 404", run: (c, req) => ok(c.connection(param(req, "id"))) },
  {
    method: "PATCH",
    path: "/connections/:id",
    summary: "200 item: drift, a change behind the client's back",
    body: DRIFT_FIELDS,
    // An unknown connection is a 404 before the body is read.
    run: async (c, req) => (c.connection(param(req, "id")), ok(await c.drift(param(req, "id"), jsonBody(req.body) as DriftChanges))),
  },
  { method: "DELETE", path: "/connections/:id", summary: "204: a delete behind the client's back", run: (c, req) => c.deleteConnection(param(req, "id")).then(done(204)) },
  {
    method: "PUT",
    path: "/connections/:id/dataflows",
    summary: "204: marks the connection as used by dataflows (the old test hook)",
    body: DATAFLOW_FIELDS,
    run: async (c, req) => {
      c.connection(param(req, "id")); // an unknown connection is a 404 before the body is read
      const body = jsonBody(req.body);
      await c.setDataflows(param(req, "id"), (isObject(body) ? body.count : undefined) as number);
      return { status: 204 };
    },
  },
  // Pipeline entities: every org and sandbox; deletes check nothing (orphans on purpose).
  { method: "GET", path: "/sourceConnections", summary: "{items}: every source connection", run: (c) => ok({ items: c.sourceConnections() }) },
  { method: "GET", path: "/sourceConnections/:id", summary: "one source connection, or 404", run: (c, req) => ok(c.sourceConnection(param(req, "id"))) },
  { method: "DELETE", path: "/sourceConnections/:id", summary: "204: a delete behind the client's back (no integrity check)", run: (c, req) => c.deleteSourceConnection(param(req, "id")).then(done(204)) },
  { method: "GET", path: "/targetConnections", summary: "{items}: every target connection", run: (c) => ok({ items: c.targetConnections() }) },
  { method: "GET", path: "/targetConnections/:id", summary: "one target connection, or 404", run: (c, req) => ok(c.targetConnection(param(req, "id"))) },
  { method: "DELETE", path: "/targetConnections/:id", summary: "204: a delete behind the client's back (no integrity check)", run: (c, req) => c.deleteTargetConnection(param(req, "id")).then(done(204)) },
  { method: "GET", path: "/flows", summary: "{items}: every flow", run: (c) => ok({ items: c.flows() }) },
  { method: "GET", path: "/flows/:id", summary: "one flow, or 404", run: (c, req) => ok(c.flow(param(req, "id"))) },
  {
    method: "PATCH",
    path: "/flows/:id",
    summary: "200 item: drift on a flow (state, schedule) behind the client's back, new etag",
    body: FLOW_DRIFT_FIELDS,
    run: async (c, req) => (c.flow(param(req, "id")), ok(await c.driftFlow(param(req, "id"), jsonBody(req.body) as FlowDriftChanges))),
  },
  { method: "DELETE", path: "/flows/:id", summary: "204: a delete behind the client's back", run: (c, req) => c.deleteFlow(param(req, "id")).then(done(204)) },
  { method: "GET", path: "/mappingSets", summary: "{items}: every mapping set, each with the versions kept", run: (c) => ok({ items: c.mappingSets() }) },
  {
    method: "GET",
    path: "/mappingSets/usage",
    summary: "{sets, versionsKept, versionsDropped, bytes, limits}: what mapping sets hold against --mapping-set-versions and --mapping-set-bytes",
    run: (c) => ok(c.mappingSetUsage()),
  },
  { method: "GET", path: "/mappingSets/:id", summary: "one mapping set with the versions kept, or 404", run: (c, req) => ok(c.mappingSet(param(req, "id"))) },
  {
    method: "PUT",
    path: "/mappingSets/:id",
    summary: "200 mapping set: a new version behind the client's back (the body of a client's PUT)",
    run: async (c, req) => (c.mappingSet(param(req, "id")), ok(await c.putMappingSetVersion(param(req, "id"), jsonBody(req.body)))),
  },
  { method: "DELETE", path: "/mappingSets/:id", summary: "204: removes a mapping set (Data Prep has no DELETE)", run: (c, req) => c.deleteMappingSet(param(req, "id")).then(done(204)) },
  // Catalog's datasets and Schema Registry's schemas: the demo ones (seed: true, in every org and sandbox) and those added.
  { method: "GET", path: "/dataSets", summary: "{items}: every dataset, the demo ones first", run: (c) => ok({ items: c.datasets() }) },
  { method: "GET", path: "/dataSets/:id", summary: "one dataset, or 404", run: (c, req) => ok(c.dataset(param(req, "id"))) },
  {
    method: "POST",
    path: "/dataSets",
    summary: "201 dataset: adds a dataset to an org and sandbox, on a schema there",
    body: DATASET_FIELDS,
    run: async (c, req) => ({ status: 201, body: await c.addDataset(jsonBody(req.body) as AdminDatasetInput) }),
  },
  { method: "DELETE", path: "/dataSets/:id", summary: "204: removes a dataset added (target connections naming it stay)", run: (c, req) => c.deleteDataset(param(req, "id")).then(done(204)) },
  { method: "GET", path: "/schemas", summary: "{items}: every schema (as xed-full shows it), the demo ones first", run: (c) => ok({ items: c.schemas() }) },
  { method: "GET", path: "/schemas/:id", summary: "one schema by URL-encoded $id or meta:altId, or 404", run: (c, req) => ok(c.schema(param(req, "id"))) },
  {
    method: "POST",
    path: "/schemas",
    summary: "201 schema: adds a tenant schema to an org and sandbox",
    body: SCHEMA_FIELDS,
    run: async (c, req) => ({ status: 201, body: await c.addSchema(jsonBody(req.body) as AdminSchemaInput) }),
  },
  { method: "DELETE", path: "/schemas/:id", summary: "204: removes a schema added, unless a dataset uses it", run: (c, req) => c.deleteSchema(param(req, "id")).then(done(204)) },
  { method: "GET", path: "/inlets/:inletId/events", summary: "{items}: what the inlet received, oldest first", run: (c, req) => ok({ items: c.inletEvents(param(req, "inletId")) }) },
  { method: "GET", path: "/clients", summary: "{items}: the IMS clients", run: (c) => ok({ items: c.clients() }) },
  // Simulated remotes (what /connections/{id}/test and /explore answer from).
  {
    method: "POST",
    path: "/remotes",
    summary: "201 {id}: registers a simulated FTP/SFTP host or S3 bucket: the credentials it accepts and its files",
    body: REMOTE_FIELDS,
    run: (c, req) => ({ status: 201, body: c.addRemote(jsonBody(req.body) as RemoteInput) }),
  },
  { method: "GET", path: "/remotes", summary: "{items}: the simulated remotes, credentials in clear", run: (c) => ok({ items: c.remotes() }) },
  { method: "DELETE", path: "/remotes", summary: "204: removes every simulated remote", run: (c) => (c.clearRemotes(), done(204)()) },
  { method: "DELETE", path: "/remotes/:id", summary: "204: removes one simulated remote, or 404", run: (c, req) => (c.removeRemote(param(req, "id")), done(204)()) },
];

/** The admin API described from the tables the routes use. */
function adminIndex(): Record<string, unknown> {
  return {
    routes: ADMIN_ROUTES.map(({ method, path, summary, body }) => ({ method, path: `/__admin${path.replace(/:(\w+)/g, "{$1}")}`, summary, ...(body ? { body } : {}) })),
    faultKinds: FAULT_KINDS,
    faultRoutes: ROUTE_KEYS,
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

export function registerAdmin(app: FastifyInstance, control: EmulatorControl, adminToken: string | undefined): void {
  // Checked before the body is read, for known and unknown admin routes alike (a refusal tells a stranger nothing).
  app.addHook("onRequest", async (req, reply) => {
    if (routeKeyOf(req) !== null) return;
    const refusal = adminAccessError(req, adminToken);
    if (refusal) {
      send(req, reply, refusal.result);
      return reply;
    }
  });
  for (const r of ADMIN_ROUTES) {
    const url = `/__admin${r.path}`;
    app.route({ method: r.method, url, config: { route: url, service: "admin" }, handler: (req, reply) => respond(req, reply, () => r.run(control, req)) });
  }
}
