import { keyText, parseOpenSshKey, toBase64Key } from "../../../provider/resources/ssh-key";
import { makeOpenSshKey, makePemRsaKey } from "../../helpers/keys";

describe("OpenSSH private keys", () => {
  const ed25519 = makeOpenSshKey("ed25519");
  const rsa = makeOpenSshKey("rsa");

  it.each([
    ["ed25519 key text", ed25519, "ssh-ed25519"],
    ["RSA key text", rsa, "ssh-rsa"],
    ["ed25519 key as Base64", Buffer.from(ed25519).toString("base64"), "ssh-ed25519"],
  ])("accepts an %s", (_label, key, type) => {
    expect(parseOpenSshKey(key)).toEqual({ cipher: "none", keyType: type });
  });

  it("reports the cipher of an encrypted key", () => {
    expect(parseOpenSshKey(makeOpenSshKey("ed25519", "s3cret-phrase")).cipher).toBe("aes256-ctr");
  });

  it("rejects an ECDSA key, naming the type", () => {
    expect(() => parseOpenSshKey(makeOpenSshKey("ecdsa"))).toThrow(/RSA or ed25519.*ecdsa-sha2-nistp256/);
  });

  it("rejects a PEM key with the command that converts it", () => {
    expect(() => parseOpenSshKey(makePemRsaKey())).toThrow(/OpenSSH format.*RSA PRIVATE KEY.*ssh-keygen -p/);
  });

  it.each([
    ["plain text", "not a key"],
    ["Base64 of something else", Buffer.from("hello world").toString("base64")],
    ["a truncated key", ed25519.slice(0, 120)],
  ])("rejects %s", (_label, value) => {
    expect(() => parseOpenSshKey(value)).toThrow(/OpenSSH|truncated/);
  });

  it("sends Base64 of the key text whichever form was given, and the same for both", () => {
    const fromText = toBase64Key(ed25519);
    const fromBase64 = toBase64Key(Buffer.from(ed25519).toString("base64"));
    expect(fromText).toBe(fromBase64);
    expect(keyText(String(fromText))).toBe(ed25519.trim());
  });
});
