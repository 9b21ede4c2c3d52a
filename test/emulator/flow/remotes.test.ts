import { listFolder, parseRemote, publicKeyBlob, Remotes } from "../../../emulator/flow/remotes";
import { SpecRegistry } from "../../../emulator/flow/spec-registry";
import type { StoredConnection } from "../../../emulator/types";
import { makeOpenSshKeyPair } from "../../helpers/keys";
import { SPEC } from "../../helpers/emulator";

/** The simulated remotes' rules without HTTP: key matching, folder listings, what a connection reaches. */
const specs = new SpecRegistry();
const connection = (spec: string, params: Record<string, unknown>) => ({ connectionSpec: { id: spec, version: "1.0" }, auth: { specName: "x", params } }) as unknown as StoredConnection;

it("matches a private key to its public key line in either form, as an SSH server does, and refuses another key", () => {
  const mine = makeOpenSshKeyPair("ed25519");
  const other = makeOpenSshKeyPair("rsa");
  expect(publicKeyBlob(mine.privateKey)).toBe(publicKeyBlob(mine.publicKey));
  expect(publicKeyBlob(Buffer.from(mine.privateKey).toString("base64"))).toBe(publicKeyBlob(mine.publicKey));
  expect(publicKeyBlob(other.privateKey)).toBe(publicKeyBlob(other.publicKey));
  expect(publicKeyBlob(other.privateKey)).not.toBe(publicKeyBlob(mine.publicKey));
  expect(publicKeyBlob("not a key")).toBeUndefined();
});

it("needs a passphrase for an encrypted key, and the remote's own when it names one", () => {
  const pair = makeOpenSshKeyPair("ed25519", "remote-phrase-1");
  const remotes = new Remotes(specs);
  remotes.add({ kind: "sftp", host: "sftp.example.com", credentials: [{ userName: "u", publicKey: pair.publicKey, passPhrase: "remote-phrase-1" }] });
  const key = Buffer.from(pair.privateKey).toString("base64");
  const reach = (params: Record<string, unknown>) => remotes.reach(connection(SPEC.sftp, { host: "sftp.example.com", userName: "u", privateKeyContent: key, ...params })).ok;
  expect(reach({ passPhrase: "remote-phrase-1" })).toBe(true);
  expect(reach({ passPhrase: "remote-phrase-2" })).toBe(false);
  expect(reach({})).toBe(false);
});

it("lists the entries directly under a folder, folders first, and says why a connection cannot reach", () => {
  const input = { kind: "ftp", host: "ftp.example.com", credentials: [{ userName: "u", password: "p" }], files: [{ path: "/a/b/c.csv" }, { path: "/a/d.csv" }, { path: "/z.csv" }], folders: ["/a/e"] };
  const r = parseRemote(input, "r1", specs);
  expect(listFolder(r, "")?.map((e) => `${e.type} ${e.path}`)).toEqual(["folder /a/", "file /z.csv"]);
  expect(listFolder(r, "a/")?.map((e) => `${e.type} ${e.path}`)).toEqual(["folder /a/b/", "folder /a/e/", "file /a/d.csv"]);
  expect(listFolder(r, "q/")).toBeUndefined();
  const remotes = new Remotes(specs);
  remotes.add(input);
  expect(remotes.reach(connection(SPEC.ftp, { host: "ftp.other.example", userName: "u", password: "p" }))).toEqual({ ok: false, why: "unknown host ftp.other.example" });
  expect(remotes.reach(connection(SPEC.ftp, { host: "FTP.example.com", userName: "u", password: "wrong" }))).toEqual({ ok: false, why: "ftp.example.com refused the credentials (user u)" });
  expect(remotes.reach(connection(SPEC.ftp, { host: "ftp.example.com", userName: "u", password: "p" })).ok).toBe(true);
});
