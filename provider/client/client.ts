import * as http from "node:http";
import * as https from "node:https";
import axios, { type AxiosInstance } from "axios";
import { ImsTokenSource, StaticToken, type TokenSource, header, networkCode } from "./auth";
import { Semaphore, sleep } from "./concurrency";
import { Pacer } from "./pacing";
import { FlowServiceError, Redactor, errorFromNetwork, errorFromResponse } from "./errors";
import { type AttemptOutcome, DEFAULT_RETRY_POLICY, type RetryPolicy, isAmbiguous, parseRetryAfter, retryDelayMs, shouldRetry } from "./retry";
import type { ConnectionItem, CreateConnectionBody, IdAndEtag, PatchOperation } from "./types";

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
  timeoutMs: number;
  retry?: RetryPolicy;
  /** Receives one line per retried attempt ("attempt 2/8 failed: ... retrying in 500 ms"). */
  log?: (line: string) => void;
}

export interface RequestOptions {
  sandbox: string;
  body?: unknown;
  ifMatch?: string;
  query?: Record<string, string | string[]>;
}

export interface Response<T> {
  status: number;
  data: T;
  requestId?: string;
}

const FLOW_BASE_PATH = "/data/foundation/flowservice";

/**
 * Flow Service over HTTP: headers, token, retries and the in-flight cap. Knows nothing of Pulumi.
 * Non-2xx answers become FlowServiceError except those the caller declares expected (e.g. 404).
 */
export class FlowServiceClient {
  readonly redactor = new Redactor();
  readonly tokens: TokenSource;
  private readonly http: AxiosInstance;
  private readonly gate: Semaphore;
  private readonly pacer: Pacer;
  private readonly retry: RetryPolicy;
  private readonly base: string;

  constructor(private readonly settings: ClientSettings) {
    this.retry = settings.retry ?? DEFAULT_RETRY_POLICY;
    this.gate = new Semaphore(settings.maxInFlight);
    this.pacer = new Pacer(settings.requestsPerSecond);
    this.base = settings.endpoint.replace(/\/+$/, "") + FLOW_BASE_PATH;
    // Keep-alive: a deployment makes hundreds of calls to the same host.
    this.http = axios.create({
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: settings.maxInFlight }),
      httpsAgent: new https.Agent({ keepAlive: true, maxSockets: settings.maxInFlight }),
      timeout: settings.timeoutMs,
      maxRedirects: 0,
      validateStatus: () => true,
    });
    this.redactor.add(settings.clientSecret, settings.accessToken);
    this.tokens = settings.accessToken
      ? new StaticToken(settings.accessToken)
      : new ImsTokenSource(
          { imsEndpoint: settings.imsEndpoint, clientId: settings.clientId, clientSecret: settings.clientSecret ?? "", scopes: settings.scopes },
          this.http,
          this.redactor,
          this.retry,
        );
  }

  /** Attempts per request, the first included; callers resolving an ambiguous write use the same budget. */
  get maxAttempts(): number {
    return this.retry.maxAttempts;
  }

  async request<T>(method: string, path: string, opts: RequestOptions, expected: number[] = []): Promise<Response<T>> {
    let renewedAfter401 = false;
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.token();
      let outcome: AttemptOutcome;
      try {
        const res = await this.gate.run(async () => {
          await this.pacer.ready();
          return this.http.request({
            method,
            url: this.base + path,
            params: opts.query,
            paramsSerializer: { indexes: null },
            data: opts.body === undefined ? undefined : JSON.stringify(opts.body),
            headers: {
              Authorization: `Bearer ${token}`,
              "x-api-key": this.settings.clientId,
              "x-gw-ims-org-id": this.settings.orgId,
              "x-sandbox-name": opts.sandbox,
              Accept: "application/json",
              ...(opts.body === undefined ? {} : { "Content-Type": "application/json" }),
              ...(opts.ifMatch ? { "If-Match": opts.ifMatch } : {}),
            },
          });
        });
        if (res.status === 429) this.pacer.throttled();
        else this.pacer.accepted();
        const requestId = header(res.headers, "x-request-id");
        if ((res.status >= 200 && res.status < 300) || expected.includes(res.status)) {
          return { status: res.status, data: res.data as T, requestId };
        }
        if (res.status === 401 && !renewedAfter401 && !(this.tokens instanceof StaticToken)) {
          // The gateway rejected the token before the service saw the request: renew once, repeat.
          renewedAfter401 = true;
          this.tokens.invalidate(token);
          attempt--;
          continue;
        }
        outcome = { kind: "response", status: res.status, retryAfter: header(res.headers, "retry-after") };
        const retryAfterMs = parseRetryAfter(outcome.retryAfter, Date.now());
        if (retryAfterMs !== undefined) this.pacer.pause(Math.min(retryAfterMs, this.retry.maxRetryAfterMs));
        if (!shouldRetry(method, outcome, attempt, this.retry)) {
          throw errorFromResponse(method, path, res.status, res.data, requestId, this.redactor, isAmbiguous(outcome));
        }
      } catch (err) {
        if (err instanceof FlowServiceError) throw err;
        const code = networkCode(err);
        outcome = { kind: "network", code, sent: code !== "ECONNREFUSED" };
        if (!shouldRetry(method, outcome, attempt, this.retry)) {
          throw errorFromNetwork(method, path, err, this.redactor, isAmbiguous(outcome));
        }
      }
      const delay = retryDelayMs(attempt, outcome, this.retry);
      const why = outcome.kind === "response" ? `HTTP ${outcome.status}` : outcome.code;
      this.settings.log?.(`${method} ${path}: attempt ${attempt}/${this.retry.maxAttempts} failed (${why}): retrying in ${delay} ms`);
      await sleep(delay);
    }
  }

  async getConnection(sandbox: string, id: string): Promise<ConnectionItem | undefined> {
    const res = await this.request<{ items?: ConnectionItem[] }>("GET", `/connections/${encodeURIComponent(id)}`, { sandbox }, [404]);
    if (res.status === 404) return undefined;
    return res.data.items?.[0];
  }

  async createConnection(sandbox: string, body: CreateConnectionBody): Promise<IdAndEtag> {
    return (await this.request<IdAndEtag>("POST", "/connections", { sandbox, body })).data;
  }

  /** All connections matching every filter (`field==value`), following continuation links. */
  async listConnections(sandbox: string, filters: string[]): Promise<ConnectionItem[]> {
    const listing = await this.listConnectionPages(sandbox, filters, 1000);
    if (!listing.complete) throw new FlowServiceError({ kind: "http", method: "GET", path: "/connections", message: "GET /connections: more than 1000 pages; giving up" });
    return listing.items;
  }

  /** Up to `maxPages` pages of 100; `complete` says whether that was all of them. */
  async listConnectionPages(sandbox: string, filters: string[], maxPages: number): Promise<{ items: ConnectionItem[]; complete: boolean }> {
    const items: ConnectionItem[] = [];
    let query: Record<string, string | string[]> = { property: filters, limit: "100" };
    for (let page = 0; page < maxPages; page++) {
      const res = await this.request<{ items?: ConnectionItem[]; _links?: { next?: { href?: string } } }>("GET", "/connections", { sandbox, query });
      items.push(...(res.data.items ?? []));
      const next = res.data._links?.next?.href;
      const token = next ? new URL(next, "http://x").searchParams.get("continuationToken") : null;
      if (!token) return { items, complete: true };
      query = { property: filters, limit: "100", continuationToken: token };
    }
    return { items, complete: false };
  }

  async patchConnection(sandbox: string, id: string, etag: string, ops: PatchOperation[]): Promise<IdAndEtag> {
    return (await this.request<IdAndEtag>("PATCH", `/connections/${encodeURIComponent(id)}`, { sandbox, body: ops, ifMatch: etag })).data;
  }

  /** Deletes a connection; "absent" when it was already gone (404). */
  async deleteConnection(sandbox: string, id: string): Promise<"deleted" | "absent"> {
    const res = await this.request("DELETE", `/connections/${encodeURIComponent(id)}`, { sandbox }, [404]);
    return res.status === 404 ? "absent" : "deleted";
  }
}

