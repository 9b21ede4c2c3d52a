/**
 * Every relative link in README.md, and in the documents it links to (followed from document to
 * document), resolves both in the repository and in the npm package, so that it works on the
 * repository page and inside node_modules/pulumi-aep-flow/. Anchors into Markdown files must name a
 * heading there. The package's file list comes from `npm pack --dry-run --json` (nothing is built).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, posix } from "node:path";

const ROOT = join(__dirname, "..", "..");

function packedFiles(): Set<string> {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const [pack] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
  return new Set(pack.files.map((f) => f.path));
}

/** GitHub's anchors for the headings of a Markdown text (lower case, punctuation dropped, spaces to hyphens). */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of withoutCodeBlocks(markdown).split("\n")) {
    const m = /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = m[1].replace(/`([^`]*)`/g, "$1").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** The link targets of a Markdown text, outside code blocks and code spans. */
export function linksOf(markdown: string): string[] {
  const text = withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, "code");
  const links: string[] = [];
  for (const m of text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push(m[1]);
  for (const m of text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) links.push(m[1]);
  return links;
}

interface Problem {
  doc: string;
  link: string;
  problem: string;
}

/** Follows relative links from README.md through every Markdown file they reach. */
function checkLinks(packed: Set<string>): { docs: string[]; checked: number; problems: Problem[] } {
  const queue = ["README.md"];
  const docs = new Set(queue);
  const problems: Problem[] = [];
  let checked = 0;
  while (queue.length > 0) {
    const doc = queue.shift()!;
    const markdown = readFileSync(join(ROOT, doc), "utf8");
    for (const link of linksOf(markdown)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto: …
      checked++;
      const [rawPath, anchor] = link.split("#", 2);
      const pathPart = decodeURIComponent(rawPath);
      const target = pathPart === "" ? doc : posix.normalize(posix.join(posix.dirname(doc), pathPart));
      const report = (problem: string) => problems.push({ doc, link, problem });
      if (target.startsWith("../") || target === "..") {
        report("points outside the repository");
        continue;
      }
      const onDisk = join(ROOT, ...target.split("/"));
      if (!existsSync(onDisk)) {
        report(`${target} is not in the repository`);
        continue;
      }
      const isDir = statSync(onDisk).isDirectory();
      const inPackage = isDir ? [...packed].some((f) => f.startsWith(`${target.replace(/\/$/, "")}/`)) : packed.has(target);
      if (!inPackage) report(`${target} is not in the npm package`);
      if (!isDir && target.endsWith(".md")) {
        if (anchor !== undefined && !anchorsOf(readFileSync(onDisk, "utf8")).has(anchor)) report(`${target} has no heading #${anchor}`);
        if (!docs.has(target)) {
          docs.add(target);
          queue.push(target);
        }
      }
    }
  }
  return { docs: [...docs], checked, problems };
}

describe("documentation links", () => {
  let packed: Set<string>;
  beforeAll(() => {
    packed = packedFiles();
  });

  it("the link parser finds links, skips code, and makes GitHub's heading anchors", () => {
    expect(linksOf("See [a](a.md) and [`b`](docs/b.md#x).\n`[no](c.md)`\n```\n[no](d.md)\n```\n[ref]: e.md\n")).toEqual(["a.md", "docs/b.md#x", "e.md"]);
    expect([...anchorsOf("## Choices where Adobe's docs are silent\n## Admin API (`/__admin`)\n## Same\n## Same\n")]).toEqual([
      "choices-where-adobes-docs-are-silent",
      "admin-api-__admin",
      "same",
      "same-1",
    ]);
  });

  it("every relative link of README.md and the documents it reaches resolves in the repository and in the package", () => {
    const { docs, checked, problems } = checkLinks(packed);
    expect(problems).toEqual([]);
    expect(docs).toEqual(expect.arrayContaining(["README.md", "examples/README.md", "emulator/README.md", "docs/flow-service-contract.md"]));
    expect(checked).toBeGreaterThan(5);
  });

  it("every document README.md reaches is in the package", () => {
    const { docs } = checkLinks(packed);
    for (const doc of docs) expect([doc, packed.has(doc)]).toEqual([doc, true]);
  });
});
