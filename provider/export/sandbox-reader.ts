/**
 * Reads one sandbox for export, through the package's own client and answer checks: one unfiltered
 * listing per collection (`/connections`, `/sourceConnections`, `/targetConnections`, `/flows`, Data Prep's
 * `/mappingSets`) and one of `/flowSpecs`, every page checked item by item as the provider checks the
 * pages it reads. No GET of a single entity, and nothing written: the client refuses any other method.
 */
import { FlowServiceClient, type RequestOptions, type Response } from "../client/client";
import { connectionItemProblem, pipelineItemProblem, type Problem } from "../client/answers";
import { FlowServiceError } from "../client/flow-service-error";
import type { ConnectionItem, MappingSetItem } from "../client/types";
import { clientSettingsOf } from "../clients";
import { flowSpecOf } from "../resources/flow-specs";
import type { AepSettings } from "../settings";

/** A pipeline entity (source or target connection, dataflow) as its listing holds it. */
export type EntityItem = Record<string, unknown> & { id: string; name: string };

/** A flow spec as `/flowSpecs` lists it, the fields export reads. */
export interface FlowSpecSummary {
  id: string;
  name: string;
}

export interface SandboxSnapshot {
  sandbox: string;
  connections: ConnectionItem[];
  sourceConnections: EntityItem[];
  targetConnections: EntityItem[];
  flows: EntityItem[];
  /** Each at its latest version, as Data Prep's listing holds it (mappings included). */
  mappingSets: MappingSetItem[];
  flowSpecs: FlowSpecSummary[];
}

/** One request the reader made, as it reports progress. */
export interface PageRead {
  /** `/connections`, `/mappingSets`, … */
  collection: string;
  /** 1 for the first page of that listing. */
  page: number;
  items: number;
}

export interface ReadOptions {
  /** Pages of 100 read per listing at most; a longer listing is an error naming `--max-pages`. */
  maxPages: number;
  /** Called after each page. */
  onPage?: (page: PageRead) => void;
}

/**
 * The client export reads with: the package's FlowServiceClient, which refuses (before anything is sent)
 * every request but a GET, and counts the requests it sends and the pages it reads per collection.
 */
export class ReadOnlyClient extends FlowServiceClient {
  /** Requests answered, by method and path (`GET /connections`); IMS's token request is not one of them. */
  readonly requests = new Map<string, number>();
  private readonly pages = new Map<string, number>();
  onPage?: (page: PageRead) => void;

  override async request(method: string, path: string, opts: RequestOptions, expected: number[] = []): Promise<Response> {
    if (method.toUpperCase() !== "GET") throw new FlowServiceError({ kind: "config", method, path, message: `export reads only: ${method} ${path} was not sent` });
    const res = await super.request(method, path, opts, expected);
    const key = `${method} ${path}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const page = (this.pages.get(path) ?? 0) + 1;
    this.pages.set(path, page);
    this.onPage?.({ collection: path, page, items: itemCount(res.data) });
    return res;
  }

  /** Every request sent (all GETs). */
  get requestCount(): number {
    return [...this.requests.values()].reduce((a, b) => a + b, 0);
  }
}

function itemCount(data: unknown): number {
  if (typeof data !== "object" || data === null) return 0;
  const list = (data as { items?: unknown; data?: unknown }).items ?? (data as { data?: unknown }).data;
  return Array.isArray(list) ? list.length : 0;
}

/**
 * The read-only client for these settings; missing credentials are an error naming each setting. `log`
 * receives the client's line per retried attempt.
 */
export function readOnlyClient(s: AepSettings, log?: (line: string) => void): ReadOnlyClient {
  return new ReadOnlyClient(clientSettingsOf(s, log));
}

/** A flow spec item, held to the rule of the provider's own flow spec lookup (provider/resources/flow-specs.ts). */
function flowSpecItemProblem(item: unknown): Problem {
  const spec = flowSpecOf(item);
  return typeof spec === "string" ? spec : undefined;
}

/** Every entity of the sandbox, each collection listed once (the listings run side by side). */
export async function readSandbox(client: ReadOnlyClient, sandbox: string, options: ReadOptions): Promise<SandboxSnapshot> {
  client.onPage = options.onPage;
  const { maxPages } = options;
  const all = async <T>(collection: string, listing: Promise<{ items: T[]; complete: boolean }>): Promise<T[]> => {
    const { items, complete } = await listing;
    if (!complete) {
      throw new FlowServiceError({ kind: "http", method: "GET", path: collection, message: `GET ${collection} in sandbox "${sandbox}": more than ${maxPages} pages of 100; nothing was written. Raise --max-pages to read them all` });
    }
    return items;
  };
  const entities = (collection: string) => all(collection, client.listItemPages(collection, sandbox, [], maxPages, pipelineItemProblem)) as Promise<unknown[]> as Promise<EntityItem[]>;
  // Every listing settles before a failure is reported (the first, in this order): nothing is left in flight.
  const settled = await Promise.allSettled([
    all("/connections", client.listItemPages("/connections", sandbox, [], maxPages, connectionItemProblem)),
    entities("/sourceConnections"),
    entities("/targetConnections"),
    entities("/flows"),
    all("/mappingSets", client.listMappingSetPages(sandbox, undefined, maxPages)),
    all("/flowSpecs", client.listItemPages("/flowSpecs", sandbox, [], maxPages, flowSpecItemProblem)),
  ] as const);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  const [connections, sourceConnections, targetConnections, flows, mappingSets, specs] = settled.map((r) => (r as PromiseFulfilledResult<unknown[]>).value) as [
    ConnectionItem[],
    EntityItem[],
    EntityItem[],
    EntityItem[],
    MappingSetItem[],
    unknown[],
  ];
  const flowSpecs = (specs as Array<{ id: string; name: string }>).map(({ id, name }) => ({ id, name }));
  return { sandbox, connections, sourceConnections, targetConnections, flows, mappingSets, flowSpecs };
}
