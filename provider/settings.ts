import { FlowServiceError } from "./client/flow-service-error";
import { MIN_SECRET_LENGTH } from "./client/redactor";
import { DEFAULT_RETRY_POLICY } from "./client/retry";
import { isLoopbackHost } from "./client/transport";

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

/** An unset value takes the default; a set but invalid one is an error, never silently replaced. */
function positiveInt(key: ConfigKey, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (/^\s*\d+\s*$/.test(raw) && Number.isSafeInteger(n) && n > 0) return n;
  throw configError(key, `must be a positive whole number, got "${raw}"`, String(fallback));
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
  if (raw === undefined || raw.length >= MIN_SECRET_LENGTH) return raw;
  throw new FlowServiceError({
    kind: "config",
    message: `aep:${key} (${ENV[key]}) is shorter than ${MIN_SECRET_LENGTH} characters, so it is not the credential's ${key === "clientSecret" ? "client secret" : "access token"}: copy it again from the Adobe Developer Console and set it with pulumi config set --secret aep:${key} <value>`,
  });
}

/** The sandbox a resource without its own `sandbox` uses (read alone: check must not fail on unrelated settings). */
export function defaultSandbox(env: NodeJS.ProcessEnv = process.env): string {
  return lookup("sandbox", env) ?? DEFAULTS.sandbox;
}

/** An unset rate means unlimited; a set but invalid one is an error (silently ignoring it would not pace). */
function positiveNumber(key: ConfigKey, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (Number.isFinite(n) && n > 0) return n;
  throw configError(key, key === "timeoutSeconds" ? `must be a positive number of seconds, got "${raw}"` : `must be a positive number of requests per second, got "${raw}"`, key === "timeoutSeconds" ? "60" : "20");
}

export function resolveSettings(env: NodeJS.ProcessEnv = process.env): AepSettings {
  return {
    endpoint: endpointUrl("endpoint", lookup("endpoint", env), DEFAULTS.endpoint),
    imsEndpoint: endpointUrl("imsEndpoint", lookup("imsEndpoint", env), DEFAULTS.imsEndpoint),
    clientId: lookup("clientId", env),
    clientSecret: secretSetting("clientSecret", lookup("clientSecret", env)),
    orgId: lookup("orgId", env),
    sandbox: defaultSandbox(env),
    scopes: lookup("scopes", env) ?? DEFAULTS.scopes,
    accessToken: secretSetting("accessToken", lookup("accessToken", env)),
    maxInFlight: positiveInt("maxInFlight", lookup("maxInFlight", env), DEFAULTS.maxInFlight),
    maxAttempts: positiveInt("maxAttempts", lookup("maxAttempts", env), DEFAULTS.maxAttempts),
    requestsPerSecond: positiveNumber("requestsPerSecond", lookup("requestsPerSecond", env)),
    timeoutMs: Math.round((positiveNumber("timeoutSeconds", lookup("timeoutSeconds", env)) ?? DEFAULTS.timeoutMs / 1000) * 1000),
  };
}
