/**
 * The one route table of the public API: the router registers it, and the route key it gives each route
 * (fastify's route `config`) is what fault filters match and the request log counts. Admin routes carry
 * `service: "admin"` in their config and are never logged, faulted or throttled.
 */
import type { FastifyRequest } from "fastify";

export const FLOW_PREFIX = "/data/foundation/flowservice";
/** Data Prep (mapping sets): behind the same gateway as Flow Service. */
export const DATA_PREP_PREFIX = "/data/foundation/conversion";
/** Catalog (datasets) and Schema Registry (XDM schemas): behind the same gateway, read by lookups and references. */
export const CATALOG_PREFIX = "/data/foundation/catalog";
export const SCHEMA_REGISTRY_PREFIX = "/data/foundation/schemaregistry";

export type Service = "ims" | "flow" | "dataprep" | "catalog" | "schemaregistry" | "inlet" | "admin";
/** The services behind Adobe's API gateway: their handlers get the caller the gateway's checks let through. */
export type GatewayService = "flow" | "dataprep" | "catalog" | "schemaregistry";
export const isGatewayService = (s: Service): s is GatewayService => s === "flow" || s === "dataprep" || s === "catalog" || s === "schemaregistry";

const PREFIXES: Partial<Record<Service, string>> = {
  flow: FLOW_PREFIX,
  dataprep: DATA_PREP_PREFIX,
  catalog: CATALOG_PREFIX,
  schemaregistry: SCHEMA_REGISTRY_PREFIX,
};
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** What every route carries in fastify's route config. */
export interface RouteConfig {
  /** The log and fault-filter key: gateway routes without their service's prefix, parameters as `{id}`. */
  route: string;
  service: Service;
}

declare module "fastify" {
  interface FastifyContextConfig {
    route?: string;
    service?: Service;
  }
}

/** Every public route (method and key); `routes/index.ts` gives each its handler. */
export const PUBLIC_ROUTES = [
  { method: "POST", route: "/ims/token/v3", service: "ims" },
  { method: "GET", route: "/connectionSpecs", service: "flow" },
  { method: "GET", route: "/connectionSpecs/{id}", service: "flow" },
  { method: "POST", route: "/connections", service: "flow" },
  { method: "GET", route: "/connections", service: "flow" },
  { method: "GET", route: "/connections/{id}", service: "flow" },
  { method: "PATCH", route: "/connections/{id}", service: "flow" },
  { method: "DELETE", route: "/connections/{id}", service: "flow" },
  // Pipeline entities: source and target connections, flow specs, flows.
  { method: "POST", route: "/sourceConnections", service: "flow" },
  { method: "GET", route: "/sourceConnections", service: "flow" },
  { method: "GET", route: "/sourceConnections/{id}", service: "flow" },
  { method: "PATCH", route: "/sourceConnections/{id}", service: "flow" },
  { method: "DELETE", route: "/sourceConnections/{id}", service: "flow" },
  { method: "POST", route: "/targetConnections", service: "flow" },
  { method: "GET", route: "/targetConnections", service: "flow" },
  { method: "GET", route: "/targetConnections/{id}", service: "flow" },
  { method: "PATCH", route: "/targetConnections/{id}", service: "flow" },
  { method: "DELETE", route: "/targetConnections/{id}", service: "flow" },
  { method: "GET", route: "/flowSpecs", service: "flow" },
  { method: "GET", route: "/flowSpecs/{id}", service: "flow" },
  { method: "POST", route: "/flows", service: "flow" },
  { method: "GET", route: "/flows", service: "flow" },
  { method: "GET", route: "/flows/{id}", service: "flow" },
  { method: "PATCH", route: "/flows/{id}", service: "flow" },
  { method: "DELETE", route: "/flows/{id}", service: "flow" },
  // Adobe's tutorials send the action without a body or a content type.
  { method: "POST", route: "/flows/{id}/action", service: "flow", bodyless: true },
  // Flow runs: the emulator runs no flows, so there are none to list yet.
  { method: "GET", route: "/runs", service: "flow" },
  { method: "GET", route: "/runs/{id}", service: "flow" },
  // Data Prep.
  { method: "POST", route: "/mappingSets", service: "dataprep" },
  { method: "GET", route: "/mappingSets", service: "dataprep" },
  { method: "GET", route: "/mappingSets/{id}", service: "dataprep" },
  { method: "PUT", route: "/mappingSets/{id}", service: "dataprep" },
  { method: "DELETE", route: "/mappingSets/{id}", service: "dataprep" },
  { method: "GET", route: "/mappingSets/{id}/mappings", service: "dataprep" },
  { method: "GET", route: "/mappingSets/{id}/mappings/{mappingId}", service: "dataprep" },
  { method: "POST", route: "/mappingSets/validate", service: "dataprep" },
  { method: "POST", route: "/mappingSets/preview", service: "dataprep" },
  { method: "POST", route: "/collection/{inletId}", service: "inlet" },
  // Connectivity: answered from the simulated remotes (flow/remotes.ts).
  { method: "GET", route: "/connections/{id}/test", service: "flow" },
  { method: "GET", route: "/connections/{id}/explore", service: "flow" },
  // Catalog's datasets and Schema Registry's tenant schemas: what target connections and mapping sets name.
  { method: "GET", route: "/dataSets", service: "catalog" },
  { method: "GET", route: "/dataSets/{id}", service: "catalog" },
  { method: "GET", route: "/tenant/schemas", service: "schemaregistry" },
  { method: "GET", route: "/tenant/schemas/{id}", service: "schemaregistry" },
] as const satisfies ReadonlyArray<{ method: Method; bodyless?: true } & RouteConfig>;

export type PublicRoute = (typeof PUBLIC_ROUTES)[number];
export type RouteKey = PublicRoute["route"];

/** The route keys fault rules may name, in table order. */
export const ROUTE_KEYS: readonly RouteKey[] = [...new Set(PUBLIC_ROUTES.map((r) => r.route))];

/** The path fastify matches: the service's prefix added, `{id}` as `:id`. */
export function urlOf(r: RouteConfig): string {
  return `${PREFIXES[r.service] ?? ""}${r.route.replace(/\{(\w+)\}/g, ":$1")}`;
}

const SERVICE_OF: ReadonlyMap<string, Service> = new Map(PUBLIC_ROUTES.map((r) => [r.route, r.service]));

/** The service of a route key (its answers, faults included, speak that service's error shape). */
export function serviceOfRoute(route: string): Service | undefined {
  return SERVICE_OF.get(route);
}

/** Whether a route key is Data Prep's. */
export function isDataPrepRoute(route: string): boolean {
  return SERVICE_OF.get(route) === "dataprep";
}

/** [choice] The log key of every request no route matched: one key, however many paths are tried. */
export const UNMATCHED_ROUTE = "(unmatched)";

/** Spelled as the router sees it: duplicate slashes collapsed. */
const isAdminUrl = (url: string) => /^\/+__admin(?:[/?]|$)/.test(url);

/**
 * The log/fault key of a request, from the route the router matched, so a path spelled differently (`//`,
 * percent-encoding, a trailing slash) still lands on its route; UNMATCHED_ROUTE when none matched; null for
 * /__admin, matched or not, which is never logged.
 */
export function routeKeyOf(req: FastifyRequest): string | null {
  const { route, service } = req.routeOptions.config ?? {};
  if (service === "admin") return null;
  if (route !== undefined) return route;
  return isAdminUrl(req.url) ? null : UNMATCHED_ROUTE;
}
