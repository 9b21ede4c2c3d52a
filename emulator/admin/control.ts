/**
 * The control API: faults, rate limit, request log, connections, source and target connections, flows and
 * mapping sets behind the client's back, datasets and schemas added, dataflow marks (the old test hook), inlet
 * events, simulated remotes, reset. Tests call it in process (`startEmulator().control`); the HTTP admin API
 * (routes.ts) parses JSON, calls these same methods and renders their values, for other languages and CI.
 * Inputs are checked here, whichever way they came: a bad one throws the admin API's 400 (`ApiError`).
 */
import { ADMIN_ACTOR, renderAdminConnection } from "../flow/model";
import { adminAssert, adminError, ApiError } from "../errors";
import type { EmulatorState } from "../state";
import type { FaultRule, FaultRuleInput } from "../traffic/faults";
import { parseLatency } from "../traffic/latency";
import { parseRateLimit, TokenBucket } from "../traffic/rate-limit";
import type { LogEntry } from "../traffic/request-log";
import { checkMappingSetBody, renderAdminMappingSet } from "../dataprep/mapping-sets";
import type { MappingSetUsage } from "../dataprep/retention";
import { driftFlow, type FlowChanges } from "../flow/flows";
import { renderSourceConnection } from "../flow/source-connections";
import { renderTargetConnection } from "../flow/target-connections";
import type { EmulatorClient, RateLimitConfig, StoredConnection, StoredFlow, StoredMappingSet } from "../types";
import { isObject } from "../util";
import type { Remote, RemoteInput } from "../flow/remotes";
import { adminDataset, adminSchema, datasetInput, schemaInput, scopeFrom, seedDatasets, seedSchemas, type AdminDatasetInput, type AdminSchemaInput } from "./references";
import { schemaUri } from "../xdm/render";

/**
 * A connection as the admin API shows it: the API's item with secrets in clear, plus `usedByDataflows`.
 * `any` on purpose: it is open JSON that tests read field by field, nested (`c.auth.params.host`); its
 * shape is the contract document's, not a type this island exports to its callers.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AdminConnection = Record<string, any>;

/** A change behind the client's back: each field as a client's JSON Patch would set it; `null` removes a param. */
export interface DriftChanges {
  name?: string;
  description?: string;
  auth?: { params: Record<string, unknown> };
}

/** A source or target connection, flow or mapping set as the admin API shows it (every org and sandbox); open JSON, as AdminConnection. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AdminEntity = Record<string, any>;

/** A flow changed behind the client's back: a new state or schedule (or name, description). */
export type FlowDriftChanges = FlowChanges;

/** [choice] What flow drift may change; each is checked as a client's write is (the schedule against the flow spec). */
export const FLOW_DRIFT_FIELDS: Readonly<Record<keyof FlowDriftChanges, string>> = {
  name: "new name (non-empty string)",
  description: "new description (string)",
  state: '"enabled" | "disabled"',
  scheduleParams: "the whole new schedule {startTime, frequency, interval?, backfill?}, checked against the flow spec",
};

/**
 * A Flow or Data Prep error from a change behind the client's back, in the admin API's shape: a 400, or a 507
 * when Data Prep's limits cannot fit a new version (retention.ts).
 */
async function asAdmin<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ApiError && (e.result.status < 500 || e.result.status === 507)) {
      const body = e.result.body as { errorMessage?: string; error?: string; detail?: string };
      throw adminError(e.result.status === 507 ? 507 : 400, String(body.errorMessage ?? body.error ?? body.detail));
    }
    throw e;
  }
}

export interface RequestLogView {
  total: number;
  /** By `"<METHOD> <route>"`. */
  counts: Record<string, number>;
  /** The last 10,000, oldest first. */
  entries: LogEntry[];
}

export interface InletEventView {
  receivedTimeMs: number;
  xactionId: string;
  body: unknown;
}

/** [choice] What drift may change; the same fields as a client's JSON Patch, through the same checks. */
export const DRIFT_FIELDS: Readonly<Record<keyof DriftChanges, string>> = {
  name: "new name (non-empty string)",
  description: "new description (string)",
  auth: "{params: {...}}: merged into the params, null removes one; the result must satisfy the auth spec",
};

const ADMIN: { by: string; client: string } = { by: ADMIN_ACTOR, client: ADMIN_ACTOR };

function pointerTo(field: string): string {
  return `/auth/params/${field.replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** The drift body as JSON Patch operations, so it passes exactly the public API's validation. */
function driftOps(current: StoredConnection, body: Record<string, unknown>): unknown[] {
  for (const key of Object.keys(body)) {
    adminAssert(key in DRIFT_FIELDS, `unknown field '${key}' (allowed: ${Object.keys(DRIFT_FIELDS).join(", ")})`);
  }
  const ops: unknown[] = [];
  if (body.name !== undefined) ops.push({ op: "replace", path: "/name", value: body.name });
  if (body.description !== undefined) ops.push({ op: "replace", path: "/description", value: body.description });
  if (body.auth !== undefined) {
    adminAssert(current.auth !== undefined, "this connection has no auth");
    const auth = body.auth;
    adminAssert(isObject(auth) && isObject(auth.params) && Object.keys(auth).every((k) => k === "params"), "auth must be {params: {...}}");
    const params = (auth as { params: Record<string, unknown> }).params;
    for (const [field, value] of Object.entries(params)) {
      if (value !== null) ops.push({ op: "add", path: pointerTo(field), value });
      else if (Object.prototype.hasOwnProperty.call(current.auth?.params, field)) ops.push({ op: "remove", path: pointerTo(field) });
    }
  }
  adminAssert(ops.length > 0, `nothing to change: send one of ${Object.keys(DRIFT_FIELDS).join(", ")}`);
  return ops;
}

export class EmulatorControl {
  constructor(private readonly state: EmulatorState) {}

  /**
   * Clears connections, source and target connections, flows, mapping sets, the datasets and schemas added (the
   * demo ones stay), faults, rate limit, latency, request log, inlet events and simulated remotes; keeps clients
   * and tokens.
   */
  async reset(): Promise<void> {
    await this.state.store.clear();
    this.state.traffic.faults.clear();
    this.state.traffic.log.clear();
    this.state.traffic.bucket = null;
    this.state.remotes.clear();
    this.state.traffic.latencyMs = 0;
  }

  requests(): RequestLogView {
    return this.state.traffic.log.snapshot();
  }

  clearRequests(): void {
    this.state.traffic.log.clear();
  }

  /** Adds a fault rule (the first matching rule, in insertion order, fires). */
  addFault(rule: FaultRuleInput): { id: string } {
    return { id: this.state.traffic.faults.add(rule).id };
  }

  faults(): Array<FaultRule & { remaining?: number }> {
    return structuredClone(this.state.traffic.faults.list());
  }

  clearFaults(): void {
    this.state.traffic.faults.clear();
  }

  /** A token bucket on Flow Service and inlet routes (429 + Retry-After), replacing any other. */
  setRateLimit(limit: RateLimitConfig): void {
    const { requestsPerSecond, burst } = parseRateLimit(limit);
    this.state.traffic.bucket = new TokenBucket(requestsPerSecond, burst, this.state.clock);
  }

  clearRateLimit(): void {
    this.state.traffic.bucket = null;
  }

  /** A fixed delay before every request but /__admin (0 removes it). */
  setLatency(latency: { latencyMs: number }): void {
    this.state.traffic.latencyMs = parseLatency(latency);
  }

  latency(): { latencyMs: number } {
    return { latencyMs: this.state.traffic.latencyMs };
  }

  /** Every connection, across orgs and sandboxes, secrets in clear. */
  connections(): AdminConnection[] {
    return this.state.collections.connections.all().map((c) => renderAdminConnection(c, this.state.baseUrl));
  }

  connection(id: string): AdminConnection {
    return renderAdminConnection(this.stored(id), this.state.baseUrl);
  }

  /** A change behind the client's back: checked as a client's PATCH is, stored with a new etag. */
  async drift(id: string, changes: DriftChanges): Promise<AdminConnection> {
    const current = this.stored(id);
    adminAssert(isObject(changes), "body must be a JSON object");
    let next: StoredConnection;
    try {
      next = await this.state.collections.connections.change(current, driftOps(current, changes as Record<string, unknown>), ADMIN);
    } catch (e) {
      // The Flow error's message, in the admin API's shape.
      if (e instanceof ApiError && e.result.status < 500) {
        const body = e.result.body as { errorMessage?: string; error?: string };
        throw adminError(400, String(body.errorMessage ?? body.error));
      }
      throw e;
    }
    return renderAdminConnection(next, this.state.baseUrl);
  }

  /** A delete behind the client's back. */
  async deleteConnection(id: string): Promise<void> {
    await this.state.collections.connections.remove(this.stored(id).id);
  }

  /** Marks a connection as used by `count` dataflows; while > 0 a client's DELETE answers `1418-400`. */
  async setDataflows(id: string, count: number): Promise<void> {
    const current = this.stored(id);
    adminAssert(Number.isInteger(count) && count >= 0, "count must be an integer >= 0");
    await this.state.collections.connections.putAsIs({ ...current, usedByDataflows: count });
  }

  // Pipeline entities behind the client's back: every org and sandbox; deletes check nothing (that is how a
  // test makes an orphan), as deleteConnection does.

  /** Every source connection, across orgs and sandboxes. */
  sourceConnections(): AdminEntity[] {
    return this.state.collections.sourceConnections.all().map(renderSourceConnection);
  }

  sourceConnection(id: string): AdminEntity {
    return renderSourceConnection(this.found(this.state.collections.sourceConnections.find(id), "source connection", id));
  }

  async deleteSourceConnection(id: string): Promise<void> {
    await this.state.collections.sourceConnections.remove(this.found(this.state.collections.sourceConnections.find(id), "source connection", id).id);
  }

  /** Every target connection, across orgs and sandboxes. */
  targetConnections(): AdminEntity[] {
    return this.state.collections.targetConnections.all().map(renderTargetConnection);
  }

  targetConnection(id: string): AdminEntity {
    return renderTargetConnection(this.found(this.state.collections.targetConnections.find(id), "target connection", id));
  }

  async deleteTargetConnection(id: string): Promise<void> {
    await this.state.collections.targetConnections.remove(this.found(this.state.collections.targetConnections.find(id), "target connection", id).id);
  }

  /** Every flow, across orgs and sandboxes. */
  flows(): AdminEntity[] {
    return this.state.collections.flows.all().map((f) => this.state.collections.flows.render(f));
  }

  flow(id: string): AdminEntity {
    return this.state.collections.flows.render(this.storedFlow(id));
  }

  /** Drift on a flow: a new state or schedule behind the client's back, through the flows' one write path (new etag). */
  async driftFlow(id: string, changes: FlowDriftChanges): Promise<AdminEntity> {
    const current = this.storedFlow(id);
    adminAssert(isObject(changes), "body must be a JSON object");
    const keys = Object.keys(changes);
    for (const key of keys) adminAssert(key in FLOW_DRIFT_FIELDS, `unknown field '${key}' (allowed: ${Object.keys(FLOW_DRIFT_FIELDS).join(", ")})`);
    adminAssert(keys.length > 0, `nothing to change: send one of ${Object.keys(FLOW_DRIFT_FIELDS).join(", ")}`);
    const next = await asAdmin(() => driftFlow(this.state.collections.flows, this.state.specs, current, changes, ADMIN));
    return this.state.collections.flows.render(next);
  }

  async deleteFlow(id: string): Promise<void> {
    await this.state.collections.flows.remove(this.storedFlow(id).id);
  }

  /** Every mapping set, across orgs and sandboxes, each with the versions the emulator keeps. */
  mappingSets(): AdminEntity[] {
    return this.state.mappingSets.all().map(renderAdminMappingSet);
  }

  mappingSet(id: string): AdminEntity {
    return renderAdminMappingSet(this.storedMappingSet(id));
  }

  /** What the mapping sets hold (versions kept and dropped, bytes) against the emulator's limits. */
  mappingSetUsage(): MappingSetUsage {
    return this.state.mappingSets.usage();
  }

  /** A new version behind the client's back: the body as a client's PUT sends it, checked the same way, within the same limits. */
  async putMappingSetVersion(id: string, body: unknown): Promise<AdminEntity> {
    const current = this.storedMappingSet(id);
    const { set } = await asAdmin(async () => this.state.mappingSets.addVersion(current, checkMappingSetBody(body), ADMIN.by));
    return renderAdminMappingSet(set);
  }

  /** Removes a mapping set (Data Prep itself has no DELETE); flows that use it are left as they are. */
  async deleteMappingSet(id: string): Promise<void> {
    await this.state.mappingSets.remove(this.storedMappingSet(id).id);
  }

  // Catalog's datasets and Schema Registry's schemas: the demo ones (in every org and sandbox) and those added.

  /** Every dataset: the demo ones (`seed: true`, org and sandbox `*`), then those added, in every org and sandbox. */
  datasets(): AdminEntity[] {
    return [...seedDatasets(), ...this.state.datasets.added().map((d) => adminDataset(d))];
  }

  dataset(id: string): AdminEntity {
    const found = this.datasets().find((d) => d.id === id);
    if (!found) throw adminError(404, `dataset '${id}' not found`);
    return found;
  }

  /** A new dataset in an org and sandbox, on a schema there (a demo one included); answers it. */
  async addDataset(input: AdminDatasetInput): Promise<AdminEntity> {
    const fields = datasetInput(input);
    const scope = scopeFrom(input as unknown as Record<string, unknown>, this.clients());
    return adminDataset(await asAdmin(() => this.state.datasets.add(fields, scope, ADMIN_ACTOR)));
  }

  /** Removes a dataset added (the target connections that name it stay, and fail their next write). */
  async deleteDataset(id: string): Promise<void> {
    adminAssert(!this.state.datasets.isSeed(id), `dataset '${id}' is a demo dataset, present in every sandbox; it cannot be removed`);
    this.found(this.state.datasets.added().find((d) => d.id === id), "dataset", id);
    await this.state.datasets.remove(id);
  }

  /** Every schema: the demo ones (`seed: true`), then those added, each as a full (`xed-full`) lookup shows it. */
  schemas(): AdminEntity[] {
    return [...seedSchemas(), ...this.state.schemas.added().map((s) => adminSchema(s))];
  }

  /** One schema by `$id` or `meta:altId`. */
  schema(ref: string): AdminEntity {
    const found = this.schemas().find((s) => s.$id === ref || s["meta:altId"] === ref);
    if (!found) throw adminError(404, `schema '${ref}' not found`);
    return found;
  }

  /** A new schema in an org and sandbox; answers it (its `$id` and `meta:altId` included). */
  async addSchema(input: AdminSchemaInput): Promise<AdminEntity> {
    const fields = schemaInput(input);
    const scope = scopeFrom(input as unknown as Record<string, unknown>, this.clients());
    return adminSchema(await asAdmin(() => this.state.schemas.add(fields, scope, ADMIN_ACTOR)));
  }

  /** Removes a schema added, unless a dataset uses it. */
  async deleteSchema(ref: string): Promise<void> {
    adminAssert(!this.state.schemas.isSeed(ref), `schema '${ref}' is a demo schema, present in every sandbox; it cannot be removed`);
    const schema = this.found(this.state.schemas.findAdded(ref), "schema", ref);
    const users = this.state.datasets.usersOfSchema(schemaUri(schema));
    adminAssert(users.length === 0, `schema '${ref}' is used by dataset${users.length > 1 ? "s" : ""} ${users.map((d) => `'${d.id}'`).join(", ")}; remove them first`);
    await this.state.schemas.remove(schema);
  }

  /** What the inlet received, oldest first. */
  inletEvents(inletId: string): InletEventView[] {
    return this.state.store.events(inletId).map(({ receivedTimeMs, xactionId, body }) => structuredClone({ receivedTimeMs, xactionId, body }));
  }

  // Simulated remotes: what `/connections/{id}/test` and `/explore` answer from.

  /** Registers an FTP/SFTP host, an S3 bucket or the system of any other explorable spec (`connectionSpecId`): the credentials it accepts, its files or tables. */
  addRemote(remote: RemoteInput): { id: string } {
    return { id: this.state.remotes.add(remote).id };
  }

  /** Every remote, credentials in clear (as `connections()` shows connection secrets). */
  remotes(): Remote[] {
    return this.state.remotes.list();
  }

  removeRemote(id: string): void {
    this.state.remotes.remove(id);
  }

  clearRemotes(): void {
    this.state.remotes.clear();
  }

  clients(): EmulatorClient[] {
    return [...this.state.clients.values()].map((c) => ({ ...c, sandboxes: [...c.sandboxes] }));
  }

  private found<T>(entity: T | undefined, what: string, id: string): T {
    if (!entity) throw adminError(404, `${what} '${id}' not found`);
    return entity;
  }

  private storedFlow(id: string): StoredFlow {
    return this.found(this.state.collections.flows.find(id), "flow", id);
  }

  private storedMappingSet(id: string): StoredMappingSet {
    return this.found(this.state.mappingSets.find(id), "mapping set", id);
  }

  private stored(id: string): StoredConnection {
    const c = this.state.collections.connections.find(id);
    if (!c) throw adminError(404, `connection '${id}' not found`);
    return c;
  }
}
