/**
 * Which Pulumi CLI scripts/ensure-pulumi.sh picks, with fake `pulumi` scripts on PATH that print a
 * version, an empty cache of its own (XDG_CACHE_HOME) and AEP_PULUMI_NO_BUILD=1, so nothing is built.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const SCRIPT = join(ROOT, "scripts", "ensure-pulumi.sh");
const [DEFAULT, OLDEST] = execFileSync("bash", [SCRIPT, "--versions"], { encoding: "utf8" }).trim().split(" ");
/** A version newer than the default (its minor + 100). */
const NEWER = DEFAULT.replace(/^(\d+)\.(\d+)\.\d+$/, (_, major: string, minor: string) => `${major}.${Number(minor) + 100}.0`);

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "aep-ensure-pulumi-"));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A folder with a fake `pulumi` printing `v<version>`, and a fake language host unless told not to. */
function fakeCli(dir: string, version: string, opts: { host?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true });
  const exe = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  exe("pulumi", `echo v${version}`);
  if (opts.host !== false) exe("pulumi-language-nodejs", "exit 0");
  return dir;
}

function ensure(pathDirs: string[], env: Record<string, string> = {}) {
  const res = spawnSync("bash", [SCRIPT], {
    encoding: "utf8",
    env: {
      PATH: [...pathDirs, "/usr/bin", "/bin"].join(":"),
      HOME: work,
      XDG_CACHE_HOME: join(work, "cache"),
      AEP_PULUMI_NO_BUILD: "1",
      ...env,
    },
  });
  return { status: res.status, dir: res.stdout.trim(), log: res.stderr };
}

describe("ensure-pulumi.sh picks the Pulumi CLI", () => {
  it("uses a pulumi on PATH that is newer than the default", () => {
    const dir = fakeCli(join(work, "newer"), NEWER);
    expect(ensure([dir])).toMatchObject({ status: 0, dir });
  });

  it("uses a pulumi on PATH that is the oldest supported version, not the newer default", () => {
    const dir = fakeCli(join(work, "oldest"), OLDEST);
    expect(ensure([dir])).toMatchObject({ status: 0, dir });
  });

  it("uses the first pulumi on PATH when several are there", () => {
    const first = fakeCli(join(work, "first"), OLDEST);
    const second = fakeCli(join(work, "second"), NEWER);
    expect(ensure([first, second])).toMatchObject({ status: 0, dir: first });
  });

  it("ignores a pulumi older than the oldest supported version and wants the default", () => {
    const dir = fakeCli(join(work, "old"), "3.0.0");
    const r = ensure([dir]);
    expect(r.status).toBe(1);
    expect(r.log).toContain(`v3.0.0 is older than the oldest supported, v${OLDEST}`);
    expect(r.log).toContain(`no cache entry ${join(work, "cache", "aep-pulumi", `v${DEFAULT}-host-`)}`);
  });

  it("ignores a pulumi with no Node.js language host beside it or on PATH", () => {
    const dir = fakeCli(join(work, "bare"), NEWER, { host: false });
    const r = ensure([dir]);
    expect(r.status).toBe(1);
    expect(r.log).toContain("no pulumi-language-nodejs beside it or on PATH");
  });

  it("accepts a language host elsewhere on PATH", () => {
    const dir = fakeCli(join(work, "cli"), NEWER, { host: false });
    const hostDir = fakeCli(join(work, "host"), "0.0.0");
    expect(ensure([dir, hostDir])).toMatchObject({ status: 0, dir });
  });

  it("with AEP_PULUMI_VERSION, uses the pulumi on PATH only if it is exactly that version", () => {
    const dir = fakeCli(join(work, "cli"), DEFAULT);
    expect(ensure([dir], { AEP_PULUMI_VERSION: DEFAULT })).toMatchObject({ status: 0, dir });
    const r = ensure([dir], { AEP_PULUMI_VERSION: OLDEST });
    expect(r.status).toBe(1);
    expect(r.log).toContain(`it is v${DEFAULT}, AEP_PULUMI_VERSION asks for v${OLDEST}`);
    expect(r.log).toContain(`no cache entry ${join(work, "cache", "aep-pulumi", `v${OLDEST}-host-`)}`);
  });

  it("refuses an AEP_PULUMI_VERSION older than the oldest supported", () => {
    const r = ensure([], { AEP_PULUMI_VERSION: "3.0.0" });
    expect(r.status).toBe(1);
    expect(r.log).toContain(`older than the oldest supported CLI, v${OLDEST}`);
  });

  it("a cache entry of another version on PATH stands for that version, from its current entry", () => {
    const cache = join(work, "cache", "aep-pulumi");
    const stale = fakeCli(join(cache, `v${NEWER}-host-000000000000`, "bin"), NEWER);
    const r = ensure([stale]);
    expect(r.status).toBe(1);
    const entry = /no cache entry (\S+):/.exec(r.log)?.[1];
    expect(entry).toMatch(new RegExp(`/v${NEWER.replace(/\./g, "\\.")}-host-[0-9a-f]{12}$`));
    // Once the current entry of that version exists, it is the answer.
    const bin = join(entry!, "bin");
    fakeCli(bin, NEWER);
    writeFileSync(join(bin, "pulumi-resource-pulumi-nodejs"), "#!/bin/sh\n");
    chmodSync(join(bin, "pulumi-resource-pulumi-nodejs"), 0o755);
    expect(ensure([stale])).toMatchObject({ status: 0, dir: bin });
  });

  it("jest's global setup puts the newer pulumi from PATH first, not a cached default", () => {
    const dir = fakeCli(join(work, "newer"), NEWER);
    const setup = join(ROOT, "test", "global-setup.js");
    const res = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(setup)})().then(() => console.log(process.env.PATH))`], {
      encoding: "utf8",
      env: { PATH: `${dir}:/usr/bin:/bin`, HOME: work, XDG_CACHE_HOME: join(work, "cache"), AEP_PULUMI_NO_BUILD: "1" },
    });
    expect(res.stdout.trim().split(":")[0]).toBe(dir);
    expect(res.stderr).toContain(`Pulumi CLI v${NEWER} from ${dir}`);
  });

  it("with no usable pulumi and no cache, wants the default version", () => {
    const r = ensure([]);
    expect(r.status).toBe(1);
    expect(r.log).toContain(`no cache entry ${join(work, "cache", "aep-pulumi", `v${DEFAULT}-host-`)}`);
    expect(r.log).toContain(`Install the Pulumi CLI v${DEFAULT} or later`);
  });
});
