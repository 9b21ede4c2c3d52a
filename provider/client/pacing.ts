import { TokenBucket } from "limiter";
import { setTimeout } from "node:timers/promises";

/** Time as the pacer sees it; tests give one that advances when slept on. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const REAL_CLOCK: Clock = { now: Date.now, sleep: (ms) => setTimeout(ms) };

/**
 * How the sending rate adapts to 429s, in requests per second. Adobe publishes no numeric limit, so
 * the client learns it: a 429 sets the rate to β × the rate the gateway was accepting just before (at
 * most one decrease per `decreaseGapMs`, since one burst yields many 429s). Between 429s the rate
 * grows back along CUBIC's curve, the shape AWS SDKs use for their adaptive client-side rate limiter:
 * quickly back to the rate that was throttled, flat around it for a while, then probing upwards. Its
 * constant scales with that rate (c × rate per s³), so a gateway allowing 10/s is probed as gently,
 * relative to its limit, as one allowing 1000/s; below `scaleFloor` it scales as if at the floor, so
 * a low estimate (a stray 429 while the client was barely sending) is outgrown within seconds. So a
 * deployment spends most of its time just under the limit instead of rediscovering it through 429s.
 */
export const ADAPTIVE = {
  beta: 0.8,
  c: 0.01,
  scaleFloor: 10,
  /** Never slower than this, whatever the gateway says. */
  minRate: 0.5,
  decreaseGapMs: 1000,
  /** Window over which the accepted rate is measured: long enough to dilute a gateway's burst allowance. */
  measureMs: 5000,
};

/** CUBIC: the rate `seconds` after a decrease from `rateAtThrottle` (β × rateAtThrottle at 0). */
export function cubicRate(seconds: number, rateAtThrottle: number): number {
  const c = ADAPTIVE.c * Math.max(rateAtThrottle, ADAPTIVE.scaleFloor);
  const k = Math.cbrt((rateAtThrottle * (1 - ADAPTIVE.beta)) / c);
  return c * (seconds - k) ** 3 + rateAtThrottle;
}

/**
 * Paces a process's Flow Service requests so a deployment stays under the gateway's limit instead of
 * discovering it through 429s:
 * - an optional steady rate (`aep:requestsPerSecond`), a token bucket from the `limiter` package;
 * - a rate learned from 429s (ADAPTIVE), never above the configured one;
 * - a process-wide pause when any response carries Retry-After: the gateway throttles the client,
 *   not one request, so every request waits, not only the one that was refused.
 * The bucket holds a tenth of a second's requests (at least two, so a timer that fires late loses no
 * capacity), so the client sends evenly: a gateway whose own burst is smaller than its per-second rate
 * still never sees more than it allows.
 */
export class Pacer {
  private bucket?: TokenBucket;
  private readonly configured: number;
  private pausedUntil = 0;
  /** The last decrease: when, and from which rate. Unset until the first 429. */
  private decrease?: { at: number; from: number };
  private firstAcceptedAt?: number;
  /** When recent accepted requests were answered, oldest first (the last measureMs). */
  private readonly acceptedAt: number[] = [];

  constructor(
    requestsPerSecond?: number,
    private readonly clock: Clock = REAL_CLOCK,
  ) {
    if (requestsPerSecond !== undefined && (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond))) {
      throw new RangeError(`requests per second must be a positive number, got ${requestsPerSecond}`);
    }
    this.configured = requestsPerSecond ?? Number.POSITIVE_INFINITY;
  }

  /** The rate the client keeps to now; Infinity when unpaced. */
  rate(now: number = this.clock.now()): number {
    if (!this.decrease) return this.configured;
    const learned = cubicRate((now - this.decrease.at) / 1000, this.decrease.from);
    return Math.min(this.configured, Math.max(ADAPTIVE.minRate, learned));
  }

  /** Resolves when the next request may be sent. */
  async ready(): Promise<void> {
    const now = (): number => this.clock.now();
    for (;;) {
      // Re-check after each sleep: another response may have moved the pause further out.
      for (let wait = this.pausedUntil - now(); wait > 0; wait = this.pausedUntil - now()) await this.clock.sleep(wait);
      const rate = this.rate(now());
      if (!Number.isFinite(rate)) return;
      await this.bucketAt(rate).removeTokens(1);
      // A 429 while this request queued for a token paused the process: the token does not outrank it.
      if (this.pausedUntil <= now()) return;
    }
  }

  private bucketAt(rate: number): TokenBucket {
    const size = Math.max(2, Math.ceil(rate / 10));
    if (!this.bucket) {
      this.bucket = new TokenBucket({ bucketSize: size, tokensPerInterval: rate, interval: 1000 });
    } else {
      // The bucket reads both on every wait, so a new rate applies to requests already queued.
      this.bucket.tokensPerInterval = rate;
      this.bucket.bucketSize = size;
    }
    return this.bucket;
  }

  /** A request the gateway accepted (any answer but 429). */
  accepted(now: number = this.clock.now()): void {
    this.firstAcceptedAt ??= now;
    this.acceptedAt.push(now);
    this.forgetAcceptedBefore(now - ADAPTIVE.measureMs);
  }

  /** A 429: lower the rate, unless it was lowered moments ago for the same burst. */
  throttled(now: number = this.clock.now()): void {
    if (this.decrease && now - this.decrease.at < ADAPTIVE.decreaseGapMs) return;
    // What the gateway accepted over the last few seconds, pauses included: its bucket refills while
    // the client pauses and is drained after, so only a window spanning both shows its steady rate.
    // Over at least a second, so that the burst a deployment opens with is not taken for a rate.
    const since = Math.max(now - ADAPTIVE.measureMs, this.firstAcceptedAt ?? now);
    this.forgetAcceptedBefore(since);
    const measured = (this.acceptedAt.length * 1000) / Math.max(now - since, 1000);
    const from = Math.min(measured, this.rate(now));
    this.decrease = { at: now, from: Math.min(this.configured, Math.max(ADAPTIVE.minRate / ADAPTIVE.beta, from)) };
  }

  private forgetAcceptedBefore(time: number): void {
    let drop = 0;
    while (drop < this.acceptedAt.length && this.acceptedAt[drop] < time) drop++;
    if (drop > 0) this.acceptedAt.splice(0, drop);
  }

  /** Holds every request of the process for `ms` from now (never shortens an existing pause). */
  pause(ms: number, now: number = this.clock.now()): void {
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
  }
}
