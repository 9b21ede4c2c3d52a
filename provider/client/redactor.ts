/** Keeps secrets out of every message, log line and error, in every form a server may echo them. */
/**
 * The shortest secret the provider accepts (resource secrets at `check`, the IMS client secret and
 * access token in configuration). A shorter value cannot be told apart from ordinary text, so it
 * could neither be redacted reliably nor without mangling every message.
 */
export const MIN_SECRET_LENGTH = 8;

/** A trailing fragment this long or longer that begins a secret (a server cut it) is redacted too. */
const MIN_FRAGMENT = 3;

/**
 * Anywhere in a text, a run of this many characters found in a secret is redacted with every
 * character around it that continues the match: a server that cut a secret and went on ("…", a
 * quote) must not show the part it kept. Equal to the shortest secret accepted.
 */
const WINDOW = 8;

const REDACTED = "[redacted]";

/** Every form in which a secret may come back in a server's answer or an error. */
export function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [
    secret,
    json,
    // Escaped twice: a JSON body quoted inside another JSON string.
    JSON.stringify(json).slice(1, -1),
    uriEncoded(secret),
    new URLSearchParams({ v: secret }).toString().slice(2),
    Buffer.from(secret).toString("base64"),
    Buffer.from(secret).toString("base64url"),
    Buffer.from(secret).toString("base64").replace(/=+$/, ""),
  ];
  return [...new Set(forms)];
}

/** encodeURIComponent, which throws on a lone surrogate (no UTF-8 text holds one). */
function uriEncoded(secret: string): string {
  try {
    return encodeURIComponent(secret);
  } catch {
    return secret;
  }
}

/**
 * Replaces every registered secret, in each of its forms, in a text. Redaction always runs on the
 * whole text before anything is cut, and a text that ends in the first characters of a secret (a
 * server truncated it) loses that fragment too.
 */
export class Redactor {
  private readonly forms = new Set<string>();
  /** The forms longest first; sorted when next needed, not on every add (a deployment adds N times). */
  private sortedForms: string[] | undefined = [];
  /** Every WINDOW-character run of every form. */
  private readonly windows = new Set<string>();

  add(...values: Array<string | undefined>): this {
    let changed = false;
    for (const value of values) {
      if (typeof value !== "string" || value.length === 0) continue;
      for (const form of secretForms(value)) {
        if (!this.forms.has(form)) {
          this.forms.add(form);
          for (let i = 0; i + WINDOW <= form.length; i++) this.windows.add(form.slice(i, i + WINDOW));
          changed = true;
        }
      }
    }
    if (changed) this.sortedForms = undefined;
    return this;
  }

  // Longest first, so that a secret containing another is replaced whole.
  private get sorted(): string[] {
    return (this.sortedForms ??= [...this.forms].sort((a, b) => b.length - a.length));
  }

  redact(text: string): string {
    let out = text;
    for (const form of this.sorted) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return this.dropTrailingFragment(this.redactPieces(out));
  }

  /** Replaces each stretch of text covered by runs of WINDOW characters that occur in a secret. */
  private redactPieces(text: string): string {
    if (this.windows.size === 0 || text.length < WINDOW) return text;
    let out = "";
    let copiedTo = 0;
    let coveredTo = -1;
    let start = -1;
    for (let i = 0; i + WINDOW <= text.length; i++) {
      if (!this.windows.has(text.slice(i, i + WINDOW))) continue;
      if (i > coveredTo) {
        if (start >= 0) {
          out += text.slice(copiedTo, start) + REDACTED;
          copiedTo = coveredTo;
        }
        start = i;
      }
      coveredTo = i + WINDOW;
    }
    if (start < 0) return text;
    return out + text.slice(copiedTo, start) + REDACTED + text.slice(coveredTo);
  }

  /** Redacts, then cuts to `max` characters (marking the cut), then redacts what the cut left. */
  redactAndCut(text: string, max: number): string {
    const whole = this.redact(text);
    if (whole.length <= max) return whole;
    return this.dropTrailingFragment(whole.slice(0, max)) + "…";
  }

  private dropTrailingFragment(text: string): string {
    let longest = 0;
    for (const form of this.sorted) longest = Math.max(longest, overlap(text, form));
    return longest >= MIN_FRAGMENT ? text.slice(0, text.length - longest) + REDACTED : text;
  }
}

/**
 * The length of the longest proper prefix of `form` that `text` ends with, in linear time (the
 * prefix function of Knuth–Morris–Pratt over form + separator + the end of text).
 */
function overlap(text: string, form: string): number {
  if (form.length < 2 || text.length === 0) return 0;
  const tail = text.slice(-(form.length - 1));
  const s = `${form}\u0000${tail}`;
  const pi = new Array<number>(s.length).fill(0);
  for (let i = 1; i < s.length; i++) {
    let k = pi[i - 1];
    while (k > 0 && s[i] !== s[k]) k = pi[k - 1];
    if (s[i] === s[k]) k++;
    pi[i] = k;
  }
  return Math.min(pi[s.length - 1], form.length - 1);
}
