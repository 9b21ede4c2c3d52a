/** Helpers for the reliability tests: a worker pool, secret look-ups and leak scans. */

/** Runs `fn` over `items` with at most `workers` in flight; worker i always gets index i (its own stack). */
export async function runPool<T, R>(items: T[], workers: number, fn: (item: T, worker: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, items.length) }, async (_, worker) => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], worker);
      }
    }),
  );
  return results;
}

/** A secret arg as the E2E program reads it: `{ "secret": "<config key>" }`. */
export const secretRef = (key: string): { secret: string } => ({ secret: key });

/** The args with every `{secret: key}` replaced by its value: what the provider receives. */
export function resolveSecrets(args: Record<string, unknown>, secrets: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    const key = v && typeof v === "object" && typeof (v as { secret?: unknown }).secret === "string" ? (v as { secret: string }).secret : undefined;
    if (key !== undefined && !(key in secrets)) throw new Error(`no value for secret config key ${key}`);
    out[k] = key === undefined ? v : secrets[key];
  }
  return out;
}

/** Every (place, secret) pair where a secret occurs in a text, the secret shortened for the report. */
export function findLeaks(texts: Record<string, string>, secrets: string[]): string[] {
  const leaks: string[] = [];
  for (const [where, text] of Object.entries(texts)) {
    for (const s of secrets) if (s.length > 0 && text.includes(s)) leaks.push(`${where}: ${JSON.stringify(s.slice(0, 40))}${s.length > 40 ? "…" : ""}`);
  }
  return leaks;
}

/** The text an Automation API failure carries: message plus the CLI's stdout and stderr. */
export function errorText(err: unknown): string {
  if (!err) return "";
  const e = err as { message?: string; stdout?: string; stderr?: string; commandResult?: { stdout?: string; stderr?: string } };
  return [e.message, e.stdout, e.stderr, e.commandResult?.stdout, e.commandResult?.stderr, String(err)].filter((x) => typeof x === "string").join("\n");
}

/** A client-credentials access token from the emulator's IMS endpoint. */
export async function imsToken(baseUrl: string, client: { clientId: string; clientSecret: string }): Promise<string> {
  const res = await fetch(`${baseUrl}/ims/token/v3`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, scope: "openid" }).toString(),
  });
  if (!res.ok) throw new Error(`IMS token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
