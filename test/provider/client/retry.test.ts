import { type AttemptOutcome, DEFAULT_RETRY_POLICY, isAmbiguous, parseRetryAfter, retryDelayMs, shouldRetry } from "../../../provider/client/retry";

const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2000, maxRetryAfterMs: 10_000 };
const status = (s: number, retryAfter?: string): AttemptOutcome => ({ kind: "response", status: s, retryAfter });
const reset: AttemptOutcome = { kind: "network", code: "ECONNRESET", sent: true };
const refused: AttemptOutcome = { kind: "network", code: "ECONNREFUSED", sent: false };

describe("retry decision", () => {
  it.each([
    ["GET", status(429), true],
    ["POST", status(429), true],
    ["PATCH", status(429), true],
    ["GET", status(503), true],
    ["DELETE", status(500), true],
    ["GET", reset, true],
    ["POST", status(503), false],
    ["POST", status(500), false],
    ["PATCH", status(502), false],
    ["POST", reset, false],
    ["POST", refused, true],
    ["GET", status(400), false],
    ["GET", status(404), false],
    ["GET", status(412), false],
    ["DELETE", status(401), false],
  ] as const)("%s after %j: retry=%s", (method, outcome, expected) => {
    expect(shouldRetry(method, outcome, 1, policy)).toBe(expected);
  });

  it("stops at the last attempt", () => {
    expect(shouldRetry("GET", status(503), 4, policy)).toBe(true);
    expect(shouldRetry("GET", status(503), 5, policy)).toBe(false);
  });

  it("calls a 5xx or a reset after sending ambiguous, and a 4xx or a refused connection not", () => {
    expect([status(500), status(503), reset].map(isAmbiguous)).toEqual([true, true, true]);
    expect([status(429), status(400), refused].map(isAmbiguous)).toEqual([false, false, false]);
  });
});

describe("retry delay", () => {
  it("honours Retry-After in seconds, plus at most one base delay of jitter", () => {
    expect(retryDelayMs(1, status(429, "3"), policy, () => 0)).toBe(3000);
    expect(retryDelayMs(1, status(429, "3"), policy, () => 0.999)).toBe(3099);
  });

  it("caps a Retry-After that would stall the deployment", () => {
    expect(retryDelayMs(1, status(429, "3600"), policy, () => 0)).toBe(10_000);
  });

  it("reads Retry-After as an HTTP date", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });

  it("grows exponentially with jitter between half and all of the step, up to the cap", () => {
    const low = [1, 2, 3, 4, 5, 10].map((a) => retryDelayMs(a, status(503), policy, () => 0));
    const high = [1, 2, 3, 4, 5, 10].map((a) => retryDelayMs(a, status(503), policy, () => 1));
    expect(low).toEqual([50, 100, 200, 400, 800, 1000]);
    expect(high).toEqual([100, 200, 400, 800, 1600, 2000]);
  });
});
