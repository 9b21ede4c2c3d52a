/** The request log: counts of every request, the last entries, and only bounded, masked text in them. */

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
