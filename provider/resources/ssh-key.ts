/**
 * OpenSSH private keys for SFTP key authentication. Flow Service wants the Base64 of the OpenSSH
 * key file (RSA or ed25519); users may give the file's text or that Base64. Parsing only reads the
 * unencrypted header (cipher, key type), never the key material.
 */
const BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
const END = "-----END OPENSSH PRIVATE KEY-----";
const MAGIC = "openssh-key-v1\0";
const SUPPORTED_TYPES = ["ssh-rsa", "ssh-ed25519"];

export interface OpenSshKeyInfo {
  cipher: string;
  keyType: string;
}

/** The key file's text, from either form; undefined when it is neither. */
export function keyText(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.startsWith("-----BEGIN")) return trimmed;
  const compact = trimmed.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(compact, "base64").toString("utf8").trim();
  return decoded.startsWith("-----BEGIN") ? decoded : undefined;
}

/** What Flow Service receives: Base64 of the key file's text. */
export function toBase64Key(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const text = keyText(value);
  return text === undefined ? value : Buffer.from(text.endsWith("\n") ? text : `${text}\n`, "utf8").toString("base64");
}

/** Parses the public header of an OpenSSH private key; throws a user-facing reason. */
export function parseOpenSshKey(value: string): OpenSshKeyInfo {
  const text = keyText(value);
  if (text === undefined) throw new Error("must be an OpenSSH private key: the key file's text (-----BEGIN OPENSSH PRIVATE KEY-----) or its Base64");
  if (!text.startsWith(BEGIN)) {
    const kind = text.split("\n")[0].replace(/-/g, "").trim();
    throw new Error(`must be in OpenSSH format, got a "${kind}" (PEM) key; convert it with \`ssh-keygen -p -f <file>\` (which rewrites it in OpenSSH format)`);
  }
  if (!text.includes(END)) throw new Error(`is truncated: the "${END}" line is missing`);
  const body = text.slice(BEGIN.length, text.indexOf(END)).replace(/\s+/g, "");
  const blob = Buffer.from(body, "base64");
  if (blob.subarray(0, MAGIC.length).toString("latin1") !== MAGIC) throw new Error("is not a valid OpenSSH private key (bad header)");
  let offset = MAGIC.length;
  const readString = (): Buffer => {
    if (offset + 4 > blob.length) throw new Error("is not a valid OpenSSH private key (truncated)");
    const len = blob.readUInt32BE(offset);
    offset += 4;
    if (offset + len > blob.length) throw new Error("is not a valid OpenSSH private key (truncated)");
    const out = blob.subarray(offset, offset + len);
    offset += len;
    return out;
  };
  const cipher = readString().toString("latin1");
  readString(); // kdf name
  readString(); // kdf options
  if (offset + 4 > blob.length) throw new Error("is not a valid OpenSSH private key (truncated)");
  const count = blob.readUInt32BE(offset);
  offset += 4;
  if (count !== 1) throw new Error(`must hold exactly one key, found ${count}`);
  const publicKey = readString();
  const typeLen = publicKey.length >= 4 ? publicKey.readUInt32BE(0) : 0;
  const keyType = publicKey.subarray(4, 4 + typeLen).toString("latin1");
  if (!SUPPORTED_TYPES.includes(keyType)) throw new Error(`must be an RSA or ed25519 key, got "${keyType || "unknown"}"`);
  return { cipher, keyType };
}
