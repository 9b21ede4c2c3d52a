/**
 * A fixed delay before every request but /__admin (IMS, Flow Service, the inlet): a network with
 * Adobe's round-trip time, for measuring how a deployment fares when each call costs L ms. Unlike the
 * `latency` fault it applies to every request and combines with faults and the rate limit.
 */
import { adminAssert as check } from "../errors";
import { isObject } from "../util";

/** The body of PUT /__admin/latency. */
export const LATENCY_FIELDS: Readonly<Record<string, string>> = {
  latencyMs: "integer >= 0: delay before every request but /__admin (0 = none)",
};

/** Checks a latency from the admin API or code; 400 (admin shape) on a bad or unknown field. */
export function parseLatency(body: unknown): number {
  check(isObject(body), "body must be a JSON object");
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) check(Object.prototype.hasOwnProperty.call(LATENCY_FIELDS, k), `unknown field '${k}'`);
  check(Number.isInteger(b.latencyMs) && (b.latencyMs as number) >= 0 && (b.latencyMs as number) <= 600_000, "latencyMs must be an integer in 0..600000");
  return b.latencyMs as number;
}
