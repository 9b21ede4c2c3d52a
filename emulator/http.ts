/**
 * The one place where a handler's Result becomes an HTTP response, including the deferred half of a
 * commit-then-fail fault (the handler has committed; the client sees a failure).
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { ApiError, dataPrepError, flowError, GATEWAY, imsError, inletError, platformError, withRequestId } from "./errors";
import { serviceOfRoute } from "./routes/table";
import type { FaultRule } from "./traffic/faults";
import type { Result } from "./types";

const deferred = new WeakMap<FastifyRequest, FaultRule>();

export function deferFault(req: FastifyRequest, rule: FaultRule): void {
  deferred.set(req, rule);
}

export function send(req: FastifyRequest, reply: FastifyReply, result: Result): FastifyReply {
  reply.code(result.status);
  if (result.headers) reply.headers(result.headers);
  if (result.body === undefined) return reply.send();
  return reply.type("application/json; charset=utf-8").send(JSON.stringify(withRequestId(result.body, String(req.id))));
}

/** Drops the connection with a TCP reset, so the client sees ECONNRESET and no status. */
export function resetSocket(req: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  req.raw.socket.resetAndDestroy();
}

/** The failure an injected fault answers with, in the shape the route's real service speaks. */
export function faultResult(kind: "412" | "429" | "500" | "503", route: string, retryAfterSeconds = 1): Result {
  const note = "(fault injected by the emulator)";
  if (kind === "412") return flowError("1404-412", `If-Match does not match the current etag ${note}`).result;
  if (kind === "429") return GATEWAY.throttled(Math.max(1, retryAfterSeconds)).result;
  const status = Number(kind);
  if (route === "/ims/token/v3") {
    return imsError(status, status === 500 ? "server_error" : "temporarily_unavailable", `Server error ${note}`).result;
  }
  if (route === "/collection/{inletId}") {
    return inletError(status, status === 500 ? "Internal Server Error" : "Service Unavailable", `Server error ${note}`).result;
  }
  const service = serviceOfRoute(route);
  if (service === "dataprep") {
    return status === 500 ? dataPrepError("1102-500", `Internal server error ${note}`).result : dataPrepError("1103-503", `Service unavailable ${note}`).result;
  }
  if (service === "catalog" || service === "schemaregistry") return platformError(status, `Server error ${note}`).result;
  return status === 500
    ? flowError("1102-500", `Internal server error ${note}`).result
    : flowError("1103-503", `Service unavailable ${note}`).result;
}

/** Maps anything a handler throws to a Result; unexpected errors are Flow's `1102-500`. */
export function errorResult(error: unknown): Result {
  if (error instanceof ApiError) return error.result;
  return flowError("1102-500", `Internal server error: ${(error as Error)?.message ?? String(error)}`).result;
}

/** Runs a handler and sends what it returns (or throws). */
export async function respond(req: FastifyRequest, reply: FastifyReply, run: () => Result | Promise<Result>): Promise<FastifyReply> {
  let result: Result;
  try {
    result = await run();
  } catch (error) {
    result = errorResult(error);
  }
  const fault = deferred.get(req);
  if (fault?.kind === "slow-response") {
    // [choice] Committed now, answered later: a client that dies meanwhile never learns the outcome.
    await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 0));
    return send(req, reply, result);
  }
  if (fault) {
    // [choice] Whatever the handler did is kept (a write is committed); the client never sees its answer.
    const then = fault.thenStatus ?? 500;
    if (then === "reset") {
      resetSocket(req, reply);
      return reply;
    }
    return send(req, reply, faultResult(then === 503 ? "503" : "500", req.routeOptions.config.route ?? ""));
  }
  return send(req, reply, result);
}
