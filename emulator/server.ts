/**
 * Fastify wiring: body handling, the traffic layer, the routes, and the error and not-found renderers.
 */
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { adminError, flowError, inletError } from "./errors";
import { FLOW_PREFIX } from "./faults";
import { errorResult, send } from "./http";
import { registerAdmin } from "./routes/admin";
import { registerConnectionSpecs } from "./routes/connection-specs";
import { registerConnections } from "./routes/connections";
import { registerIms } from "./routes/ims";
import { registerInlet } from "./routes/inlet";
import type { EmulatorState } from "./state";
import { installTraffic, requestIdOf } from "./traffic";

/** Spelled as the router sees it: duplicate slashes collapsed. */
const isAdmin = (url: string) => /^\/+__admin(?:[/?]|$)/.test(url);

export function buildServer(state: EmulatorState, logger = false): FastifyInstance {
  const app = Fastify({
    logger,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    forceCloseConnections: true,
    genReqId: (raw) => requestIdOf(raw.headers),
  });

  // Bodies arrive as text whatever their content type: the routes decide what is acceptable, so a
  // malformed body gets Flow's 1405-400 and a wrong content type the gateway's answer, not fastify's.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));

  installTraffic(app, state.traffic);
  registerIms(app, state);
  registerConnectionSpecs(app, state, FLOW_PREFIX);
  registerConnections(app, state, FLOW_PREFIX);
  registerInlet(app, state);
  registerAdmin(app, state);

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0];
    const error = isAdmin(req.url)
      ? adminError(404, `no admin route ${req.method} ${path}`)
      : flowError("1000-404", `No route for ${req.method} ${path.length > 256 ? `${path.slice(0, 256)}…` : path}`);
    send(req, reply, error.result);
  });
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = error.statusCode ?? 500;
    let result = errorResult(error);
    const inlet = req.routeOptions.url === "/collection/:inletId";
    if (status === 413) {
      // [choice] Fastify's default body limit (1 MiB) is the inlet's per-message limit too.
      result = inlet ? inletError(413, "Payload Too Large", `[${req.id}] ${error.message}`).result : flowError("1405-413", error.message).result;
    } else if (status >= 400 && status < 500) {
      result = inlet ? inletError(400, "Bad Request", `[${req.id}] ${error.message}`).result : flowError("1405-400", error.message).result;
    }
    if (isAdmin(req.url)) result = adminError(status, error.message).result;
    send(req, reply, result);
  });
  return app;
}
