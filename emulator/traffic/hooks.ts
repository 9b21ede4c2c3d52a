/**
 * The traffic layer in front of every route but /__admin: request log, fault rules, rate limit.
 * It never looks inside a route; routes never know it is there (except the deferred commit-then-fail).
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { GATEWAY } from "../errors";
import { deferFault, faultResult, resetSocket, send } from "../http";
import { routeKeyOf } from "../routes/table";
import type { Clock } from "../types";
import { header, sleep } from "../util";
import type { FaultEngine } from "./faults";
import type { TokenBucket } from "./rate-limit";
import { cutText, maskQuery, type LogEntry, type RequestLog } from "./request-log";

export interface Traffic {
  faults: FaultEngine;
  log: RequestLog;
  bucket: TokenBucket | null;
  /** Fixed delay before every request (0 = none); see latency.ts. */
  latencyMs: number;
  /** How the delays wait: real timers unless a test injects its own (EmulatorOptions.sleep). */
  sleep: (ms: number) => Promise<void>;
}

const entries = new WeakMap<FastifyRequest, LogEntry>();

/** Uses the caller's x-request-id when it is a plain token, as gateways do; otherwise a new UUID. */
export function requestIdOf(headers: Record<string, string | string[] | undefined>): string {
  const given = header(headers, "x-request-id");
  return given && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomUUID();
}

export function installTraffic(app: FastifyInstance, traffic: Traffic, clock: Clock): void {
  app.addHook("onRequest", async (req, reply) => {
    const route = routeKeyOf(req);
    if (route === null) return; // the admin API is never logged, faulted or throttled
    const q = req.url.indexOf("?");
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const query = q < 0 ? undefined : req.url.slice(q + 1);
    const sandbox = header(req.headers, "x-sandbox-name");
    // Only bounded text is kept: the log must not grow with what strangers send.
    const entry = traffic.log.record({
      method: req.method,
      route,
      path: cutText(path),
      query: query === undefined ? undefined : cutText(maskQuery(query)),
      status: 0,
      sandbox: sandbox === undefined ? undefined : cutText(sandbox),
      at: clock(),
    });
    if (entry.query === undefined) delete entry.query;
    if (entry.sandbox === undefined) delete entry.sandbox;
    entries.set(req, entry);
    if (traffic.latencyMs > 0) await traffic.sleep(traffic.latencyMs);

    const rule = traffic.faults.pick(req.method, route);
    if (rule) {
      entry.fault = rule.kind;
      switch (rule.kind) {
        case "latency":
          await sleep(rule.latencyMs ?? 0);
          break;
        case "commit-then-fail":
        case "slow-response":
          deferFault(req, rule);
          break;
        case "reset":
          resetSocket(req, reply);
          return reply;
        default:
          send(req, reply, faultResult(rule.kind, route, rule.retryAfterSeconds ?? 1));
          return reply;
      }
    }
    // [choice] The bucket guards Flow Service and the inlet, not IMS, and is checked before the header checks.
    if (traffic.bucket && route !== "/ims/token/v3") {
      const wait = traffic.bucket.take();
      if (wait > 0) {
        entry.fault ??= "rate-limit";
        send(req, reply, GATEWAY.throttled(wait).result);
        return reply;
      }
    }
  });

  app.addHook("onSend", async (req, reply, payload) => {
    reply.header("x-request-id", String(req.id));
    const entry = entries.get(req);
    if (entry) entry.status = reply.statusCode;
    return payload;
  });
}
