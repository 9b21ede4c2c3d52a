/**
 * Traffic control apart from the routes: fault rules, a token bucket, and the request log.
 * Plain classes; `traffic.ts` puts them in front of the routes as fastify hooks.
 */
import { randomInt } from "node:crypto";
import { adminError } from "./errors";
import { isObject } from "./util";

export const FLOW_PREFIX = "/data/foundation/flowservice";
export const ROUTES = [
  "/ims/token/v3",
  "/connectionSpecs",
  "/connectionSpecs/{id}",
  "/connections",
  "/connections/{id}",
  "/collection/{inletId}",
] as const;

/** [choice] The log key of every request no route matched: one key, however many paths are tried. */
export const UNMATCHED_ROUTE = "(unmatched)";

/**
 * The log/fault route of a request from the route pattern the router matched (Flow routes without their
 * prefix, `:id` as `{id}`), so a path spelled differently (`//`, percent-encoding, a trailing slash) still
 * lands on its route; UNMATCHED_ROUTE when none matched; null for /__admin, which is never logged.
 */
export function routeOf(pattern: string | undefined, url: string): string | null {
  if (pattern === undefined) return /^\/+__admin(?:[/?]|$)/.test(url) ? null : UNMATCHED_ROUTE;
  if (pattern === "/__admin" || pattern.startsWith("/__admin/")) return null;
  const route = pattern.startsWith(`${FLOW_PREFIX}/`) ? pattern.slice(FLOW_PREFIX.length) : pattern;
  return route.replace(/:(\w+)/g, "{$1}");
}

export type FaultKind = "429" | "500" | "503" | "reset" | "latency" | "slow-response" | "commit-then-fail";
/** What each fault kind does; the admin index shows this table. */
export const FAULT_KINDS: Readonly<Record<FaultKind, string>> = {
  "429": "429 gateway body + Retry-After: retryAfterSeconds",
  "500": "Flow 1102-500 (OAuth shape on IMS, inlet shape on the inlet)",
  "503": "Flow 1103-503 (OAuth shape on IMS, inlet shape on the inlet)",
  reset: "TCP reset, no response",
  latency: "latencyMs of delay, then the normal answer",
  "slow-response": "handler runs and commits at once; its answer is sent latencyMs later",
  "commit-then-fail": "writes only: handler runs and commits, then thenStatus is answered",
};
const KINDS = Object.keys(FAULT_KINDS) as FaultKind[];

/** The fields of a fault rule; parseRule refuses any other. */
export const FAULT_FIELDS: Readonly<Record<string, string>> = {
  kind: KINDS.join(" | "),
  count: "integer >= 1: only the next N matches",
  fraction: "0..1: fire on that share of matches",
  seed: "integer: seeds the fraction's PRNG (same requests every run)",
  method: "HTTP method to match",
  route: `route to match: ${ROUTES.join(", ")}`,
  retryAfterSeconds: "integer >= 0, for 429 (default 1)",
  latencyMs: "integer >= 0, for latency and slow-response (required there)",
  thenStatus: '500 | 503 | "reset", for commit-then-fail (default 500)',
};

/** The body of PUT /__admin/rate-limit. */
export const RATE_LIMIT_FIELDS: Readonly<Record<string, string>> = {
  requestsPerSecond: "number > 0: refill rate",
  burst: "number >= 1: bucket size (default max(1, requestsPerSecond))",
};
const WRITES = new Set(["POST", "PATCH", "DELETE", "PUT"]);

export interface FaultRuleInput {
  kind: FaultKind;
  count?: number;
  fraction?: number;
  seed?: number;
  method?: string;
  route?: string;
  retryAfterSeconds?: number;
  latencyMs?: number;
  thenStatus?: 500 | 503 | "reset";
}

export interface FaultRule extends FaultRuleInput {
  id: string;
  fired: number;
}

/** mulberry32: a small deterministic PRNG, so a seeded fraction fires on the same requests every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function check(ok: boolean, message: string): void {
  if (!ok) throw adminError(400, message);
}

function parseRule(body: unknown): FaultRuleInput {
  check(isObject(body), "body must be a JSON object");
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) check(Object.prototype.hasOwnProperty.call(FAULT_FIELDS, k), `unknown field '${k}'`);
  check(KINDS.includes(b.kind as FaultKind), `kind must be one of ${KINDS.join(", ")}`);
  const int = (v: unknown, min: number) => v === undefined || (Number.isInteger(v) && (v as number) >= min);
  check(int(b.count, 1), "count must be an integer >= 1");
  check(b.fraction === undefined || (typeof b.fraction === "number" && b.fraction >= 0 && b.fraction <= 1), "fraction must be a number in 0..1");
  check(b.seed === undefined || Number.isInteger(b.seed), "seed must be an integer");
  check(b.method === undefined || (typeof b.method === "string" && /^[A-Za-z]+$/.test(b.method)), "method must be an HTTP method");
  check(b.route === undefined || ROUTES.includes(b.route as (typeof ROUTES)[number]), `route must be one of ${ROUTES.join(", ")}`);
  check(int(b.retryAfterSeconds, 0), "retryAfterSeconds must be an integer >= 0");
  check(int(b.latencyMs, 0), "latencyMs must be an integer >= 0");
  check((b.kind !== "latency" && b.kind !== "slow-response") || b.latencyMs !== undefined, `${b.kind} needs latencyMs`);
  check(b.thenStatus === undefined || [500, 503, "reset"].includes(b.thenStatus as string | number), 'thenStatus must be 500, 503 or "reset"');
  const method = typeof b.method === "string" ? b.method.toUpperCase() : undefined;
  check(b.kind !== "commit-then-fail" || method === undefined || WRITES.has(method), "commit-then-fail applies to writes only (POST, PATCH, DELETE)");
  return { ...(b as unknown as FaultRuleInput), method };
}

export class FaultEngine {
  private rules: Array<FaultRule & { draw?: () => number }> = [];
  private nextId = 1;

  add(body: unknown): FaultRule {
    const input = parseRule(body);
    const rule: FaultRule & { draw?: () => number } = { id: `fault-${this.nextId++}`, ...input, fired: 0 };
    if (input.fraction !== undefined) rule.draw = prng(input.seed ?? randomInt(2 ** 31));
    this.rules.push(rule);
    return rule;
  }

  list(): Array<FaultRule & { remaining?: number }> {
    return this.rules.map(({ draw: _draw, ...rule }) =>
      rule.count === undefined ? rule : { ...rule, remaining: Math.max(0, rule.count - rule.fired) },
    );
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule, in insertion order, that matches and fires for this request; it is counted as fired. */
  pick(method: string, route: string): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.route !== undefined && rule.route !== route) continue;
      if (rule.kind === "commit-then-fail" && !WRITES.has(method)) continue;
      if (rule.count !== undefined && rule.fired >= rule.count) continue;
      if (rule.draw && !(rule.draw() < (rule.fraction as number))) continue;
      rule.fired++;
      return rule;
    }
    return undefined;
  }
}

/** Token bucket: `requestsPerSecond` refill, `burst` capacity (default max(1, rate)). */
export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly burst: number;

  constructor(
    readonly requestsPerSecond: number,
    burst?: number,
    now = Date.now(),
  ) {
    this.burst = burst ?? Math.max(1, requestsPerSecond);
    this.tokens = this.burst;
    this.last = now;
  }

  /** Takes a token: 0 when allowed, else the seconds to wait (integer, >= 1). */
  take(now = Date.now()): number {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.requestsPerSecond);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.requestsPerSecond));
  }
}

export function parseRateLimit(body: unknown): { requestsPerSecond: number; burst?: number } {
  check(isObject(body), "body must be a JSON object");
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) check(Object.prototype.hasOwnProperty.call(RATE_LIMIT_FIELDS, k), `unknown field '${k}'`);
  check(typeof b.requestsPerSecond === "number" && b.requestsPerSecond > 0, "requestsPerSecond must be a number > 0");
  check(b.burst === undefined || (typeof b.burst === "number" && b.burst >= 1), "burst must be a number >= 1");
  return { requestsPerSecond: b.requestsPerSecond as number, burst: b.burst as number | undefined };
}

export interface LogEntry {
  method: string;
  route: string;
  /** As sent, cut at MAX_LOGGED_TEXT characters (see cutText). */
  path: string;
  /** The query string as sent (still URL-encoded), secrets masked, cut like `path`; when there was one. */
  query?: string;
  /** 0 while in flight, and for a reset socket (no status was ever sent). */
  status: number;
  sandbox?: string;
  fault?: string;
  at: number;
}

/** [choice] Paths, queries and sandbox names are logged up to 256 characters, then marked as cut. */
export const MAX_LOGGED_TEXT = 256;

export function cutText(text: string): string {
  if (text.length <= MAX_LOGGED_TEXT) return text;
  // Copied, not sliced: V8 keeps a slice's whole parent string alive, which is what the cap is to avoid.
  const kept = Buffer.from(text.slice(0, MAX_LOGGED_TEXT), "utf16le").toString("utf16le");
  return `${kept}…(cut, ${text.length} chars)`;
}

/** [choice] Query parameters whose value is never logged (IMS takes client_secret in the query string too). */
const SECRET_QUERY_PARAM = /secret|password|^access_token$/i;

/** The query string with the values of secret parameters replaced by `********`. */
export function maskQuery(query: string): string {
  return query
    .split("&")
    .map((part) => {
      const eq = part.indexOf("=");
      if (eq < 0) return part;
      let name = part.slice(0, eq);
      try {
        name = decodeURIComponent(name.replace(/\+/g, " "));
      } catch {
        // not percent-encoding: judged as sent
      }
      return SECRET_QUERY_PARAM.test(name) ? `${part.slice(0, eq)}=********` : part;
    })
    .join("&");
}

/** [choice] Counts are kept for every request; only the last 10,000 entries are kept. */
export const MAX_LOG_ENTRIES = 10_000;

export class RequestLog {
  private entries: LogEntry[] = [];
  private counts: Record<string, number> = {};
  private total = 0;

  record(entry: LogEntry): LogEntry {
    this.total++;
    const key = `${entry.method} ${entry.route}`;
    this.counts[key] = (this.counts[key] ?? 0) + 1;
    this.entries.push(entry);
    // Trim in chunks, not per request: a per-request splice of a full log costs more than the request.
    if (this.entries.length >= 2 * MAX_LOG_ENTRIES) this.entries = this.entries.slice(-MAX_LOG_ENTRIES);
    return entry;
  }

  snapshot(): { total: number; counts: Record<string, number>; entries: LogEntry[] } {
    return { total: this.total, counts: { ...this.counts }, entries: this.entries.slice(-MAX_LOG_ENTRIES).map((e) => ({ ...e })) };
  }

  clear(): void {
    this.entries = [];
    this.counts = {};
    this.total = 0;
  }
}
