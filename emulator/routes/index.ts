/**
 * Registers the route table (table.ts): one handler per entry, checked by the compiler. Handlers of the services
 * behind the gateway (Flow Service, Data Prep, Catalog, Schema Registry) run after its checks and get the caller;
 * IMS and the inlet check their own headers.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { checkGateway } from "../auth/gateway";
import { respond } from "../http";
import type { EmulatorState } from "../state";
import * as catalog from "./catalog";
import type { FlowHandler, Handler } from "./common";
import { getSpec, listSpecs } from "./connection-specs";
import { collectionHandlers } from "./collections";
import * as flowSpecs from "./flow-specs";
import * as flows from "./flows";
import { token } from "./ims";
import * as mappingSets from "./mapping-sets";
import * as runs from "./runs";
import { receive } from "./inlet";
import { exploreConnection, testConnection } from "./connectivity";
import * as schemas from "./schemas";
import { isGatewayService, PUBLIC_ROUTES, urlOf, type GatewayService, type PublicRoute } from "./table";

type HandlerTable = {
  [R in PublicRoute as `${R["method"]} ${R["route"]}`]: R["service"] extends GatewayService ? FlowHandler : Handler;
};

const connections = collectionHandlers("connections");
const sources = collectionHandlers("sourceConnections");
const targets = collectionHandlers("targetConnections");
const flowCollection = collectionHandlers("flows");

const HANDLERS: HandlerTable = {
  "POST /ims/token/v3": token,
  "GET /connectionSpecs": listSpecs,
  "GET /connectionSpecs/{id}": getSpec,
  "POST /connections": connections.create,
  "GET /connections": connections.list,
  "GET /connections/{id}": connections.get,
  "PATCH /connections/{id}": connections.patch,
  "DELETE /connections/{id}": connections.remove,
  "POST /sourceConnections": sources.create,
  "GET /sourceConnections": sources.list,
  "GET /sourceConnections/{id}": sources.get,
  "PATCH /sourceConnections/{id}": sources.patch,
  "DELETE /sourceConnections/{id}": sources.remove,
  "POST /targetConnections": targets.create,
  "GET /targetConnections": targets.list,
  "GET /targetConnections/{id}": targets.get,
  "PATCH /targetConnections/{id}": targets.patch,
  "DELETE /targetConnections/{id}": targets.remove,
  "GET /flowSpecs": flowSpecs.list,
  "GET /flowSpecs/{id}": flowSpecs.get,
  "POST /flows": flowCollection.create,
  "GET /flows": flowCollection.list,
  "GET /flows/{id}": flowCollection.get,
  "PATCH /flows/{id}": flowCollection.patch,
  "DELETE /flows/{id}": flowCollection.remove,
  "POST /flows/{id}/action": flows.action,
  "GET /runs": runs.list,
  "GET /runs/{id}": runs.get,
  "POST /mappingSets": mappingSets.create,
  "GET /mappingSets": mappingSets.list,
  "GET /mappingSets/{id}": mappingSets.get,
  "PUT /mappingSets/{id}": mappingSets.replace,
  "DELETE /mappingSets/{id}": mappingSets.remove,
  "GET /mappingSets/{id}/mappings": mappingSets.listMappings,
  "GET /mappingSets/{id}/mappings/{mappingId}": mappingSets.getMapping,
  "POST /mappingSets/validate": mappingSets.validate,
  "POST /mappingSets/preview": mappingSets.preview,
  "POST /collection/{inletId}": receive,
  "GET /connections/{id}/test": testConnection,
  "GET /connections/{id}/explore": exploreConnection,
  "GET /dataSets": catalog.list,
  "GET /dataSets/{id}": catalog.get,
  "GET /tenant/schemas": schemas.list,
  "GET /tenant/schemas/{id}": schemas.get,
};

export function registerPublicRoutes(app: FastifyInstance, state: EmulatorState): void {
  for (const r of PUBLIC_ROUTES) {
    const handler = HANDLERS[`${r.method} ${r.route}` as keyof HandlerTable];
    const run =
      isGatewayService(r.service)
        ? (req: FastifyRequest) => (handler as FlowHandler)(req, state, checkGateway(req, state, { bodyless: "bodyless" in r && r.bodyless }))
        : (req: FastifyRequest) => (handler as Handler)(req, state);
    app.route({ method: r.method, url: urlOf(r), config: { route: r.route, service: r.service }, handler: (req, reply) => respond(req, reply, () => run(req)) });
  }
}
