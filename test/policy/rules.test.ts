// @pulumi/policy from the pack's own installation (policy/node_modules).
import type { ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy } from "../../policy/node_modules/@pulumi/policy";
import { redact } from "../../policy/resources";
import * as rules from "../../policy/rules";

/**
 * Each rule's body, called as CrossGuard calls it (inputs behind its unknown-checking proxy), for
 * the cases a preview cannot reach cheaply: every schedule limit, unknown values, a config that is
 * not a regular expression. The real CLI runs the same rules in pack.e2e.test.ts.
 */
// The proxy CrossGuard wraps inputs in, and its sentinel for a value the engine does not know yet
// (internal to @pulumi/policy, so not in its type declarations).
const { unknownCheckingProxy, unknownStringValue } = require("../../policy/node_modules/@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(props: T): T;
  unknownStringValue: unknown;
};
const T = (kind: string): string => `pulumi-nodejs:dynamic/aep:${kind}`;

function run(policy: ResourceValidationPolicy, kind: string, props: Record<string, unknown>, config: object = {}, name = "res"): string[] {
  const messages: string[] = [];
  const args = {
    type: kind.includes(":") ? kind : T(kind),
    props: unknownCheckingProxy(props),
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

  it("streaming-authentication-required: fires without authentication outside the listed sandboxes, not when it is unknown", () => {
    const [m] = run(rules.streamingAuthenticationRequired, "StreamingConnection", { sandbox: "prod", dataType: "xdm" }, {}, "events");
    expect(m).toContain('StreamingConnection "events" in sandbox "prod"');
    expect(m).toContain("authenticationRequired: true");
    expect(run(rules.streamingAuthenticationRequired, "StreamingConnection", { sandbox: "prod", authenticationRequired: true })).toEqual([]);
    expect(run(rules.streamingAuthenticationRequired, "StreamingConnection", { sandbox: "dev", authenticationRequired: false }, { nonProductionSandboxes: ["dev"] })).toEqual([]);
    expect(run(rules.streamingAuthenticationRequired, "StreamingConnection", { sandbox: "prod", authenticationRequired: unknownStringValue })).toEqual([]);
  });

  it("sftp-key-authentication: a key (even one not known yet) passes; a password warns", () => {
    expect(run(rules.sftpKeyAuthentication, "SftpConnection", { sandbox: "prod", password: "p4ssword-long" })).toHaveLength(1);
    expect(run(rules.sftpKeyAuthentication, "SftpConnection", { sandbox: "prod", privateKeyContent: unknownStringValue })).toEqual([]);
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
    expect(run(rules.connectionDescription, "S3Connection", { description: unknownStringValue })).toEqual([]);
  });

  describe("dataflow-mapping-and-schedule", () => {
    const check = (props: Record<string, unknown>, config: object = {}): string[] => run(rules.dataflowMappingAndSchedule, "Dataflow", props, config, "nightly");

    it("passes a batch flow with a mapping and a schedule within the flow spec's limits", () => {
      expect(check(batch({ startTime: NOW, frequency: "minute", interval: 15 }))).toEqual([]);
      expect(check(batch({ startTime: NOW, frequency: "hour", interval: 1 }))).toEqual([]);
      expect(check(batch({ startTime: NOW, frequency: "once" }))).toEqual([]);
      expect(check(batch({ startTime: NOW, frequency: "week", interval: 2 }, { flowSpecName: undefined, flowSpecId: rules.BATCH_FLOW_SPEC.id }))).toEqual([]);
      // A mapping id that is another resource's output is set, though not known during a preview.
      expect(check(batch({ startTime: NOW, frequency: "day", interval: 1 }, { mappingId: unknownStringValue }))).toEqual([]);
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
    const props = { password: "hunter2-hunter2", privateKeyContent: key, passPhrase: "short", sessionToken: unknownStringValue };
    const text = `a hunter2-hunter2 b ${Buffer.from("hunter2-hunter2").toString("base64")} c b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE d ${key}`;
    const out = redact(text, unknownCheckingProxy(props));
    expect(out).not.toContain("hunter2");
    expect(out).not.toContain("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE");
    expect(out).toBe("a [secret] b [secret] c [secret] d [secret]");
  });

  it("a rule that names a connection named after its own secret prints [secret] in its place", () => {
    const [m] = run(rules.connectionNamePattern, "S3Connection", { name: "Archive_s3cret-value-1234", secretKey: "s3cret-value-1234" });
    expect(m).toContain('is named "Archive_[secret]"');
    expect(m).not.toContain("s3cret-value-1234");
  });
});
