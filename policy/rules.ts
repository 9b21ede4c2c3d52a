// The rules. Each is one CrossGuard resource policy with a default enforcement level, a config
// schema (every property has a default, so the pack runs unconfigured) and messages that name the
// resource and say how to fix it.
import type { PolicyConfigSchema, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { CONNECTION_KINDS, type Kind, describe, isSet, kindOf, read, safeReporter, sandboxOf } from "./resources";

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
const orListSandbox = (policy: string, sandbox: string): string =>
  `or, if "${sandbox}" is not a production sandbox, list it in nonProductionSandboxes of policy ${policy}`;

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
    const sandbox = sandboxOf(args.props);
    if (config.nonProductionSandboxes.includes(sandbox)) return;
    const auth = read(args.props, "authenticationRequired");
    if (auth.state === "unknown" || (auth.state === "known" && auth.value === true)) return;
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
    const sandbox = sandboxOf(args.props);
    if (config.nonProductionSandboxes.includes(sandbox)) return;
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
    const sandbox = sandboxOf(args.props);
    if (config.nonProductionSandboxes.includes(sandbox)) return;
    if (isSet(args.props, "privateKeyContent") || !isSet(args.props, "password")) return;
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
    if (accessKey.state === "unknown") return;
    if (accessKey.state === "known" && typeof accessKey.value === "string" && config.allowedAccessKeyIds.includes(accessKey.value)) return;
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
    if (name.state !== "known" || typeof name.value !== "string") return;
    let pattern: RegExp;
    try {
      pattern = new RegExp(config.pattern, "u");
    } catch (err) {
      report(`${describe(kind, args)} cannot be checked: pattern of policy ${CONNECTION_NAME_PATTERN} is not a regular expression (${(err as Error).message}). Fix: correct the pattern in the policy pack config.`);
      return;
    }
    if (pattern.test(name.value)) return;
    report(
      `${describe(kind, args)} is named "${name.value}", which does not match ${config.pattern}. ` +
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

function flowSpecOf(props: Record<string, unknown>): "batch" | "streaming" | "other" | "unknown" {
  const name = read(props, "flowSpecName");
  const id = read(props, "flowSpecId");
  if (name.state === "unknown" || id.state === "unknown") return "unknown";
  if ((name.state === "known" && name.value === BATCH_FLOW_SPEC.name) || (id.state === "known" && id.value === BATCH_FLOW_SPEC.id)) return "batch";
  if ((name.state === "known" && name.value === STREAMING_FLOW_SPEC.name) || (id.state === "known" && id.value === STREAMING_FLOW_SPEC.id)) return "streaming";
  return "other";
}

/** What is wrong with a batch dataflow's schedule, or undefined. */
function scheduleProblem(schedule: Record<string, unknown>, minimumMinuteInterval: number): string | undefined {
  const frequency = read(schedule, "frequency");
  if (frequency.state === "unknown") return undefined;
  if (frequency.state !== "known" || !(FREQUENCIES as readonly unknown[]).includes(frequency.value)) {
    return `schedule.frequency is ${frequency.state === "known" ? JSON.stringify(frequency.value) : "not set"}; the flow spec takes ${FREQUENCIES.join(", ")}`;
  }
  const startTime = read(schedule, "startTime");
  if (startTime.state === "absent") return "schedule.startTime is not set (epoch seconds)";
  if (startTime.state === "known") {
    const t = startTime.value;
    if (typeof t !== "number" || !Number.isInteger(t) || t <= 0) return `schedule.startTime is ${JSON.stringify(t)}; the flow spec takes epoch seconds`;
    if (t > 1e11) return `schedule.startTime is ${t}, which looks like milliseconds; the flow spec takes epoch seconds (${Math.floor(t / 1000)})`;
  }
  if (frequency.value === "once") return undefined;
  const interval = read(schedule, "interval");
  if (interval.state === "unknown") return undefined;
  const least = frequency.value === "minute" ? Math.max(FLOW_SPEC_MINIMUM_MINUTE_INTERVAL, minimumMinuteInterval) : 1;
  if (interval.state === "absent") return `schedule.interval is not set; a "${frequency.value}" schedule needs one (at least ${least})`;
  const n = interval.value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < least) {
    return `schedule.interval is ${JSON.stringify(n)}; a "${frequency.value}" schedule takes a whole number of at least ${least}`;
  }
  return undefined;
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
    const problems: string[] = [];
    if (config.requireMapping && !isSet(args.props, "mappingId")) problems.push("it has no mapping (mappingId is not set)");
    const spec = flowSpecOf(args.props);
    const schedule = read(args.props, "schedule");
    if (spec === "batch") {
      if (schedule.state === "absent") problems.push(`it has no schedule; the ${BATCH_FLOW_SPEC.name} flow spec runs on one`);
      else if (schedule.state === "known" && typeof schedule.value === "object") {
        const problem = scheduleProblem(schedule.value as Record<string, unknown>, config.minimumMinuteInterval);
        if (problem) problems.push(problem);
      }
    } else if (spec === "streaming" && schedule.state !== "absent") {
      problems.push("it has a schedule, which the streaming flow spec does not take");
    }
    if (problems.length === 0) return;
    report(
      `${describe(kind, args)}: ${problems.join("; ")}. ` +
        `Fix: give mappingId (a MappingSet's id) and, for a batch flow, schedule { startTime: <epoch seconds>, frequency: "once" | "minute" | "hour" | "day" | "week", interval } ` +
        `with interval at least ${Math.max(FLOW_SPEC_MINIMUM_MINUTE_INTERVAL, config.minimumMinuteInterval)} for "minute" and at least 1 otherwise, or change this policy's config.`,
    );
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
    if (description.state === "unknown") return;
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
