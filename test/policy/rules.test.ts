// @pulumi/policy from the pack's own installation (policy/node_modules).
import type { ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy } from "../../policy/node_modules/@pulumi/policy";
import { redact } from "../../policy/resources";
import * as rules from "../../policy/rules";

/**
 * Each rule's body, called as CrossGuard calls it: the inputs as the engine sends them (a protobuf
 * Struct in the wire form), deserialized by @pulumi/policy's own code and wrapped in its
 * unknown-checking proxy, for the cases a preview cannot reach cheaply: every schedule limit,
 * unknown values, a config that is not a regular expression. The real CLI runs the same rules in
 * pack.e2e.test.ts.
 */
// @pulumi/policy's internals the analyzer server uses on every resource (not in its type declarations).
const { unknownCheckingProxy } = require("../../policy/node_modules/@pulumi/policy/proxy") as { unknownCheckingProxy<T>(props: T): T };
const { deserializeProperties } = require("../../policy/node_modules/@pulumi/policy/deserialize") as {
  deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown>;
};
const { Struct } = require("../../policy/node_modules/google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: object): unknown } };
const wire = require("../../policy/node_modules/@pulumi/pulumi/runtime/rpc") as { unknownValue: string; specialSigKey: string; specialSecretSig: string };

/** A value not known during a preview, as the engine sends it (whatever its type: `lake.id.apply(() => false)` too). */
const UNKNOWN = wire.unknownValue;
/** A secret as the engine sends it (`pulumi.secret(…)`, `config.requireSecret(…)`). */
const secret = (value: unknown): object => ({ [wire.specialSigKey]: wire.specialSecretSig, value });

/** The props a rule sees for inputs in the wire form, as the analyzer server builds them (undefined inputs are not sent). */
function asCrossGuard(props: Record<string, unknown>): Record<string, unknown> {
  const sent = JSON.parse(JSON.stringify(props)) as object;
  return unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(sent), false));
}
const T = (kind: string): string => `pulumi-nodejs:dynamic/aep:${kind}`;

function run(policy: ResourceValidationPolicy, kind: string, props: Record<string, unknown>, config: object = {}, name = "res"): string[] {
  const messages: string[] = [];
  const args = {
    type: kind.includes(":") ? kind : T(kind),
    props: asCrossGuard(props),
    urn: `urn:pulumi:test::p::${T(kind)}::${name}`,
    name,
    opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
    stackTags: new Map<string, string>(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <C extends object>() => config as C,
    notApplicable: (): never => {
      throw new Error("not applicable");
    },
  } as unknown as ResourceValidationArgs;
  (policy.validateResource as ResourceValidation)(args, (message: string) => messages.push(message));
  return messages;
}

const NOW = 1_764_547_200; // 2025-12-01T00:00:00Z in epoch seconds
const batch = (schedule?: object, extra: object = {}): Record<string, unknown> => ({ flowSpecName: "CloudStorageToAEP", sourceConnectionId: "s", targetConnectionId: "t", mappingId: "m", ...(schedule ? { schedule } : {}), ...extra });

describe("the rules, as CrossGuard calls them", () => {
  it("apply only to this package's type tokens", () => {
    expect(run(rules.noFtpInProduction, "aws:s3/bucket:Bucket", { sandbox: "prod" })).toEqual([]);
    expect(run(rules.noFtpInProduction, "pulumi-nodejs:dynamic:Resource", { sandbox: "prod" })).toEqual([]);
    expect(run(rules.noFtpInProduction, "FtpConnection", { sandbox: "prod" })).toHaveLength(1);
  });

  it("streaming-authentication-required: fires without authentication outside the listed sandboxes", () => {
    const [m] = run(rules.streamingAuthenticationRequired, "StreamingConnection", { sandbox: "prod", dataType: "xdm" }, {}, "events");
    expect(m).toContain('StreamingConnection "events" in sandbox "prod"');
    expect(m).toContain("authenticationRequired: true");
    expect(run(rules.streamingAuthenticationRequired, "StreamingConnection", { sandbox: "prod", authenticationRequired: true })).toEqual([]);
    expect(run(rules.streamingAuthenticationRequired, "StreamingConnection", { sandbox: "dev", authenticationRequired: false }, { nonProductionSandboxes: ["dev"] })).toEqual([]);
  });

  it("sftp-key-authentication: a key passes; a password warns", () => {
    expect(run(rules.sftpKeyAuthentication, "SftpConnection", { sandbox: "prod", password: secret("p4ssword-long") })).toHaveLength(1);
    expect(run(rules.sftpKeyAuthentication, "SftpConnection", { sandbox: "prod", privateKeyContent: secret("-----BEGIN OPENSSH PRIVATE KEY-----") })).toEqual([]);
  });

  it("s3-temporary-credentials: a session token or an allowed access key id passes", () => {
    expect(run(rules.s3TemporaryCredentials, "S3Connection", { accessKey: "AKIAONE", secretKey: "s3cret-value" })).toHaveLength(1);
    expect(run(rules.s3TemporaryCredentials, "S3Connection", { accessKey: "AKIAONE", secretKey: "s3cret-value", sessionToken: "token-value" })).toEqual([]);
    expect(run(rules.s3TemporaryCredentials, "S3Connection", { accessKey: "AKIAONE", secretKey: "s3cret-value" }, { allowedAccessKeyIds: ["AKIAONE"] })).toEqual([]);
  });

  it("connection-name-pattern: the default, a configured pattern, and a pattern that is not a regular expression", () => {
    expect(run(rules.connectionNamePattern, "DatasetBaseConnection", { name: "lake-1ab2c3d" })).toEqual([]);
    expect(run(rules.connectionNamePattern, "DatasetBaseConnection", { name: "Lake" })[0]).toContain('is named "Lake", which does not match');
    expect(run(rules.connectionNamePattern, "DatasetBaseConnection", { name: "lake" }, { pattern: "^team-" })).toHaveLength(1);
    expect(run(rules.connectionNamePattern, "DatasetBaseConnection", { name: "lake" }, { pattern: "(" })[0]).toContain("is not a regular expression");
    // Mapping sets and dataflows are not connections.
    expect(run(rules.connectionNamePattern, "Dataflow", { name: "Nightly Flow" })).toEqual([]);
  });

  it("connection-description: absent, blank or shorter than configured", () => {
    expect(run(rules.connectionDescription, "S3Connection", {})[0]).toContain("has no description");
    expect(run(rules.connectionDescription, "S3Connection", { description: "   " })[0]).toContain("has no description");
    expect(run(rules.connectionDescription, "S3Connection", { description: "landing zone" })).toEqual([]);
    expect(run(rules.connectionDescription, "S3Connection", { description: "landing zone" }, { minimumLength: 40 })[0]).toContain("a description of 12 characters");
  });

  describe("dataflow-mapping-and-schedule", () => {
    const check = (props: Record<string, unknown>, config: object = {}): string[] => run(rules.dataflowMappingAndSchedule, "Dataflow", props, config, "nightly");

    it("passes a batch flow with a mapping and a schedule within the flow spec's limits", () => {
      expect(check(batch({ startTime: NOW, frequency: "minute", interval: 15 }))).toEqual([]);
      expect(check(batch({ startTime: NOW, frequency: "hour", interval: 1 }))).toEqual([]);
      expect(check(batch({ startTime: NOW, frequency: "once" }))).toEqual([]);
      expect(check(batch({ startTime: NOW, frequency: "week", interval: 2 }, { flowSpecName: undefined, flowSpecId: rules.BATCH_FLOW_SPEC.id }))).toEqual([]);
    });

    it.each([
      ["no mapping", batch({ startTime: NOW, frequency: "day", interval: 1 }, { mappingId: undefined }), "it has no mapping"],
      ["no schedule", batch(), "it has no schedule"],
      ["an unknown frequency", batch({ startTime: NOW, frequency: "month", interval: 1 }), 'schedule.frequency is "month"'],
      ["a minute interval under 15", batch({ startTime: NOW, frequency: "minute", interval: 5 }), "at least 15"],
      ["no interval", batch({ startTime: NOW, frequency: "hour" }), "schedule.interval is not set"],
      ["a zero interval", batch({ startTime: NOW, frequency: "day", interval: 0 }), "schedule.interval is 0"],
      ["a fractional interval", batch({ startTime: NOW, frequency: "hour", interval: 1.5 }), "schedule.interval is 1.5"],
      ["no start time", batch({ frequency: "hour", interval: 1 }), "schedule.startTime is not set"],
      ["a start time in milliseconds", batch({ startTime: NOW * 1000, frequency: "hour", interval: 1 }), "looks like milliseconds"],
      ["a schedule on the streaming flow spec", { flowSpecName: rules.STREAMING_FLOW_SPEC.name, mappingId: "m", schedule: { startTime: NOW, frequency: "hour", interval: 1 } }, "the streaming flow spec does not take"],
    ])("fires on %s", (_what, props, expected) => {
      const [m, ...more] = check(props);
      expect(more).toEqual([]);
      expect(m).toContain('Dataflow "nightly"');
      expect(m).toContain(expected);
      expect(m).toContain("Fix:");
    });

    it("follows its config: mapping optional, a longer least minute interval (never below the flow spec's 15)", () => {
      expect(check(batch({ startTime: NOW, frequency: "day", interval: 1 }, { mappingId: undefined }), { requireMapping: false })).toEqual([]);
      expect(check(batch({ startTime: NOW, frequency: "minute", interval: 30 }), { minimumMinuteInterval: 60 })[0]).toContain("at least 60");
      expect(check(batch({ startTime: NOW, frequency: "minute", interval: 5 }), { minimumMinuteInterval: 1 })[0]).toContain("at least 15");
    });
  });
});

describe("a value not known at preview (another resource's output, or an apply on one)", () => {
  const NOT_KNOWN = "cannot be verified at preview: depends on an output not yet known";

  it("streaming-authentication-required: is a violation, as the literal false is, whether the value is plain or secret", () => {
    for (const authenticationRequired of [UNKNOWN, secret(UNKNOWN)]) {
      const [m, ...more] = run(rules.streamingAuthenticationRequired, "StreamingConnection", { sandbox: "prod", dataType: "xdm", authenticationRequired }, {}, "events");
      expect(more).toEqual([]);
      expect(m).toContain(`StreamingConnection "events" in sandbox "prod": authenticationRequired ${NOT_KNOWN}`);
      expect(m).toContain("Fix: set authenticationRequired: true as a literal");
    }
    expect(run(rules.streamingAuthenticationRequired, "StreamingConnection", { sandbox: "prod", authenticationRequired: false })).toHaveLength(1);
    // In a sandbox the config exempts, the value does not matter.
    expect(run(rules.streamingAuthenticationRequired, "StreamingConnection", { sandbox: "dev", authenticationRequired: UNKNOWN }, { nonProductionSandboxes: ["dev"] })).toEqual([]);
  });

  it("connection-name-pattern: a name not known is a violation, naming the pattern and the generated-name fix", () => {
    const [m, ...more] = run(rules.connectionNamePattern, "DatasetBaseConnection", { name: UNKNOWN }, {}, "lake");
    expect(more).toEqual([]);
    expect(m).toContain(`DatasetBaseConnection "lake": name ${NOT_KNOWN}, so whether it matches ${rules.DEFAULT_NAME_PATTERN} cannot be told`);
    expect(m).toContain("or leave name unset");
    // A pattern that is not a regular expression is said first: it is wrong whatever the name.
    expect(run(rules.connectionNamePattern, "DatasetBaseConnection", { name: UNKNOWN }, { pattern: "(" })[0]).toContain("is not a regular expression");
  });

  it("connection-description: is reported (the rule is advisory, so it warns)", () => {
    const [m] = run(rules.connectionDescription, "S3Connection", { description: UNKNOWN }, {}, "landing");
    expect(m).toContain(`S3Connection "landing": description ${NOT_KNOWN}`);
    expect(rules.connectionDescription.enforcementLevel).toBe("advisory");
  });

  it("s3-temporary-credentials: an access key id not known cannot be matched against the allow-list", () => {
    const props = { accessKey: UNKNOWN, secretKey: secret("s3cret-value") };
    expect(run(rules.s3TemporaryCredentials, "S3Connection", props, { allowedAccessKeyIds: ["AKIAONE"] })[0]).toContain(`its accessKey ${NOT_KNOWN}, so whether it is in allowedAccessKeyIds cannot be told`);
    // With no allow-list, the missing session token is the finding, whatever the key.
    expect(run(rules.s3TemporaryCredentials, "S3Connection", props)[0]).toContain("uses a long-lived access key (no sessionToken)");
  });

  it.each([
    ["FtpConnection", rules.noFtpInProduction, { host: "ftp.example.com" }],
    ["SftpConnection", rules.sftpKeyAuthentication, { password: secret("p4ssword-long") }],
    ["StreamingConnection", rules.streamingAuthenticationRequired, { authenticationRequired: false }],
  ])("%s: a sandbox not known is reported when the config exempts some sandboxes", (kind, policy, props) => {
    const [m, ...more] = run(policy, kind, { ...props, sandbox: UNKNOWN }, { nonProductionSandboxes: ["dev", "qa"] }, "conn");
    expect(more).toEqual([]);
    expect(m).toContain(`${kind} "conn": sandbox ${NOT_KNOWN}, so whether it is one of nonProductionSandboxes (dev, qa) cannot be told`);
    // With none exempt, every sandbox is production: the usual finding, naming no sandbox.
    const [usual] = run(policy, kind, { ...props, sandbox: UNKNOWN }, {}, "conn");
    expect(usual).not.toContain(NOT_KNOWN);
    expect(usual).toContain(`${kind} "conn" `);
    expect(usual).toContain("if its sandbox is not a production sandbox");
  });

  describe("dataflow-mapping-and-schedule", () => {
    const check = (props: Record<string, unknown>): string[] => run(rules.dataflowMappingAndSchedule, "Dataflow", props, {}, "nightly");

    it.each([
      ["the interval", batch({ startTime: NOW, frequency: "minute", interval: UNKNOWN }), "schedule.interval"],
      ["the frequency", batch({ startTime: NOW, frequency: UNKNOWN, interval: 5 }), "schedule.frequency"],
      ["the start time", batch({ startTime: UNKNOWN, frequency: "hour", interval: 1 }), "schedule.startTime"],
      ["the whole schedule", batch(undefined, { schedule: UNKNOWN }), "schedule"],
      ["the flow spec", batch({ startTime: NOW, frequency: "hour", interval: 1 }, { flowSpecName: UNKNOWN }), "flowSpecName"],
      ["a streaming flow's schedule", { flowSpecName: rules.STREAMING_FLOW_SPEC.name, mappingId: "m", schedule: UNKNOWN }, "schedule"],
    ])("reports %s not known", (_what, props, input) => {
      const [m, ...more] = check(props);
      expect(more).toEqual([]);
      expect(m).toContain(`Dataflow "nightly": ${input} ${NOT_KNOWN}, so its schedule cannot be checked`);
    });

    it("reports what is wrong and what is not known apart", () => {
      const [wrong, notKnown] = check(batch({ startTime: NOW * 1000, frequency: "hour", interval: UNKNOWN }));
      expect(wrong).toContain("looks like milliseconds");
      expect(notKnown).toContain(`schedule.interval ${NOT_KNOWN}`);
    });
  });

  it("an input whose presence is all a rule needs counts as given: a mapping set's id, a key, a session token", () => {
    expect(run(rules.dataflowMappingAndSchedule, "Dataflow", batch({ startTime: NOW, frequency: "day", interval: 1 }, { mappingId: UNKNOWN }))).toEqual([]);
    expect(run(rules.sftpKeyAuthentication, "SftpConnection", { sandbox: "prod", privateKeyContent: secret(UNKNOWN) })).toEqual([]);
    expect(run(rules.s3TemporaryCredentials, "S3Connection", { accessKey: "AKIAONE", secretKey: secret("s3cret-value"), sessionToken: secret(UNKNOWN) })).toEqual([]);
  });
});

describe("the pack's config", () => {
  it("refuses a property the rule does not take, naming the closest one", () => {
    expect(() => run(rules.noFtpInProduction, "FtpConnection", { sandbox: "prod" }, { nonProductionSandbox: ["dev"] })).toThrow(
      'the config of policy no-ftp-in-production has no property "nonProductionSandbox" (did you mean "nonProductionSandboxes"?); it takes "nonProductionSandboxes" and "enforcementLevel"',
    );
    expect(() => run(rules.connectionDescription, "FtpConnection", {}, { colour: "blue" })).toThrow('has no property "colour"; it takes "minimumLength"');
  });
});

describe("no message quotes a secret input", () => {
  it("cuts each secret input out of a message, whole, Base64 and line by line, longest first", () => {
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE\n-----END OPENSSH PRIVATE KEY-----\n";
    const props = { password: secret("hunter2-hunter2"), privateKeyContent: secret(key), passPhrase: secret("short"), sessionToken: secret(UNKNOWN) };
    const text = `a hunter2-hunter2 b ${Buffer.from("hunter2-hunter2").toString("base64")} c b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE d ${key}`;
    const out = redact(text, asCrossGuard(props));
    expect(out).not.toContain("hunter2");
    expect(out).not.toContain("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE");
    expect(out).toBe("a [secret] b [secret] c [secret] d [secret]");
  });

  it("cuts out each value of a secret input that is a map of secrets (a generic connection's secretParams), one not known at preview leaving the others", () => {
    // Any secret input may hold a map; `password` stands in for a kind's `secretParams` here.
    const props = { password: { accountKey: secret("account-key-value-1"), sasToken: "sas-token-value-2", later: secret(UNKNOWN) } };
    const out = redact("a account-key-value-1 b sas-token-value-2 c", asCrossGuard(props));
    expect(out).toBe("a [secret] b [secret] c");
  });

  it("a rule that names a connection named after its own secret prints [secret] in its place", () => {
    const [m] = run(rules.connectionNamePattern, "S3Connection", { name: "Archive_s3cret-value-1234", secretKey: "s3cret-value-1234" });
    expect(m).toContain('is named "Archive_[secret]"');
    expect(m).not.toContain("s3cret-value-1234");
  });
});
