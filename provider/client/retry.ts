/**
 * Retry rules as pure functions, so they are tested without a server or a clock.
 * POST and PATCH are never retried once the request may have reached the server: the lifecycle
 * resolves those ambiguous failures itself (look the connection up, then adopt or try again).
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound for a server's Retry-After, so a bad header cannot stall a deployment. */
  maxRetryAfterMs: number;
}

/** The most attempts a request may be given (aep:maxAttempts): every loop is bounded, and each attempt may wait a minute. */
export const MAX_ATTEMPTS = 100;

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 15_000,
  maxRetryAfterMs: 60_000,
};

export type AttemptOutcome =
  | { kind: "response"; status: number; retryAfter?: string }
  /**
   * `sent` is false when the connection was never established (nothing reached the server);
   * `permanent` when repeating cannot help (a TLS certificate refused, a host name that does not exist).
   */
  | { kind: "network"; code: string; sent: boolean; permanent?: boolean };

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);
const SAFE_TO_REPEAT = new Set(["GET", "HEAD", "DELETE", "OPTIONS"]);

/**
 * Network failures no repetition can fix: the server's TLS certificate was refused, the host name
 * does not exist, the address is not a URL, the server speaks another protocol, or the request could
 * not be made at all (a header value no header can carry, a setting Node refuses).
 */
export function isPermanentNetworkCode(code: string): boolean {
  return /CERT|SSL|TLS/.test(code) || ["ENOTFOUND", "ERR_INVALID_URL", "EPROTO", "ERR_INVALID_PROTOCOL", "HPE_INVALID_CONSTANT", "HPE_INVALID_VERSION", "EBADHEADER", "EBADREQUEST"].includes(code);
}

/** Whether the request may have been applied by the server although the client saw no success. */
export function isAmbiguous(outcome: AttemptOutcome): boolean {
  if (outcome.kind === "network") return outcome.sent && !outcome.permanent;
  return RETRYABLE_STATUS.has(outcome.status);
}

export function shouldRetry(method: string, outcome: AttemptOutcome, attempt: number, policy: RetryPolicy): boolean {
  if (attempt >= policy.maxAttempts) return false;
  if (outcome.kind === "network" && outcome.permanent) return false;
  // The gateway rejects a throttled request before it reaches the service: always safe to repeat.
  if (outcome.kind === "response" && outcome.status === 429) return true;
  if (outcome.kind === "network" && !outcome.sent) return true;
  if (!isAmbiguous(outcome)) return false;
  return SAFE_TO_REPEAT.has(method.toUpperCase());
}

/** Parses Retry-After (delta seconds or an HTTP date) into milliseconds, or undefined. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Delay before attempt `attempt + 1`: Retry-After when the server gave one (capped), otherwise
 * capped exponential backoff with "equal jitter" (half fixed, half random) so that parallel
 * resources failing together do not retry in lockstep.
 */
export function retryDelayMs(
  attempt: number,
  outcome: AttemptOutcome,
  policy: RetryPolicy,
  random: () => number = Math.random,
  now: number = Date.now(),
): number {
  if (outcome.kind === "response") {
    const retryAfter = parseRetryAfter(outcome.retryAfter, now);
    if (retryAfter !== undefined) {
      // A little jitter on top, so clients released together do not all return in the same instant.
      return Math.min(retryAfter, policy.maxRetryAfterMs) + Math.floor(random() * policy.baseDelayMs);
    }
  }
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(exp / 2 + random() * (exp / 2));
}
