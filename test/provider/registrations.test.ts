/**
 * Every registration of a kind (its shim, the shim's package export, the class export, the kind-name
 * unions, the policy pack's kind lists and secret inputs) is written by scripts/registrations.js from
 * the registry. These run the real script, as `npm run registrations` does, on this repository and on
 * copies of it.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KINDS, PIPELINE_KINDS } from "../../provider/resources/registry";

const ROOT = join(__dirname, "..", "..");
const SCRIPT = join(ROOT, "scripts", "registrations.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { shimText } = require(SCRIPT) as { shimText(kind: string, file: string): string };

function generator(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8", timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of what the generator reads and writes, with this repository's node_modules. */
function copyOfRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), "aep-registrations-"));
  cpSync(join(ROOT, "provider"), join(dir, "provider"), { recursive: true });
  mkdirSync(join(dir, "policy"));
  cpSync(join(ROOT, "policy", "resources.ts"), join(dir, "policy", "resources.ts"));
  cpSync(join(ROOT, "package.json"), join(dir, "package.json"));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

const read = (dir: string, file: string): string => readFileSync(join(dir, file), "utf8");

// A typed base connection kind as a contributor adds one: its declaration and class, with a secret
// string and a map of secrets (the form of a generic connection's `secretParams`).
const BLOB_STORE = `import type * as pulumi from "@pulumi/pulumi";
import { nonEmptyString } from "../validators";
import { declareKind, optional, required } from "./declaration";
import { type CommonArgs, type ConnectionOutputs, connectionEngineArgs, DynamicResource, settleConnection, type KindArgs, type KindOutputs } from "./resource";

export const blobStoreKind = declareKind({
  kind: "blobStore",
  typeName: "BlobStoreConnection",
  title: "Blob store",
  endpoint: "/connections",
  body: "auth.params",
  connectionSpecId: "00000000-0000-4000-8000-000000000000",
  authSpecName: () => "Connection String Authentication",
  properties: {
    /** Connection string. */
    connectionString: required<string>("string", { secret: true, validate: nonEmptyString() }),
    /** More secret params, by name. */
    secretParams: optional<Record<string, string>>("Record<string, string>", { secret: true, validate: () => undefined }),
    /** Plain params, by name. */
    params: optional<Record<string, unknown>>("Record<string, unknown>", { validate: () => undefined }),
    /** Container name. */
    container: optional<string>("string", { validate: nonEmptyString() }),
  },
});

export interface BlobStoreConnectionArgs extends CommonArgs, KindArgs<typeof blobStoreKind> {}

export class BlobStoreConnection extends DynamicResource {
  constructor(name: string, args: BlobStoreConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(...connectionEngineArgs(blobStoreKind, name, args, opts));
    settleConnection(this, blobStoreKind, args);
  }
}
export interface BlobStoreConnection extends ConnectionOutputs, KindOutputs<typeof blobStoreKind> {}
`;

/** Registers the blob store kind in a copy's registry: an import and an entry in KINDS. */
function register(dir: string): void {
  const file = join(dir, "provider", "resources", "registry.ts");
  const text = read(dir, "provider/resources/registry.ts");
  const added = text.replace(/(export const KINDS\b[^=]*=\s*\[)/, "$1blobStoreKind, ");
  expect(added).not.toBe(text);
  writeFileSync(file, `import { blobStoreKind } from "./blob-store";\n${added}`);
}

describe("the registrations of the kinds", () => {
  const copies: string[] = [];
  afterAll(() => {
    for (const dir of copies) rmSync(dir, { recursive: true, force: true });
  });
  const copy = (): string => {
    const dir = copyOfRepository();
    copies.push(dir);
    return dir;
  };

  it("are what the registry generates (run `npm run registrations` when this fails)", () => {
    const r = generator(["--check"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("pin every registered kind's shim by a golden hash in test/provider/shim.test.ts (which captures each one)", () => {
    // The one registration written by hand: a hash is a deliberate pin, never generated.
    const text = read(ROOT, "test/provider/shim.test.ts");
    const golden = /const GOLDEN: Record<string, string> = \{([^}]*)\}/.exec(text);
    expect(golden).not.toBeNull();
    const pinned = [...(golden as RegExpExecArray)[1].matchAll(/^\s*(\w+): "[0-9a-f]{64}",$/gm)].map((m) => m[1]);
    expect(pinned.sort()).toEqual([...KINDS, ...PIPELINE_KINDS].map((k) => k.typeName).sort());
  });

  it("of a kind added to the registry: --check names every stale file, and the generator writes each of them once", () => {
    const dir = copy();
    writeFileSync(join(dir, "provider", "resources", "blob-store.ts"), BLOB_STORE);
    register(dir);
    const ftpShim = read(dir, "provider/shims/ftp.js");

    const stale = generator(["--check", "--root", dir]);
    expect(stale.status).toBe(1);
    for (const file of ["provider/shims/blob-store.js", "package.json", "provider/index.ts", "provider/resources/declaration.ts", "policy/resources.ts"]) expect(stale.stderr).toContain(file);
    expect(() => read(dir, "provider/shims/blob-store.js")).toThrow();

    const written = generator(["--root", dir]);
    expect(written.stderr).toBe("");
    expect(written.status).toBe(0);
    expect(read(dir, "provider/shims/blob-store.js")).toBe(shimText("blobStore", "blob-store"));
    expect(read(dir, "provider/shims/blob-store.js")).toContain('require("pulumi-aep-flow/shims/blob-store")');
    expect(read(dir, "provider/shims/ftp.js")).toBe(ftpShim);
    expect(JSON.parse(read(dir, "package.json")).exports["./shims/blob-store"]).toBe("./dist/provider/shims/blob-store.js");
    expect(read(dir, "provider/index.ts")).toContain('export { BlobStoreConnection, type BlobStoreConnectionArgs } from "./resources/blob-store";');
    expect(read(dir, "provider/resources/declaration.ts")).toContain('export type ConnectionKindName = "blobStore" | "ftp" |');
    const policy = read(dir, "policy/resources.ts");
    expect(policy).toMatch(/export type Kind =\n {2}\| "BlobStoreConnection"\n/);
    expect(policy).toMatch(/CONNECTION_KINDS: ReadonlySet<Kind> = new Set<Kind>\(\[\n {2}"BlobStoreConnection",/);
    expect(policy).toContain('export const SECRET_INPUTS = ["connectionString", "secretParams", "password",');
    expect(policy).not.toMatch(/SECRET_INPUTS = \[[^\]]*"params"/);

    expect(generator(["--check", "--root", dir]).status).toBe(0);
    // A second run changes nothing.
    expect(generator(["--root", dir]).stdout).toBe("registrations are current\n");
  });

  it("never rewrite a shim whose code was changed: its path and text are stored in users' state", () => {
    const dir = copy();
    const edited = read(dir, "provider/shims/ftp.js").replace("createShim", "createShim /* edited */");
    writeFileSync(join(dir, "provider", "shims", "ftp.js"), edited);
    const r = generator(["--root", dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("provider/shims/ftp.js differs from the shim generated for kind \"ftp\"");
    expect(r.stderr).toContain("git checkout -- provider/shims/ftp.js");
    expect(read(dir, "provider/shims/ftp.js")).toBe(edited);
  });

  it("keep a shim whose comments differ from the generated ones but whose code is the kind's, and find nothing stale", () => {
    const dir = copy();
    writeFileSync(join(dir, "provider", "resources", "blob-store.ts"), BLOB_STORE);
    register(dir);
    // As a contributor may have written it by hand before running the generator.
    const byHand = '"use strict";\n// The blob store\'s provider object: its path is stored in users\' state.\nmodule.exports = require("../shim").createShim("blobStore");\n';
    writeFileSync(join(dir, "provider", "shims", "blob-store.js"), byHand);

    const written = generator(["--root", dir]);
    expect(written.stderr).toBe("");
    expect(written.status).toBe(0);
    expect(written.stdout).not.toContain("provider/shims/blob-store.js");
    expect(read(dir, "provider/shims/blob-store.js")).toBe(byHand);
    expect(generator(["--check", "--root", dir]).status).toBe(0);
  });

  it("refuse a shim whose code creates another kind's provider object, naming the file", () => {
    const dir = copy();
    writeFileSync(join(dir, "provider", "resources", "blob-store.ts"), BLOB_STORE);
    register(dir);
    writeFileSync(join(dir, "provider", "shims", "blob-store.js"), shimText("ftp", "blob-store"));
    const r = generator(["--check", "--root", dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('provider/shims/blob-store.js differs from the shim generated for kind "blobStore"');
  });

  it("refuse a registered kind whose declaration and class are not in provider/resources/<kind in kebab case>.ts, naming the file", () => {
    const dir = copy();
    writeFileSync(join(dir, "provider", "resources", "blobstore.ts"), BLOB_STORE);
    const registry = read(dir, "provider/resources/registry.ts").replace(/(export const KINDS\b[^=]*=\s*\[)/, "$1blobStoreKind, ");
    writeFileSync(join(dir, "provider", "resources", "registry.ts"), `import { blobStoreKind } from "./blobstore";\n${registry}`);
    const r = generator(["--root", dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('kind "blobStore" (BlobStoreConnection): its declaration and class belong in provider/resources/blob-store.ts');
    expect(() => read(dir, "provider/shims/blob-store.js")).toThrow();
  });
});
