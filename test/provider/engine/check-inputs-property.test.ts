import Ajv from "ajv";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { CONNECTION_SPECS } from "../../../emulator/flow/specs";
import { checkInputs } from "../../../provider/engine/inputs";
import { createBody } from "../../../provider/engine/connection-wire";
import { KINDS, kindByName } from "../../../provider/resources/registry";
import { VALID } from "../fixtures/valid-inputs";

/**
 * Property tests of `check`: it never throws whatever it is given, and for the params whose rule is
 * the connection spec's own JSON Schema rule, it accepts exactly what that schema accepts.
 */
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
ajv.addFormat("password", true);

function propertySchema(specId: string, authName: string, wire: string) {
  const spec = CONNECTION_SPECS.find((s) => s.id === specId);
  const auth = spec?.authSpec.find((a) => a.name === authName);
  const props = (auth?.spec as { properties: Record<string, object> }).properties;
  return ajv.compile({ type: "object", properties: { v: props[wire] }, required: ["v"] });
}

const anyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
  fc.constantFrom("", " ", "xdm", "raw", "https://s3.us-east-1.amazonaws.com", "https://s3.x.amazonaws.com/", "my-bucket", "a--b", "UPPER", "192.168.0.1", "0", "-1", "65535", "65536"),
  fc.constantFrom(0, 1, 22, 65535, 65536, -1, 1.5),
);

/** What check is given besides the property under test (SFTP with a password: its basic auth spec). */
const baseOf = (kind: string) => (kind === "sftp" ? { ...VALID.sftp, privateKeyContent: undefined, password: "sftp-pass-1" } : VALID[kind]);

// The params whose declared rule is the connection spec's own JSON Schema rule (`schemaRule`).
const cases = KINDS.flatMap((k) =>
  k.params.filter((p) => p.schemaRule).map((p) => ({ kind: k.kind, spec: k.connectionSpecId, auth: k.authSpecName?.(baseOf(k.kind)) as string, input: p.input, wire: p.wire })),
);

it("property-tests the params whose declared rule is the connection spec's own, each against a spec that has it", () => {
  expect(cases.length).toBeGreaterThanOrEqual(7);
  for (const c of cases) expect(CONNECTION_SPECS.find((s) => s.id === c.spec)?.authSpec.some((a) => a.name === c.auth)).toBe(true);
});

describe.each(cases)("check of $kind.$input", (c) => {
  const validates = propertySchema(c.spec, c.auth, c.wire);
  const kind = kindByName(c.kind);
  const base = baseOf(c.kind);

  it("accepts exactly what the connection spec's JSON Schema accepts", () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const failures = checkInputs(kind, {}, { __autoName: "p", ...base, [c.input]: value }).failures;
        // An object value's failure names the property first in its reason, with no property field.
        const checkAccepts = !failures.some((f) => f.property === c.input || (f.property === "" && f.reason.startsWith(`${c.input} `)));
        // null means "not set": fine for an optional param (nothing is sent), a failure for a required one.
        const required = kind.params.find((p) => p.input === c.input)?.required ?? false;
        const schemaAccepts = value === null ? !required : validates({ v: value });
        expect(checkAccepts).toBe(schemaAccepts);
      }),
      { numRuns: 400, seed: 20261122 },
    );
  });
});

it("never throws, whatever the inputs of any kind", () => {
  const kinds = ["ftp", "sftp", "s3", "datasetBase", "streaming"].map(kindByName);
  fc.assert(
    fc.property(fc.constantFrom(...kinds), fc.dictionary(fc.constantFrom("name", "description", "sandbox", "host", "port", "userName", "password", "privateKeyContent", "passPhrase", "accessKey", "secretKey", "bucketName", "serviceUrl", "dataType", "sourceId", "existingConnectionId", "x"), anyValue), fc.dictionary(fc.string(), anyValue, { maxKeys: 3 }), (kind, news, olds) => {
      const r = checkInputs(kind, olds, news);
      expect(Array.isArray(r.failures)).toBe(true);
      for (const f of r.failures) expect(typeof f.reason).toBe("string");
    }),
    { numRuns: 1000, seed: 7 },
  );
});

/** The auth schema of a connection spec, compiled once. */
const authSchemas = new Map<string, ReturnType<typeof ajv.compile>>();
function authSchema(specId: string, authName: string) {
  const key = `${specId} ${authName}`;
  if (!authSchemas.has(key)) {
    const auth = CONNECTION_SPECS.find((s) => s.id === specId)?.authSpec.find((a) => a.name === authName);
    authSchemas.set(key, ajv.compile(auth?.spec as object));
  }
  return authSchemas.get(key) as ReturnType<typeof ajv.compile>;
}

const sshKey = VALID.sftp.privateKeyContent as string;
const b64 = Buffer.from(sshKey).toString("base64");
// The forms an OpenSSH key arrives in: file text (trimmed, CRLF, padded), Base64 (one line or wrapped).
const keyForm = fc.constantFrom(sshKey, sshKey.trim(), sshKey.replace(/\n/g, "\r\n"), `  ${sshKey}  `, b64, b64.replace(/(.{76})/g, "$1\n"));
const plausible = fc.constantFrom("ftp.example.com", "203.0.113.10", "::1", "fe80::1", "a", " x ", "ingest", "pw", "ü", "/in", "", 1, 22, 65535, true, false);

it("never accepts inputs that the connection spec's auth schema refuses, as they are sent", () => {
  const kinds = ["ftp", "sftp", "s3", "streaming"].map(kindByName);
  const anyCase = fc.constantFrom(...kinds).chain((kind) =>
    fc.record({
      kind: fc.constant(kind),
      sftpPassword: fc.boolean(),
      overrides: fc.dictionary(fc.constantFrom(...kind.params.map((p) => p.input)), fc.oneof(anyValue, plausible, keyForm, fc.constant(null)), { maxKeys: 3 }),
    }),
  );
  let accepted = 0;
  fc.assert(
    fc.property(anyCase, ({ kind, sftpPassword, overrides }) => {
      const base = kind.kind === "sftp" && sftpPassword ? { ...VALID.sftp, privateKeyContent: undefined, password: "sftp-pass-1" } : VALID[kind.kind];
      const r = checkInputs(kind, {}, { __autoName: "p", ...base, ...overrides });
      if (r.failures.length > 0) return;
      accepted++;
      const body = createBody(kind, r.inputs) as { auth?: { specName?: string; params?: Record<string, unknown> } };
      const validate = authSchema(kind.connectionSpecId, body.auth?.specName as string);
      expect({ params: body.auth?.params, valid: validate(body.auth?.params), errors: validate.errors ?? null }).toMatchObject({ valid: true });
    }),
    { numRuns: 1500, seed: 20261123 },
  );
  // The property was exercised, not vacuously true.
  expect(accepted).toBeGreaterThan(200);
});
