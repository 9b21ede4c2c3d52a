/**
 * Fastify wiring: body handling, the traffic layer, the public routes and the admin API, and the error
 * and not-found renderers.
 */
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import type { EmulatorControl } from "./admin/control";
import { registerAdmin } from "./admin/routes";
import { adminError, dataPrepError, flowError, inletError, platformError } from "./errors";
import { errorResult, send } from "./http";
import { registerPublicRoutes } from "./routes/index";
import { routeKeyOf } from "./routes/table";
import type { EmulatorState } from "./state";
import { installTraffic, requestIdOf } from "./traffic/hooks";

export function buildServer(state: EmulatorState, control: EmulatorControl, logger = false): FastifyInstance {
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

  installTraffic(app, state.traffic, state.clock);
  registerPublicRoutes(app, state);
  registerAdmin(app, control, state.adminToken);

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0];
    const error =
      routeKeyOf(req) === null
        ? adminError(404, `no admin route ${req.method} ${path}`)
        : flowError("1000-404", `No route for ${req.method} ${path.length > 256 ? `${path.slice(0, 256)}…` : path}`);
    send(req, reply, error.result);
  });
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = error.statusCode ?? 500;
    let result = errorResult(error);
    const service = req.routeOptions.config?.service;
    const inlet = service === "inlet";
    const dataPrep = service === "dataprep";
    if ((service === "catalog" || service === "schemaregistry") && status >= 400 && status < 500) {
      result = platformError(status === 413 ? 413 : 400, error.message).result;
    } else if (dataPrep && status >= 400 && status < 500) {
      result = dataPrepError(status === 413 ? "2000-413" : "2000-400", error.message).result;
    } else if (status === 413) {
      // [choice] Fastify's default body limit (1 MiB) is the inlet's per-message limit too.
      result = inlet ? inletError(413, "Payload Too Large", `[${req.id}] ${error.message}`).result : flowError("1405-413", error.message).result;
    } else if (status >= 400 && status < 500) {
      result = inlet ? inletError(400, "Bad Request", `[${req.id}] ${error.message}`).result : flowError("1405-400", error.message).result;
    }
    if (routeKeyOf(req) === null) result = adminError(status, error.message).result;
    send(req, reply, result);
  });
  return app;
}
