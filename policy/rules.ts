// The rules. Each is one CrossGuard resource policy with a default enforcement level, a config
// schema (every property has a default, so the pack runs unconfigured) and messages that name the
// resource and say how to fix it.
import type { PolicyConfigSchema, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { CONNECTION_KINDS, type Kind, type SandboxScope, describe, giveKnownValue, isSet, kindOf, notYetKnown, read, safeReporter, sandboxScope } from "./resources";

/** A rule's body: called for each of this package's resources, with its kind resolved. */
type Check<C> = (kind: Kind, args: ResourceValidationArgs, config: C, report: (message: string) => void) => void;

/** Builds a policy from its body: resolves the kind from the type token, applies the config defaults, wraps the reporter. */
function rule<C extends object>(
  policy: Omit<ResourceValidationPolicy, "validateResource" | "configSchema"> & { configSchema: PolicyConfigSchema },
  defaults: C,
  check: Check<C>,
): ResourceValidationPolicy {
  const known = Object.keys(policy.configSchema.properties);
  return {
    ...policy,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const kind = kindOf(args.type);
      if (kind === undefined) return;
      const config = args.getConfig<Partial<C>>();
      // The engine checks the config's types against the schema but lets unknown keys through: a
      // misspelt key would silently leave the default in force.
      const unknown = Object.keys(config).filter((k) => !known.includes(k));
      if (unknown.length > 0) throw new Error(unknownConfigMessage(policy.name, unknown, known));
      check(kind, args, { ...defaults, ...config }, safeReporter(args, reportViolation));
    },
  };
}

function unknownConfigMessage(policy: string, unknown: string[], known: string[]): string {
  const parts = unknown.map((k) => {
    const near = known.find((n) => editDistance(n.toLowerCase(), k.toLowerCase()) <= 2);
    return near ? `"${k}" (did you mean "${near}"?)` : `"${k}"`;
  });
  return `the config of policy ${policy} has no property ${parts.join(", ")}; it takes ${known.map((k) => `"${k}"`).join(", ")} and "enforcementLevel". Fix: correct the --policy-pack-config file.`;
}

/** Levenshtein distance, for the "did you mean" of a misspelt config key. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}

/** The config property of the sandbox-scoped rules. */
const nonProductionSandboxes = {
  type: "array",
  items: { type: "string" },
  default: [],
  description: "Sandboxes that are not production, where this rule does not apply. Empty (the default): every sandbox counts as production.",
} as const;

interface SandboxConfig {
  nonProductionSandboxes: string[];
}

/** The advice for a sandbox that is not production after all. */
const orListSandbox = (policy: string, sandbox?: string): string =>
  `or, if ${sandbox === undefined ? "its sandbox" : `"${sandbox}"`} is not a production sandbox, list it in nonProductionSandboxes of policy ${policy}`;

/** The message for a sandbox-scoped rule whose resource's sandbox is not known at preview (and some sandboxes are exempt). */
function unknownSandbox(kind: Kind, args: ResourceValidationArgs, config: SandboxConfig): string {
  return (
    `${describe(kind, args)}: ${notYetKnown(["sandbox"])}, so whether it is one of nonProductionSandboxes (${config.nonProductionSandboxes.join(", ")}) cannot be told. ` +
    `Fix: ${giveKnownValue(["sandbox"])}, or leave it unset (aep:sandbox, else AEP_SANDBOX, else "prod").`
  );
}

/** The sandbox-scoped rules' first question: production (go on), exempt (stop) or not known (reported, stop). */
function inProduction(kind: Kind, args: ResourceValidationArgs, config: SandboxConfig, report: (message: string) => void): Extract<SandboxScope, { state: "production" }> | undefined {
  const scope = sandboxScope(args.props, config.nonProductionSandboxes);
  if (scope.state === "unknown") report(unknownSandbox(kind, args, config));
  return scope.state === "production" ? scope : undefined;
}

export const STREAMING_AUTHENTICATION = "streaming-authentication-required";
export const NO_FTP_IN_PRODUCTION = "no-ftp-in-production";
export const SFTP_KEY_AUTHENTICATION = "sftp-key-authentication";
export const S3_TEMPORARY_CREDENTIALS = "s3-temporary-credentials";
export const CONNECTION_NAME_PATTERN = "connection-name-pattern";
export const DATAFLOW_MAPPING_AND_SCHEDULE = "dataflow-mapping-and-schedule";
export const CONNECTION_DESCRIPTION = "connection-description";

export const streamingAuthenticationRequired = rule<SandboxConfig>(
  {
    name: STREAMING_AUTHENTICATION,
    description: "A streaming connection outside the listed non-production sandboxes requires authentication at its inlet.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { nonProductionSandboxes } },
  },
  { nonProductionSandboxes: [] },
  (kind, args, config, report) => {
    if (kind !== "StreamingConnection") return;
    const auth = read(args.props, "authenticationRequired");
    if (auth.state === "known" && auth.value === true) return;
    const scope = inProduction(kind, args, config, report);
    if (scope === undefined) return;
    const { sandbox } = scope;
    if (auth.state === "unknown") {
      report(
        `${describe(kind, args, sandbox)}: ${notYetKnown(["authenticationRequired"])}, so it may accept events from anyone who knows its inlet URL. ` +
          `Fix: set authenticationRequired: true as a literal (or from stack config), not computed from another resource's output, ${orListSandbox(STREAMING_AUTHENTICATION, sandbox)}.`,
      );
      return;
    }
    report(
      `${describe(kind, args, sandbox)} accepts events from anyone who knows its inlet URL (authenticationRequired is ${auth.state === "known" ? String(auth.value) : "not set"}). ` +
        `Fix: set authenticationRequired: true (this replaces the connection: a new inlet URL), ${orListSandbox(STREAMING_AUTHENTICATION, sandbox)}.`,
    );
  },
);

export const noFtpInProduction = rule<SandboxConfig>(
  {
    name: NO_FTP_IN_PRODUCTION,
    description: "No FTP connection (credentials and files travel in plaintext) outside the listed non-production sandboxes.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { nonProductionSandboxes } },
  },
  { nonProductionSandboxes: [] },
  (kind, args, config, report) => {
    if (kind !== "FtpConnection") return;
    const scope = inProduction(kind, args, config, report);
    if (scope === undefined) return;
    const { sandbox } = scope;
    report(
      `${describe(kind, args, sandbox)} uses FTP, which sends its password and every file in plaintext. ` +
        `Fix: use an SftpConnection (key authentication) to the same server, ${orListSandbox(NO_FTP_IN_PRODUCTION, sandbox)}.`,
    );
  },
);

export const sftpKeyAuthentication = rule<SandboxConfig>(
  {
    name: SFTP_KEY_AUTHENTICATION,
    description: "An SFTP connection authenticates with an SSH key rather than a password.",
    enforcementLevel: "advisory",
    configSchema: { properties: { nonProductionSandboxes } },
  },
  { nonProductionSandboxes: [] },
  (kind, args, config, report) => {
    if (kind !== "SftpConnection") return;
    if (isSet(args.props, "privateKeyContent") || !isSet(args.props, "password")) return;
    const scope = inProduction(kind, args, config, report);
    if (scope === undefined) return;
    const { sandbox } = scope;
    report(
      `${describe(kind, args, sandbox)} authenticates with a password. ` +
        `Fix: give privateKeyContent (an OpenSSH or PEM private key, with passPhrase if it is encrypted) instead of password, ${orListSandbox(SFTP_KEY_AUTHENTICATION, sandbox)}.`,
    );
  },
);

interface S3Config {
  allowedAccessKeyIds: string[];
}

export const s3TemporaryCredentials = rule<S3Config>(
  {
    name: S3_TEMPORARY_CREDENTIALS,
    description: "An S3 connection uses temporary credentials (a session token), unless its access key id is on an allow-list.",
    enforcementLevel: "advisory",
    configSchema: {
      properties: {
        allowedAccessKeyIds: {
          type: "array",
          items: { type: "string" },
          default: [],
          description: "Access key ids allowed to connect without a session token (long-lived keys the team has accepted).",
        },
      },
    },
  },
  { allowedAccessKeyIds: [] },
  (kind, args, config, report) => {
    if (kind !== "S3Connection") return;
    if (isSet(args.props, "sessionToken")) return;
    const accessKey = read(args.props, "accessKey");
    if (accessKey.state === "known" && typeof accessKey.value === "string" && config.allowedAccessKeyIds.includes(accessKey.value)) return;
    // With no allow-list the access key id does not matter: no session token is the finding.
    if (accessKey.state === "unknown" && config.allowedAccessKeyIds.length > 0) {
      report(
        `${describe(kind, args)} has no sessionToken, and its ${notYetKnown(["accessKey"])}, so whether it is in allowedAccessKeyIds cannot be told. ` +
          `Fix: use temporary credentials (accessKey, secretKey and sessionToken from AWS STS), or ${giveKnownValue(["accessKey"])}.`,
      );
      return;
    }
    report(
      `${describe(kind, args)} uses a long-lived access key (no sessionToken). ` +
        `Fix: use temporary credentials (accessKey, secretKey and sessionToken from AWS STS), or add its access key id to allowedAccessKeyIds of policy ${S3_TEMPORARY_CREDENTIALS}.`,
    );
  },
);

interface NamePatternConfig {
  pattern: string;
}

/** Lower-case words joined by hyphens: what generated names (`<resource name>-<7 characters>`) look like for such resource names. */
export const DEFAULT_NAME_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$";

export const connectionNamePattern = rule<NamePatternConfig>(
  {
    name: CONNECTION_NAME_PATTERN,
    description: "A connection's name (the one Flow Service shows) matches the team's pattern.",
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        pattern: {
          type: "string",
          minLength: 1,
          default: DEFAULT_NAME_PATTERN,
          description: "A JavaScript regular expression the whole name must match (anchor it with ^ and $).",
        },
      },
    },
  },
  { pattern: DEFAULT_NAME_PATTERN },
  (kind, args, config, report) => {
    if (!CONNECTION_KINDS.has(kind)) return;
    // The provider's check fills in a generated name when the program gives none, before policies run.
    const name = read(args.props, "name");
    const known = name.state === "known" && typeof name.value === "string" ? name.value : undefined;
    if (known === undefined && name.state !== "unknown") return;
    let pattern: RegExp;
    try {
      pattern = new RegExp(config.pattern, "u");
    } catch (err) {
      report(`${describe(kind, args)} cannot be checked: pattern of policy ${CONNECTION_NAME_PATTERN} is not a regular expression (${(err as Error).message}). Fix: correct the pattern in the policy pack config.`);
      return;
    }
    if (known === undefined) {
      report(
        `${describe(kind, args)}: ${notYetKnown(["name"])}, so whether it matches ${config.pattern} cannot be told. ` +
          `Fix: ${giveKnownValue(["name"])}, or leave name unset (the generated name, <resource name>-<7 characters>, is known at preview).`,
      );
      return;
    }
    if (pattern.test(known)) return;
    report(
      `${describe(kind, args)} is named "${known}", which does not match ${config.pattern}. ` +
        `Fix: set name to one that matches (or rename the resource, when the name is generated from it), or change pattern of policy ${CONNECTION_NAME_PATTERN}.`,
    );
  },
);

/** Flow Service's flow specs for the pipelines this package declares. */
export const BATCH_FLOW_SPEC = { name: "CloudStorageToAEP", id: "9753525b-82c7-4dce-8a9b-5ccfce2b9876" } as const;
export const STREAMING_FLOW_SPEC = { name: "Steam data with transformation", id: "c1a19761-d2c7-4702-b9fa-fe91f0613e81" } as const;
/** The batch flow spec's schedule frequencies, and its smallest interval in minutes. */
export const FREQUENCIES = ["once", "minute", "hour", "day", "week"] as const;
export const FLOW_SPEC_MINIMUM_MINUTE_INTERVAL = 15;

interface DataflowConfig {
  requireMapping: boolean;
  minimumMinuteInterval: number;
}

/** Which of the two known flow specs a dataflow runs on, or the flow spec inputs not known at preview. */
function flowSpecOf(props: Record<string, unknown>): { spec: "batch" | "streaming" | "other" } | { spec: "unknown"; inputs: string[] } {
  const name = read(props, "flowSpecName");
  const id = read(props, "flowSpecId");
  const unknown = [...(name.state === "unknown" ? ["flowSpecName"] : []), ...(id.state === "unknown" ? ["flowSpecId"] : [])];
  if (unknown.length > 0) return { spec: "unknown", inputs: unknown };
  if ((name.state === "known" && name.value === BATCH_FLOW_SPEC.name) || (id.state === "known" && id.value === BATCH_FLOW_SPEC.id)) return { spec: "batch" };
  if ((name.state === "known" && name.value === STREAMING_FLOW_SPEC.name) || (id.state === "known" && id.value === STREAMING_FLOW_SPEC.id)) return { spec: "streaming" };
  return { spec: "other" };
}

/** What a rule found: what is wrong, and the inputs it could not judge at preview. */
interface Findings {
  problems: string[];
  unknown: string[];
}

/** What is wrong with a batch dataflow's schedule, and which of its fields are not known yet. */
function scheduleFindings(schedule: Record<string, unknown>, minimumMinuteInterval: number): Findings {
  const found: Findings = { problems: [], unknown: [] };
  const frequency = read(schedule, "frequency");
  if (frequency.state === "unknown") found.unknown.push("schedule.frequency");
  else if (frequency.state !== "known" || !(FREQUENCIES as readonly unknown[]).includes(frequency.value)) {
    found.problems.push(`schedule.frequency is ${frequency.state === "known" ? JSON.stringify(frequency.value) : "not set"}; the flow spec takes ${FREQUENCIES.join(", ")}`);
    return found;
  }
  const startTime = read(schedule, "startTime");
  if (startTime.state === "absent") found.problems.push("schedule.startTime is not set (epoch seconds)");
  else if (startTime.state === "unknown") found.unknown.push("schedule.startTime");
  else {
    const t = startTime.value;
    if (typeof t !== "number" || !Number.isInteger(t) || t <= 0) found.problems.push(`schedule.startTime is ${JSON.stringify(t)}; the flow spec takes epoch seconds`);
    else if (t > 1e11) found.problems.push(`schedule.startTime is ${t}, which looks like milliseconds; the flow spec takes epoch seconds (${Math.floor(t / 1000)})`);
  }
  // The least interval follows from the frequency: with the frequency unknown, that one finding covers it.
  if (frequency.state !== "known" || frequency.value === "once") return found;
  const interval = read(schedule, "interval");
  const least = frequency.value === "minute" ? Math.max(FLOW_SPEC_MINIMUM_MINUTE_INTERVAL, minimumMinuteInterval) : 1;
  if (interval.state === "unknown") found.unknown.push("schedule.interval");
  else if (interval.state === "absent") found.problems.push(`schedule.interval is not set; a "${frequency.value}" schedule needs one (at least ${least})`);
  else {
    const n = interval.value;
    if (typeof n !== "number" || !Number.isInteger(n) || n < least) {
      found.problems.push(`schedule.interval is ${JSON.stringify(n)}; a "${frequency.value}" schedule takes a whole number of at least ${least}`);
    }
  }
  return found;
}

/** What is wrong with a dataflow's mapping and schedule, and what could not be judged at preview. */
function dataflowFindings(props: Record<string, unknown>, config: DataflowConfig): Findings {
  const found: Findings = { problems: [], unknown: [] };
  if (config.requireMapping && !isSet(props, "mappingId")) found.problems.push("it has no mapping (mappingId is not set)");
  const flowSpec = flowSpecOf(props);
  const schedule = read(props, "schedule");
  if (flowSpec.spec === "unknown") {
    // Which flow spec decides whether a schedule is needed or refused.
    found.unknown.push(...flowSpec.inputs);
  } else if (flowSpec.spec === "batch") {
    if (schedule.state === "absent") found.problems.push(`it has no schedule; the ${BATCH_FLOW_SPEC.name} flow spec runs on one`);
    else if (schedule.state === "unknown") found.unknown.push("schedule");
    else if (typeof schedule.value === "object") {
      const inner = scheduleFindings(schedule.value as Record<string, unknown>, config.minimumMinuteInterval);
      found.problems.push(...inner.problems);
      found.unknown.push(...inner.unknown);
    }
  } else if (flowSpec.spec === "streaming") {
    if (schedule.state === "known") found.problems.push("it has a schedule, which the streaming flow spec does not take");
    else if (schedule.state === "unknown") found.unknown.push("schedule");
  }
  return found;
}

export const dataflowMappingAndSchedule = rule<DataflowConfig>(
  {
    name: DATAFLOW_MAPPING_AND_SCHEDULE,
    description: "A dataflow has a mapping, and a batch dataflow a schedule within its flow spec's limits (a streaming one none).",
    enforcementLevel: "mandatory",
    configSchema: {
      properties: {
        requireMapping: { type: "boolean", default: true, description: "Whether every dataflow must name a mapping set (mappingId)." },
        minimumMinuteInterval: {
          type: "integer",
          minimum: FLOW_SPEC_MINIMUM_MINUTE_INTERVAL,
          default: FLOW_SPEC_MINIMUM_MINUTE_INTERVAL,
          description: `The smallest interval of a "minute" schedule the team accepts; the flow spec's own limit, ${FLOW_SPEC_MINIMUM_MINUTE_INTERVAL}, is the least.`,
        },
      },
    },
  },
  { requireMapping: true, minimumMinuteInterval: FLOW_SPEC_MINIMUM_MINUTE_INTERVAL },
  (kind, args, config, report) => {
    if (kind !== "Dataflow") return;
    const { problems, unknown } = dataflowFindings(args.props, config);
    if (problems.length > 0) {
      report(
        `${describe(kind, args)}: ${problems.join("; ")}. ` +
          `Fix: give mappingId (a MappingSet's id) and, for a batch flow, schedule { startTime: <epoch seconds>, frequency: "once" | "minute" | "hour" | "day" | "week", interval } ` +
          `with interval at least ${Math.max(FLOW_SPEC_MINIMUM_MINUTE_INTERVAL, config.minimumMinuteInterval)} for "minute" and at least 1 otherwise, or change this policy's config.`,
      );
    }
    if (unknown.length > 0) {
      report(`${describe(kind, args)}: ${notYetKnown(unknown)}, so its schedule cannot be checked against the flow spec's limits. Fix: ${giveKnownValue(unknown)}.`);
    }
  },
);

interface DescriptionConfig {
  minimumLength: number;
}

export const connectionDescription = rule<DescriptionConfig>(
  {
    name: CONNECTION_DESCRIPTION,
    description: "A connection has a description, so that whoever finds it in Flow Service knows what it is for.",
    enforcementLevel: "advisory",
    configSchema: {
      properties: {
        minimumLength: { type: "integer", minimum: 1, default: 1, description: "The fewest characters (after trimming) a description must have." },
      },
    },
  },
  { minimumLength: 1 },
  (kind, args, config, report) => {
    if (!CONNECTION_KINDS.has(kind)) return;
    const description = read(args.props, "description");
    if (description.state === "unknown") {
      report(`${describe(kind, args)}: ${notYetKnown(["description"])}, so whether it says what the connection is for cannot be told. Fix: ${giveKnownValue(["description"])}.`);
      return;
    }
    const length = description.state === "known" && typeof description.value === "string" ? description.value.trim().length : 0;
    if (length >= config.minimumLength) return;
    report(
      `${describe(kind, args)} has ${length === 0 ? "no description" : `a description of ${length} characters`}. ` +
        `Fix: set description${config.minimumLength > 1 ? ` (at least ${config.minimumLength} characters)` : ""} to what the connection is for and who owns it.`,
    );
  },
);

/** Every rule, in the order the README's table lists them. */
export const RULES: ResourceValidationPolicy[] = [
  streamingAuthenticationRequired,
  noFtpInProduction,
  sftpKeyAuthentication,
  s3TemporaryCredentials,
  connectionNamePattern,
  dataflowMappingAndSchedule,
  connectionDescription,
];
