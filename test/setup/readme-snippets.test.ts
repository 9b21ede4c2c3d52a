/**
 * Every TypeScript block of the user-facing documents compiles as written: each block is its own
 * module (it declares what it uses; nothing carries over from an earlier block), type-checked with
 * the compiler API against the built package, so `import … from "pulumi-aep-flow"` resolves as in a
 * user's project (the build links the repository into its own node_modules: scripts/after-build.js).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";

const ROOT = join(__dirname, "..", "..");
/** Where the snippets pretend to live: inside the repository, so module resolution finds its node_modules. */
const SNIPPET_DIR = join(ROOT, ".readme-snippets");

interface Snippet {
  /** `README.md:158`: the document and the line of the opening fence. */
  where: string;
  code: string;
}

const DOCUMENTS = ["README.md", "examples/README.md", "emulator/README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

export function snippetsOf(document: string, markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+|~~~+)\s*(ts|typescript)\s*$/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j].trim().startsWith(fence); j++) body.push(lines[j]);
    if (j === lines.length) throw new Error(`${document}:${i + 1}: the \`\`\`ts block is never closed`);
    snippets.push({ where: `${document}:${i + 1}`, code: body.join("\n") });
    i = j;
  }
  return snippets;
}

function snippetFile(s: Snippet): string {
  return join(SNIPPET_DIR, `${s.where.replace(/[^A-Za-z0-9]+/g, "-")}.ts`);
}

/**
 * Type-checks the snippets in one program (each a separate module: `export {}` makes one of a block
 * without imports) and returns each one's errors, as `line: message` relative to the block.
 */
export function typeCheck(snippets: Snippet[]): Map<string, string[]> {
  const files = new Map(snippets.map((s) => [snippetFile(s), `${s.code}\nexport {};\n`]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    // As a bundler or an ES module program would: the package's "exports" (pulumi-aep-flow/emulator)
    // resolve, and a test's top-level `await` is allowed.
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts"],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
    // A snippet shows a declaration the reader goes on to use: an unused local is its point.
    noUnusedLocals: false,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
  host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = files.get(f);
    return text !== undefined ? ts.createSourceFile(f, text, lang) : getSourceFile.call(host, f, lang, ...rest);
  };
  const program = ts.createProgram([...files.keys()], options, host);
  const errors = new Map<string, string[]>(snippets.map((s) => [s.where, []]));
  const byFile = new Map(snippets.map((s) => [snippetFile(s), s.where]));
  for (const d of [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...program.getSemanticDiagnostics(), ...program.getSyntacticDiagnostics()]) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const where = d.file ? byFile.get(d.file.fileName) : undefined;
    if (!where) throw new Error(`the snippets' program has an error outside them: ${d.file ? relative(ROOT, d.file.fileName) : ""} ${message}`);
    const line = d.start !== undefined && d.file ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
    errors.get(where)!.push(`line ${line}: ${message}`);
  }
  return errors;
}

const builtTypes = join(ROOT, "node_modules", "pulumi-aep-flow", "dist", "provider", "index.d.ts");
const snippets = DOCUMENTS.filter((d) => existsSync(join(ROOT, d))).flatMap((d) => snippetsOf(d, readFileSync(join(ROOT, d), "utf8")));

describe("the documents' TypeScript snippets", () => {
  beforeAll(() => {
    if (!existsSync(builtTypes)) throw new Error(`${relative(ROOT, builtTypes)} is missing: run \`npm run build\` first (it builds dist/ and links the package into node_modules)`);
  });

  it("are found: README.md shows one for every resource section, the pipeline, adoption and the functions", () => {
    const inReadme = snippets.filter((s) => s.where.startsWith("README.md:"));
    const constructed = new Set(inReadme.flatMap((s) => [...s.code.matchAll(/new (\w+)\(/g)].map((m) => m[1])));
    for (const kind of ["FtpConnection", "SftpConnection", "S3Connection", "DatasetBaseConnection", "StreamingConnection", "SourceConnection", "TargetConnection", "MappingSet", "Dataflow"]) {
      expect({ kind, shown: constructed.has(kind) }).toEqual({ kind, shown: true });
    }
    expect(inReadme.some((s) => s.code.includes("exploreConnectionOutput("))).toBe(true);
  });

  it("each compile on their own, as written, against the built package", () => {
    const failing = [...typeCheck(snippets)].filter(([, errs]) => errs.length > 0).map(([where, errs]) => `${where}\n  ${errs.join("\n  ")}`);
    expect(failing).toEqual([]);
  }, 120_000);

  it("a snippet using what it never declared, or a property the package does not have, is reported with its place", () => {
    const bad: Snippet[] = [
      { where: "bad.md:1", code: 'import { S3Connection } from "pulumi-aep-flow";\nconst s3 = new S3Connection("orders-s3", { accessKey, secretKey: "x" });\nexport const id = s3.id;' },
      { where: "bad.md:9", code: 'import { DatasetBaseConnection } from "pulumi-aep-flow";\nnew DatasetBaseConnection("lake", { bucket: "no-such-property" });' },
      { where: "good.md:1", code: 'import { DatasetBaseConnection } from "pulumi-aep-flow";\nnew DatasetBaseConnection("lake");' },
    ];
    const errors = typeCheck(bad);
    expect(errors.get("bad.md:1")).toEqual([expect.stringMatching(/^line 2: .*'accessKey'/)]);
    expect(errors.get("bad.md:9")).toEqual([expect.stringMatching(/^line 2: .*'bucket' does not exist/)]);
    expect(errors.get("good.md:1")).toEqual([]);
  }, 120_000);
});
