/**
 * The streaming inlet (Adobe's Data Collection Service): who may send to an inlet, what a message must be,
 * and what is kept. It answers the seed's 401 for an authenticated connection without a valid token.
 */
import { bearerClient, type GatewayDeps } from "../auth/gateway";
import { parseAuthorization } from "../auth/authorization";
import { inletError, INLET_AUTH_TYPE } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Clock, InletEvent } from "../types";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "../util";

export interface InletMessage {
  /** The body as received. */
  text: string;
  authorization: string | undefined;
  /** Quoted in every error message, as the service does. */
  requestId: string;
}

export class Inlets {
  private counter = 0;

  constructor(
    private readonly store: ConnectionStore,
    private readonly clock: Clock,
    private readonly gateway: GatewayDeps,
  ) {}

  /** Checks and keeps one message; the event it became, or the inlet's error. */
  async receive(inletId: string, message: InletMessage): Promise<InletEvent> {
    const { requestId } = message;
    const connection = this.store.findByInlet(inletId);
    // [choice] An unknown (or deleted) inlet is a 404 in the inlet's problem shape.
    if (!connection) throw inletError(404, "Not Found", `[${requestId}] Inlet '${inletId}' not found`);
    const authorization = parseAuthorization(message.authorization);
    // [choice] A header that cannot be read is a 400 on every inlet, authenticated or not.
    if (authorization.scheme === "malformed") throw inletError(400, "Bad Request", `[${requestId}] Authorization header: ${authorization.reason}`);
    if (connection.auth?.params.authenticationRequired === true) {
      if (authorization.scheme === "none") throw inletError(401, "Authorization", `[${requestId}] Ims service token is empty`, INLET_AUTH_TYPE);
      const client = authorization.scheme === "bearer" ? bearerClient(`Bearer ${authorization.token}`, this.gateway) : null;
      // [choice] A valid token must also belong to the connection's org...
      if (!client || client.orgId !== connection.imsOrgId) {
        throw inletError(401, "Authorization", `[${requestId}] Ims service token is not valid`, INLET_AUTH_TYPE);
      }
      // ...and its client must have access to the connection's sandbox: a valid token without the right is a 403.
      if (!client.sandboxes.includes(connection.sandboxName)) {
        throw inletError(403, "Forbidden", `[${requestId}] The client of this token has no access to sandbox '${connection.sandboxName}'`, INLET_AUTH_TYPE);
      }
    }
    const text = message.text;
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
      throw inletError(400, "Bad Request", `[${requestId}] The message is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw inletError(400, "Bad Request", `[${requestId}] The message is not valid JSON: ${(e as Error).message}`);
    }
    const receivedTimeMs = this.clock();
    const event: InletEvent = {
      inletId,
      receivedTimeMs,
      xactionId: `${receivedTimeMs}:${process.pid}:${++this.counter}`,
      body,
    };
    await this.store.appendEvent(event, Buffer.byteLength(text));
    return event;
  }
}
