import { createHash } from "node:crypto";
import { type ClientSettings, FlowServiceClient } from "./client/client";
import { FlowServiceError } from "./client/flow-service-error";
import { listingCacheOf } from "./client/listing-cache";
import { DEFAULT_RETRY_POLICY } from "./client/retry";
import type { AepSettings } from "./settings";

export const MISSING_CREDENTIALS_HELP =
  "Set them as Pulumi config (pulumi config set aep:clientId <id>; pulumi config set --secret aep:clientSecret <secret>; " +
  "pulumi config set aep:orgId <org>@AdobeOrg) or as environment variables (AEP_CLIENT_ID, AEP_CLIENT_SECRET, AEP_ORG_ID). " +
  "Instead of a client secret, an access token may be given (aep:accessToken or AEP_ACCESS_TOKEN). " +
  "The Adobe Developer Console shows all of them on the project's OAuth Server-to-Server credential.";

/** Names what is missing, or undefined when a client can be built. */
export function missingCredentials(s: AepSettings): string[] {
  const missing: string[] = [];
  if (!s.clientId) missing.push("clientId");
  if (!s.orgId) missing.push("orgId");
  if (!s.clientSecret && !s.accessToken) missing.push("clientSecret (or accessToken)");
  return missing;
}

/** A client's settings from the provider's; missing credentials are an error naming each setting. */
export function clientSettingsOf(s: AepSettings, log?: (line: string) => void): ClientSettings {
  const missing = missingCredentials(s);
  if (missing.length > 0) {
    throw new FlowServiceError({ kind: "config", message: `AEP credentials are missing: ${missing.join(", ")}. ${MISSING_CREDENTIALS_HELP}` });
  }
  return {
    endpoint: s.endpoint,
    imsEndpoint: s.imsEndpoint,
    clientId: s.clientId as string,
    orgId: s.orgId as string,
    clientSecret: s.clientSecret,
    accessToken: s.accessToken,
    scopes: s.scopes,
    maxInFlight: s.maxInFlight,
    requestsPerSecond: s.requestsPerSecond,
    timeoutMs: s.timeoutMs,
    retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: s.maxAttempts },
    log,
  };
}

const clients = new Map<string, FlowServiceClient>();

/**
 * One client per process and credentials, so the IMS token, keep-alive sockets and the in-flight cap
 * are shared by every resource of a deployment. The key holds no secret in clear.
 */
export function clientFor(s: AepSettings, log?: (line: string) => void): FlowServiceClient {
  const key = JSON.stringify([s.endpoint, s.imsEndpoint, s.clientId, s.orgId, s.scopes, fingerprint(s.clientSecret), fingerprint(s.accessToken), s.maxInFlight, s.maxAttempts, s.requestsPerSecond, s.timeoutMs]);
  let client = clients.get(key);
  if (!client) {
    // Missing credentials throw here: no client was ever made for a key without them.
    client = new FlowServiceClient(clientSettingsOf(s, log));
    clients.set(key, client);
    // The read cache hears of every write from the client's first request on, not only from the
    // first read: a listing must never hide a write that was still in flight when it was taken.
    listingCacheOf(client);
  }
  return client;
}

function fingerprint(secret: string | undefined): string {
  if (!secret) return "";
  // Not for security: only tells two secrets apart in a map key without keeping them in clear.
  return createHash("sha256").update(secret).digest("hex").slice(0, 16);
}
