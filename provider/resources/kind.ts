import type { Validator } from "../validation";

/** The five connection kinds. The text of each is stored in every resource's serialized provider. */
export type KindName = "ftp" | "sftp" | "s3" | "datasetBase" | "streaming";

/** One auth parameter: how it is named on the Pulumi surface and on the wire, and its rules. */
export interface ParamSpec {
  /** Property name on the resource (args, outputs and state). */
  input: string;
  /** Key in `auth.params` on the wire. */
  wire: string;
  required?: boolean;
  secret?: boolean;
  /** Changing it replaces the connection (the API cannot change it in place). */
  replaceOnChange?: boolean;
  validate: Validator;
  /** Input value → wire value (e.g. an OpenSSH key → Base64). */
  toWire?: (value: unknown) => unknown;
}

export type Inputs = Record<string, unknown>;

export interface CheckFailure {
  property: string;
  reason: string;
}

/**
 * A connection kind as data: the shared lifecycle in ../connection.ts does the rest.
 * Adding a kind is one file with one of these and a thin resource class.
 */
export interface ConnectionKind {
  kind: KindName;
  /** Resource type name: the engine shows `pulumi-nodejs:dynamic/aep:<typeName>`. */
  typeName: string;
  /** Human name for messages ("SFTP"). */
  title: string;
  connectionSpecId: string;
  providerId?: string;
  params: ParamSpec[];
  /** The auth spec name for these inputs; undefined when the kind sends no `auth` block. */
  authSpecName?: (inputs: Inputs) => string;
  /** Cross-field rules beyond each param's own validator. */
  checkInputs?: (inputs: Inputs) => CheckFailure[];
  /** Values derived from inputs that force a replacement when they change (e.g. SFTP auth type). */
  derived?: Array<{ output: string; compute: (inputs: Inputs) => unknown; triggers: string[] }>;
  /** Params the provider sends that are not inputs of their own (streaming `name` = connection name). */
  extraWireParams?: (inputs: Inputs & { name: string }) => Record<string, unknown>;
  /** Params the server fills in that become outputs (streaming inlet). `output` name → wire name. */
  serverOutputs?: Record<string, string>;
  /** Whether create must GET the connection to learn `serverOutputs`. */
  readAfterCreate?: boolean;
}
