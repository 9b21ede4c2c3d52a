import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { parseArgs } from "../../emulator/cli";
import { ADMIN_ROUTES, adminIndexText } from "../../emulator/admin/routes";
import { CLI_SCRIPT, DEFAULT_CLIENT, request, startCli } from "../helpers/emulator";

describe("aep-flow-emulator CLI", () => {
  it("prints its listening line first, then the credentials and env vars, and exits on SIGTERM", async () => {
    const cli = await startCli(["--port", "0"]);
    try {
      const lines = cli.stdout().split("\n");
      expect(lines[0]).toMatch(/^aep-flow-emulator listening on http:\/\/127\.0\.0\.1:\d+$/);
      const out = cli.stdout();
      for (const [name, value] of [
        ["AEP_ENDPOINT", cli.baseUrl],
        ["AEP_IMS_ENDPOINT", cli.baseUrl],
        ["AEP_CLIENT_ID", DEFAULT_CLIENT.clientId],
        ["AEP_CLIENT_SECRET", DEFAULT_CLIENT.clientSecret],
        ["AEP_ORG_ID", DEFAULT_CLIENT.orgId],
        ["AEP_SANDBOX", "prod"],
      ]) {
        expect(out).toContain(`export ${name}=${value}\n`);
      }
      const token = await request("POST", `${cli.baseUrl}/ims/token/v3`, {
        raw: `grant_type=client_credentials&client_id=${DEFAULT_CLIENT.clientId}&client_secret=${DEFAULT_CLIENT.clientSecret}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(token.status).toBe(200);
    } finally {
      cli.child.kill("SIGTERM");
    }
    expect(await cli.exited).toBe(0);
  });

  it("uses the clients file and exits on SIGINT", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "aep-emu-cli-"));
    const file = path.join(dir, "clients.json");
    writeFileSync(file, JSON.stringify([{ clientId: "ci", clientSecret: "cs", orgId: "CI@AdobeOrg", sandboxes: ["qa"] }]));
    const cli = await startCli(["--port=0", "--clients", file, "--admin-token", "tok"]);
    try {
      expect(cli.stdout()).toContain("export AEP_CLIENT_ID=ci\n");
      expect(cli.stdout()).toContain("export AEP_SANDBOX=qa\n");
      expect((await request("GET", `${cli.baseUrl}/__admin/clients`)).status).toBe(401);
    } finally {
      cli.child.kill("SIGINT");
    }
    expect(await cli.exited).toBe(0);
  });

  it("exits with status 2 and the usage for an unknown flag", () => {
    const res = spawnSync(process.execPath, [CLI_SCRIPT, "--bogus"], { encoding: "utf8" });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/unknown argument '--bogus'/);
    expect(res.stderr).toMatch(/usage: aep-flow-emulator/);
  });

  it("prints the usage and the admin index with --help, from the table the admin routes use", () => {
    const res = spawnSync(process.execPath, [CLI_SCRIPT, "--help"], { encoding: "utf8" });
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^usage: aep-flow-emulator/);
    expect(res.stdout).toContain(adminIndexText());
    for (const r of ADMIN_ROUTES) expect(res.stdout).toContain(`/__admin${r.path.replace(/:(\w+)/g, "{$1}")}  ${r.summary}`);
    for (const line of ["count: integer >= 1", "latencyMs: integer >= 0", "requestsPerSecond: number > 0", "commit-then-fail", "auth: {params"]) {
      expect(res.stdout).toContain(line);
    }
  });

  it("parses every flag", () => {
    expect(parseArgs([])).toEqual({ port: 8080 });
    expect(
      parseArgs(["--port", "0", "--host", "0.0.0.0", "--data-dir", "/d", "--clients", "/c.json", "--admin-token", "t", "--rate-limit", "5", "--token-ttl", "60", "--public-url", "http://emu:8080"]),
    ).toEqual({ port: 0, host: "0.0.0.0", dataDir: "/d", clientsFile: "/c.json", adminToken: "t", rateLimit: { requestsPerSecond: 5 }, tokenTtlSeconds: 60, publicUrl: "http://emu:8080" });
    expect(() => parseArgs(["--port", "x"])).toThrow(/--port/);
    expect(() => parseArgs(["--port"])).toThrow(/needs a value/);
    expect(parseArgs(["--mapping-set-versions", "3", "--mapping-set-bytes=1048576"])).toEqual({ port: 8080, mappingSetVersions: 3, mappingSetBytes: 1048576 });
    expect(() => parseArgs(["--mapping-set-versions", "0"])).toThrow("--mapping-set-versions needs a number >= 1");
    expect(() => parseArgs(["--mapping-set-bytes", "2.5"])).toThrow("--mapping-set-bytes needs an integer >= 1");
  });

  it("reads flags as it always has: a value may start with a dash, a positional or a lone -- is unknown", () => {
    expect(parseArgs(["--host", "-x", "--public-url=http://a:1", "--log=ignored"])).toEqual({ port: 8080, host: "-x", publicUrl: "http://a:1", logger: true });
    expect(parseArgs(["--port", "1", "--port", "2"])).toEqual({ port: 2 });
    expect(() => parseArgs(["extra"])).toThrow("unknown argument 'extra'");
    expect(() => parseArgs(["--"])).toThrow("unknown argument '--'");
    expect(() => parseArgs(["-p", "1"])).toThrow("unknown argument '-p'");
    expect(() => parseArgs(["--token-ttl", "0"])).toThrow("--token-ttl needs a number >= 1");
  });
});
