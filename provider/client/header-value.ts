/**
 * What an HTTP header value can carry as it was configured: printable ASCII (U+0020–U+007E), with no
 * space at either end. Node refuses a control character outright (a line break would end the header)
 * and anything past U+00FF; it sends U+0080–U+00FF as single Latin-1 bytes, which is not the text the
 * user typed; and a receiver strips spaces at either end (RFC 9110 §5.5), so the value compared would
 * not be the one configured. Every such value in a credential, an org id or a sandbox is a paste
 * artefact: a secret file's last line break, a word processor's typographic hyphen.
 */

/** Names for the characters that slip in when a value is pasted or read from a file. */
const NAMED: Record<string, string> = {
  "\n": "a line break (U+000A)",
  "\r": "a carriage return (U+000D)",
  "\t": "a tab (U+0009)",
  " ": "a space",
  "\u00a0": "a no-break space (U+00A0)",
  "\u00ad": "a soft hyphen (U+00AD)",
  "\u200b": "a zero-width space (U+200B)",
  "\u2010": "a typographic hyphen (U+2010; type - instead)",
  "\u2011": "a non-breaking hyphen (U+2011; type - instead)",
  "\u2012": "a figure dash (U+2012; type - instead)",
  "\u2013": "an en dash (U+2013; type - instead)",
  "\u2014": "an em dash (U+2014; type - instead)",
  "\u2212": "a minus sign (U+2212; type - instead)",
  "\u2018": "a curly quote (U+2018; type ' instead)",
  "\u2019": "a curly quote (U+2019; type ' instead)",
  "\u201c": "a curly quote (U+201C; type \" instead)",
  "\u201d": "a curly quote (U+201D; type \" instead)",
  "\ufeff": "a byte order mark (U+FEFF)",
};

/** Empty, or printable ASCII that neither begins nor ends with a space. */
const CARRIABLE = /^(?:[\u0021-\u007e](?:[\u0020-\u007e]*[\u0021-\u007e])?)?$/;

function describeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
  return /[\u0000-\u001f\u007f-\u009f]/.test(ch) ? `a control character (${code})` : `the character ${code}`;
}

/**
 * Why `value` cannot be sent as a header value, naming the character and where it stands (never the
 * value itself, which may be a secret); undefined when it can.
 */
export function headerValueProblem(value: string): string | undefined {
  // Every request's headers pass here twice: one regular expression over the value when it is fine.
  if (CARRIABLE.test(value)) return undefined;
  const chars = [...value];
  const printable = (ch: string) => /^[\u0020-\u007e]$/.test(ch);
  const at = chars.findIndex((ch, i) => !printable(ch) || (ch === " " && (i === 0 || i === chars.length - 1)));
  if (at < 0) return undefined;
  const what = describeChar(chars[at]);
  // "\r\n" at the end of a file's last line is one mistake, told as the first of its characters.
  if (chars.slice(at).every((ch) => ch === " " || !printable(ch))) return `ends with ${what}`;
  if (at === 0) return `begins with ${what}`;
  return `holds ${what} at character ${at + 1} of ${chars.length}`;
}
