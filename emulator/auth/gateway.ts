/**
 * Adobe's API gateway checks, in the contract's order: token, api key, org, sandbox, content type.
 * The first failing check answers, with the gateway's own body (or Flow's, for the sandbox checks).
 */
import { contentTypeError, flowError, GATEWAY } from "../errors";
import type { TokenIssuer } from "./tokens";
import type { EmulatorClient } from "../types";
import { header } from "../util";

export interface GatewayDeps {
  clients: ReadonlyMap<string, EmulatorClient>;
  tokens: TokenIssuer;
}

export interface GatewayRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

const JSON_TYPES = new Set(["application/json"]);
const PATCH_TYPES = new Set(["application/json", "application/json-patch+json"]);

/** The media type without parameters, lower-cased ("application/json; charset=utf-8" → "application/json"). */
export function mediaType(value: string | undefined): string {
  return (value ?? "").split(";")[0].trim().toLowerCase();
}

/** The client behind a valid bearer token, or null (missing token is told apart by the caller). */
export function bearerClient(authorization: string | undefined, deps: GatewayDeps): EmulatorClient | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!m) return null;
  const claims = deps.tokens.verify(m[1]);
  const client = claims ? deps.clients.get(claims.clientId) : undefined;
  // A token outlives a client that was removed from the list, or whose org changed: both are invalid.
  return client && claims && client.orgId === claims.orgId ? client : null;
}

/** Whether a request carries a body at all (a length above 0, or a chunked one). */
function hasBody(headers: GatewayRequest["headers"]): boolean {
  const length = header(headers, "content-length");
  return header(headers, "transfer-encoding") !== undefined || (length !== undefined && length.trim() !== "0");
}

interface GatewayOptions {
  /** [Adobe] A route whose documented request has no body (a flow action): without a body, no content type is needed. */
  bodyless?: boolean;
}

/** Runs the checks; returns the caller's client and sandbox, or throws the first failure. */
export function checkGateway(req: GatewayRequest, deps: GatewayDeps, opts: GatewayOptions = {}): { client: EmulatorClient; sandbox: string } {
  const authorization = header(req.headers, "authorization");
  if (!authorization || !/^Bearer\s+\S/i.test(authorization)) throw GATEWAY.tokenMissing();
  const client = bearerClient(authorization, deps);
  if (!client) throw GATEWAY.tokenInvalid();

  const apiKey = header(req.headers, "x-api-key");
  if (!apiKey) throw GATEWAY.apiKeyMissing();
  if (apiKey !== client.clientId) throw GATEWAY.apiKeyInvalid();

  const org = header(req.headers, "x-gw-ims-org-id");
  if (!org) throw GATEWAY.orgMissing();
  if (org !== client.orgId) throw GATEWAY.orgInvalid();

  // [choice] No default sandbox: a request without x-sandbox-name is refused, never sent to prod.
  const sandbox = header(req.headers, "x-sandbox-name");
  if (!sandbox) throw flowError("2105-400", "The x-sandbox-name header is required");
  if (!client.sandboxes.includes(sandbox)) {
    throw flowError("2100-404", `Sandbox '${sandbox}' not found for org '${client.orgId}'`);
  }

  const method = req.method.toUpperCase();
  if ((method === "POST" || method === "PATCH" || method === "PUT") && !(opts.bodyless && !hasBody(req.headers))) {
    const allowed = method === "PATCH" ? PATCH_TYPES : JSON_TYPES;
    if (!allowed.has(mediaType(header(req.headers, "content-type")))) throw contentTypeError();
  }
  return { client, sandbox };
}
