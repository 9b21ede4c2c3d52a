/**
 * `/connections`: create, list, read, patch, delete. Each handler parses the request, calls the domain
 * (flow/connections.ts, where every rule lives) and renders what it returns.
 */
import type { FastifyRequest } from "fastify";
import { renderConnection } from "../flow/model";
import type { EmulatorState } from "../state";
import type { Result } from "../types";
import { ifMatchOf, type FlowHandler } from "./common";

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const queryOf = (req: FastifyRequest) => new URLSearchParams(req.url.split("?")[1] ?? "");
const render = (state: EmulatorState) => (c: Parameters<typeof renderConnection>[0]) => renderConnection(c, state.baseUrl);

export const createConnection: FlowHandler = async (req, state, caller) => {
  const c = await state.connections.create(req.body, caller);
  return { status: 201, body: { id: c.id, etag: c.etag } };
};

export const listConnections: FlowHandler = (req, state, caller): Result => {
  const listing = state.connections.list(queryOf(req), caller);
  if ("count" in listing) return { status: 200, body: { count: listing.count } };
  const links = listing.next ? { next: { href: `/connections?${listing.next.toString()}` } } : {};
  return { status: 200, body: { items: listing.items.map(render(state)), _links: links } };
};

export const getConnection: FlowHandler = (req, state, caller) => ({
  status: 200,
  body: { items: [render(state)(state.connections.get(idOf(req), caller))] },
});

export const patchConnection: FlowHandler = async (req, state, caller) => {
  const c = await state.connections.patch(idOf(req), caller, ifMatchOf(req), req.body);
  return { status: 200, body: { id: c.id, etag: c.etag } };
};

export const deleteConnection: FlowHandler = async (req, state, caller) => {
  await state.connections.delete(idOf(req), caller, ifMatchOf(req));
  return { status: 204 };
};
