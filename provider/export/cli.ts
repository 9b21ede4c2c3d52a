#!/usr/bin/env node
/**
 * `aep-flow export`: reads one sandbox of Flow Service and Data Prep (listings only, nothing written) and
 * writes a Pulumi TypeScript program declaring what it holds. `aep-flow --help` and `aep-flow export --help`
 * say how. Exit status: 0 written, 1 a failure (configuration, network, Flow Service), 2 a wrong command line.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Filters } from "./filters";
import { UsageError } from "./usage-error";

/** Default bound of every listing: 100,000 entities per collection. */
export const DEFAULT_MAX_PAGES = 1000;

export const USAGE = `usage: aep-flow export --out DIR [--stack NAME [--cwd DIR]] [--sandbox NAME] [--stack-name NAME]
                       [--project NAME] [--flow NAME|ID]... [--name-prefix PREFIX]... [--spec NAME|ID]...
                       [--retain] [--force] [--quiet] [--max-pages N]
       aep-flow --help | aep-flow export --help`;

export const EXPORT_HELP = `${USAGE}

Reads one sandbox of Adobe Experience Platform (base connections, source and target connections, Data Prep
mapping sets at their latest version, dataflows) and writes a Pulumi TypeScript program declaring them:
Pulumi.yaml, package.json, tsconfig.json, index.ts, README.md and Pulumi.<stack>.yaml. It reads one
listing per collection and one of the flow specs, and writes nothing in the sandbox.

Credentials and endpoints are read as the provider reads them: the AEP_* environment variables
(AEP_CLIENT_ID, AEP_CLIENT_SECRET or AEP_ACCESS_TOKEN, AEP_ORG_ID, AEP_SANDBOX, AEP_ENDPOINT, …), or with
--stack a stack's aep:* config, which wins over them.

  --out DIR             where to write the program (created; refused when it holds files, unless --force)
  --force               write into a folder that holds files (files of the same names are replaced)
  --stack NAME          read aep:* settings from this stack's config
                        (pulumi config --json --show-secrets --stack NAME)
  --cwd DIR             the Pulumi project folder --stack is read in (default: the current folder)
  --sandbox NAME        the sandbox to read (default: aep:sandbox / AEP_SANDBOX, else prod)
  --stack-name NAME     the source sandbox's stack: Pulumi.NAME.yaml sets aep:sandbox and the ids its first
                        \`pulumi up\` adopts (default: the sandbox's name); any other stack creates copies
  --project NAME        the Pulumi project's name (default: aep-<sandbox>)
  --flow NAME|ID        a dataflow and everything it uses (its source and target connections, their base
                        connections, its mapping set); repeat for more
  --name-prefix PREFIX  entities whose name starts with PREFIX, and what they use; repeatable
  --spec NAME|ID        base connections of a connection spec (catalog name, e.g. "Amazon S3", or id), what
                        uses them, and what that uses; repeatable
                        (filters add up: the program holds every entity any of them selects)
  --retain              { retainOnDelete: true } on every resource: \`pulumi destroy\` leaves the entities
  --quiet               no progress on stderr (errors are still written)
  --max-pages N         pages of 100 read per listing at most (default ${DEFAULT_MAX_PAGES})
  -h, --help            this text

Then, in DIR: npm install; set the secrets README.md lists; pulumi stack init <stack-name>; pulumi up.`;

const GENERAL_HELP = `${USAGE}

Commands:
  export   write a Pulumi program declaring what one sandbox holds (aep-flow export --help)`;

export interface CliOptions {
  out: string;
  force: boolean;
  stack?: string;
  cwd?: string;
  sandbox?: string;
  stackName?: string;
  project?: string;
  filters: Filters;
  retain: boolean;
  quiet: boolean;
  maxPages: number;
}

const FLAGS = {
  out: { type: "string" },
  force: { type: "boolean" },
  stack: { type: "string" },
  cwd: { type: "string" },
  sandbox: { type: "string" },
  "stack-name": { type: "string" },
  project: { type: "string" },
  flow: { type: "string", multiple: true },
  "name-prefix": { type: "string", multiple: true },
  spec: { type: "string", multiple: true },
  retain: { type: "boolean" },
  quiet: { type: "boolean" },
  "max-pages": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** What a command line asks for; `help` when it asks for a help text. */
export function parseCommandLine(argv: string[]): { help: string } | CliOptions {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h") return { help: GENERAL_HELP };
  if (command !== "export") throw new UsageError(`unknown command ${JSON.stringify(command)}: the command is \`export\``);
  let values: ReturnType<typeof parse>["values"];
  try {
    ({ values } = parse(rest));
  } catch (err) {
    // node:util's messages name the flag ("Unknown option '--outt'").
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  if (values.help) return { help: EXPORT_HELP };
  if (values.out === undefined || values.out === "") throw new UsageError("--out is required: the folder to write the program to");
  for (const [flag, value] of [
    ["--stack-name", values["stack-name"]],
    ["--project", values.project],
  ] as const) {
    if (value !== undefined && !NAME.test(value)) throw new UsageError(`${flag} ${JSON.stringify(value)}: use letters, digits, '-', '_' and '.' (it names a file and a Pulumi project or stack)`);
  }
  if (values.cwd !== undefined && values.stack === undefined) throw new UsageError("--cwd is where --stack is read: give --stack too");
  for (const [flag, list] of [
    ["--flow", values.flow],
    ["--name-prefix", values["name-prefix"]],
    ["--spec", values.spec],
  ] as const) {
    if (list?.some((v) => v === "")) throw new UsageError(`${flag} needs a value`);
  }
  let maxPages = DEFAULT_MAX_PAGES;
  if (values["max-pages"] !== undefined) {
    maxPages = Number(values["max-pages"]);
    if (!/^\d+$/.test(values["max-pages"]) || maxPages < 1 || maxPages > 1_000_000) throw new UsageError(`--max-pages must be a whole number from 1 to 1000000, got ${JSON.stringify(values["max-pages"])}`);
  }
  return {
    out: values.out,
    force: values.force ?? false,
    stack: values.stack,
    cwd: values.cwd,
    sandbox: values.sandbox,
    stackName: values["stack-name"],
    project: values.project,
    filters: { flows: values.flow ?? [], namePrefixes: values["name-prefix"] ?? [], specs: values.spec ?? [] },
    retain: values.retain ?? false,
    quiet: values.quiet ?? false,
    maxPages,
  };
}

function parse(args: string[]) {
  return parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false });
}

/** The running package's package.json (looked for upwards: the sources and dist/ sit at different depths). */
function ownPackage(): { version: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> } {
  let dir = __dirname;
  for (let depth = 0; depth < 6; depth++, dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8"));
    if (pkg.name === "pulumi-aep-flow") return pkg;
  }
  throw new Error("the package's own package.json was not found above " + __dirname);
}

/** A stack's config as `pulumi config --json --show-secrets` prints it: key → value (objects as JSON text). */
function stackConfig(stack: string, cwd: string): Record<string, string> {
  let text: string;
  try {
    text = execFileSync("pulumi", ["config", "--json", "--show-secrets", "--stack", stack], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    if (e.code === "ENOENT") throw new UsageError("--stack needs the Pulumi CLI (`pulumi` on PATH); without it, set the AEP_* environment variables instead");
    const said = (e.stderr ?? "").trim().split("\n").slice(0, 3).join(" ");
    throw new UsageError(`--stack ${JSON.stringify(stack)}: \`pulumi config --json --stack ${stack}\` in ${cwd} failed${said ? `: ${said}` : ""}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--stack ${JSON.stringify(stack)}: \`pulumi config --json\` printed no JSON`);
  }
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(parsed as Record<string, { value?: unknown }>)) if (typeof entry?.value === "string") out[key] = entry.value;
  return out;
}

/** Refuses to write into a folder that holds anything, unless forced. */
function outputFolder(out: string, force: boolean): string {
  const dir = resolve(out);
  if (existsSync(dir) && readdirSync(dir).length > 0 && !force) throw new UsageError(`--out ${out}: the folder holds files; choose an empty or new folder, or add --force to replace the program's files in it`);
  return dir;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  const stderr = (line: string) => process.stderr.write(`aep-flow export: ${line}\n`);
  let options: CliOptions;
  try {
    const parsed = parseCommandLine(argv);
    if ("help" in parsed) {
      process.stdout.write(`${parsed.help}\n`);
      return 0;
    }
    options = parsed;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`aep-flow: ${err.message}\n${USAGE}\n`);
    return 2;
  }
  try {
    // Loaded once the command line is known to be right: --help and a wrong flag answer at once.
    const { resolveSettings, setStackConfig } = await import("../settings");
    const { exportSandbox } = await import("./export-sandbox");
    const dir = outputFolder(options.out, options.force);
    if (options.stack !== undefined) {
      const config = stackConfig(options.stack, resolve(options.cwd ?? process.cwd()));
      setStackConfig((key) => config[key], Object.keys(config));
    }
    const settings = resolveSettings();
    const sandbox = options.sandbox ?? settings.sandbox;
    // The sandbox names the stack file and the project unless they are given: it must be able to.
    if (options.stackName === undefined && !NAME.test(sandbox)) throw new UsageError(`the sandbox ${JSON.stringify(sandbox)} cannot name a stack file: give --stack-name`);
    if (options.project === undefined && !NAME.test(sandbox)) throw new UsageError(`the sandbox ${JSON.stringify(sandbox)} cannot name a Pulumi project: give --project`);
    const pkg = ownPackage();
    const progress = options.quiet ? undefined : stderr;
    const { program } = await exportSandbox({
      settings,
      sandbox,
      filters: options.filters,
      maxPages: options.maxPages,
      progress,
      program: {
        project: options.project,
        stackName: options.stackName,
        retain: options.retain,
        versions: {
          package: pkg.version,
          pulumi: pkg.dependencies?.["@pulumi/pulumi"] ?? "^3.0.0",
          typescript: pkg.devDependencies?.typescript ? `^${pkg.devDependencies.typescript.replace(/^[\^~]/, "")}` : "^5.0.0",
          typesNode: pkg.devDependencies?.["@types/node"] ? `^${pkg.devDependencies["@types/node"].replace(/^[\^~]/, "")}` : "^22.0.0",
        },
      },
    });
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of program.files) writeFileSync(join(dir, name), text);
    progress?.(`wrote ${program.written.length} resources to ${dir} (${[...program.files.keys()].join(", ")}); ${program.secrets.length} secrets to set: README.md lists them`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`aep-flow: ${err.message}\n`);
      return 2;
    }
    // Configuration and Flow Service errors are already in the user's words, secrets redacted.
    stderr(err instanceof Error ? err.message : String(err));
    return 1;
  }
}

if (require.main === module) {
  main().then(
    (status) => {
      process.exitCode = status;
    },
    (err: unknown) => {
      process.stderr.write(`aep-flow: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
