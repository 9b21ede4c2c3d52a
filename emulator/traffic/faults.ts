/**
 * Fault rules: the kinds, the checked rule body, and the engine that picks the rule a request meets.
 * A plain class; `hooks.ts` puts it in front of the routes.
 */
import { randomInt } from "node:crypto";
import { adminAssert as check } from "../errors";
import { ROUTE_KEYS, type RouteKey } from "../routes/table";
import { isObject } from "../util";

export type FaultKind = "412" | "429" | "500" | "503" | "reset" | "latency" | "slow-response" | "commit-then-fail";
/** What each fault kind does; the admin index shows this table. */
export const FAULT_KINDS: Readonly<Record<FaultKind, string>> = {
  "412": "Flow 1404-412 (the If-Match a write carried no longer matches), without running the handler",
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
  route: `route to match: ${ROUTE_KEYS.join(", ")}`,
  retryAfterSeconds: "integer >= 0, for 429 (default 1)",
  latencyMs: "integer >= 0, for latency and slow-response (required there)",
  thenStatus: '500 | 503 | "reset", for commit-then-fail (default 500)',
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
  check(b.route === undefined || ROUTE_KEYS.includes(b.route as RouteKey), `route must be one of ${ROUTE_KEYS.join(", ")}`);
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

