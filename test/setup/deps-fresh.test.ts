/**
 * scripts/deps-fresh.js, which decides whether `npm test` and `npm run demo` run `npm ci` first:
 * fresh only when every package of the lockfile is installed at its locked version.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = join(__dirname, "..", "..", "scripts", "deps-fresh.js");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "aep-deps-fresh-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (file: string, value: unknown) => {
  mkdirSync(join(dir, file, ".."), { recursive: true });
  writeFileSync(join(dir, file), JSON.stringify(value));
};

/** A project depending on a@1.0.0 (which brings b@2.0.0), with an optional package for another platform. */
function project(installed: Record<string, string>) {
  write("package.json", { name: "p", dependencies: { a: "^1.0.0" } });
  write("package-lock.json", {
    lockfileVersion: 3,
    packages: {
      "": { name: "p", dependencies: { a: "^1.0.0" } },
      "node_modules/a": { version: "1.0.0" },
      "node_modules/b": { version: "2.0.0" },
      "node_modules/other-platform": { version: "1.0.0", optional: true },
    },
  });
  for (const [name, version] of Object.entries(installed)) write(`node_modules/${name}/package.json`, { name, version });
}

const check = () => {
  const r = spawnSync(process.execPath, [SCRIPT, dir], { encoding: "utf8" });
  return { status: r.status, why: r.stderr.trim() };
};

describe("deps-fresh.js", () => {
  it("is fresh when every locked package is installed at its version (another platform's optional one may be absent)", () => {
    project({ a: "1.0.0", b: "2.0.0" });
    expect(check()).toEqual({ status: 0, why: "deps: node_modules matches package-lock.json (2 packages)" });
  });

  it("reads a version published with its tag's v (@pulumi/policy's \"v1.21.0\") as the locked version", () => {
    project({ a: "v1.0.0", b: "2.0.0" });
    expect(check().status).toBe(0);
    project({ a: "v1.0.1", b: "2.0.0" });
    expect(check()).toEqual({ status: 1, why: "deps: a is v1.0.1, the lockfile says 1.0.0" });
  });

  it("is stale without node_modules", () => {
    project({});
    rmSync(join(dir, "node_modules"), { recursive: true, force: true });
    expect(check()).toEqual({ status: 1, why: "deps: node_modules is missing" });
  });

  it("is stale when a locked package is missing", () => {
    project({ a: "1.0.0" });
    expect(check()).toEqual({ status: 1, why: "deps: b is not installed" });
  });

  it("is stale when a package is installed at another version than the lockfile's", () => {
    project({ a: "1.0.0", b: "2.1.0" });
    expect(check()).toEqual({ status: 1, why: "deps: b is 2.1.0, the lockfile says 2.0.0" });
  });

  it("is stale when package.json asks for other dependencies than the lockfile records", () => {
    project({ a: "1.0.0", b: "2.0.0" });
    write("package.json", { name: "p", dependencies: { a: "^1.1.0" } });
    expect(check()).toEqual({ status: 1, why: "deps: package.json's dependencies differ from package-lock.json's" });
  });
});
