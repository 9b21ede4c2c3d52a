/**
 * The token bucket in front of Flow Service and the inlet (not IMS), set at start or through the admin API.
 * [choice] Not limiter's TokenBucket (which the provider uses): that one reads performance.now() and cannot be
 * given a clock, and it starts empty; this one starts full and takes the emulator's clock, so tests move time
 * instead of sleeping.
 */
import { adminAssert as check } from "../errors";
import type { Clock, RateLimitConfig } from "../types";
import { isObject } from "../util";

/** The body of PUT /__admin/rate-limit. */
export const RATE_LIMIT_FIELDS: Readonly<Record<string, string>> = {
  requestsPerSecond: "number > 0: refill rate",
  burst: "number >= 1: bucket size (default max(1, requestsPerSecond))",
};

/** Token bucket: `requestsPerSecond` refill, `burst` capacity (default max(1, rate)). */
export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly burst: number;

  constructor(
    readonly requestsPerSecond: number,
    burst: number | undefined,
    private readonly clock: Clock,
  ) {
    this.burst = burst ?? Math.max(1, requestsPerSecond);
    this.tokens = this.burst;
    this.last = clock();
  }

  /** Takes a token: 0 when allowed, else the seconds to wait (integer, >= 1). */
  take(): number {
    const now = this.clock();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.requestsPerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.requestsPerSecond));
  }
}

/** Checks a rate limit from the admin API or code; 400 (admin shape) on a bad or unknown field. */
export function parseRateLimit(body: unknown): RateLimitConfig {
  check(isObject(body), "body must be a JSON object");
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) check(Object.prototype.hasOwnProperty.call(RATE_LIMIT_FIELDS, k), `unknown field '${k}'`);
  check(typeof b.requestsPerSecond === "number" && b.requestsPerSecond > 0, "requestsPerSecond must be a number > 0");
  check(b.burst === undefined || (typeof b.burst === "number" && b.burst >= 1), "burst must be a number >= 1");
  return { requestsPerSecond: b.requestsPerSecond as number, burst: b.burst as number | undefined };
}
