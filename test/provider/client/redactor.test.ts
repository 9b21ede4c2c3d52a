import fc from "fast-check";
import { MAX_SERVER_TEXT, errorFromResponse } from "../../../provider/client/flow-service-error";
import { Redactor, secretForms } from "../../../provider/client/redactor";

/** Secrets as users have them: any characters, quotes, backslashes, `+/=`, spaces and unicode included. */
const secretArb = fc.string({ unit: fc.constantFrom(...Array.from("abcXYZ019\"\\+/= %&?é😀-_.:")), minLength: 8, maxLength: 40 });
const textArb = fc.string({ unit: fc.constantFrom(..."lorem ipsum{}[],:0123456789<>".split("")), maxLength: 60 });

function endsWithFragment(text: string, form: string): boolean {
  for (let n = 3; n < form.length; n++) if (text.endsWith(form.slice(0, n))) return true;
  return false;
}

describe("Redactor", () => {
  it("knows every form of a secret", () => {
    const secret = 'pa"ss\\w+rd/ é=';
    const forms = secretForms(secret);
    expect(forms).toEqual(
      expect.arrayContaining([
        secret,
        'pa\\"ss\\\\w+rd/ é=',
        encodeURIComponent(secret),
        "pa%22ss%5Cw%2Brd%2F+%C3%A9%3D",
        Buffer.from(secret).toString("base64"),
        Buffer.from(secret).toString("base64url"),
      ]),
    );
  });

  it("removes a secret in any form from any text (property)", () => {
    fc.assert(
      fc.property(secretArb, textArb, textArb, fc.nat(7), (secret, before, after, formIndex) => {
        const forms = secretForms(secret);
        const form = forms[formIndex % forms.length];
        const out = new Redactor().add(secret).redact(`${before}${form}${after}`);
        for (const f of forms) expect(out).not.toContain(f);
        expect(out).toContain("[redacted]");
      }),
      { numRuns: 500 },
    );
  });

  it("leaves no leading fragment of a secret that a server cut off (property)", () => {
    fc.assert(
      fc.property(secretArb, textArb, fc.nat(7), fc.nat(100), (secret, before, formIndex, cutAt) => {
        const forms = secretForms(secret);
        const form = forms[formIndex % forms.length];
        const cut = `${before}${form}`.slice(0, before.length + (cutAt % form.length));
        const out = new Redactor().add(secret).redact(cut);
        for (const f of forms) expect(endsWithFragment(out, f)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("redacts the whole text before cutting it, so a cut never shows part of a secret", () => {
    // A 468-character S3 secret echoed at character 200 of a text error body.
    const secret = "S3/" + "x".repeat(200) + "+secret+" + "y".repeat(257);
    const body = "z".repeat(200) + secret + " tail";
    const err = errorFromResponse("POST", "/connections", 400, body, undefined, new Redactor().add(secret));
    expect(err.message).not.toContain("xxx");
    expect(err.message).toContain("[redacted]");
    const cut = new Redactor().add(secret).redactAndCut(body, MAX_SERVER_TEXT);
    expect(cut).toBe("z".repeat(200) + "[redacted] tail");
  });

  it("cuts long texts after redacting, marking the cut, and never ends in a secret's fragment", () => {
    fc.assert(
      fc.property(secretArb, fc.nat(50), fc.integer({ min: 20, max: 80 }), (secret, pad, max) => {
        const r = new Redactor().add(secret);
        const text = "p".repeat(pad) + secret + "q".repeat(100);
        const out = r.redactAndCut(text, max);
        for (const f of secretForms(secret)) {
          expect(out).not.toContain(f);
          expect(endsWithFragment(out.replace(/…$/, ""), f)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("redacts the longest secret first, so a secret holding another is replaced whole", () => {
    const r = new Redactor().add("hunter2-password", "hunter2-");
    expect(r.redact("a hunter2-password b hunter2- c")).toBe("a [redacted] b [redacted] c");
  });

  it("redacts codes and request ids a server echoes, not only its message", () => {
    const secret = "echoed-secret-value";
    const err = errorFromResponse("GET", "/x", 500, { error_code: secret, message: "m" }, `rid-${secret}`, new Redactor().add(secret));
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(secret);
  });
});
