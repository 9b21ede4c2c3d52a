/**
 * IMS OAuth server-to-server: `POST /ims/token/v3` with `grant_type=client_credentials`.
 * [choice] Credentials are read from the form body, then the query string, then HTTP Basic auth.
 */
import { imsError } from "../errors";
import { mediaType } from "../auth/gateway";
import type { Handler } from "./index";
import { parseAuthorization } from "../auth/authorization";
import { header, sameSecret } from "../util";

export const issueToken: Handler = (req, state) => {
  const { headers, url } = req;
  const text = typeof req.body === "string" ? req.body : "";
  if (text !== "" && mediaType(header(headers, "content-type")) !== "application/x-www-form-urlencoded") {
    throw imsError(400, "invalid_request", "Content-Type must be application/x-www-form-urlencoded");
  }
  const query = new URLSearchParams(url.split("?")[1] ?? "");
  const form = new URLSearchParams(text);
  const get = (k: string) => form.get(k) ?? query.get(k) ?? undefined;
  const grant = get("grant_type");
  if (grant !== "client_credentials") {
    throw imsError(400, "unsupported_grant_type", grant ? `grant_type '${grant}' is not supported; use client_credentials` : "grant_type is required (client_credentials)");
  }
  const authorization = parseAuthorization(header(headers, "authorization"));
  if (authorization.scheme === "malformed") throw imsError(400, "invalid_request", `Authorization header: ${authorization.reason}`);
  const basic = authorization.scheme === "basic" ? authorization : undefined;
  const clientId = get("client_id") ?? basic?.id;
  const clientSecret = get("client_secret") ?? basic?.secret;
  if (!clientId) throw imsError(400, "invalid_request", "client_id is required");
  const client = state.clients.get(clientId);
  if (!client || !sameSecret(clientSecret, client.clientSecret)) {
    throw imsError(401, "invalid_client", "invalid client_id or client_secret");
  }
  const { token, expiresIn } = state.tokens.issue(client.clientId, client.orgId, get("scope") ?? "");
  return {
    status: 200,
    headers: { "cache-control": "no-store" },
    body: { access_token: token, token_type: "bearer", expires_in: expiresIn },
  };
};
