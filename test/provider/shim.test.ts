import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * The serialized provider stored in every resource's state. Its text must never change with the
 * lifecycle code, must hold no configuration, and must load both from an installed package and
 * from a program inside this repository.
 */
const root = resolve(__dirname, "../..");
const scripts = join(root, "test/helpers/scripts");
const node = process.execPath;
type Texts = Record<string, string>;

function capture(cwd: string, spec?: string, env: Record<string, string> = {}): Texts {
  const out = execFileSync(node, [join(scripts, "capture-providers.js"), ...(spec ? [spec] : [])], { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
  return JSON.parse(out) as Texts;
}

function runProvider(cwd: string, text: string): { failures?: unknown[]; name: string; lifecycle: string[] } {
  const file = join(mkdtempSync(join(tmpdir(), "aep-text-")), "provider.js");
  writeFileSync(file, text);
  return JSON.parse(execFileSync(node, [join(scripts, "run-provider.js"), file], { cwd, encoding: "utf8" }));
}

const sha = (s: string): string => createHash("sha256").update(s).digest("hex");

// Pinned: the text a program that installed the package stores in every resource's state. It is a
// reference to the kind's module (`require("pulumi-aep-flow/shims/<kind>")`), not code, so it does
// not change with the lifecycle code. `diff` ignores it, so a new text shows no change on upgrade,
// but every text ever shipped must keep working (see the 0.1.0 text below).
const GOLDEN: Record<string, string> = {
  FtpConnection: "e5ff7a8eea518951e1912b255ab91653dea76db2ec9765ba245ca02ccc8e5eeb",
  SftpConnection: "d8da7cd855820fb9e0d9f548797bba1f72bc85a9890a8d3a1501c7533a4ea45e",
  S3Connection: "851cfccb2901a4ccad7bef989d4e563a7bbb8a9f960f2661f5531e08faf591c3",
  DatasetBaseConnection: "84bd886fc86548d385cbafe83059e57dcd57179749a114f5c921e85e2a0a11ca",
  StreamingConnection: "892591d6f86ae85513feeca3770bd670f6133898f0b0b4aa0fe8f5b8f06ba624",
  SourceConnection: "58e41619ae2e91f9446cf07f9bf9cb209fe72c9bb21d4c6840d8659c266d856c",
  TargetConnection: "e22c9afc6f700a68122f439ddb1f66991e5d1e871e4c3412673a042696921a66",
  MappingSet: "e2c3138c4eb63d89e2a6634500d3fe6b287c3858cecad97a3a957576cee665e0",
  Dataflow: "cf479275e97156069cfde56e2a3461b0cec47957784b16e21a0e5de3c62a8d76",
  Connection: "6c13c5007c653875d98a590765d09c31d3c0936f9d676766fd8f842e50716e62",
};

const CANARY_ENV = { AEP_CLIENT_SECRET: "env-secret-canary", AEP_ACCESS_TOKEN: "env-token-canary", CANARY_SECRET: "arg-secret-canary" };

function expectNoCanary(texts: Texts): void {
  for (const text of Object.values(texts)) {
    for (const canary of ["env-secret-canary", "env-token-canary", "arg-secret-canary", root, tmpdir(), process.env.HOME ?? "/root"]) {
      expect(text).not.toContain(canary);
    }
  }
}

describe("from a program inside this repository (the package loaded by path, not from node_modules)", () => {
  // Pulumi serializes a module outside node_modules by value: the shim's code itself (shim.js).
  let local: Texts;
  beforeAll(() => {
    local = capture(root, join(root, "dist/provider/index.js"), CANARY_ENV);
  });

  it("stores the shim's code, which captures no credential, configuration or machine-specific path", () => {
    expect(Object.values(local).every((t) => t.includes('require("pulumi-aep-flow/lifecycle")'))).toBe(true);
    expectNoCanary(local);
  });

  it("runs from examples/ through the link the build makes", () => {
    const r = runProvider(join(root, "examples/ftp"), local.FtpConnection);
    expect(r.failures).toEqual([]);
    expect(r.lifecycle).toEqual([join(root, "dist/provider/lifecycle.js")]);
  });
});

describe("from an installed tarball", () => {
  let program: string;
  beforeAll(() => {
    program = mkdtempSync(join(tmpdir(), "aep-program-"));
    const packed = execFileSync("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", program], { cwd: root, encoding: "utf8" }).trim().split("\n").pop() as string;
    writeFileSync(join(program, "package.json"), JSON.stringify({ name: "program", version: "1.0.0", private: true }));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", join(program, packed)], { cwd: program, stdio: "ignore" });
  }, 240_000);
  afterAll(() => rmSync(program, { recursive: true, force: true }));

  let installed: Texts;
  beforeAll(() => {
    installed = capture(program, undefined, CANARY_ENV);
  });

  it("is the pinned text for every kind (golden hash)", () => {
    expect(Object.fromEntries(Object.entries(installed).map(([k, v]) => [k, sha(v)]))).toEqual(GOLDEN);
  });

  it("is a reference to the kind's module, not its code: under 512 B (stored twice per resource, rewritten with the state after every step)", () => {
    for (const text of Object.values(installed)) expect(Buffer.byteLength(text)).toBeLessThan(512);
    expect(installed.DatasetBaseConnection).toContain('require("pulumi-aep-flow/shims/dataset-base")');
    expect(installed.Dataflow).toContain('require("pulumi-aep-flow/shims/dataflow")');
    expectNoCanary(installed);
  });

  it("runs the lifecycle installed in the program's node_modules", () => {
    const r = runProvider(program, installed.FtpConnection);
    expect(r.failures).toEqual([]);
    expect(r.name).toMatch(/^x-[a-z0-9]{7}$/);
    expect(r.lifecycle).toEqual([join(program, "node_modules/pulumi-aep-flow/dist/provider/lifecycle.js")]);
  });

  it("still runs the text stored by 0.1.0 (existing stacks keep it until their next update)", () => {
    const old = readFileSync(join(__dirname, "fixtures/ftp-provider-text-0.1.0.js"), "utf8");
    expect(sha(old)).toBe("39c0e5ea92e4d11351c2d564e7bf8f54753b8a721747b39ab79688a37810da62");
    const r = runProvider(program, old);
    expect(r.failures).toEqual([]);
    expect(r.name).toMatch(/^x-[a-z0-9]{7}$/);
    expect(r.lifecycle).toEqual([join(program, "node_modules/pulumi-aep-flow/dist/provider/lifecycle.js")]);
  });

  it("keeps the text byte-identical when the package's code changes (package upgrade)", () => {
    const pkg = join(program, "node_modules/pulumi-aep-flow/dist/provider");
    appendFileSync(join(pkg, "engine/create.js"), "\nexports.addedInALaterRelease = () => 42;\n");
    appendFileSync(join(pkg, "lifecycle.js"), "\n// later release\n");
    appendFileSync(join(pkg, "shim.js"), "\n// later release\n");
    expect(readFileSync(join(pkg, "engine/create.js"), "utf8")).toContain("addedInALaterRelease");
    expect(capture(program)).toEqual(installed);
    // A text stored in state runs the newly installed code.
    expect(runProvider(program, installed.FtpConnection).failures).toEqual([]);
  });
});
