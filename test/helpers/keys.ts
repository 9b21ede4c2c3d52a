import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh OpenSSH private key made by ssh-keygen (the tool users make them with). */
export function makeOpenSshKey(type: "ed25519" | "rsa" | "ecdsa", passphrase = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "aep-key-"));
  try {
    const file = join(dir, "id");
    const args = ["-q", "-t", type, "-N", passphrase, "-C", "test", "-f", file];
    if (type === "rsa") args.push("-b", "2048");
    execFileSync("ssh-keygen", args, { stdio: "ignore" });
    return readFileSync(file, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same key in the legacy PEM format (`-----BEGIN RSA PRIVATE KEY-----`). */
export function makePemRsaKey(): string {
  const dir = mkdtempSync(join(tmpdir(), "aep-key-"));
  try {
    const file = join(dir, "id");
    execFileSync("ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f", file], { stdio: "ignore" });
    return readFileSync(file, "utf8");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh OpenSSH key pair: the private key file's text and its public key line (`ssh-ed25519 AAAA… test`). */
export function makeOpenSshKeyPair(type: "ed25519" | "rsa", passphrase = ""): { privateKey: string; publicKey: string } {
  const dir = mkdtempSync(join(tmpdir(), "aep-key-"));
  try {
    const file = join(dir, "id");
    const args = ["-q", "-t", type, "-N", passphrase, "-C", "test", "-f", file];
    if (type === "rsa") args.push("-b", "2048");
    execFileSync("ssh-keygen", args, { stdio: "ignore" });
    return { privateKey: readFileSync(file, "utf8"), publicKey: readFileSync(`${file}.pub`, "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
