import { TokenBucket } from "limiter";
import { sleep } from "./concurrency";

/**
 * Paces a process's Flow Service requests so a deployment stays under the gateway's limit instead of
 * discovering it through 429s:
 * - an optional steady rate (`aep:requestsPerSecond`), a token bucket from the `limiter` package;
 * - a process-wide pause when any response carries Retry-After: the gateway throttles the client,
 *   not one request, so every request waits, not only the one that was refused.
 * The bucket holds a tenth of a second's requests (at least two, so a timer that fires late loses no
 * capacity), so the client sends evenly: a gateway whose own burst is smaller than its per-second rate
 * still never sees more than it allows.
 */
export class Pacer {
  private readonly bucket?: TokenBucket;
  private pausedUntil = 0;

  constructor(requestsPerSecond?: number) {
    if (requestsPerSecond !== undefined) {
      if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) throw new RangeError(`requests per second must be a positive number, got ${requestsPerSecond}`);
      this.bucket = new TokenBucket({ bucketSize: Math.max(2, Math.ceil(requestsPerSecond / 10)), tokensPerInterval: requestsPerSecond, interval: 1000 });
    }
  }

  /** Resolves when the next request may be sent. */
  async ready(now: () => number = Date.now): Promise<void> {
    // Re-check after each sleep: another response may have moved the pause further out.
    for (let wait = this.pausedUntil - now(); wait > 0; wait = this.pausedUntil - now()) await sleep(wait);
    if (this.bucket) await this.bucket.removeTokens(1);
  }

  /** Holds every request of the process for `ms` from now (never shortens an existing pause). */
  pause(ms: number, now: number = Date.now()): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }
}
