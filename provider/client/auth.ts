import { FlowServiceError, errorFromNetwork, errorFromResponse } from "./flow-service-error";
import type { Redactor } from "./redactor";
import type { RetryPolicy } from "./retry";
import { type Attempt, withRetries } from "./retry-loop";
import { type HttpAgents, attempt, header, parseBody } from "./transport";

export interface ImsCredentials {
  imsEndpoint: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
}

/** Where access tokens come from: a fixed token given by the user, or IMS client credentials. */
export interface TokenSource {
  token(): Promise<string>;
  /** Called after a 401: forget `rejected` so the next token() asks IMS again. */
  invalidate(rejected: string): void;
}

export class StaticToken implements TokenSource {
  constructor(private readonly accessToken: string) {}
  async token(): Promise<string> {
    return this.accessToken;
  }
  invalidate(): void {
    // A given token cannot be renewed; the caller surfaces the 401.
  }
}

interface CachedToken {
  value: string;
  /** When to ask IMS again, ahead of the token's expiry. */
  renewAt: number;
}

/**
 * IMS OAuth server-to-server tokens: one per process and credentials, fetched once even when many
 * resources ask at the same time (single flight), renewed ahead of expiry and after a 401.
 */
export class ImsTokenSource implements TokenSource {
  private cached?: CachedToken;
  private pending?: Promise<string>;

  constructor(
    private readonly creds: ImsCredentials,
    private readonly http: HttpAgents,
    private readonly redactor: Redactor,
    private readonly retry: RetryPolicy,
    private readonly timeoutMs: number = 60_000,
    private readonly log?: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  async token(): Promise<string> {
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.value;
    this.pending ??= this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  invalidate(rejected: string): void {
    if (this.cached?.value === rejected) this.cached = undefined;
  }

  private async fetch(): Promise<string> {
    const path = "/ims/token/v3";
    const form = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: this.creds.clientId,
      client_secret: this.creds.clientSecret,
      scope: this.creds.scopes,
    });
    const imsHint = "Check aep:imsEndpoint (AEP_IMS_ENDPOINT) and the network.";
    const send = async (): Promise<Attempt<string>> => {
      const res = await attempt(
        this.http,
        {
          method: "POST",
          url: this.creds.imsEndpoint.replace(/\/+$/, "") + path,
          data: form.toString(),
          headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
        },
        this.timeoutMs,
      );
      const parsed = parseBody(res.text);
      const body = (parsed.json ? parsed.value : undefined) as { access_token?: unknown; expires_in?: unknown } | undefined;
      if (res.status === 200 && typeof body?.access_token === "string" && body.access_token.length > 0) {
        const ttlMs = (typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 3600) * 1000;
        const issuedAt = this.now();
        // Renew once 90% of the lifetime has passed (and at least a minute early), never mid-request.
        const margin = Math.max(60_000, ttlMs * 0.1);
        this.cached = { value: body.access_token, renewAt: issuedAt + Math.max(0, ttlMs - margin) };
        this.redactor.add(body.access_token);
        return { kind: "done", value: body.access_token };
      }
      const error = (): FlowServiceError => {
        const detail = parsed.json ? parsed.value : parsed.text;
        if (res.status === 200) {
          return new FlowServiceError({
            kind: "ims",
            method: "POST",
            path,
            status: 200,
            code: "EBADRESPONSE",
            message: this.redactor.redact(`POST ${path} answered 200 without an access token (${parsed.json ? "JSON without access_token" : "not JSON"}): not an IMS answer. ${imsHint}`),
          });
        }
        const redirect = res.status >= 300 && res.status < 400 ? `Redirects are not followed (they could carry the client secret elsewhere): set aep:imsEndpoint to the address that answers directly.` : undefined;
        const err = errorFromResponse("POST", path, res.status, detail, header(res.headers, "x-request-id"), this.redactor, false, redirect);
        if (res.status === 400 || res.status === 401) {
          return new FlowServiceError({
            ...err,
            kind: "ims",
            message: `${err.message}. IMS rejected the client credentials: check aep:clientId / AEP_CLIENT_ID, aep:clientSecret / AEP_CLIENT_SECRET and aep:scopes / AEP_SCOPES (Adobe Developer Console, OAuth Server-to-Server credential).`,
          });
        }
        return new FlowServiceError({ ...err, kind: "ims", message: `${err.message} (from IMS, aep:imsEndpoint)` });
      };
      return { kind: "failed", outcome: { kind: "response", status: res.status, retryAfter: header(res.headers, "retry-after") }, error };
    };
    return withRetries({
      // A token request has no side effect, so it is repeated like a GET.
      retryAs: "GET",
      label: `POST ${path} (IMS)`,
      policy: this.retry,
      log: this.log,
      send,
      networkError: (failure) => {
        const e = errorFromNetwork("POST", path, failure, this.redactor, false);
        return new FlowServiceError({ ...e, kind: "ims", message: `${e.message}. ${imsHint}` });
      },
    });
  }
}
