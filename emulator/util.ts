import { createHash, timingSafeEqual } from "node:crypto";

/** A loopback interface or name: `localhost`, `127.x.x.x` or `::1`. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The first value of a header that may have been sent several times. */
export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Compares a secret in time independent of where it differs: both sides are hashed to equal-length digests
 * first, since timingSafeEqual needs equal lengths and a length check would leak the secret's length.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** [choice] JSON bodies nest at most this deep; deeper ones are refused before they are parsed. */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether JSON text nests arrays and objects deeper than `limit` (brackets inside strings do not count).
 * Checked before JSON.parse: V8 parses very deep input, but rendering or cloning it later overflows the stack.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** A stable UUID-shaped id per org and sandbox name (Flow Service shows it as `sandboxId`, Schema Registry as `meta:sandboxId`). */
export function sandboxIdOf(orgId: string, sandbox: string): string {
  const h = createHash("sha256").update(`${orgId}/${sandbox}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
