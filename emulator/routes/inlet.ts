/**
 * The streaming inlet, `POST /collection/{inletId}` (Adobe's Data Collection Service). It answers the
 * seed's 401 for an authenticated connection without a valid token, keeps what it received, and says 200.
 */
import { inletError, INLET_AUTH_TYPE } from "../errors";
import { bearerClient } from "../auth/gateway";
import type { InletEvent } from "../types";
import { parseAuthorization } from "../auth/authorization";
import { header, MAX_JSON_DEPTH, nestsDeeperThan } from "../util";
import type { Handler } from "./index";

export const receive: Handler = async (req, state) => {
  const inletId = (req.params as { inletId: string }).inletId;
  const requestId = String(req.id);
  const connection = state.store.findByInlet(inletId);
  // [choice] An unknown (or deleted) inlet is a 404 in the inlet's problem shape.
  if (!connection) throw inletError(404, "Not Found", `[${requestId}] Inlet '${inletId}' not found`);
  const authorization = parseAuthorization(header(req.headers, "authorization"));
  // [choice] A header that cannot be read is a 400 on every inlet, authenticated or not.
  if (authorization.scheme === "malformed") throw inletError(400, "Bad Request", `[${requestId}] Authorization header: ${authorization.reason}`);
  if (connection.auth?.params.authenticationRequired === true) {
    if (authorization.scheme === "none") throw inletError(401, "Authorization", `[${requestId}] Ims service token is empty`, INLET_AUTH_TYPE);
    const client = authorization.scheme === "bearer" ? bearerClient(`Bearer ${authorization.token}`, state) : null;
    // [choice] A valid token must also belong to the connection's org...
    if (!client || client.orgId !== connection.imsOrgId) {
      throw inletError(401, "Authorization", `[${requestId}] Ims service token is not valid`, INLET_AUTH_TYPE);
    }
    // ...and its client must have access to the connection's sandbox: a valid token without the right is a 403.
    if (!client.sandboxes.includes(connection.sandboxName)) {
      throw inletError(403, "Forbidden", `[${requestId}] The client of this token has no access to sandbox '${connection.sandboxName}'`, INLET_AUTH_TYPE);
    }
  }
  const text = typeof req.body === "string" ? req.body : "";
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw inletError(400, "Bad Request", `[${requestId}] The message is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw inletError(400, "Bad Request", `[${requestId}] The message is not valid JSON: ${(e as Error).message}`);
  }
  const receivedTimeMs = state.clock();
  const event: InletEvent = {
    inletId,
    receivedTimeMs,
    xactionId: `${receivedTimeMs}:${process.pid}:${++state.inletCounter}`,
    body,
  };
  await state.store.appendEvent(event, Buffer.byteLength(text));
  return { status: 200, body: { inletId, xactionId: event.xactionId, receivedTimeMs } };
};
