/**
 * The files of an exported program, as text: Pulumi.yaml, package.json, tsconfig.json, index.ts,
 * README.md and Pulumi.<stack>.yaml. Pure: the same plan, selection and options give the same bytes
 * (nothing depends on the time or on the order listings returned entities in).
 */
import { type Collection, Commented, type Declaration, NOUNS, PinnedVersion, PLURAL_NOUNS, Ref, type SandboxPlan, SecretInput, type Skipped } from "./declarations";
import { pascalCase, resourceNames, variableNames } from "./naming";

export interface ProgramOptions {
  /** The Pulumi project's name (Pulumi.yaml), which also namespaces the `adopt` config key. */
  project: string;
  /** The stack of the source sandbox: its Pulumi.<stack>.yaml holds `aep:sandbox` and the ids to adopt. */
  stackName: string;
  /** `{ retainOnDelete: true }` on every resource. */
  retain: boolean;
  /**
   * `existingId: adopt["<resource name>"]` on every resource (default true). Off: a program that never
   * adopts, whose every stack creates its own copies.
   */
  existingId?: boolean;
  /** The running package's version, and the ranges of what the program depends on. */
  versions: { package: string; pulumi: string; typescript: string; typesNode: string };
  /** How the entities were chosen, for the README (`--flow "orders"`), if they were. */
  filters?: string;
}

/** One secret the program reads from stack config. */
export interface SecretSetting {
  configKey: string;
  resourceName: string;
  typeName: string;
  /** The property or auth param: `secretKey`, `secretParams.connectionString`. */
  what: string;
}

export interface ExportedProgram {
  /** File name → text. */
  files: Map<string, string>;
  /** Resource name → entity id, what Pulumi.<stack>.yaml's adopt map holds. */
  adopt: Map<string, string>;
  secrets: SecretSetting[];
  /** The declarations written, in the order of index.ts. */
  written: Array<Declaration & { resourceName: string; variable: string }>;
}

/** The order index.ts declares collections in: what is used before what uses it. */
const ORDER: readonly Collection[] = ["connections", "sourceConnections", "targetConnections", "mappingSets", "flows"];
const HEADINGS: Record<Collection, string> = {
  connections: "Base connections",
  sourceConnections: "Source connections: what each dataflow reads",
  targetConnections: "Target connections: the datasets dataflows write",
  mappingSets: "Mapping sets (Data Prep), each at its latest version",
  flows: "Dataflows",
};

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const propertyKey = (key: string): string => (IDENTIFIER.test(key) ? key : JSON.stringify(key));
/** Text as a comment holds it: on one line, and never closing a block comment. */
const commentText = (text: string): string => text.replace(/\s+/g, " ").replace(/\*\//g, "* /");

/** What a reference resolves to in the program. */
interface Resolved {
  /** The expression, or undefined when the property is left out. */
  code?: string;
  comment?: string;
}

class Renderer {
  readonly secrets: SecretSetting[] = [];
  private readonly configKeys = new Set<string>();

  constructor(
    private readonly variables: Map<string, string>,
    private readonly why: (key: string) => string,
    private readonly existingId: boolean,
  ) {}

  /** A top-level argument's line(s), with its comment; nothing when a reference has no value to fall back on. */
  argument(owner: Written, key: string, value: unknown, indent: string): string[] {
    const { code, comment } = this.top(owner, key, value, indent);
    if (code === undefined) return comment ? [`${indent}// ${key}: ${commentText(comment)}`] : [];
    return [`${indent}${propertyKey(key)}: ${code},${comment ? ` // ${commentText(comment)}` : ""}`];
  }

  private top(owner: Written, key: string, value: unknown, indent: string): Resolved {
    if (value instanceof PinnedVersion) {
      const followed = this.top(owner, key, value.mapping, indent);
      if (!this.variables.has(value.mapping.key)) return followed;
      const comment = `this dataflow uses version ${value.version} of its mapping set, which is at version ${value.latest}`;
      if (!this.existingId) return { code: followed.code, comment: `${comment}: declared, it moves to the latest` };
      return { code: `adopt[${JSON.stringify(owner.resourceName)}] === undefined ? ${followed.code} : ${value.version}`, comment: `${comment}: adopted, it keeps ${value.version}; a copy follows its mapping set` };
    }
    if (value instanceof Ref) {
      const variable = this.variables.get(value.key);
      if (variable) return { code: `${variable}.${value.output}` };
      const [collection, id] = splitKey(value.key);
      const what = `${NOUNS[collection]} ${id}`;
      if (value.fallback === undefined) return { comment: `${what} ${this.why(value.key)}; set it by hand` };
      return { code: this.expression(owner, key, value.fallback, indent), comment: `${what} ${this.why(value.key)}: kept as a literal` };
    }
    if (value instanceof Commented) return { code: this.expression(owner, key, value.value, indent), comment: value.comment };
    return { code: this.expression(owner, key, value, indent) };
  }

  /** A value as TypeScript: JSON-like, secrets as config reads; short objects on one line. */
  expression(owner: Written, path: string, value: unknown, indent: string): string {
    if (value instanceof SecretInput) {
      // Distinct variables and labels can still meet (`orders` + `S3Key`, `ordersS3` + `Key`): the later gets `_2`.
      const base = `${owner.variable}${pascalCase(value.label)}`;
      let configKey = base;
      for (let n = 2; this.configKeys.has(configKey); n++) configKey = `${base}_${n}`;
      this.configKeys.add(configKey);
      this.secrets.push({ configKey, resourceName: owner.resourceName, typeName: owner.typeName, what: path });
      return `config.requireSecret(${JSON.stringify(configKey)})`;
    }
    if (value instanceof Commented) return this.expression(owner, path, value.value, indent);
    if (Array.isArray(value)) {
      if (value.length === 0) return "[]";
      const items = value.map((v, i) => this.expression(owner, `${path}[${i}]`, v, `${indent}  `));
      const inline = `[${items.join(", ")}]`;
      if (inline.length + indent.length <= 100 && !inline.includes("\n")) return inline;
      return `[\n${items.map((x) => `${indent}  ${x},`).join("\n")}\n${indent}]`;
    }
    if (typeof value === "object" && value !== null) {
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return "{}";
      const members = entries.map(([k, v]) => `${propertyKey(k)}: ${this.expression(owner, `${path}.${k}`, v, `${indent}  `)}`);
      const inline = `{ ${members.join(", ")} }`;
      if (inline.length + indent.length <= 100 && !inline.includes("\n")) return inline;
      return `{\n${members.map((x) => `${indent}  ${x},`).join("\n")}\n${indent}}`;
    }
    return JSON.stringify(value) ?? "undefined";
  }
}

type Written = Declaration & { resourceName: string; variable: string };

function splitKey(key: string): [Collection, string] {
  const slash = key.indexOf("/");
  return [key.slice(0, slash) as Collection, key.slice(slash + 1)];
}

/** Names over the whole sandbox (not only the selection): an entity is named alike by every filter. */
export function nameDeclarations(plan: SandboxPlan): Map<string, { resourceName: string; variable: string }> {
  const names = resourceNames(plan.declarations);
  const variables = variableNames([...names.values()]);
  const out = new Map<string, { resourceName: string; variable: string }>();
  for (const [key, resourceName] of names) out.set(key, { resourceName, variable: variables.get(resourceName) as string });
  return out;
}

/** The program's files for the selected declarations. */
export function writeProgram(plan: SandboxPlan, selected: ReadonlySet<string>, options: ProgramOptions): ExportedProgram {
  const existingId = options.existingId ?? true;
  const names = nameDeclarations(plan);
  const written: Written[] = plan.declarations
    .filter((d) => selected.has(d.key))
    .map((d) => ({ ...d, ...(names.get(d.key) as { resourceName: string; variable: string }) }))
    .sort((a, b) => ORDER.indexOf(a.collection) - ORDER.indexOf(b.collection) || a.resourceName.localeCompare(b.resourceName));
  const variables = new Map(written.map((w) => [w.key, w.variable]));
  const declared = new Set(plan.declarations.map((d) => d.key));
  const skipped = new Map(plan.skipped.map((s) => [s.key, s]));
  const why = (key: string): string => {
    const s = skipped.get(key);
    if (s) return `is not exported (${s.reason})`;
    if (declared.has(key)) return "is left out by the filters";
    return `is not in sandbox "${plan.sandbox}"`;
  };
  const renderer = new Renderer(variables, why, existingId);
  const adopt = new Map(written.map((w) => [w.resourceName, w.id]));

  const blocks: string[] = [];
  for (const collection of ORDER) {
    const of = written.filter((w) => w.collection === collection);
    if (of.length === 0) continue;
    blocks.push(`// ---- ${HEADINGS[collection]}\n${of.map((w) => resourceCode(renderer, w, existingId, options.retain)).join("\n\n")}`);
  }
  const classes = [...new Set(written.map((w) => w.typeName))].sort();
  const index = [
    `// The Flow Service entities of sandbox "${plan.sandbox}", as \`aep-flow export\` read them (pulumi-aep-flow ${options.versions.package}).`,
    "// README.md lists the secrets to set, how stack " + JSON.stringify(options.stackName) + " adopts these entities and how other stacks copy them.",
    'import * as pulumi from "@pulumi/pulumi";',
    ...(classes.length > 0 ? [`import { ${classes.join(", ")} } from "pulumi-aep-flow";`] : []),
    "",
    "const config = new pulumi.Config();",
    ...(existingId
      ? [
          `// The entity ids to adopt, by resource name: set on stack ${JSON.stringify(options.stackName)} only (Pulumi.${options.stackName}.yaml), so that`,
          `// stack takes over what sandbox ${JSON.stringify(plan.sandbox)} holds, and any other stack creates fresh copies.`,
          'const adopt = config.getObject<Record<string, string>>("adopt") ?? {};',
        ]
      : []),
    "",
    blocks.join("\n\n"),
    "",
  ].join("\n");

  const files = new Map<string, string>();
  files.set("Pulumi.yaml", pulumiYaml(options.project, plan.sandbox));
  files.set("package.json", `${JSON.stringify(packageJson(options), null, 2)}\n`);
  files.set("tsconfig.json", TSCONFIG);
  files.set("index.ts", index);
  files.set(`Pulumi.${options.stackName}.yaml`, stackYaml(options.project, plan.sandbox, adopt));
  files.set("README.md", readme(plan, written, renderer.secrets, selected, options));
  return { files, adopt, secrets: renderer.secrets, written };
}

function resourceCode(renderer: Renderer, w: Written, existingId: boolean, retain: boolean): string {
  const lines: string[] = [];
  const title = `${NOUNS[w.collection]} ${w.id}${w.name === undefined ? " (no name)" : ""}`;
  lines.push(`// ${commentText(title)}`);
  if (w.note) lines.push(`// Declared as the generic Connection, ${commentText(w.note)}`);
  lines.push(`const ${w.variable} = new ${w.typeName}(${JSON.stringify(w.resourceName)}, {`);
  for (const [key, value] of w.args) lines.push(...renderer.argument(w, key, value, "  "));
  if (existingId) lines.push(`  existingId: adopt[${JSON.stringify(w.resourceName)}],`);
  lines.push(retain ? "}, { retainOnDelete: true });" : "});");
  return lines.join("\n");
}

function pulumiYaml(project: string, sandbox: string): string {
  return [
    `name: ${project}`,
    `description: ${JSON.stringify(`The Flow Service entities of sandbox ${sandbox}, exported by aep-flow export`)}`,
    "runtime:",
    "  name: nodejs",
    "  options:",
    "    typescript: true",
    "    packagemanager: npm",
    "",
  ].join("\n");
}

function packageJson(options: ProgramOptions): Record<string, unknown> {
  return {
    name: options.project,
    private: true,
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": options.versions.pulumi, "pulumi-aep-flow": `^${options.versions.package}` },
    devDependencies: { "@types/node": options.versions.typesNode, typescript: options.versions.typescript },
  };
}

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: "ES2022",
      module: "commonjs",
      moduleResolution: "node",
      lib: ["ES2022"],
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      forceConsistentCasingInFileNames: true,
      types: ["node"],
      outDir: "bin",
    },
    files: ["index.ts"],
  },
  null,
  2,
)}\n`;

/** YAML with every scalar a JSON string (a valid YAML double-quoted scalar): `y`, `on` or `1e3` stay text. */
function stackYaml(project: string, sandbox: string, adopt: Map<string, string>): string {
  const lines = [
    `# The stack of sandbox ${JSON.stringify(sandbox)}: \`pulumi up\` here adopts the entities below (resource name: entity id)`,
    "# instead of creating them. Other stacks have no adopt map, so they create fresh copies.",
    "config:",
    `  aep:sandbox: ${JSON.stringify(sandbox)}`,
  ];
  if (adopt.size === 0) lines.push(`  ${project}:adopt: {}`);
  else {
    lines.push(`  ${project}:adopt:`);
    for (const [name, id] of [...adopt].sort(([a], [b]) => a.localeCompare(b))) lines.push(`    ${JSON.stringify(name)}: ${JSON.stringify(id)}`);
  }
  return `${lines.join("\n")}\n`;
}

function counts(written: readonly Written[]): string {
  return ORDER.map((c) => [c, written.filter((w) => w.collection === c).length] as const)
    .filter(([, n]) => n > 0)
    .map(([c, n]) => `${n} ${n === 1 ? NOUNS[c] : PLURAL_NOUNS[c]}`)
    .join(", ");
}

function readme(plan: SandboxPlan, written: readonly Written[], secrets: readonly SecretSetting[], selected: ReadonlySet<string>, options: ProgramOptions): string {
  const stack = options.stackName;
  const secretLines = secrets.map((s) => `pulumi config set --secret ${s.configKey} <value>   # ${s.resourceName} (${s.typeName}): ${s.what}`);
  const skipped: Skipped[] = plan.skipped.filter((s) => !options.filters || isUsedBy(s, written));
  const outside = [
    ...new Set(
      written.flatMap((w) =>
        w.args
          .filter((arg): arg is [string, Ref] => arg[1] instanceof Ref && arg[1].output === "id" && !selected.has(arg[1].key))
          .map(([k, ref]) => `\`${w.resourceName}\`'s \`${k}\` (${NOUNS[splitKey(ref.key)[0]]} ${splitKey(ref.key)[1]})`),
      ),
    ),
  ];
  const out: string[] = [
    `# ${options.project}`,
    "",
    `The Flow Service and Data Prep entities of sandbox \`${plan.sandbox}\` as a Pulumi program, written by`,
    `\`aep-flow export\` (pulumi-aep-flow ${options.versions.package})${options.filters ? `, chosen with ${options.filters}` : ""}: ${counts(written) || "no entities"}.`,
    "`index.ts` declares them, each with its references to the others as resource outputs.",
    "",
    `## Adopt them: stack \`${stack}\``,
    "",
    `\`Pulumi.${stack}.yaml\` sets \`aep:sandbox\` to \`${plan.sandbox}\` and maps every resource name to the id of the entity it`,
    "adopts (`existingId`): on this stack the first `pulumi up` takes the entities over, patched to what is declared, and",
    "creates none.",
    "",
    "```sh",
    "npm install",
    `pulumi stack init ${stack}     # or \`pulumi stack select ${stack}\`: its config file is already here`,
    "pulumi config set aep:clientId <client id>          # or the AEP_* environment variables",
    "pulumi config set --secret aep:clientSecret <client secret>",
    "pulumi config set aep:orgId <org id>@AdobeOrg",
    ...secretLines,
    "pulumi preview",
    "pulumi up",
    "```",
    "",
    "## Secrets",
    "",
  ];
  if (secrets.length === 0) out.push("None of these entities holds a secret.", "");
  else {
    out.push(
      "Flow Service never returns a secret (it masks each), so the program reads each from the stack's config",
      "(`config.requireSecret`). Set every one on each stack before its first `pulumi up`:",
      "",
      "```sh",
      ...secretLines,
      "```",
      "",
    );
  }
  out.push(
    "## Copy them to another sandbox",
    "",
    "The same program on a stack with no `adopt` map creates fresh copies: the stack's `aep:sandbox` decides where.",
    "",
    "```sh",
    "pulumi stack init stage",
    "pulumi config set aep:sandbox stage",
    "# the credentials and every secret above, with this stack's values",
    "pulumi up",
    "```",
    "",
    "## What the program does not carry",
    "",
    "- **Secrets**: see above; they are set per stack.",
    "- **A mapping set's older versions**: each is declared at its latest version; on another stack its copy starts at version 0.",
    "- **Flow runs**: a dataflow's run history stays with the entity; a copy has none until it runs.",
    "- **Datasets and XDM schemas**: target connections and mapping sets name them by id, as this sandbox has them. Before",
    "  `pulumi up` on another sandbox's stack, point them at that sandbox's (`getDatasetOutput({ name })`, `getSchemaOutput({ name })`).",
  );
  if (outside.length > 0) out.push("- **References to entities outside this export** stay literal ids (a comment in `index.ts` says why): " + outside.join(", ") + ".");
  if (skipped.length > 0) {
    out.push("", "## Not exported", "", "No resource kind of pulumi-aep-flow can declare these as they are:", "");
    for (const s of [...skipped].sort((a, b) => a.key.localeCompare(b.key))) out.push(`- ${NOUNS[s.collection]} \`${s.id}\`${s.name ? ` (${JSON.stringify(s.name)})` : ""}: ${s.reason}.`);
  }
  out.push("");
  return out.join("\n");
}

/** Whether a skipped entity is one a written declaration uses (what a filtered export's README lists). */
function isUsedBy(s: Skipped, written: readonly Written[]): boolean {
  return written.some((w) => w.uses.includes(s.key));
}
