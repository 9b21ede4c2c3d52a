/**
 * Calls to the emulator's Catalog and Schema Registry over HTTP, as a client makes them (every gateway header),
 * and the Platform problem body both answer errors with.
 */
import { CATALOG, request, SCHEMA_REGISTRY, type CallOptions, type EmulatorEndpoints, type Harness, type Res } from "../../helpers/emulator";

type AnyHarness = Harness<EmulatorEndpoints>;

async function call(h: AnyHarness, base: string, path: string, opts: CallOptions & { accept?: string } = {}): Promise<Res> {
  const headers: Record<string, string | undefined> = { ...(opts.bare ? {} : await h.gatewayHeaders(opts.client, opts.sandbox)), accept: opts.accept, ...opts.headers };
  return request("GET", `${h.emu.baseUrl}${base}${path}`, { ...opts, headers });
}

/** `GET /data/foundation/catalog…`. */
export const catalog = (h: AnyHarness, path: string, opts: CallOptions = {}): Promise<Res> => call(h, CATALOG, path, opts);

/** `GET /data/foundation/schemaregistry…` with an `Accept` header (none when `accept` is undefined). */
export const registry = (h: AnyHarness, path: string, accept: string | undefined, opts: CallOptions = {}): Promise<Res> => call(h, SCHEMA_REGISTRY, path, { ...opts, accept });

/** The path of a schema by its URL-encoded `$id`, as Adobe recommends. */
export const schemaPath = (id: string): string => `/tenant/schemas/${encodeURIComponent(id)}`;

export const ACCEPT = {
  ids: "application/vnd.adobe.xed-id+json",
  raw: "application/vnd.adobe.xed+json",
  raw1: "application/vnd.adobe.xed+json; version=1",
  full1: "application/vnd.adobe.xed-full+json; version=1",
};

/** The Platform problem body `{type, status, title, detail}`; returns the detail. */
export function expectProblem(res: Res, status: number, title: string): string {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: { type: "/placeholder/type/uri", status, title, detail: expect.any(String) } });
  return res.body.detail as string;
}
