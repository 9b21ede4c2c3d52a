import type * as pulumi from "@pulumi/pulumi";
import { boolean, host, integer, nonEmptyString, optionalString } from "../validators";
import { isSet } from "../engine/inputs";
import { folderOf, verifyConnectivityProperty } from "./common";
import { type Inputs, declareKind, optional, required } from "./declaration";
import { type CommonArgs, type ConnectionOutputs, connectionEngineArgs, DynamicResource, settleConnection, type KindArgs, type KindOutputs } from "./resource";
import { parseOpenSshKey, toBase64Key } from "./ssh-key";

const PASSWORD_AUTH = "Basic Authentication for sftp";
const KEY_AUTH = "SSH PublicKey Authentication for sftp";

function authType(inputs: Inputs): "password" | "sshKey" {
  return inputs.privateKeyContent !== undefined && inputs.privateKeyContent !== null ? "sshKey" : "password";
}

const privateKey = (v: unknown): string | undefined => {
  const base = nonEmptyString(64 * 1024)(v);
  if (base) return base;
  try {
    parseOpenSshKey(v as string);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
};

export const sftpKind = declareKind({
  kind: "sftp",
  typeName: "SftpConnection",
  title: "SFTP",
  endpoint: "/connections",
  body: "auth.params",
  connectionSpecId: "b7bf2577-4520-42c9-bae9-cad01560f7bc",
  authSpecName: (inputs) => (authType(inputs) === "sshKey" ? KEY_AUTH : PASSWORD_AUTH),
  reach: {
    inputs: ["host", "port", "userName", "password", "privateKeyContent", "passPhrase", "folderPath"],
    target: (inputs) =>
      `SFTP server ${JSON.stringify(`${inputs.host}:${isSet(inputs.port) ? inputs.port : 22}`)} as user ${JSON.stringify(inputs.userName)} with ${isSet(inputs.privateKeyContent) ? `an SSH key${isSet(inputs.passPhrase) ? " and passphrase" : ""}` : "a password"}${folderOf(inputs)}`,
    fix: "check host, port, userName, the password or privateKeyContent (and passPhrase), and folderPath",
  },
  properties: {
    /** SFTP server host name or IP address, without scheme or port. Updated in place. */
    host: required<string>("string", { validate: host }),
    /** SFTP port, 1–65535. Default 22 (server side). Updated in place. */
    port: optional<number>("number", { schemaRule: true, validate: integer(1, 65535) }),
    /** User name on the SFTP server. Updated in place. */
    userName: required<string>("string", { validate: nonEmptyString(256) }),
    /** Password (password authentication). Secret. Switching between password and privateKeyContent replaces the connection. */
    password: optional<string>("string", { secret: true, validate: nonEmptyString() }),
    /**
     * OpenSSH private key (RSA or ed25519) for SSH key authentication: the key file's text or its
     * Base64 (sent as Base64). Secret. Switching between password and privateKeyContent replaces the connection.
     */
    privateKeyContent: optional<string>("string", { secret: true, validate: privateKey, toWire: toBase64Key }),
    /** Passphrase of an encrypted private key. Secret. Updated in place. */
    passPhrase: optional<string>("string", { secret: true, validate: nonEmptyString() }),
    /** Maximum concurrent connections Platform opens to the server (≥ 1). Updated in place. */
    maxConcurrentConnections: optional<number>("number", { schemaRule: true, validate: integer(1) }),
    /** Folder to read from. Updated in place. */
    folderPath: optional<string>("string", { validate: optionalString(1024) }),
    /** Disable chunked transfer (for servers that do not support it). Updated in place. */
    disableChunking: optional<boolean>("boolean", { schemaRule: true, validate: boolean }),
    /**
     * Test the connection with Flow Service (`GET /connections/{id}/test`) after it is created and after
     * every update of where it points or how it signs in: a failed test fails the deployment, naming what
     * could not be reached; the connection is kept and the next `pulumi up` tests it again. Default false.
     * A setting of the provider, never sent to Flow Service.
     */
    verifyConnectivity: verifyConnectivityProperty,
  },
  checkInputs: (inputs) => {
    const has = (k: string): boolean => inputs[k] !== undefined && inputs[k] !== null;
    if (has("password") && has("privateKeyContent")) {
      return [{ property: "privateKeyContent", reason: "cannot be set together with password: SFTP authenticates with one of them, so remove one" }];
    }
    if (!has("password") && !has("privateKeyContent")) {
      return [{ property: "password", reason: "SftpConnection needs password or privateKeyContent (SSH key authentication)" }];
    }
    if (has("passPhrase") && !has("privateKeyContent")) {
      return [{ property: "passPhrase", reason: "is only used with privateKeyContent; remove it or set privateKeyContent" }];
    }
    const key = inputs.privateKeyContent;
    if (typeof key === "string" && !has("passPhrase")) {
      try {
        const info = parseOpenSshKey(key);
        if (info.cipher !== "none") return [{ property: "passPhrase", reason: `is required: the private key is encrypted (${info.cipher})` }];
      } catch {
        // The key's own validator reports it.
      }
    }
    return [];
  },
  derived: [{ output: "authType", compute: authType, triggers: ["password", "privateKeyContent"] }],
});

type SftpArgs = KindArgs<typeof sftpKind>;
type AuthProperty = "password" | "privateKeyContent" | "passPhrase";

/** What every SFTP connection declares, whichever way it authenticates. */
export interface SftpCommonArgs extends CommonArgs, Omit<SftpArgs, AuthProperty> {}

/** Password authentication. */
export interface SftpPasswordAuthArgs extends Required<Pick<SftpArgs, "password">> {
  /** Not with a password: set privateKeyContent instead of password for SSH key authentication. */
  privateKeyContent?: never;
  /** Only with privateKeyContent. */
  passPhrase?: never;
}

/** SSH key authentication. */
export interface SftpKeyAuthArgs extends Required<Pick<SftpArgs, "privateKeyContent">>, Pick<SftpArgs, "passPhrase"> {
  /** Not with a key: SFTP authenticates with one of them. */
  password?: never;
}

/**
 * Exactly one way to authenticate: `password`, or `privateKeyContent` (with `passPhrase` for an
 * encrypted key). TypeScript refuses both and neither; `check` refuses them for JavaScript programs.
 */
export type SftpConnectionArgs = SftpCommonArgs & (SftpPasswordAuthArgs | SftpKeyAuthArgs);

/** An SFTP source connection, with password or SSH key authentication. */
export class SftpConnection extends DynamicResource {
  /** `password` or `sshKey`. */
  declare readonly authType: pulumi.Output<string>;

  constructor(name: string, args: SftpConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(...connectionEngineArgs(sftpKind, name, args, opts));
    settleConnection(this, sftpKind, args);
  }
}
export interface SftpConnection extends ConnectionOutputs, KindOutputs<typeof sftpKind> {}
