/**
 * Compiled by `tsc -p tsconfig.examples.json` (part of `npm test`), never run: each
 * `@ts-expect-error` fails the build if TypeScript stops refusing the line under it.
 */
import { SftpConnection, type SftpConnectionArgs } from "../../provider";

const common = { host: "sftp.example.com", userName: "ingest" };

export const withPassword: SftpConnectionArgs = { ...common, password: "sftp-pass-1" };
export const withKey: SftpConnectionArgs = { ...common, privateKeyContent: "-----BEGIN OPENSSH PRIVATE KEY-----", passPhrase: "phrase-123" };

// @ts-expect-error both a password and a key
export const both: SftpConnectionArgs = { ...common, password: "sftp-pass-1", privateKeyContent: "key" };

// @ts-expect-error neither a password nor a key
export const neither: SftpConnectionArgs = { ...common };

// @ts-expect-error a passphrase belongs to a key, not to a password
export const phraseWithPassword: SftpConnectionArgs = { ...common, password: "sftp-pass-1", passPhrase: "phrase-123" };

export function declare(): SftpConnection {
  // @ts-expect-error the constructor takes the same union
  return new SftpConnection("x", { ...common, password: "sftp-pass-1", privateKeyContent: "key" });
}
