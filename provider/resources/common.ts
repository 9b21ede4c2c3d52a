import { boolean, nonEmptyString, optionalString } from "../validators";
import { type ArgsOf, optional } from "./declaration";

export const MAX_NAME = 256;
export const MAX_DESCRIPTION = 4096;
const SANDBOX = /^[a-z0-9][a-z0-9-]{0,255}$/;
/** Ids as Flow Service hands them out (UUIDs; Data Prep's 32 hex characters). */
const ENTITY_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;

/** The properties every connection kind has besides its own; `check` words their failures itself. */
export const commonProperties = {
  /** Connection name in Flow Service. Default: `<resource name>-<7 characters derived from the resource's URN>`, generated once; an adopted connection (`existingId`) keeps its own. Updated in place. */
  name: optional<string>("string", { validate: nonEmptyString(MAX_NAME) }),
  /** Free-text description. Updated in place. An adopted connection (`existingId`) keeps its own unless this is set. */
  description: optional<string>("string", { validate: optionalString(MAX_DESCRIPTION) }),
  /** Sandbox the connection lives in. Default: config `aep:sandbox`, env `AEP_SANDBOX`, else `prod`. Changing it replaces the connection. */
  sandbox: optional<string>("string", { replaceOnChange: true, validate: (v) => (typeof v === "string" && SANDBOX.test(v) ? undefined : "must be a sandbox name") }),
  /**
   * Adopt this existing connection instead of creating one (made in the AEP UI, by a script, or written by
   * `aep-flow export`): on create it is read, checked to be of this kind and to fit the declaration (a
   * value that cannot change in place must be the same), and made what is declared; the name and
   * description the program leaves undeclared stay its own. Then it is managed like any other (use the
   * `retainOnDelete` resource option to keep it on destroy). Ignored after creation.
   */
  existingId: existingIdProperty("connection"),
  /** The same as `existingId`, its earlier name: deprecated, kept working. Set one of the two. */
  existingConnectionId: optional<string>("string", { createOnly: true, validate: (v) => (typeof v === "string" && ENTITY_ID.test(v) ? undefined : "must be a connection id") }),
};

/**
 * `existingId`, every kind's: adopt an entity that exists (made in the UI, by a script, or exported with
 * `aep-flow export`) instead of creating one.
 */
export function existingIdProperty(noun: string) {
  return optional<string>("string", {
    createOnly: true,
    validate: (v) => (typeof v === "string" && ENTITY_ID.test(v) ? undefined : `must be the id of an existing ${noun}`),
  });
}

/**
 * The FTP, SFTP and S3 kinds' opt-in connectivity check (provider/engine/verify.ts): a setting of the
 * provider, never sent to Flow Service.
 */
export const verifyConnectivityProperty = optional<boolean>("boolean", { local: true, validate: boolean });

/** Arguments every connection resource accepts. */
export interface CommonArgs extends ArgsOf<typeof commonProperties> {}

/** The folder a connection's test reaches, for its message: `, folder "/in"`, or nothing. */
export function folderOf(inputs: Record<string, unknown>): string {
  const f = inputs.folderPath;
  return f !== undefined && f !== null && f !== "" ? `, folder ${JSON.stringify(f)}` : "";
}
