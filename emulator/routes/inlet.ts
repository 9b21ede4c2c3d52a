/**
 * The streaming inlet, `POST /collection/{inletId}` (Adobe's Data Collection Service). It answers the
 * seed's 401 for an authenticated connection without a valid token, keeps what it received, and says 200.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { inletError, INLET_AUTH_TYPE } from "../errors";
import { bearerClient } from "../gateway";
import { respond } from "../http";
import type { EmulatorState } from "../state";
import type { InletEvent, Result } from "../types";
import { header } from "../util";

async function receive(state: EmulatorState, req: FastifyRequest): Promise<Result> {
  const inletId = (req.params as { inletId: string }).inletId;
  const requestId = String(req.id);
  const connection = state.store.findByInlet(inletId);
  // [choice] An unknown (or deleted) inlet is a 404 in the inlet's problem shape.
  if (!connection) throw inletError(404, "Not Found", `[${requestId}] Inlet '${inletId}' not found`);
  if (connection.auth?.params.authenticationRequired === true) {
    const authorization = header(req.headers, "authorization");
    if (!authorization) throw inletError(401, "Authorization", `[${requestId}] Ims service token is empty`, INLET_AUTH_TYPE);
    const client = bearerClient(authorization, state);
    // [choice] A valid token must also belong to the connection's org.
    if (!client || client.orgId !== connection.imsOrgId) {
      throw inletError(401, "Authorization", `[${requestId}] Ims service token is not valid`, INLET_AUTH_TYPE);
    }
  }
  const text = typeof req.body === "string" ? req.body : "";
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw inletError(400, "Bad Request", `[${requestId}] The message is not valid JSON: ${(e as Error).message}`);
  }
  const receivedTimeMs = Date.now();
  const event: InletEvent = {
    inletId,
    receivedTimeMs,
    xactionId: `${receivedTimeMs}:${process.pid}:${++state.inletCounter}`,
    body,
  };
  await state.store.appendEvent(event);
  return { status: 200, body: { inletId, xactionId: event.xactionId, receivedTimeMs } };
}

export function registerInlet(app: FastifyInstance, state: EmulatorState): void {
  app.post("/collection/:inletId", (req, reply) => respond(req, reply, "/collection/{inletId}", () => receive(state, req)));
}
