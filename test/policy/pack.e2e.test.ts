jest.setTimeout(600_000);

import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Declared, ROOT, type StackHandle } from "../helpers/e2e";
import { makeOpenSshKey } from "../helpers/keys";
import { type PreviewResult, type Violation, ensurePolicyPack, policyProgram, policyStack, previewWithPolicies } from "../helpers/policy";
import { findLeaks, secretRef as S } from "../helpers/reliability-input";

/**
 * The policy pack under the real CLI: `pulumi preview --policy-pack policy` on a local file backend,
 * six runs in all (each costs seconds): a program that breaks every rule once, unconfigured (the
 * mandatory rules fail the preview, the advisory ones warn, each naming its resource) and with a
 * config that exempts it; a clean program, unconfigured (passes, no violation) and with a config
 * that tightens the rules; a config with a misspelt key; and a program whose judged values are
 * computed from another resource's output (not known at preview). Every secret is a canary that no
 * output may contain, although the rules see them in plaintext.
 */
const RUN = randomBytes(4).toString("hex");
const canary = (name: string): string => `cnry-${name}-${RUN}`;
const SANDBOX = "dev-ingest";
const ACCESS_KEY = "AKIAPOLICYCHECK";

/** The pipeline resources (Dataflow and the rest) came with the package's pipeline kinds; without them the dataflow rule's CLI cases are skipped. */
const HAS_DATAFLOW = existsSync(join(ROOT, "provider/resources/dataflow.ts"));
const itWithDataflow = HAS_DATAFLOW ? it : it.skip;

const secrets: Record<string, string> = {
  ftpPassword: canary("ftp-password"),
  sftpPassword: canary("sftp-password"),
  sftpKey: makeOpenSshKey("ed25519"),
  landingSecret: canary("landing-secret"),
  archiveSecret: canary("archive-secret"),
  archiveToken: canary("archive-token"),
  // A connection named after its own secret key (a user's mistake): the name rule must not echo it.
  archiveName: `Archive_${canary("archive-secret")}`,
};
const canaries = [...Object.values(secrets).filter((v) => v !== secrets.sftpKey), ...secrets.sftpKey.trim().split("\n").slice(2, -1)];

const described = (args: Record<string, unknown>): Record<string, unknown> => ({ description: "Policy check", sandbox: SANDBOX, ...args });

/** A dataflow from the landing bucket into the lake, with its source, target and mapping set. */
function pipeline(dataflowArgs: Record<string, unknown>): Declared[] {
  if (!HAS_DATAFLOW) return [];
  return [
    { type: "SourceConnection", name: "landing-source", args: described({ baseConnectionId: { ref: "landing" }, connectionSpecId: "ecadc60c-7455-4d87-84dc-2a0e293d997b", format: "delimited", path: "/acme-landing/orders/*.csv" }) },
    { type: "TargetConnection", name: "lake-target", args: described({ baseConnectionId: { ref: "lake" }, dataSetId: "5f3c3cedb2805c194ff0b69a", schemaId: "https://ns.adobe.com/acme/schemas/orders" }) },
    { type: "MappingSet", name: "orders-mapping", args: { sandbox: SANDBOX, schemaId: "https://ns.adobe.com/acme/schemas/orders", mappings: [{ source: "order_id", destination: "_id" }] } },
    { type: "Dataflow", name: "orders-flow", args: { sandbox: SANDBOX, sourceConnectionId: { ref: "landing-source" }, targetConnectionId: { ref: "lake-target" }, ...dataflowArgs } },
  ];
}

/** A flow spec the provider does not know: its check requires no mapping for it (it does for its two), the pack's rule does. */
const OTHER_FLOW_SPEC_ID = "e2b0c2c5-5b0a-4b2f-9f6c-1d7c6c0e4a11";
const NOW = 1_764_547_200;

/** Breaks each rule once, each in its own resource. */
const violating: Declared[] = [
  { type: "StreamingConnection", name: "events", args: described({ dataType: "xdm", authenticationRequired: false }) },
  { type: "FtpConnection", name: "partner-ftp", args: described({ host: "ftp.partner.example.com", userName: "ingest", password: S("ftpPassword") }) },
  { type: "SftpConnection", name: "partner-sftp", args: described({ host: "sftp.partner.example.com", userName: "ingest", password: S("sftpPassword") }) },
  { type: "S3Connection", name: "landing", args: described({ accessKey: ACCESS_KEY, secretKey: S("landingSecret"), bucketName: "acme-landing" }) },
  { type: "S3Connection", name: "archive", args: described({ name: S("archiveName"), accessKey: ACCESS_KEY, secretKey: S("archiveSecret"), sessionToken: S("archiveToken"), bucketName: "acme-archive" }) },
  { type: "DatasetBaseConnection", name: "lake", args: { sandbox: SANDBOX } },
  ...pipeline({ flowSpecId: OTHER_FLOW_SPEC_ID }), // no mapping
];

/** Keeps every rule. */
const clean: Declared[] = [
  { type: "StreamingConnection", name: "events", args: described({ dataType: "xdm", authenticationRequired: true }) },
  { type: "SftpConnection", name: "partner-sftp", args: described({ host: "sftp.partner.example.com", userName: "ingest", privateKeyContent: S("sftpKey") }) },
  { type: "S3Connection", name: "landing", args: described({ accessKey: ACCESS_KEY, secretKey: S("landingSecret"), sessionToken: S("archiveToken"), bucketName: "acme-landing" }) },
  { type: "DatasetBaseConnection", name: "lake", args: described({}) },
  ...pipeline({ flowSpecName: "CloudStorageToAEP", mappingId: { ref: "orders-mapping" }, mappingVersion: { ref: "orders-mapping", output: "version" }, schedule: { startTime: NOW, frequency: "minute", interval: 15 } }),
];

/**
 * Values computed with an apply on another resource's id, so not known at preview: the streaming
 * connection's `authenticationRequired` (false: the literal false fails the violating run), and a
 * connection's name and description. Everything else keeps the rules.
 */
const derived: Declared[] = [
  { type: "DatasetBaseConnection", name: "lake", args: described({}) },
  { type: "StreamingConnection", name: "events", args: described({ dataType: "xdm", authenticationRequired: { ref: "lake", apply: false } }) },
  { type: "DatasetBaseConnection", name: "archive-lake", args: { sandbox: SANDBOX, name: { ref: "lake", apply: "archive-lake" }, description: { ref: "lake", apply: "Archive" } } },
];
const NOT_KNOWN = "cannot be verified at preview: depends on an output not yet known";

/** Exempts the sandbox, the access key and the name; makes the mapping optional. The description rule cannot be loosened (it stays a warning). */
const exempting = {
  "streaming-authentication-required": { nonProductionSandboxes: [SANDBOX] },
  "no-ftp-in-production": { nonProductionSandboxes: [SANDBOX] },
  "sftp-key-authentication": { nonProductionSandboxes: [SANDBOX] },
  "s3-temporary-credentials": { allowedAccessKeyIds: [ACCESS_KEY] },
  "connection-name-pattern": { pattern: "^[A-Za-z0-9_-]+$" },
  "dataflow-mapping-and-schedule": { requireMapping: false },
};

/** Tightens: a team prefix for names, longer descriptions (made mandatory), dataflows at most hourly. */
const tightening = {
  "connection-name-pattern": { pattern: "^acme-[a-z0-9-]+$" },
  "connection-description": { enforcementLevel: "mandatory", minimumLength: 40 },
  "dataflow-mapping-and-schedule": { minimumMinuteInterval: 60 },
};

const T = (kind: string): string => `pulumi-nodejs:dynamic/aep:${kind}`;
const pick = (r: PreviewResult, rule: string): Violation[] => r.violations.filter((v) => v.rule === rule);
const only = (r: PreviewResult, rule: string): Violation => {
  const found = pick(r, rule);
  expect(found).toHaveLength(1);
  return found[0];
};

let pack: string;
let h: StackHandle;
const runs: Record<"violating" | "exempted" | "clean" | "tightened" | "misspelt" | "derived", PreviewResult> = {} as never;

beforeAll(async () => {
  pack = ensurePolicyPack();
  h = await policyStack(policyProgram(), `policy-${RUN}`);
  runs.violating = await previewWithPolicies(h, violating, secrets, pack);
  runs.exempted = await previewWithPolicies(h, violating, secrets, pack, exempting);
  runs.clean = await previewWithPolicies(h, clean, secrets, pack);
  runs.tightened = await previewWithPolicies(h, clean, secrets, pack, tightening);
  runs.misspelt = await previewWithPolicies(h, clean, secrets, pack, { "no-ftp-in-production": { nonProductionSandbox: [SANDBOX] } });
  runs.derived = await previewWithPolicies(h, derived, secrets, pack);
});

describe("a program that breaks every rule once, unconfigured", () => {
  it("fails the preview on the mandatory rules", () => {
    expect(runs.violating.code).not.toBe(0);
    expect(runs.violating.stdout).toContain("aep-flow-guardrails@v0.1.0");
  });

  it.each([
    ["streaming-authentication-required", "mandatory", "StreamingConnection", "events", ['in sandbox "dev-ingest"', "Fix: set authenticationRequired: true"]],
    ["no-ftp-in-production", "mandatory", "FtpConnection", "partner-ftp", ["uses FTP", "Fix: use an SftpConnection"]],
    ["sftp-key-authentication", "advisory", "SftpConnection", "partner-sftp", ["authenticates with a password", "Fix: give privateKeyContent"]],
    ["s3-temporary-credentials", "advisory", "S3Connection", "landing", ["no sessionToken", "allowedAccessKeyIds"]],
    ["connection-name-pattern", "mandatory", "S3Connection", "archive", ['is named "Archive_[secret]"', "Fix: set name"]],
    ["connection-description", "advisory", "DatasetBaseConnection", "lake", ["has no description", "Fix: set description"]],
  ])("%s: %s, naming %s %s and the fix", (rule, level, kind, resource, phrases) => {
    const v = only(runs.violating, rule);
    expect(v).toMatchObject({ level, type: T(kind), resource });
    expect(v.message).toContain(`${kind} "${resource}"`);
    for (const p of phrases) expect(v.message).toContain(p);
  });

  itWithDataflow("dataflow-mapping-and-schedule: mandatory, naming the dataflow and the fix", () => {
    const v = only(runs.violating, "dataflow-mapping-and-schedule");
    expect(v).toMatchObject({ level: "mandatory", type: T("Dataflow"), resource: "orders-flow" });
    expect(v.message).toContain("it has no mapping");
    expect(v.message).toContain("Fix: give mappingId");
  });

  it("reports nothing else", () => {
    expect(runs.violating.violations).toHaveLength(HAS_DATAFLOW ? 7 : 6);
  });
});

describe("the same program with a config that exempts it", () => {
  it("passes: only the description rule still warns", () => {
    expect(runs.exempted.code).toBe(0);
    expect(runs.exempted.violations.map((v) => [v.rule, v.level, v.resource])).toEqual([["connection-description", "advisory", "lake"]]);
  });
});

describe("a program that keeps every rule", () => {
  it("passes with no violation", () => {
    expect(runs.clean.code).toBe(0);
    expect(runs.clean.violations).toEqual([]);
    expect(runs.clean.stdout).not.toMatch(/\[(mandatory|advisory)\]/);
  });
});

describe("the same program with a config that tightens the rules", () => {
  const connections = ["events", "partner-sftp", "landing", "lake", ...(HAS_DATAFLOW ? ["landing-source", "lake-target"] : [])];

  it("fails the preview", () => {
    expect(runs.tightened.code).not.toBe(0);
  });

  it("connection-name-pattern: every connection's name misses the configured prefix", () => {
    const found = pick(runs.tightened, "connection-name-pattern");
    expect(found.map((v) => v.resource).sort()).toEqual([...connections].sort());
    for (const v of found) expect(v.message).toContain("which does not match ^acme-[a-z0-9-]+$");
  });

  it("connection-description: descriptions under 40 characters, at the configured level (mandatory)", () => {
    const found = pick(runs.tightened, "connection-description");
    expect(found.map((v) => v.resource).sort()).toEqual([...connections].sort());
    for (const v of found) {
      expect(v.level).toBe("mandatory");
      expect(v.message).toContain("a description of 12 characters");
      expect(v.message).toContain("at least 40 characters");
    }
  });

  itWithDataflow("dataflow-mapping-and-schedule: a 15-minute schedule under the configured 60", () => {
    const v = only(runs.tightened, "dataflow-mapping-and-schedule");
    expect(v.message).toContain("schedule.interval is 15");
    expect(v.message).toContain("at least 60");
  });
});

describe("a config with a misspelt property", () => {
  it("fails the preview naming the policy, the property and the one meant (the CLI itself lets unknown keys through)", () => {
    expect(runs.misspelt.code).not.toBe(0);
    expect(runs.misspelt.stdout).toContain('the config of policy no-ftp-in-production has no property "nonProductionSandbox" (did you mean "nonProductionSandboxes"?)');
  });
});

describe("a program whose judged values are computed from another resource's output", () => {
  it("fails the preview: a mandatory rule cannot pass a value it cannot see", () => {
    expect(runs.derived.code).not.toBe(0);
  });

  it.each([
    ["streaming-authentication-required", "mandatory", "StreamingConnection", "events", "authenticationRequired"],
    ["connection-name-pattern", "mandatory", "DatasetBaseConnection", "archive-lake", "name"],
    ["connection-description", "advisory", "DatasetBaseConnection", "archive-lake", "description"],
  ])("%s: %s, naming %s %s and the input not known (%s)", (rule, level, kind, resource, input) => {
    const v = only(runs.derived, rule);
    expect(v).toMatchObject({ level, type: T(kind), resource });
    expect(v.message).toContain(`${kind} "${resource}"`);
    expect(v.message).toContain(`${input} ${NOT_KNOWN}`);
    expect(v.message).toContain("Fix:");
  });

  it("reports nothing else", () => {
    expect(runs.derived.violations).toHaveLength(3);
  });
});

describe("secrets", () => {
  it("no run's output contains a secret input, though the rules see them in plaintext", () => {
    const texts: Record<string, string> = {};
    for (const [name, r] of Object.entries(runs)) Object.assign(texts, { [`${name} stdout`]: r.stdout, [`${name} stderr`]: r.stderr });
    expect(findLeaks(texts, canaries)).toEqual([]);
    // The name rule did quote the name, with the secret cut out: the rules had the plaintext.
    expect(only(runs.violating, "connection-name-pattern").message).toContain("[secret]");
  });
});
