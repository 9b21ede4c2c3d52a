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

// Pinned: the text is stored in every user's state. `diff` ignores it, so a new text shows no change
// on upgrade, but every text ever shipped must keep working (see the 0.1.0 text below): change it
// only deliberately, and keep the entry point it loads ("pulumi-aep-flow/lifecycle") stable.
const GOLDEN: Record<string, string> = {
  FtpConnection: "16b5348bc6b80c1d3575fff6e66a64dc7437417185513a515a5afb750009be45",
  SftpConnection: "a37be6e92618952d74b0df3567b5dc8cd74046ebfdec4c1037028f1f6046e635",
  S3Connection: "a74ba6db404cb9a9876d4f850e2339e735f1f1c9fb82451ffb0666ec7e19aa02",
  DatasetBaseConnection: "58358745ae4eac946e85a1aff187cacf28a76dbf953e899ccfe4a94cae4dc51e",
  StreamingConnection: "cfff03e4e91de8fba5f1d7b23c9c223f6335e5f546aa6b8bc39c7caa35a15e05",
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

it("is small: under 2.5 KB per kind (stored twice per resource, rewritten with the state after every step)", () => {
  for (const text of Object.values(local)) expect(Buffer.byteLength(text)).toBeLessThan(2560);
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

  it("still runs the text stored by 0.1.0 (existing stacks keep it until their next update)", () => {
    const old = readFileSync(join(__dirname, "fixtures/ftp-provider-text-0.1.0.js"), "utf8");
    expect(sha(old)).toBe("39c0e5ea92e4d11351c2d564e7bf8f54753b8a721747b39ab79688a37810da62");
    const r = runProvider(program, old);
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

it("loads from a program inside this repository's examples/ (through the link the build makes)", () => {
  const r = runProvider(join(root, "examples/ftp"), local.FtpConnection);
  expect(r.failures).toEqual([]);
  expect(r.lifecycle).toEqual([join(root, "dist/provider/lifecycle.js")]);
});
