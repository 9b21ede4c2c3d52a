import { FlowServiceError } from "./client/flow-service-error";
import { headerValueProblem } from "./client/header-value";
import { MIN_SECRET_LENGTH } from "./client/redactor";
import { DEFAULT_RETRY_POLICY, MAX_ATTEMPTS } from "./client/retry";
import { MAX_TIMER_MS, isLoopbackHost } from "./client/transport";

/**
 * Settings, resolved at run time inside the provider process (never captured in the serialized
 * provider): resource input > Pulumi config `aep:*` (via configure) > `AEP_*` environment > defaults.
 */
export interface AepSettings {
  endpoint: string;
  imsEndpoint: string;
  clientId?: string;
  clientSecret?: string;
  orgId?: string;
  sandbox: string;
  scopes: string;
  accessToken?: string;
  maxInFlight: number;
  /** Steady Flow Service request rate to keep to; unlimited when absent. */
  requestsPerSecond?: number;
  /** Attempts per request, the first included (429, 5xx, resets). */
  maxAttempts: number;
  /** Total deadline of one request attempt, the answer included. */
  timeoutMs: number;
}

export const CONFIG_KEYS = ["clientId", "clientSecret", "orgId", "sandbox", "scopes", "accessToken", "endpoint", "imsEndpoint", "maxInFlight", "maxAttempts", "requestsPerSecond", "timeoutSeconds"] as const;
type ConfigKey = (typeof CONFIG_KEYS)[number];

const ENV: Record<ConfigKey, string> = {
  clientId: "AEP_CLIENT_ID",
  clientSecret: "AEP_CLIENT_SECRET",
  orgId: "AEP_ORG_ID",
  sandbox: "AEP_SANDBOX",
  scopes: "AEP_SCOPES",
  accessToken: "AEP_ACCESS_TOKEN",
  endpoint: "AEP_ENDPOINT",
  imsEndpoint: "AEP_IMS_ENDPOINT",
  maxInFlight: "AEP_MAX_IN_FLIGHT",
  maxAttempts: "AEP_MAX_ATTEMPTS",
  requestsPerSecond: "AEP_REQUESTS_PER_SECOND",
  timeoutSeconds: "AEP_TIMEOUT_SECONDS",
};

export const DEFAULTS = {
  endpoint: "https://platform.adobe.io",
  imsEndpoint: "https://ims-na1.adobelogin.com",
  sandbox: "prod",
  scopes: "openid,AdobeID,read_organizations,additional_info.projectedProductContext,session",
  maxInFlight: 16,
  maxAttempts: DEFAULT_RETRY_POLICY.maxAttempts,
  timeoutMs: 60_000,
};

/** What `configure` received from the stack's config; process-wide (one provider process per deployment). */
let stackConfig: Partial<Record<ConfigKey, string>> = {};
/** `aep:*` keys of the stack's config that are no setting of this package (typos, usually). */
let unknownStackKeys: string[] = [];

/**
 * `keys`, when the engine's config object exposes them, are every key of the stack's config: the
 * `aep:` ones that are no setting are reported by `configurationProblems`.
 */
export function setStackConfig(get: (key: string) => string | undefined, keys: string[] = []): void {
  const next: Partial<Record<ConfigKey, string>> = {};
  for (const key of CONFIG_KEYS) {
    const value = get(`aep:${key}`);
    if (value !== undefined && value !== "") next[key] = value;
  }
  stackConfig = next;
  const known = new Set(CONFIG_KEYS.map((k) => `aep:${k}`));
  unknownStackKeys = keys.filter((k) => k.startsWith("aep:") && !known.has(k));
}

/**
 * Everything wrong with the configuration, without a network call and without requiring
 * credentials (so `pulumi preview` can report it): unknown `aep:` keys and likely misspelt `AEP_*`
 * variables with the closest setting, malformed values, an org id without `@AdobeOrg`.
 */
export function configurationProblems(env: NodeJS.ProcessEnv = process.env): string[] {
  const problems: string[] = [];
  for (const key of unknownStackKeys) {
    const closest = closestOf(key.slice(4), CONFIG_KEYS);
    problems.push(`${key} is not a setting of pulumi-aep-flow${closest ? `; did you mean aep:${closest}?` : ""} (settings: ${CONFIG_KEYS.map((k) => `aep:${k}`).join(", ")}). Remove it with: pulumi config rm ${key}`);
  }
  const knownVars = Object.values(ENV);
  for (const name of Object.keys(env)) {
    if (!name.startsWith("AEP_") || knownVars.includes(name) || env[name] === undefined || env[name] === "") continue;
    // Other tools may use AEP_ variables too: only a near miss of ours is reported.
    const closest = closestOf(name, knownVars, 2);
    if (closest) problems.push(`environment variable ${name} is not read by pulumi-aep-flow; did you mean ${closest}?`);
  }
  try {
    const s = resolveSettings(env);
    if (s.orgId !== undefined && !/^[A-Za-z0-9]+@AdobeOrg$/.test(s.orgId)) {
      problems.push(`aep:orgId (${ENV.orgId}) must be an IMS organization id such as 1234567890ABCDEF12345678@AdobeOrg, got ${JSON.stringify(s.orgId.slice(0, 80))}: copy it from the Adobe Developer Console credential`);
    }
  } catch (err) {
    problems.push(err instanceof Error ? err.message : String(err));
  }
  return problems;
}

/** The candidate nearest to `word` (edit distance, case-insensitive) within `max` edits. */
function closestOf(word: string, candidates: readonly string[], max = 3): string | undefined {
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

function lookup(key: ConfigKey, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env[ENV[key]];
  return stackConfig[key] ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : undefined);
}

function configError(key: ConfigKey, problem: string, example: string): FlowServiceError {
  return new FlowServiceError({ kind: "config", message: `aep:${key} (${ENV[key]}) ${problem}. Fix it with: pulumi config set aep:${key} ${example}` });
}

/**
 * Credentials must not travel in clear: an endpoint is an https:// URL, or http:// only to a
 * loopback host (the local emulator).
 */
function endpointUrl(key: "endpoint" | "imsEndpoint", raw: string | undefined, fallback: string): string {
  if (raw === undefined) return fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError(key, `must be a URL such as ${fallback}, got "${raw}"`, fallback);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw configError(key, `is http:// to ${url.hostname}: credentials would travel in clear; use https:// (http:// is allowed only to a loopback host such as 127.0.0.1)`, fallback);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw configError(key, `must be an https:// URL, got "${raw}"`, fallback);
  if (url.username || url.password) throw configError(key, "must not hold a user name or password", fallback);
  return raw;
}

/** A secret too short to be redacted reliably is refused, naming the setting (never its value). */
function secretSetting(key: "clientSecret" | "accessToken", raw: string | undefined): string | undefined {
  if (raw !== undefined && raw.length < MIN_SECRET_LENGTH) {
    throw new FlowServiceError({
      kind: "config",
      message: `aep:${key} (${ENV[key]}) is shorter than ${MIN_SECRET_LENGTH} characters, so it is not the credential's ${key === "clientSecret" ? "client secret" : "access token"}: copy it again from the Adobe Developer Console and set it with pulumi config set --secret aep:${key} <value>`,
    });
  }
  return credentialText(key, raw);
}

/** The header each credential setting is sent as; the client secret travels in IMS's form body instead. */
const CARRIED_AS: Partial<Record<ConfigKey, string>> = { clientId: "the x-api-key header", orgId: "the x-gw-ims-org-id header", accessToken: "the Authorization header" };
const SECRET_KEYS: readonly ConfigKey[] = ["clientSecret", "accessToken"];

/**
 * A credential holding a character an HTTP header cannot carry (a secret file's last line break, a
 * typographic hyphen) is refused here, naming the setting and the character, never the value: sent,
 * Node would refuse it before a byte left, and no retry or lost-write lookup could help. The client
 * secret is held to the same characters: no credential Adobe issues has others.
 */
function credentialText(key: ConfigKey, raw: string | undefined): string | undefined {
  const problem = raw === undefined ? undefined : headerValueProblem(raw);
  if (!problem) return raw;
  const where = CARRIED_AS[key] ? `, which ${CARRIED_AS[key]} cannot carry` : ", which no client secret holds";
  const set = SECRET_KEYS.includes(key) ? `pulumi config set --secret aep:${key} <value>` : `pulumi config set aep:${key} <value>`;
  throw new FlowServiceError({
    kind: "config",
    message: `aep:${key} (${ENV[key]}) ${problem}${where}: copy it again from the Adobe Developer Console${raw !== raw?.trimEnd() ? " (a file's last line break is part of the value when read whole)" : ""} and set it with ${set}`,
  });
}

type NumberKey = "maxInFlight" | "maxAttempts" | "requestsPerSecond" | "timeoutSeconds";

/**
 * The range of each numeric setting: what the mechanism using it can hold, so a value is refused,
 * naming the setting, instead of being clamped or failing at the first request (as a network error,
 * which would be retried). Node's timers hold at most 2^31-1 ms: a longer one fires after 1 ms, and
 * AbortSignal.timeout throws past 2^32-1 ms.
 */
export const LIMITS: Record<NumberKey, { whole: boolean; min: number; max: number; unit: string; example: string; why: string }> = {
  /** Each request in flight holds a socket, and 1024 descriptors is a common limit per process. */
  maxInFlight: { whole: true, min: 1, max: 1000, unit: "", example: "16", why: "each request in flight holds a socket, and a process commonly may open 1024" },
  /** Every loop is bounded: each attempt may wait a minute (Retry-After) plus its deadline before the next. */
  maxAttempts: { whole: true, min: 1, max: MAX_ATTEMPTS, unit: "", example: "8", why: "each may wait up to a minute before the next" },
  /** The token bucket waits 1000 / rate ms for a token, on a timer: one request per 10^6 s is within reach. */
  requestsPerSecond: { whole: false, min: 0.000001, max: 1_000_000, unit: " requests per second", example: "20", why: "a token is waited for on a timer; leave it unset for no steady rate" },
  /** The deadline is one timer: from 1 ms to Node's longest, about 24.8 days. */
  timeoutSeconds: { whole: false, min: 0.001, max: Math.floor(MAX_TIMER_MS / 1000), unit: " seconds", example: "60", why: "Node's timers hold at most 2^31-1 ms, about 24.8 days" },
};

/** An unset number is undefined (the caller's default); a set one outside its range is an error, never clamped or replaced. */
function numberSetting(key: NumberKey, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const { whole, min, max, unit, example, why } = LIMITS[key];
  const n = Number(raw);
  const shaped = whole ? /^\s*\d+\s*$/.test(raw) && Number.isSafeInteger(n) : raw.trim() !== "" && Number.isFinite(n);
  if (!shaped || n <= 0) throw configError(key, `must be a positive ${whole ? "whole number" : "number"}${unit && ` of${unit}`}, got "${raw}"`, example);
  if (n < min) throw configError(key, `must be at least ${min}${unit}, got "${raw}"`, example);
  if (n > max) throw configError(key, `must be at most ${max}${unit} (${why}), got "${raw}"`, example);
  return n;
}

/** The sandbox a resource without its own `sandbox` uses (read alone: check must not fail on unrelated settings). */
export function defaultSandbox(env: NodeJS.ProcessEnv = process.env): string {
  return lookup("sandbox", env) ?? DEFAULTS.sandbox;
}

export function resolveSettings(env: NodeJS.ProcessEnv = process.env): AepSettings {
  return {
    endpoint: endpointUrl("endpoint", lookup("endpoint", env), DEFAULTS.endpoint),
    imsEndpoint: endpointUrl("imsEndpoint", lookup("imsEndpoint", env), DEFAULTS.imsEndpoint),
    clientId: credentialText("clientId", lookup("clientId", env)),
    clientSecret: secretSetting("clientSecret", lookup("clientSecret", env)),
    orgId: credentialText("orgId", lookup("orgId", env)),
    sandbox: defaultSandbox(env),
    scopes: lookup("scopes", env) ?? DEFAULTS.scopes,
    accessToken: secretSetting("accessToken", lookup("accessToken", env)),
    maxInFlight: numberSetting("maxInFlight", lookup("maxInFlight", env)) ?? DEFAULTS.maxInFlight,
    maxAttempts: numberSetting("maxAttempts", lookup("maxAttempts", env)) ?? DEFAULTS.maxAttempts,
    requestsPerSecond: numberSetting("requestsPerSecond", lookup("requestsPerSecond", env)),
    timeoutMs: Math.round((numberSetting("timeoutSeconds", lookup("timeoutSeconds", env)) ?? DEFAULTS.timeoutMs / 1000) * 1000),
  };
}
