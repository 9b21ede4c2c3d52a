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

// Pinned: a change here changes every user's state and shows every resource as updated.
const GOLDEN: Record<string, string> = {
  FtpConnection: "39c0e5ea92e4d11351c2d564e7bf8f54753b8a721747b39ab79688a37810da62",
  SftpConnection: "e7896e96dc8406ebea13b7165479eb00b0997573268e089ad96ead4df2cc3592",
  S3Connection: "9229ad927bd9b6da869ded77472c6c23335c26dc7a0cd35750e7d4a743517521",
  DatasetBaseConnection: "552695c0b6f435f06be5d93c997247ad23b34d02f9a164eba7cf3eb3b080957f",
  StreamingConnection: "baf6411d8d71b98d40944a9b3c8927e3d7417e8ec56445ea16f6816b15c29abb",
};

let local: Texts;
beforeAll(() => {
  local = capture(root, join(root, "dist/provider/index.js"), {
    AEP_CLIENT_SECRET: "env-secret-canary",
    AEP_ACCESS_TOKEN: "env-token-canary",
    CANARY_SECRET: "arg-secret-canary",
  });
});

it("is the pinned text for every kind (golden hash)", () => {
  expect(Object.fromEntries(Object.entries(local).map(([k, v]) => [k, sha(v)]))).toEqual(GOLDEN);
});

it("is small: under 4 KB per kind", () => {
  for (const text of Object.values(local)) expect(Buffer.byteLength(text)).toBeLessThan(4096);
});

it("captures no credential, configuration or machine-specific path", () => {
  for (const text of Object.values(local)) {
    for (const canary of ["env-secret-canary", "env-token-canary", "arg-secret-canary", root, tmpdir(), process.env.HOME ?? "/root"]) {
      expect(text).not.toContain(canary);
    }
  }
});

describe("from an installed tarball", () => {
  let program: string;
  beforeAll(() => {
    program = mkdtempSync(join(tmpdir(), "aep-program-"));
    const packed = execFileSync("npm", ["pack", "--silent", "--pack-destination", program], { cwd: root, encoding: "utf8" }).trim().split("\n").pop() as string;
    writeFileSync(join(program, "package.json"), JSON.stringify({ name: "program", version: "1.0.0", private: true }));
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", join(program, packed)], { cwd: program, stdio: "ignore" });
  }, 240_000);
  afterAll(() => rmSync(program, { recursive: true, force: true }));

  it("stores the same text as a program loading the package by path", () => {
    expect(capture(program)).toEqual(local);
  });

  it("runs the lifecycle installed in the program's node_modules", () => {
    const r = runProvider(program, local.FtpConnection);
    expect(r.failures).toEqual([]);
    expect(r.name).toMatch(/^x-[a-z0-9]{7}$/);
    expect(r.lifecycle).toEqual([join(program, "node_modules/pulumi-aep-flow/dist/provider/lifecycle.js")]);
  });

  it("keeps the text byte-identical when the lifecycle code changes (package upgrade)", () => {
    const lifecycleFile = join(program, "node_modules/pulumi-aep-flow/dist/provider/connection/lifecycle.js");
    appendFileSync(lifecycleFile, "\nexports.addedInALaterRelease = () => 42;\n");
    appendFileSync(join(program, "node_modules/pulumi-aep-flow/dist/provider/lifecycle.js"), "\n// later release\n");
    expect(readFileSync(lifecycleFile, "utf8")).toContain("addedInALaterRelease");
    expect(capture(program)).toEqual(local);
    // An old text stored in state runs the newly installed code.
    expect(runProvider(program, local.FtpConnection).failures).toEqual([]);
  });
});

it("loads from a program inside this repository's examples/ (no node_modules entry)", () => {
  const r = runProvider(join(root, "examples/ftp"), local.FtpConnection);
  expect(r.failures).toEqual([]);
  expect(r.lifecycle).toEqual([join(root, "dist/provider/lifecycle.js")]);
});
