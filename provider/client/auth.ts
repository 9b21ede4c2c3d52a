import { FlowServiceError, errorFromNetwork, errorFromProxy, errorFromResponse } from "./flow-service-error";
import { headerValueProblem } from "./header-value";
import type { Redactor } from "./redactor";
import type { RetryPolicy } from "./retry";
import { type Attempt, withRetries } from "./retry-loop";
import { type HttpAgents, PROXY_FAILURE, attempt, header, parseBody } from "./transport";

export interface ImsCredentials {
  imsEndpoint: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
}

const CREDENTIAL_SETTINGS = "aep:clientId (AEP_CLIENT_ID) and aep:clientSecret (AEP_CLIENT_SECRET)";

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

/** The longest a token is renewed ahead of its expiry: a day-long token is used for 23 h 55 min. */
export const MAX_RENEWAL_MARGIN_MS = 5 * 60_000;

/**
 * When a token issued at `issuedAt` for `lifetimeMs` is asked for again: once 90 % of its lifetime
 * has passed, at most MAX_RENEWAL_MARGIN_MS before it expires. In proportion, so a short-lived token
 * (IMS may issue one of a minute or less) is still reused for most of its life; ahead of expiry, so a
 * request never leaves with a token that expires on the way.
 */
export function renewalTime(issuedAt: number, lifetimeMs: number): number {
  return issuedAt + lifetimeMs - Math.min(lifetimeMs * 0.1, MAX_RENEWAL_MARGIN_MS);
}

/**
 * IMS OAuth server-to-server tokens: one per process and credentials, fetched once even when many
 * resources ask at the same time (single flight), renewed ahead of expiry and after a 401. When IMS
 * refuses the credentials, that answer stands for the process (one deployment): the request that
 * asked gets IMS's answer, and every other one, waiting or later, fails without asking again.
 */
export class ImsTokenSource implements TokenSource {
  private cached?: CachedToken;
  private pending?: Promise<string>;
  /** IMS's refusal of these credentials, once it came. */
  private refusal?: FlowServiceError;

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
    if (this.refusal) throw this.notAttempted(this.refusal);
    if (this.cached && this.now() < this.cached.renewAt) return this.cached.value;
    if (this.pending) {
      // Another request is asking IMS: its answer is this one's too, but a refusal is told once.
      return this.pending.catch((err: unknown) => {
        throw this.refusal && err === this.refusal ? this.notAttempted(this.refusal) : err;
      });
    }
    this.pending = this.fetch().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private notAttempted(refusal: FlowServiceError): FlowServiceError {
    return new FlowServiceError({
      kind: "ims",
      method: "POST",
      path: refusal.path,
      status: refusal.status,
      code: refusal.code,
      message: `not attempted: IMS rejected the client credentials earlier in this deployment (HTTP ${refusal.status}${refusal.code ? ` ${refusal.code}` : ""}), so no token was asked for again; fix ${CREDENTIAL_SETTINGS} and run the deployment again`,
    });
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
      // A token's lifetime runs from when IMS issued it, which is no earlier than the request.
      const askedAt = this.now();
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
      const unusable = (problem: string) => (): FlowServiceError =>
        new FlowServiceError({
          kind: "ims",
          method: "POST",
          path,
          status: res.status,
          code: "EBADRESPONSE",
          message: this.redactor.redact(`POST ${path} answered ${res.status} ${problem}: not a usable IMS answer. ${imsHint}`),
        });
      // An unusable 200 is not repeated (the retry rules repeat no 200): nothing says IMS would answer otherwise.
      const refuse = (problem: string): Attempt<string> => ({ kind: "failed", outcome: { kind: "response", status: res.status }, error: unusable(problem) });
      if (res.status === 200 && typeof body?.access_token === "string" && body.access_token.length > 0) {
        const token = body.access_token;
        this.redactor.add(token);
        const tokenProblem = headerValueProblem(token);
        if (tokenProblem) return refuse(`with an access token that ${tokenProblem}, which the Authorization header cannot carry`);
        const expiresIn = body.expires_in;
        if (typeof expiresIn !== "number" || !Number.isFinite(expiresIn) || expiresIn <= 0) {
          const got = expiresIn === undefined ? "none" : typeof expiresIn === "number" ? String(expiresIn) : `a ${typeof expiresIn}`;
          return refuse(`with expires_in ${got}, where IMS gives the token's lifetime as a positive number of seconds`);
        }
        this.cached = { value: token, renewAt: renewalTime(askedAt, expiresIn * 1000) };
        return { kind: "done", value: token };
      }
      if (res.status === 200) return refuse(`without an access token (${parsed.json ? "JSON without access_token" : "not JSON"})`);
      const error = (): FlowServiceError => {
        const detail = parsed.json ? parsed.value : parsed.text;
        const redirect = res.status >= 300 && res.status < 400 ? `Redirects are not followed (they could carry the client secret elsewhere): set aep:imsEndpoint to the address that answers directly.` : undefined;
        const err = errorFromResponse("POST", path, res.status, detail, header(res.headers, "x-request-id"), this.redactor, false, redirect);
        if (res.status === 400 || res.status === 401) {
          const scope = /scope/i.test(`${err.code ?? ""} ${err.message}`) ? " and aep:scopes (AEP_SCOPES)" : "";
          this.refusal = new FlowServiceError({
            ...err,
            kind: "ims",
            message: `IMS rejected the client credentials: ${err.message}. Fix ${CREDENTIAL_SETTINGS}${scope}: copy them from the Adobe Developer Console (the project's OAuth Server-to-Server credential). No other request of this deployment asks IMS again`,
          });
          return this.refusal;
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
        if (failure.code === PROXY_FAILURE) return errorFromProxy("POST", path, failure, this.redactor);
        const e = errorFromNetwork("POST", path, failure, this.redactor, false);
        return new FlowServiceError({ ...e, kind: "ims", message: `${e.message}. ${imsHint}` });
      },
    });
  }
}
