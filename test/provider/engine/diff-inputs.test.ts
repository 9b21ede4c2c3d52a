import { diffInputs } from "../../../provider/engine/inputs";
import { buildOutputs, patchOps } from "../../../provider/engine/connection-wire";
import type { Inputs } from "../../../provider/resources/declaration";
import { kindByName } from "../../../provider/resources/registry";
import { UNKNOWN } from "../../../provider/validators";
import { makeOpenSshKey } from "../../helpers/keys";

const key = makeOpenSshKey("ed25519");
const base: Record<string, Inputs> = {
  ftp: { name: "c", sandbox: "prod", host: "h.example.com", userName: "u", password: "p" },
  sftp: { name: "c", sandbox: "prod", host: "h.example.com", userName: "u", password: "p" },
  s3: { name: "c", sandbox: "prod", accessKey: "A", secretKey: "S", bucketName: "bucket-1" },
  datasetBase: { name: "c", sandbox: "prod" },
  streaming: { name: "c", sandbox: "prod", dataType: "xdm" },
};

/** Old state as the engine stores it: outputs of the old inputs, with server-filled values. */
function stored(kindName: string, inputs: Inputs): Inputs {
  const server = kindName === "streaming" ? { serverValues: { inletId: "i".repeat(64), inletUrl: "http://x/collection/i", sourceId: "c" } } : {};
  return { ...buildOutputs(kindByName(kindName), inputs, { etag: '"e1"', ...server }), __provider: "old provider text" };
}

const table: Array<[string, string, Inputs, boolean, string[]]> = [
  ["ftp", "nothing changed", {}, false, []],
  ["ftp", "description added", { description: "d" }, true, []],
  ["ftp", "name changed", { name: "c2" }, true, []],
  ["ftp", "password changed", { password: "p2" }, true, []],
  ["ftp", "host changed", { host: "h2.example.com" }, true, []],
  ["ftp", "sandbox changed", { sandbox: "dev" }, true, ["sandbox"]],
  ["sftp", "port added", { port: 2222 }, true, []],
  ["sftp", "auth type changed to SSH key", { password: undefined, privateKeyContent: key }, true, ["password", "privateKeyContent"]],
  ["s3", "secret key rotated", { secretKey: "S2" }, true, []],
  ["s3", "bucket changed", { bucketName: "bucket-2" }, true, []],
  ["s3", "session token added", { sessionToken: "T" }, true, []],
  ["datasetBase", "nothing changed", {}, false, []],
  ["datasetBase", "sandbox changed", { sandbox: "dev" }, true, ["sandbox"]],
  ["streaming", "nothing changed (server-filled sourceId not declared)", {}, false, []],
  ["streaming", "same sourceId declared as the server filled", { sourceId: "c" }, false, []],
  ["streaming", "dataType changed", { dataType: "raw" }, true, ["dataType"]],
  ["streaming", "sourceId changed", { sourceId: "other" }, true, ["sourceId"]],
  ["streaming", "authentication required", { authenticationRequired: true }, true, ["authenticationRequired"]],
  ["streaming", "description changed", { description: "d" }, true, []],
  ["ftp", "host unknown in preview", { host: UNKNOWN }, true, []],
  ["streaming", "dataType unknown in preview", { dataType: UNKNOWN }, true, ["dataType"]],
];

describe("diff", () => {
  it.each(table)("%s: %s → changes=%s replaces=%j", (kindName, _label, change, changes, replaces) => {
    const kind = kindByName(kindName);
    const news = { ...base[kindName], ...change, __provider: "new provider text" };
    const d = diffInputs(kind, stored(kindName, base[kindName]), news);
    expect(d.changes).toBe(changes);
    expect([...d.replaces].sort()).toEqual([...replaces].sort());
  });

  it("ignores __provider, etag and other server-filled outputs", () => {
    const olds = { ...stored("ftp", base.ftp), etag: '"other"', state: "disabled" };
    expect(diffInputs(kindByName("ftp"), olds, { ...base.ftp, __provider: "changed" }).changes).toBe(false);
  });
});

describe("patch operations", () => {
  it("patches only what changed, param by param", () => {
    const kind = kindByName("s3");
    const ops = patchOps(kind, { ...base.s3, description: "d" }, { ...base.s3, secretKey: "S2", serviceUrl: "https://s3.eu-west-1.amazonaws.com", bucketName: undefined });
    expect(ops).toEqual([
      { op: "remove", path: "/description" },
      { op: "replace", path: "/auth/params/s3SecretKey", value: "S2" },
      { op: "remove", path: "/auth/params/bucketName" },
      { op: "add", path: "/auth/params/serviceUrl", value: "https://s3.eu-west-1.amazonaws.com" },
    ]);
  });

  it("renames a streaming connection in both places and keeps the server's inlet params", () => {
    const kind = kindByName("streaming");
    expect(patchOps(kind, stored("streaming", base.streaming), { ...base.streaming, name: "c2" })).toEqual([
      { op: "replace", path: "/name", value: "c2" },
      { op: "replace", path: "/auth/params/name", value: "c2" },
    ]);
  });
});
