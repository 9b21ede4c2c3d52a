/**
 * IMS OAuth server-to-server: a token for `grant_type=client_credentials`.
 * [choice] Credentials are read from the form body, then the query string, then HTTP Basic auth.
 */
import { imsError } from "../errors";
import type { EmulatorClient } from "../types";
import { sameSecret } from "../util";
import { parseAuthorization } from "./authorization";
import { mediaType } from "./gateway";
import type { TokenIssuer } from "./tokens";

export interface TokenRequest {
  /** The body as sent (form-encoded when not empty). */
  text: string;
  /** The query string, without `?`. */
  query: string;
  contentType: string | undefined;
  authorization: string | undefined;
}

/** The token for a client-credentials request, or the OAuth error IMS answers. */
export function issueToken(
  clients: ReadonlyMap<string, EmulatorClient>,
  tokens: TokenIssuer,
  { text, query: queryText, contentType, authorization: authorizationHeader }: TokenRequest,
): { token: string; expiresIn: number } {
  if (text !== "" && mediaType(contentType) !== "application/x-www-form-urlencoded") {
    throw imsError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
  }
  const query = new URLSearchParams(queryText);
  const form = new URLSearchParams(text);
  const get = (k: string) => form.get(k) ?? query.get(k) ?? undefined;
  const grant = get("grant_type");
  if (grant !== "client_credentials") {
    throw imsError(400, "unsupported_grant_type", grant ? `grant_type '${grant}' is not supported; use client_credentials` : "grant_type is required (client_credentials)");
  }
  const authorization = parseAuthorization(authorizationHeader);
  if (authorization.scheme === "malformed") throw imsError(400, "invalid_request", `Authorization header: ${authorization.reason}`);
  const basic = authorization.scheme === "basic" ? authorization : undefined;
  const clientId = get("client_id") ?? basic?.id;
  const clientSecret = get("client_secret") ?? basic?.secret;
  if (!clientId) throw imsError(400, "invalid_request", "client_id is required");
  const client = clients.get(clientId);
  if (!client || !sameSecret(clientSecret, client.clientSecret)) {
    throw imsError(401, "invalid_client", "invalid client_id or client_secret");
  }
  return tokens.issue(client.clientId, client.orgId, get("scope") ?? "");
}
