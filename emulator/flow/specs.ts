/**
 * The five hand-written connection specs of the contract; they win over the catalog's derived form
 * (catalog-specs.ts) for their ids, stricter schema bits included (the S3 bucket's `not` an IP address). Each
 * auth spec carries a real draft-07 JSON Schema, which `validation.ts` compiles with ajv; secrets are marked
 * `format: "password"` (that is what masks them on GET).
 * [choice] Every auth schema has `additionalProperties: false`: an unknown param is rejected, not stored.
 */

export interface JsonSchema {
  [key: string]: unknown;
}

export interface AuthSpec {
  name: string;
  type: string;
  spec: JsonSchema;
}

export interface ConnectionSpec {
  id: string;
  name: string;
  providerId?: string;
  version: string;
  authSpec: AuthSpec[];
  targetSpec?: { spec: JsonSchema };
  /** What a source connection's `params` take (derived specs, from the catalog's `sourceParams`). */
  sourceSpec?: { spec: JsonSchema };
  attributes: Record<string, unknown>;
  permissionsInfo: Record<string, unknown>;
}

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";

const secret = (description: string) => ({ type: "string", format: "password", minLength: 1, description });
const text = (description: string) => ({ type: "string", minLength: 1, description });
const port = { type: "integer", minimum: 1, maximum: 65535, default: 22, description: "Port of the server." };
const maxConns = { type: "integer", minimum: 1, description: "Maximum concurrent connections to the server." };
const folderPath = { type: "string", description: "Folder to read from." };
const disableChunking = { type: "boolean", description: "Download files in one piece." };
// Standard Base64 without line breaks: the contract asks for the Base64 of the whole OpenSSH key file.
const BASE64 = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$";

function schema(properties: Record<string, unknown>, required: string[]): JsonSchema {
  return { $schema: DRAFT_07, type: "object", description: "Auth params", properties, required, additionalProperties: false };
}

function permissions(name: string): Record<string, unknown> {
  return {
    view: [{ "@type": "lowLevel", name, permissions: ["read"] }],
    manage: [{ "@type": "lowLevel", name, permissions: ["write"] }],
  };
}

export const FTP_SPEC_ID = "fb2e94c9-c031-467d-8103-6bd6e0a432f2";
export const SFTP_SPEC_ID = "b7bf2577-4520-42c9-bae9-cad01560f7bc";
export const S3_SPEC_ID = "ecadc60c-7455-4d87-84dc-2a0e293d997b";
export const STREAMING_SPEC_ID = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb";
export const DATASET_BASE_SPEC_ID = "c604ff05-7f1a-43c0-8e18-33bf874cb11c";

export const CONNECTION_SPECS: readonly ConnectionSpec[] = [
  {
    id: FTP_SPEC_ID,
    name: "FTP",
    version: "1.0",
    authSpec: [
      {
        name: "Basic Authentication for FTP",
        type: "BasicAuthentication",
        spec: schema(
          { host: text("Host name or IP address of the FTP server."), userName: text("User name."), password: secret("Password.") },
          ["host", "userName", "password"],
        ),
      },
    ],
    attributes: { category: "CloudStorage", isSource: true, isBeta: true },
    permissionsInfo: permissions("EnterpriseSource"),
  },
  {
    id: SFTP_SPEC_ID,
    name: "SFTP",
    version: "1.0",
    authSpec: [
      {
        name: "Basic Authentication for sftp",
        type: "BasicAuthentication",
        spec: schema(
          {
            host: text("Host name or IP address of the SFTP server."),
            port,
            userName: text("User name."),
            password: secret("Password."),
            maxConcurrentConnections: maxConns,
            folderPath,
            disableChunking,
          },
          ["host", "userName", "password"],
        ),
      },
      {
        name: "SSH PublicKey Authentication for sftp",
        type: "SSHPublicKeyAuthentication",
        spec: schema(
          {
            host: text("Host name or IP address of the SFTP server."),
            port,
            userName: text("User name."),
            privateKeyContent: { ...secret("Base64 of an OpenSSH private key (RSA or ed25519)."), pattern: BASE64 },
            passPhrase: secret("Pass phrase of the private key."),
            maxConcurrentConnections: maxConns,
            folderPath,
            disableChunking,
          },
          ["host", "userName", "privateKeyContent"],
        ),
      },
    ],
    attributes: { category: "CloudStorage", isSource: true },
    permissionsInfo: permissions("EnterpriseSource"),
  },
  {
    id: S3_SPEC_ID,
    name: "Amazon S3",
    version: "1.0",
    authSpec: [
      {
        name: "Access Key",
        type: "AccessKey",
        spec: schema(
          {
            s3AccessKey: text("Access key id."),
            s3SecretKey: secret("Secret access key."),
            s3SessionToken: secret("Session token of temporary credentials."),
            serviceUrl: { type: "string", pattern: "^https://s3\\.[a-z0-9-]+\\.amazonaws\\.com/?$", description: "https://s3.{region}.amazonaws.com" },
            bucketName: {
              type: "string",
              minLength: 3,
              maxLength: 63,
              // Lowercase letters, digits, hyphens; starts and ends alphanumeric; never an IP address.
              pattern: "^[a-z0-9][a-z0-9-]*[a-z0-9]$",
              not: { pattern: "^\\d{1,3}(\\.\\d{1,3}){3}$" },
              description: "Bucket name.",
            },
            folderPath,
          },
          ["s3AccessKey", "s3SecretKey"],
        ),
      },
    ],
    attributes: { category: "CloudStorage", isSource: true },
    permissionsInfo: permissions("EnterpriseSource"),
  },
  {
    id: STREAMING_SPEC_ID,
    name: "HTTP API",
    providerId: "521eee4d-8cbe-4906-bb48-fb6bd4450033",
    version: "1.0",
    authSpec: [
      {
        name: "Streaming Connection",
        type: "Streaming",
        spec: schema(
          {
            name: text("Name of the streaming connection."),
            dataType: { type: "string", enum: ["xdm", "raw"], description: "xdm or raw." },
            sourceId: text("Source id; defaults to name."),
            authenticationRequired: { type: "boolean", default: false, description: "Require a bearer token on the inlet." },
          },
          ["name", "dataType"],
        ),
      },
    ],
    attributes: { category: "Streaming", isSource: true },
    permissionsInfo: permissions("EnterpriseSource"),
  },
  {
    id: DATASET_BASE_SPEC_ID,
    // The name Adobe's Python client (aepp) looks the target spec up by: createTargetConnectionDataLake
    // resolves `spec_name="datalake"` through a name → id map of `GET /connectionSpecs`.
    name: "datalake",
    providerId: "0ed90a81-07f4-4586-8190-b40eccef1c5a",
    version: "1.0",
    authSpec: [],
    targetSpec: {
      spec: { $schema: DRAFT_07, type: "object", properties: { dataSetId: { type: "string" } }, required: ["dataSetId"] },
    },
    attributes: { category: "Database", isDestination: true },
    permissionsInfo: permissions("Dataset"),
  },
];

/** Params the server fills on a streaming connection; never accepted from the client. */
export const STREAMING_SERVER_PARAMS = ["inletId", "inletUrl"] as const;
/** Streaming params fixed at creation (the inlet is built from them); PATCH may not change them. */
export const STREAMING_FIXED_PARAMS = ["sourceId", "authenticationRequired", "dataType"] as const;

export function findAuthSpec(spec: ConnectionSpec, name: unknown): AuthSpec | undefined {
  return spec.authSpec.find((a) => a.name === name);
}

/** Names of the params whose schema says `format: "password"`. */
export function secretParams(authSpec: AuthSpec): string[] {
  const props = (authSpec.spec.properties ?? {}) as Record<string, { format?: string }>;
  return Object.keys(props).filter((k) => props[k].format === "password");
}
