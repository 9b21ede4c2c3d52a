import {
  asConnectionSpec,
  asExploreEntries,
  asIdAndEtag,
  type ConnectionSpecSummary,
  connectionItemProblem,
  exploreListingProblem,
  type ExploreEntry,
  idAndEtagProblem,
  type ItemCheck,
  isConnectionNotFound,
  isMappingSetNotFound,
  isSpecNotFound,
  listingProblem,
  mappingSetCreatedProblem,
  mappingSetPageProblem,
  mappingSetProblem,
  singleItemProblem,
  specListingProblem,
  testResultProblem,
  type Problem,
} from "./answers";
import { ImsTokenSource, StaticToken, type TokenSource } from "./auth";
import { Semaphore } from "./concurrency";
import { FlowServiceError, errorFromNetwork, errorFromProxy, errorFromResponse } from "./flow-service-error";
import { headerValueProblem } from "./header-value";
import { Pacer } from "./pacing";
import { Redactor } from "./redactor";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, isAmbiguous, parseRetryAfter } from "./retry";
import { type Attempt, withRetries } from "./retry-loop";
import type { ProxyEnv } from "./proxy";
import { type HttpAgents, PROXY_FAILURE, attempt, createHttp, header, parseBody } from "./transport";
import type { ConnectionItem, CreateConnectionBody, IdAndEtag, MappingSetItem, PatchOperation } from "./types";

export interface ClientSettings {
  /** Platform gateway, e.g. https://platform.adobe.io (the Flow Service path is appended). */
  endpoint: string;
  imsEndpoint: string;
  clientId: string;
  orgId: string;
  clientSecret?: string;
  accessToken?: string;
  scopes: string;
  maxInFlight: number;
  /** Steady request rate the client keeps to (Flow Service calls, not IMS); unlimited when absent. */
  requestsPerSecond?: number;
  /** Total deadline of one attempt, the answer's last byte included. */
  timeoutMs: number;
  retry?: RetryPolicy;
  /** Receives one line per retried attempt ("attempt 2/8 failed: ... retrying in 500 ms"). */
  log?: (line: string) => void;
  /** The clock IMS tokens' lifetimes are measured by; Date.now unless a test moves time. */
  now?: () => number;
  /** Where HTTPS_PROXY, HTTP_PROXY, NO_PROXY and their lower-case forms are read: process.env by default. */
  proxyEnv?: ProxyEnv;
}

export interface RequestOptions {
  sandbox: string;
  body?: unknown;
  ifMatch?: string;
  query?: Record<string, string | string[]>;
  /** The service the path belongs to: Flow Service (default), Data Prep (mapping sets), Catalog or Schema Registry. */
  service?: Service;
  /** The `Accept` header; default `application/json` (Schema Registry's reads name a format in it). */
  accept?: string;
}

export interface Response {
  status: number;
  /** The parsed JSON body (`undefined` when empty). */
  data: unknown;
  requestId?: string;
}

const WRITES = new Set(["POST", "PATCH", "PUT"]);

/** The Platform services this client calls, each under its own path of the one gateway (`aep:endpoint`). */
export type Service = "flow" | "dataPrep" | "catalog" | "schemaRegistry";
const BASE_PATHS: Record<Service, string> = {
  flow: "/data/foundation/flowservice",
  dataPrep: "/data/foundation/conversion",
  catalog: "/data/foundation/catalog",
  schemaRegistry: "/data/foundation/schemaregistry",
};

/**
 * Flow Service over HTTP: headers, token, retries and the in-flight cap. Knows nothing of Pulumi.
 * Non-2xx answers become FlowServiceError except those the caller declares expected (e.g. 404).
 */
export class FlowServiceClient {
  readonly redactor = new Redactor();
  readonly tokens: TokenSource;
  private readonly http: HttpAgents;
  private readonly gate: Semaphore;
  private readonly pacer: Pacer;
  private readonly retry: RetryPolicy;
  private readonly endpoint: string;
  private readonly writeListeners: Array<(method: string, path: string) => void> = [];

  constructor(private readonly settings: ClientSettings) {
    this.retry = settings.retry ?? DEFAULT_RETRY_POLICY;
    this.gate = new Semaphore(settings.maxInFlight);
    this.pacer = new Pacer(settings.requestsPerSecond);
    this.endpoint = settings.endpoint.replace(/\/+$/, "");
    this.http = createHttp(settings.maxInFlight, settings.proxyEnv);
    this.redactor.add(settings.clientSecret, settings.accessToken, ...this.http.proxies.secrets());
    this.tokens = settings.accessToken
      ? new StaticToken(settings.accessToken)
      : new ImsTokenSource(
          { imsEndpoint: settings.imsEndpoint, clientId: settings.clientId, clientSecret: settings.clientSecret ?? "", scopes: settings.scopes },
          this.http,
          this.redactor,
          this.retry,
          settings.timeoutMs,
          settings.log,
          settings.now,
        );
  }

  /**
   * The technical account of the credential, which Flow Service records as `createdClient`: the
   * `user_id` claim of the access token (IMS tokens are JWTs). Known after the first request;
   * undefined for a token that is not a JWT.
   */
  technicalAccount?: string;

  /** The API key, which Flow Service records as `createdBy` of what this client creates. */
  get clientId(): string {
    return this.settings.clientId;
  }

  /** Attempts per request, the first included; callers resolving an ambiguous write use the same budget. */
  get maxAttempts(): number {
    return this.retry.maxAttempts;
  }

  /**
   * Calls `listener` with the method and path (`/connections/<id>`) of every write, before it is sent:
   * what a process cached from an earlier read must not hide its own writes.
   */
  onWrite(listener: (method: string, path: string) => void): void {
    this.writeListeners.push(listener);
  }

  async request(method: string, path: string, opts: RequestOptions, expected: number[] = []): Promise<Response> {
    if (method !== "GET") for (const listener of this.writeListeners) listener(method, path);
    let renewedAfter401 = false;
    const send = async (): Promise<Attempt<Response>> => {
      const token = await this.tokens.token();
      this.technicalAccount ??= technicalAccountOf(token);
      const unsendable = this.unsendable(method, path, token, opts);
      if (unsendable) throw unsendable;
      const res = await this.gate.run(async () => {
        await this.pacer.ready();
        return attempt(
          this.http,
          {
            method,
            url: this.endpoint + BASE_PATHS[opts.service ?? "flow"] + path,
            params: opts.query,
            data: opts.body === undefined ? undefined : JSON.stringify(opts.body),
            headers: {
              Authorization: `Bearer ${token}`,
              "x-api-key": this.settings.clientId,
              "x-gw-ims-org-id": this.settings.orgId,
              "x-sandbox-name": opts.sandbox,
              Accept: opts.accept ?? "application/json",
              ...(opts.body === undefined ? {} : { "Content-Type": "application/json" }),
              ...(opts.ifMatch ? { "If-Match": opts.ifMatch } : {}),
            },
          },
          this.settings.timeoutMs,
        );
      });
      if (res.status === 429) this.pacer.throttled();
      else this.pacer.accepted();
      const requestId = header(res.headers, "x-request-id");
      const body = parseBody(res.text);
      if ((res.status >= 200 && res.status < 300) || expected.includes(res.status)) {
        if (!body.json) {
          throw this.unusable(method, path, res.status, `its body is not JSON (${header(res.headers, "content-type") ?? "no content type"}, ${res.text.length} characters)`, requestId);
        }
        return { kind: "done", value: { status: res.status, data: body.value, requestId } };
      }
      if (res.status === 401 && !renewedAfter401 && !(this.tokens instanceof StaticToken)) {
        // The gateway rejected the token before the service saw the request: renew once, repeat.
        renewedAfter401 = true;
        this.tokens.invalidate(token);
        return { kind: "again" };
      }
      const outcome = { kind: "response", status: res.status, retryAfter: header(res.headers, "retry-after") } as const;
      const retryAfterMs = parseRetryAfter(outcome.retryAfter, Date.now());
      if (retryAfterMs !== undefined) this.pacer.pause(Math.min(retryAfterMs, this.retry.maxRetryAfterMs));
      const error = (): FlowServiceError => {
        const redirect = res.status >= 300 && res.status < 400 ? redirectHint(header(res.headers, "location"), "aep:endpoint") : undefined;
        return errorFromResponse(method, path, res.status, body.json ? body.value : body.text, requestId, this.redactor, isAmbiguous(outcome), redirect);
      };
      return { kind: "failed", outcome, error };
    };
    return withRetries({
      retryAs: method,
      label: `${method} ${path}`,
      policy: this.retry,
      log: this.settings.log,
      send,
      networkError: (failure, ambiguous) =>
        failure.code === PROXY_FAILURE
          ? errorFromProxy(method, path, failure, this.redactor)
          : failure.unusable
            ? this.unusable(method, path, undefined, failure.message)
            : errorFromNetwork(method, path, failure, this.redactor, ambiguous),
    });
  }

  /**
   * A request that cannot be sent because a value meant for a header cannot be carried by one:
   * nothing leaves the process, so it is neither retried nor ambiguous, and the error names where the
   * value comes from and the character (never the value). Configuration refuses such credentials and
   * `check` such a sandbox first; this holds for every other way a value can get here.
   */
  private unsendable(method: string, path: string, token: string, opts: RequestOptions): FlowServiceError | undefined {
    const sources: Array<[string, string, string | undefined]> = [
      ["Authorization", this.tokens instanceof StaticToken ? "aep:accessToken (AEP_ACCESS_TOKEN)" : "the access token IMS issued", token],
      ["x-api-key", "aep:clientId (AEP_CLIENT_ID)", this.settings.clientId],
      ["x-gw-ims-org-id", "aep:orgId (AEP_ORG_ID)", this.settings.orgId],
      ["x-sandbox-name", "the sandbox (the resource's sandbox, else aep:sandbox / AEP_SANDBOX)", opts.sandbox],
      ["If-Match", "the etag kept in the stack's state", opts.ifMatch],
    ];
    for (const [header, source, value] of sources) {
      const problem = value === undefined ? undefined : headerValueProblem(value);
      if (problem) {
        return new FlowServiceError({ kind: "config", method, path, message: `${method} ${path} was not sent: ${source} ${problem}, which the ${header} header cannot carry. Fix it and run the deployment again` });
      }
    }
    return undefined;
  }

  /**
   * An answer that cannot be used. To a write it is ambiguous (the server answered, so the write may
   * have been applied): the lifecycle looks the connection up rather than trust or repeat it.
   */
  private unusable(method: string, path: string, status: number | undefined, problem: string, requestId?: string): FlowServiceError {
    const rid = requestId ? ` (request id ${this.redactor.redactAndCut(requestId, 80)})` : "";
    const answered = status === undefined ? "answered" : `answered ${status}`;
    return new FlowServiceError({
      kind: "http",
      method,
      path,
      status,
      code: "EBADRESPONSE",
      requestId,
      ambiguous: WRITES.has(method.toUpperCase()),
      message: this.redactor.redact(
        `${method} ${path} ${answered} with an answer that is not Flow Service's: ${problem}${rid}. ` +
          "Check aep:endpoint (AEP_ENDPOINT): a proxy, captive portal or another service may be answering in its place",
      ),
    });
  }

  /** Checks a 2xx body with `problem`; an unusable one is an error like an unusable response (catalog.ts's reads use it too). */
  checked(method: string, path: string, res: Response, problem: Problem): void {
    if (problem) throw this.unusable(method, path, res.status, this.redactor.redactAndCut(problem, 200), res.requestId);
  }

  // Each method takes the collection an entity kind declares (`/connections`; later `/sourceConnections`,
  // `/flows`): Flow Service answers every collection in the same shapes.

  /** The item, or `undefined` only when Flow Service itself says it does not exist. */
  async getItem(collection: string, sandbox: string, id: string, itemProblem: ItemCheck = connectionItemProblem): Promise<ConnectionItem | undefined> {
    const path = `${collection}/${encodeURIComponent(id)}`;
    const res = await this.request("GET", path, { sandbox }, [404]);
    if (res.status === 404) return this.notFound("GET", path, res);
    this.checked("GET", path, res, singleItemProblem(res.data, id, itemProblem));
    return (res.data as { items: ConnectionItem[] }).items[0];
  }

  async createItem(collection: string, sandbox: string, body: CreateConnectionBody | Record<string, unknown>): Promise<IdAndEtag> {
    const res = await this.request("POST", collection, { sandbox, body });
    this.checked("POST", collection, res, idAndEtagProblem(res.data));
    return asIdAndEtag(res.data);
  }

  /**
   * All items matching every filter (`field==value`), following continuation links up to
   * `maxPages` pages of 100: a server whose pages never end must not hold a deployment forever.
   */
  async listItems(collection: string, sandbox: string, filters: string[], maxPages = 10, itemProblem: ItemCheck = connectionItemProblem): Promise<ConnectionItem[]> {
    const listing = await this.listItemPages(collection, sandbox, filters, maxPages, itemProblem);
    if (!listing.complete) {
      throw new FlowServiceError({ kind: "http", method: "GET", path: collection, message: `GET ${collection} (${filters.join(", ")}): more than ${maxPages} pages of 100; giving up` });
    }
    return listing.items;
  }

  /** Up to `maxPages` pages of 100; `complete` says whether that was all of them. */
  async listItemPages(collection: string, sandbox: string, filters: string[], maxPages: number, itemProblem: ItemCheck = connectionItemProblem): Promise<{ items: ConnectionItem[]; complete: boolean }> {
    const items: ConnectionItem[] = [];
    const seenTokens = new Set<string>();
    let query: Record<string, string | string[]> = { property: filters, limit: "100" };
    for (let page = 0; page < maxPages; page++) {
      const res = await this.request("GET", collection, { sandbox, query });
      this.checked("GET", collection, res, listingProblem(res.data, itemProblem));
      const data = res.data as { items: ConnectionItem[]; _links?: { next?: { href?: unknown } } };
      items.push(...data.items);
      const next = data._links?.next?.href;
      const token = typeof next === "string" ? new URL(next, "http://x").searchParams.get("continuationToken") : null;
      if (!token) return { items, complete: true };
      // A server handing out a token twice would page forever.
      if (seenTokens.has(token)) this.checked("GET", collection, res, "the next page's continuation token repeats an earlier one");
      seenTokens.add(token);
      query = { property: filters, limit: "100", continuationToken: token };
    }
    return { items, complete: false };
  }

  async patchItem(collection: string, sandbox: string, id: string, etag: string, ops: PatchOperation[]): Promise<IdAndEtag> {
    const path = `${collection}/${encodeURIComponent(id)}`;
    const res = await this.request("PATCH", path, { sandbox, body: ops, ifMatch: etag });
    this.checked("PATCH", path, res, idAndEtagProblem(res.data));
    return asIdAndEtag(res.data);
  }

  /** Deletes an item; "absent" only when Flow Service itself says it does not exist. */
  async deleteItem(collection: string, sandbox: string, id: string): Promise<"deleted" | "absent"> {
    const path = `${collection}/${encodeURIComponent(id)}`;
    const res = await this.request("DELETE", path, { sandbox }, [404]);
    if (res.status === 404) return this.notFound("DELETE", path, res) ?? "absent";
    return "deleted";
  }

  /**
   * `POST /flows/{id}/action?op=enable|disable`, with If-Match: a flow changed since it was read is
   * refused (412) rather than switched blindly.
   */
  async flowAction(sandbox: string, id: string, op: "enable" | "disable", etag: string): Promise<IdAndEtag> {
    const path = `/flows/${encodeURIComponent(id)}/action`;
    // The action has no body, but the gateway wants every POST to be JSON: an empty object.
    const res = await this.request("POST", path, { sandbox, query: { op }, ifMatch: etag, body: {} });
    this.checked("POST", path, res, idAndEtagProblem(res.data));
    return asIdAndEtag(res.data);
  }

  // Mapping sets live in Data Prep: versioned, replaced whole with PUT, never deleted, no etag.

  async getMappingSet(sandbox: string, id: string): Promise<MappingSetItem | undefined> {
    const path = `/mappingSets/${encodeURIComponent(id)}`;
    const res = await this.request("GET", path, { sandbox, service: "dataPrep" }, [404]);
    if (res.status === 404) {
      if (isMappingSetNotFound(res.data)) return undefined;
      throw errorFromResponse("GET", path, 404, res.data, res.requestId, this.redactor, false, "That 404 is not Data Prep's \"mapping set not found\" (2002-404), so nothing is assumed deleted: check aep:endpoint (AEP_ENDPOINT).");
    }
    this.checked("GET", path, res, mappingSetProblem(res.data, id));
    return res.data as MappingSetItem;
  }

  async createMappingSet(sandbox: string, body: Record<string, unknown>): Promise<{ id: string; version: number }> {
    const res = await this.request("POST", "/mappingSets", { sandbox, body, service: "dataPrep" });
    this.checked("POST", "/mappingSets", res, mappingSetCreatedProblem(res.data));
    const b = res.data as { id: string; version: number };
    return { id: b.id, version: b.version };
  }

  /** Replaces the mapping set with `body`: Data Prep stores it as a new version and answers it. */
  async putMappingSet(sandbox: string, id: string, body: Record<string, unknown>): Promise<MappingSetItem> {
    const path = `/mappingSets/${encodeURIComponent(id)}`;
    const res = await this.request("PUT", path, { sandbox, body, service: "dataPrep" });
    this.checked("PUT", path, res, mappingSetProblem(res.data, id));
    return res.data as MappingSetItem;
  }

  /** Mapping sets with this name (Data Prep's `name` filter; all without one), up to `maxPages` pages of 100. */
  async listMappingSets(sandbox: string, name: string | undefined, maxPages = 10): Promise<MappingSetItem[]> {
    const listing = await this.listMappingSetPages(sandbox, name, maxPages);
    if (!listing.complete) throw new FlowServiceError({ kind: "http", method: "GET", path: "/mappingSets", message: `GET /mappingSets (name ${JSON.stringify(name)}): more than ${maxPages} pages of 100; giving up` });
    return listing.items;
  }

  /** Up to `maxPages` pages of 100 mapping sets; `complete` says whether that was all of them. */
  async listMappingSetPages(sandbox: string, name: string | undefined, maxPages: number): Promise<{ items: MappingSetItem[]; complete: boolean }> {
    const items: MappingSetItem[] = [];
    for (let page = 0; page < maxPages; page++) {
      const res = await this.request("GET", "/mappingSets", { sandbox, service: "dataPrep", query: { ...(name === undefined ? {} : { name }), limit: "100", start: String(page * 100) } });
      this.checked("GET", "/mappingSets", res, mappingSetPageProblem(res.data));
      const data = (res.data as { data: MappingSetItem[] }).data;
      items.push(...data);
      if (data.length < 100) return { items, complete: true };
    }
    return { items, complete: false };
  }

  // Connectivity and lookups. A GET is safe to repeat, so these retry like any other read.

  /**
   * `GET /connections/{id}/test`: whether Flow Service could reach the system the connection names with its
   * credentials; undefined only when Flow Service itself says the connection does not exist.
   */
  async testConnection(collection: string, sandbox: string, id: string): Promise<boolean | undefined> {
    const path = `${collection}/${encodeURIComponent(id)}/test`;
    const res = await this.request("GET", path, { sandbox }, [404]);
    if (res.status === 404) return this.notFound("GET", path, res);
    this.checked("GET", path, res, testResultProblem(res.data));
    return (res.data as { result: boolean }).result;
  }

  /** `GET /connections/{id}/explore`: the files and folders at the top (no `folder`) or in a folder. */
  async exploreConnection(collection: string, sandbox: string, id: string, folder?: string): Promise<ExploreEntry[]> {
    const path = `${collection}/${encodeURIComponent(id)}/explore`;
    const query: Record<string, string> = folder === undefined ? { objectType: "root" } : { objectType: "folder", object: folder };
    const res = await this.request("GET", path, { sandbox, query });
    this.checked("GET", path, res, exploreListingProblem(res.data));
    return asExploreEntries(res.data);
  }

  /** `GET /connectionSpecs[?property=…]`: every spec matching all filters (one page: Adobe's list is short). */
  async listConnectionSpecs(sandbox: string, filters: string[]): Promise<ConnectionSpecSummary[]> {
    const res = await this.request("GET", "/connectionSpecs", { sandbox, query: filters.length > 0 ? { property: filters } : undefined });
    this.checked("GET", "/connectionSpecs", res, specListingProblem(res.data));
    return (res.data as { items: unknown[] }).items.map(asConnectionSpec);
  }

  /** `GET /connectionSpecs/{id}`; undefined only when Flow Service itself says there is no such spec (`1413-404`). */
  async getConnectionSpec(sandbox: string, id: string): Promise<ConnectionSpecSummary | undefined> {
    const path = `/connectionSpecs/${encodeURIComponent(id)}`;
    const res = await this.request("GET", path, { sandbox }, [404]);
    if (res.status === 404) {
      if (isSpecNotFound(res.data)) return undefined;
      throw errorFromResponse("GET", path, 404, res.data, res.requestId, this.redactor, false, "That 404 is not Flow Service's \"connection spec not found\" (1413-404): check aep:endpoint (AEP_ENDPOINT).");
    }
    this.checked("GET", path, res, specListingProblem(res.data));
    const items = (res.data as { items: unknown[] }).items;
    if (items.length !== 1) this.checked("GET", path, res, `expected one connection spec, got ${items.length}`);
    const spec = asConnectionSpec(items[0]);
    if (spec.id !== id) this.checked("GET", path, res, `it holds connection spec ${JSON.stringify(spec.id)}, not ${id}`);
    return spec;
  }

  /** A 404 means "no such connection" only in Flow Service's own words; any other 404 is an error. */
  private notFound(method: string, path: string, res: Response): undefined {
    if (isConnectionNotFound(res.data)) return undefined;
    throw errorFromResponse(method, path, 404, res.data, res.requestId, this.redactor, false, "That 404 is not Flow Service's \"connection not found\" (1101-404), so nothing is assumed deleted: check aep:endpoint (AEP_ENDPOINT).");
  }
}

/** The `user_id` claim of a JWT access token (read, not verified: the token came from IMS itself). */
export function technicalAccountOf(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { user_id?: unknown };
    return typeof claims.user_id === "string" && claims.user_id !== "" ? claims.user_id : undefined;
  } catch {
    return undefined;
  }
}

/** A redirect is never followed: it could carry the credentials to another host. */
export function redirectHint(location: string | undefined, setting: string): string {
  const to = location ? ` to ${location.split("?")[0]}` : "";
  return `Redirects${to} are not followed (they could carry credentials elsewhere): set ${setting} to the address that answers directly.`;
}
