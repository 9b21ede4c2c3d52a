/**
 * What a program sees of a resource during a preview of its update. The engine then hands a dynamic
 * resource back its inputs as its outputs and keeps its id (pkg/resource/plugin/provider_plugin.go
 * Update with Preview, deploy/step.go UpdateStep): every other output is unknown. The SDK's mocks
 * stand in for that engine here, in a Node process of their own (the SDK serializes the provider
 * there, which it cannot do inside a test environment); test/e2e/preview-matrix.e2e.test.ts runs the
 * real one.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..", "..");

const PROBE = `
const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({
  newResource: (a) => ({ id: a.name + "-kept-id", state: a.inputs }),
  call: () => ({}),
}, "preview", "probe", true);
const aep = require("./dist/provider");
const resources = {
  s3: new aep.S3Connection("s3", { accessKey: "AKIAPROBE", secretKey: pulumi.secret("probe-secret-1") }),
  sftpKey: new aep.SftpConnection("sftpKey", { host: "sftp.example.com", userName: "u", privateKeyContent: pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----") }),
  sftpPassword: new aep.SftpConnection("sftpPassword", { host: "sftp.example.com", userName: "u", password: "probe-password-1" }),
  ftp: new aep.FtpConnection("ftp", { host: "ftp.example.com", userName: "u", password: "probe-password-1" }),
  streaming: new aep.StreamingConnection("streaming", { dataType: "xdm" }),
  lake: new aep.DatasetBaseConnection("lake"),
  target: new aep.TargetConnection("target", { baseConnectionId: "lake-id", dataSetId: "5f3c3cedb2805c194ff0b69a", schemaId: "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4" }),
};
const seen = async (o) => (o ? { known: await o.isKnown, secret: await o.isSecret, value: await o.promise() } : { missing: true });
(async () => {
  const out = {};
  for (const [name, r] of Object.entries(resources)) {
    out[name] = { id: await seen(r.id), etag: await seen(r.etag), connectionSpecId: await seen(r.connectionSpecId) };
    if (r.authType) out[name].authType = await seen(r.authType);
  }
  process.stdout.write(JSON.stringify(out));
})();
`;

type Seen = { known: boolean; secret: boolean; value: unknown };

function probe(): Record<string, Record<string, Seen>> {
  const run = spawnSync(process.execPath, ["-e", PROBE], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  if (run.status !== 0) throw new Error(`probe failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const SPECS: Record<string, string> = {
  s3: "ecadc60c-7455-4d87-84dc-2a0e293d997b",
  sftpKey: "b7bf2577-4520-42c9-bae9-cad01560f7bc",
  sftpPassword: "b7bf2577-4520-42c9-bae9-cad01560f7bc",
  ftp: "fb2e94c9-c031-467d-8103-6bd6e0a432f2",
  streaming: "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb",
  lake: "c604ff05-7f1a-43c0-8e18-33bf874cb11c",
  target: "c604ff05-7f1a-43c0-8e18-33bf874cb11c",
};

describe("a resource previewed while it is updated", () => {
  const out = probe();

  it.each(Object.keys(SPECS))("%s: its connection spec id is known (the kind's constant), while what only Flow Service knows stays unknown", (name) => {
    expect(out[name].connectionSpecId).toEqual({ known: true, secret: false, value: SPECS[name] });
    expect(out[name].id).toMatchObject({ known: true, value: `${name}-kept-id` });
    expect(out[name].etag.known).toBe(false);
  });

  it("an SFTP connection's authType is known from which secret is set, and is no secret itself", () => {
    expect(out.sftpKey.authType).toEqual({ known: true, secret: false, value: "sshKey" });
    expect(out.sftpPassword.authType).toEqual({ known: true, secret: false, value: "password" });
  });
});
