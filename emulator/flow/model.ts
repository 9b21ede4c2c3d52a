/**
 * Connections as the API shows them: ids, etags, masking, and the item rendering of GET.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { SpecRegistry } from "./spec-registry";
import { findAuthSpec, secretParams } from "./specs";
import type { EmulatorClient, Params, StoredConnection } from "../types";

/** Who calls Flow Service, once the gateway let the request through: the client and the sandbox it names. */
export interface Caller {
  client: EmulatorClient;
  sandbox: string;
}

export const MASK = "********";
export const ADMIN_ACTOR = "aep-emulator-admin";

/** Cosmos-DB-like etag as Adobe returns it, double quotes included: `"1700cc7b-0000-0200-0000-5e3b3fba0000"`. */
export function newEtag(previous: string | undefined, now: number): string {
  const seconds = Math.floor(now / 1000).toString(16).padStart(8, "0");
  for (;;) {
    const etag = `"${randomBytes(4).toString("hex")}-0000-0200-0000-${seconds}0000"`;
    if (etag !== previous) return etag;
  }
}

export function newConnectionId(): string {
  return randomUUID();
}

export function newInletId(): string {
  return randomBytes(32).toString("hex");
}

export function clientUser(clientId: string): string {
  return `${clientId}@techacct.adobe.com`;
}

/** Visible to the caller: same org and same sandbox; anything else is a 404. */
export function visibleTo<T extends { imsOrgId: string; sandboxName: string }>(c: T | undefined, ctx: Caller): c is T {
  return c !== undefined && c.imsOrgId === ctx.client.orgId && c.sandboxName === ctx.sandbox;
}

/** The params of a connection's auth spec that are secret (`format: "password"`): never returned by the API. */
export function secretsOf(specs: SpecRegistry, c: StoredConnection): string[] {
  const spec = specs.connectionSpec(c.connectionSpec.id);
  const auth = spec && c.auth ? findAuthSpec(spec, c.auth.specName) : undefined;
  return auth ? secretParams(auth) : [];
}

function renderParams(c: StoredConnection, baseUrl: string, secrets: readonly string[]): Params {
  const params: Params = { ...c.auth?.params };
  for (const key of secrets) if (key in params) params[key] = MASK;
  // [choice] inletUrl is rendered from the emulator's current base URL, so it stays right after a restart on
  // another port; only inletId is stored.
  if (typeof params.inletId === "string") params.inletUrl = `${baseUrl}/collection/${params.inletId}`;
  return params;
}

/** The item of `GET /connections/{id}`: exactly the contract's fields; the `secrets` named masked (secretsOf). */
export function renderConnection(c: StoredConnection, baseUrl: string, secrets: readonly string[]): Record<string, unknown> {
  const item: Record<string, unknown> = {
    id: c.id,
    name: c.name,
    description: c.description,
    connectionSpec: { id: c.connectionSpec.id, version: c.connectionSpec.version },
    state: c.state,
  };
  if (c.auth) item.auth = { specName: c.auth.specName, params: renderParams(c, baseUrl, secrets) };
  if (c.providerId !== undefined) item.providerId = c.providerId;
  Object.assign(item, {
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    createdBy: c.createdBy,
    updatedBy: c.updatedBy,
    createdClient: c.createdClient,
    updatedClient: c.updatedClient,
    sandboxId: c.sandboxId,
    sandboxName: c.sandboxName,
    imsOrgId: c.imsOrgId,
    version: c.etag,
    etag: c.etag,
  });
  return item;
}

/** The admin view: secrets in clear, plus bookkeeping the API does not show. */
export function renderAdminConnection(c: StoredConnection, baseUrl: string): Record<string, unknown> {
  return { ...renderConnection(c, baseUrl, []), usedByDataflows: c.usedByDataflows };
}
