import type { FastifyReply, FastifyRequest } from "fastify";
import { checkGateway } from "../gateway";
import { respond } from "../http";
import type { CallerContext } from "../model";
import type { EmulatorState } from "../state";
import type { Result } from "../types";

export type FlowHandler = (ctx: CallerContext, req: FastifyRequest) => Result | Promise<Result>;

/** A Flow Service route: gateway checks first, then the handler; both only return or throw values. */
export function flowRoute(state: EmulatorState, route: string, handler: FlowHandler) {
  return (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
    respond(req, reply, route, () => {
      const { client, sandbox } = checkGateway(req, state);
      return handler({ client, sandbox, requestId: String(req.id), baseUrl: state.baseUrl }, req);
    });
}
