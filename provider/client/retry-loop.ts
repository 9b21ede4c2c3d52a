import { setTimeout as sleep } from "node:timers/promises";
import { FlowServiceError } from "./flow-service-error";
import { type AttemptOutcome, type RetryPolicy, isAmbiguous, retryDelayMs, shouldRetry } from "./retry";
import { AttemptFailure } from "./transport";

/** What one attempt came to. */
export type Attempt<T> =
  | { kind: "done"; value: T }
  /** An answer that is no success: `error` is thrown when the rules do not repeat it. */
  | { kind: "failed"; outcome: AttemptOutcome; error: () => FlowServiceError }
  /** Repeat at once, without counting an attempt (a renewed token after the gateway's 401). */
  | { kind: "again" };

export interface RetriedRequest<T> {
  /** The method the retry rules see: an IMS token request has no side effect and counts as a GET. */
  retryAs: string;
  /** How retry lines name the request: `GET /connections/…`, `POST /ims/token/v3 (IMS)`. */
  label: string;
  policy: RetryPolicy;
  /** Receives one line per retried attempt ("attempt 2/8 failed (HTTP 503): retrying in 500 ms"). */
  log?: (line: string) => void;
  send(): Promise<Attempt<T>>;
  /** The error for a request that got no usable answer and is not repeated. */
  networkError(failure: AttemptFailure, ambiguous: boolean): FlowServiceError;
}

/**
 * The one retry loop, shared by Flow Service and IMS calls: bounded by `policy.maxAttempts`, the
 * decision and the delay from the pure rules in ./retry, every retry printed. An answer too large to
 * read is not a passing fault and is never repeated; a FlowServiceError thrown by `send` ends the loop.
 */
export async function withRetries<T>(request: RetriedRequest<T>): Promise<T> {
  for (let attemptNo = 1; ; attemptNo++) {
    let outcome: AttemptOutcome;
    try {
      const result = await request.send();
      if (result.kind === "done") return result.value;
      if (result.kind === "again") {
        attemptNo--;
        continue;
      }
      outcome = result.outcome;
      if (!shouldRetry(request.retryAs, outcome, attemptNo, request.policy)) throw result.error();
    } catch (err) {
      if (err instanceof FlowServiceError) throw err;
      const failure = err instanceof AttemptFailure ? err : new AttemptFailure("ENETWORK", String(err), true);
      outcome = { kind: "network", code: failure.code, sent: failure.sent, permanent: failure.permanent };
      if (failure.unusable || !shouldRetry(request.retryAs, outcome, attemptNo, request.policy)) throw request.networkError(failure, isAmbiguous(outcome));
    }
    const delay = retryDelayMs(attemptNo, outcome, request.policy);
    const why = outcome.kind === "response" ? `HTTP ${outcome.status}` : outcome.code;
    request.log?.(`${request.label}: attempt ${attemptNo}/${request.policy.maxAttempts} failed (${why}): retrying in ${delay} ms`);
    await sleep(delay);
  }
}
