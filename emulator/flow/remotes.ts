/**
 * Simulated remotes: the FTP and SFTP servers and S3 buckets that base connections point at, and the system
 * behind any other explorable spec of the registry (Azure Blob, a database…). A test or a CI job registers one
 * (a host or a bucket, or a connection spec and the auth params it accepts; a file tree, or a database's
 * tables); `GET /connections/{id}/test` and `/explore` then answer from it as Flow Service answers from the
 * real system. Nothing is ever contacted.
 */
import { adminAssert, adminError, flowError } from "../errors";
import type { Params, StoredConnection } from "../types";
import { isObject, sameSecret } from "../util";
import type { SpecRegistry } from "./spec-registry";

export const FTP_SPEC_ID = "fb2e94c9-c031-467d-8103-6bd6e0a432f2";
export const SFTP_SPEC_ID = "b7bf2577-4520-42c9-bae9-cad01560f7bc";
export const S3_SPEC_ID = "ecadc60c-7455-4d87-84dc-2a0e293d997b";

export type RemoteKind = "ftp" | "sftp" | "s3";
const KIND_OF_SPEC: Record<string, RemoteKind> = { [FTP_SPEC_ID]: "ftp", [SFTP_SPEC_ID]: "sftp", [S3_SPEC_ID]: "s3" };

/** [choice] Column types a simulated file may declare, with the XDM type a preview shows for each. */
export const COLUMN_TYPES: Readonly<Record<string, Record<string, string>>> = {
  string: { type: "string" },
  integer: { type: "integer" },
  long: { type: "integer" },
  double: { type: "number" },
  boolean: { type: "boolean" },
  date: { type: "string", format: "date" },
  "date-time": { type: "string", format: "date-time" },
};

export interface RemoteColumn {
  name: string;
  /** One of COLUMN_TYPES' keys. */
  type: string;
}

export interface RemoteFile {
  /** `/in/orders.csv` on FTP and SFTP; the key within the bucket on S3 (`exports/orders.csv`). */
  path: string;
  /** Columns a preview shows; a file without them cannot be previewed (`canPreview: false`). */
  columns?: RemoteColumn[];
  /** Sample rows a preview returns (`data`), objects keyed by column name; at most 100. */
  rows?: Array<Record<string, unknown>>;
}

/**
 * Credentials a remote accepts: FTP/SFTP `userName` with `password` or (SFTP) `publicKey`; S3 keys. A remote of
 * any other spec (`connectionSpecId`) accepts auth params: each one it lists must equal the connection's
 * (`connectionString`, `accountName`…).
 */
export interface RemoteCredentials {
  [param: string]: string | number | boolean | undefined;
  userName?: string;
  password?: string;
  /** SFTP: the authorized public key line, `ssh-ed25519 AAAA… comment` (what `ssh-keygen -y` prints). */
  publicKey?: string;
  /** SFTP: the passphrase of an encrypted private key, when the remote should insist on one. */
  passPhrase?: string;
  accessKey?: string;
  secretKey?: string;
  /** S3 temporary credentials: required when set. */
  sessionToken?: string;
}

export interface RemoteInput {
  /** FTP, SFTP and S3 remotes; the remote of any other spec names `connectionSpecId` instead. */
  kind?: RemoteKind;
  /** A remote of any other explorable connection spec the emulator serves (a catalog spec or an extra). */
  connectionSpecId?: string;
  /** FTP and SFTP: the host name connections name in `auth.params.host`. */
  host?: string;
  /** SFTP: the port; default 22 (a connection without `port` means 22 too). */
  port?: number;
  /** S3: the bucket. */
  bucket?: string;
  credentials: RemoteCredentials[];
  files?: RemoteFile[];
  /** Folders with nothing in them (folders holding files exist by their files' paths). */
  folders?: string[];
  /** A database spec's tables (`connectionSpecId` of a Database spec): what explore lists at its root. */
  tables?: RemoteTable[];
}

/** A table of a simulated database: its name as explore shows it (`schema.table`), its columns and sample rows. */
export interface RemoteTable {
  name: string;
  columns?: RemoteColumn[];
  rows?: Array<Record<string, unknown>>;
}

export interface Remote extends RemoteInput {
  id: string;
}

/** The fields of a remote, for the admin index and --help. */
export const REMOTE_FIELDS: Readonly<Record<string, string>> = {
  kind: '"ftp", "sftp" or "s3"; or leave it out and give connectionSpecId',
  connectionSpecId: "any other explorable connection spec served (GET /connectionSpecs): its remote accepts auth params",
  host: "FTP/SFTP: host name the connections use (auth.params.host), compared case-insensitively",
  port: "SFTP: port, default 22",
  bucket: "S3: bucket name",
  credentials:
    "non-empty array of what the remote accepts: FTP {userName, password}; SFTP {userName, password} or {userName, publicKey: 'ssh-ed25519 AAAA…', passPhrase?}; S3 {accessKey, secretKey, sessionToken?}; with connectionSpecId, auth params of the spec that must equal the connection's ({connectionString: '…'})",
  files: "[{path, columns?: [{name, type: string|integer|long|double|boolean|date|date-time}], rows?: [{column: value}]}]",
  folders: "[path]: empty folders",
  tables: "with connectionSpecId of a Database spec: [{name, columns?, rows?}], what explore lists at the root",
};

const CREDENTIAL_FIELDS: Record<RemoteKind, string[]> = {
  ftp: ["userName", "password"],
  sftp: ["userName", "password", "publicKey", "passPhrase"],
  s3: ["accessKey", "secretKey", "sessionToken"],
};

const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
export const MAX_PREVIEW_ROWS = 100;

const text = (v: unknown): v is string => typeof v === "string" && v.length > 0;

/** Checks a remote as the control API receives it; a bad one is the admin API's 400 naming the field. */
export function parseRemote(input: unknown, id: string, specs: SpecRegistry): Remote {
  adminAssert(isObject(input), "body must be a JSON object");
  const r = input as Record<string, unknown>;
  for (const key of Object.keys(r)) adminAssert(key in REMOTE_FIELDS, `unknown field '${key}' (allowed: ${Object.keys(REMOTE_FIELDS).join(", ")})`);
  if (r.kind === undefined && r.connectionSpecId !== undefined) return parseSpecRemote(r, id, specs);
  adminAssert(r.connectionSpecId === undefined, "give kind (ftp, sftp, s3) or connectionSpecId, not both");
  adminAssert(r.tables === undefined, "tables are for a database spec's remote (connectionSpecId)");
  const kind = r.kind as RemoteKind;
  adminAssert(kind === "ftp" || kind === "sftp" || kind === "s3", `kind must be "ftp", "sftp" or "s3" (or leave it out and give connectionSpecId for any other explorable spec)`);
  if (kind === "s3") {
    adminAssert(typeof r.bucket === "string" && BUCKET.test(r.bucket), "bucket: an S3 bucket name (3-63 lowercase letters, digits, hyphens) is required for kind s3");
    adminAssert(r.host === undefined && r.port === undefined, "host and port are for ftp and sftp remotes");
  } else {
    adminAssert(typeof r.host === "string" && HOST.test(r.host), `host: a host name (such as ftp.example.com) is required for kind ${kind}`);
    adminAssert(r.bucket === undefined, "bucket is for s3 remotes");
    adminAssert(r.port === undefined || (kind === "sftp" && Number.isInteger(r.port) && (r.port as number) >= 1 && (r.port as number) <= 65535), "port: an integer 1-65535, for sftp remotes only");
  }
  adminAssert(Array.isArray(r.credentials) && r.credentials.length > 0, "credentials: a non-empty array of the credentials the remote accepts");
  const credentials = (r.credentials as unknown[]).map((c, i) => parseCredentials(kind, c, i));
  const files = r.files === undefined ? [] : r.files;
  adminAssert(Array.isArray(files), "files must be an array");
  const parsedFiles = (files as unknown[]).map((f, i) => parseFile(f, i));
  const folders = r.folders === undefined ? [] : r.folders;
  adminAssert(Array.isArray(folders) && folders.every(text), "folders must be an array of paths");
  return {
    id,
    kind,
    ...(kind === "s3" ? { bucket: r.bucket as string } : { host: r.host as string }),
    ...(r.port !== undefined ? { port: r.port as number } : {}),
    credentials,
    files: parsedFiles,
    folders: (folders as string[]).map(folderKey),
  };
}

/**
 * The remote of any other explorable spec: the spec must be served and explorable, and not one of FTP, SFTP and
 * S3 (their remotes have a kind: a host or bucket). Each credentials entry names params of one of the spec's auth
 * specs; a database spec's remote holds tables, any other a file tree.
 */
function parseSpecRemote(r: Record<string, unknown>, id: string, specs: SpecRegistry): Remote {
  const specId = String(r.connectionSpecId);
  adminAssert(typeof r.connectionSpecId === "string" && specs.connectionSpec(specId) !== undefined, `connectionSpecId: '${String(specId)}' is no connection spec the emulator serves (GET /connectionSpecs lists them)`);
  const spec = specs.connectionSpec(specId)!;
  const kind = KIND_OF_SPEC[specId];
  adminAssert(kind === undefined, `connectionSpecId: '${spec.name}' remotes are registered with kind "${kind}" (and its host or bucket)`);
  adminAssert(specs.explorable(specId), `connectionSpecId: '${spec.name}' is not explorable: Flow Service neither tests nor explores its connections`);
  adminAssert(r.host === undefined && r.port === undefined && r.bucket === undefined, "host, port and bucket are for ftp, sftp and s3 remotes; a spec's remote is found by its credentials");
  const params = new Set(spec.authSpec.flatMap((a) => Object.keys((a.spec.properties ?? {}) as Record<string, unknown>)));
  adminAssert(Array.isArray(r.credentials) && r.credentials.length > 0, "credentials: a non-empty array of the auth params the remote accepts ({param: value}, each equal to the connection's)");
  const credentials = (r.credentials as unknown[]).map((c, i) => {
    const at = `credentials[${i}]`;
    adminAssert(isObject(c) && Object.keys(c).length > 0, `${at} must be a non-empty object of auth params`);
    for (const [key, value] of Object.entries(c as Record<string, unknown>)) {
      adminAssert(params.has(key), `${at}: '${key}' is no auth param of '${spec.name}' (params: ${[...params].join(", ")})`);
      adminAssert(["string", "number", "boolean"].includes(typeof value), `${at}.${key} must be a string, number or boolean`);
    }
    return { ...(c as RemoteCredentials) };
  });
  const database = specs.catalogEntry(specId)?.category === "Database";
  const remote: Remote = { id, connectionSpecId: specId, credentials };
  if (database) {
    adminAssert(r.files === undefined && r.folders === undefined, `files and folders are for file-based specs; '${spec.name}' is a database: give tables`);
    const tables = r.tables === undefined ? [] : r.tables;
    adminAssert(Array.isArray(tables), "tables must be an array");
    remote.tables = (tables as unknown[]).map((t, i) => {
      adminAssert(isObject(t) && text(t.name), `tables[${i}].name must be a non-empty string`);
      const { path, ...rest } = parseFile({ ...(t as Record<string, unknown>), path: (t as Record<string, unknown>).name, name: undefined }, i, "tables");
      return { name: path, ...rest };
    });
  } else {
    adminAssert(r.tables === undefined, `tables are for database specs; '${spec.name}' holds files and folders`);
    const files = r.files === undefined ? [] : r.files;
    adminAssert(Array.isArray(files), "files must be an array");
    remote.files = (files as unknown[]).map((f, i) => parseFile(f, i));
    const folders = r.folders === undefined ? [] : r.folders;
    adminAssert(Array.isArray(folders) && folders.every(text), "folders must be an array of paths");
    remote.folders = (folders as string[]).map(folderKey);
  }
  return remote;
}

function parseCredentials(kind: RemoteKind, input: unknown, i: number): RemoteCredentials {
  const at = `credentials[${i}]`;
  adminAssert(isObject(input), `${at} must be an object`);
  const c = input as Record<string, unknown>;
  for (const key of Object.keys(c)) adminAssert(CREDENTIAL_FIELDS[kind].includes(key), `${at}: unknown field '${key}' for kind ${kind} (allowed: ${CREDENTIAL_FIELDS[kind].join(", ")})`);
  for (const [key, value] of Object.entries(c)) adminAssert(text(value), `${at}.${key} must be a non-empty string`);
  if (kind === "s3") {
    adminAssert(c.accessKey !== undefined && c.secretKey !== undefined, `${at}: accessKey and secretKey are required`);
  } else {
    adminAssert(c.userName !== undefined, `${at}: userName is required`);
    const ways = [c.password, c.publicKey].filter((v) => v !== undefined).length;
    adminAssert(ways === 1, kind === "ftp" ? `${at}: password is required` : `${at}: give exactly one of password and publicKey`);
    if (c.publicKey !== undefined) adminAssert(publicKeyBlob(c.publicKey as string) !== undefined, `${at}.publicKey must be an OpenSSH public key line such as "ssh-ed25519 AAAA… comment"`);
    adminAssert(c.passPhrase === undefined || c.publicKey !== undefined, `${at}: passPhrase goes with publicKey`);
  }
  return { ...c } as RemoteCredentials;
}

function parseFile(input: unknown, i: number, list: "files" | "tables" = "files"): RemoteFile {
  const at = `${list}[${i}]`;
  adminAssert(isObject(input), `${at} must be an object`);
  const f = Object.fromEntries(Object.entries(input as Record<string, unknown>).filter(([, v]) => v !== undefined));
  for (const key of Object.keys(f)) adminAssert(["path", "columns", "rows"].includes(key), `${at}: unknown field '${key}' (allowed: ${list === "files" ? "path" : "name"}, columns, rows)`);
  adminAssert(text(f.path) && !f.path.endsWith("/"), `${at}.${list === "files" ? "path must be a file path (not ending in /)" : "name must be a table name"}`);
  const file: RemoteFile = { path: fileKey(f.path as string) };
  if (f.columns !== undefined) {
    adminAssert(Array.isArray(f.columns) && f.columns.length > 0, `${at}.columns must be a non-empty array`);
    file.columns = (f.columns as unknown[]).map((c, j) => {
      adminAssert(isObject(c) && text(c.name) && typeof c.type === "string" && c.type in COLUMN_TYPES && Object.keys(c).every((k) => k === "name" || k === "type"), `${at}.columns[${j}] must be {name, type} with type one of ${Object.keys(COLUMN_TYPES).join(", ")}`);
      return { name: (c as RemoteColumn).name, type: (c as RemoteColumn).type };
    });
  }
  if (f.rows !== undefined) {
    adminAssert(file.columns !== undefined, `${at}.rows need columns`);
    adminAssert(Array.isArray(f.rows) && f.rows.length <= MAX_PREVIEW_ROWS && f.rows.every(isObject), `${at}.rows must be an array of at most ${MAX_PREVIEW_ROWS} objects`);
    file.rows = structuredClone(f.rows as Array<Record<string, unknown>>);
  }
  return file;
}

/** Paths are kept without a leading slash; folders end in one. */
const fileKey = (p: string) => p.replace(/^\/+/, "");
const folderKey = (p: string) => `${p.replace(/^\/+/, "").replace(/\/+$/, "")}/`.replace(/^\/$/, "");

/**
 * The public key blob of an OpenSSH key: from a public key line (`ssh-ed25519 AAAA…`), or from the
 * unencrypted header of a private key file (its text or Base64, as connections hold it). A remote compares
 * blobs, as an SSH server compares a client's key with its authorized keys.
 */
export function publicKeyBlob(value: string): string | undefined {
  const line = value.trim().match(/^(ssh-[a-z0-9-]+|ecdsa-[a-z0-9-]+)\s+([A-Za-z0-9+/]+={0,2})(\s|$)/);
  if (line) return line[2];
  let textForm = value.trim();
  if (!textForm.startsWith("-----BEGIN")) textForm = Buffer.from(textForm.replace(/\s+/g, ""), "base64").toString("utf8").trim();
  const m = textForm.match(/-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/);
  if (!m) return undefined;
  const blob = Buffer.from(m[1].replace(/\s+/g, ""), "base64");
  const magic = "openssh-key-v1\0";
  if (blob.subarray(0, magic.length).toString("latin1") !== magic) return undefined;
  let offset = magic.length;
  const next = (): Buffer | undefined => {
    if (offset + 4 > blob.length) return undefined;
    const len = blob.readUInt32BE(offset);
    offset += 4;
    if (offset + len > blob.length) return undefined;
    const out = blob.subarray(offset, offset + len);
    offset += len;
    return out;
  };
  const cipher = next();
  next(); // kdf name
  next(); // kdf options
  if (!cipher || offset + 4 > blob.length) return undefined;
  offset += 4; // key count
  return next()?.toString("base64");
}

function encryptedKey(value: string): boolean {
  let textForm = value.trim();
  if (!textForm.startsWith("-----BEGIN")) textForm = Buffer.from(textForm.replace(/\s+/g, ""), "base64").toString("utf8");
  const m = textForm.match(/-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END/);
  if (!m) return false;
  const blob = Buffer.from(m[1].replace(/\s+/g, ""), "base64");
  if (blob.length < 19) return false;
  const len = blob.readUInt32BE(15);
  return blob.subarray(19, 19 + len).toString("latin1") !== "none";
}

/** What a connection asks a remote for, and the outcome: reached, or why not (never a secret). */
export type Reach = { ok: true; remotes: Remote[]; kind: RemoteKind | "spec" } | { ok: false; why: string };

export class Remotes {
  private readonly byId = new Map<string, Remote>();
  private next = 1;

  constructor(private readonly specs: SpecRegistry) {}

  add(input: unknown): Remote {
    const remote = parseRemote(input, `remote-${this.next}`, this.specs);
    const clash = remote.kind === undefined ? undefined : [...this.byId.values()].find((r) => r.kind === remote.kind && sameAddress(r, remote));
    adminAssert(!clash, `a ${remote.kind} remote with this ${remote.kind === "s3" ? "bucket" : "host and port"} is already registered (${clash?.id}); delete it first`);
    this.next++;
    this.byId.set(remote.id, remote);
    return remote;
  }

  /** [choice] Credentials are shown in clear, as the admin view of connections shows their secrets. */
  list(): Remote[] {
    return [...this.byId.values()].map((r) => structuredClone(r));
  }

  remove(id: string): void {
    if (!this.byId.delete(id)) throw adminError(404, `remote '${id}' not found`);
  }

  clear(): void {
    this.byId.clear();
  }

  /**
   * Whether Flow Service could reach what the connection names with its credentials. [choice] FTP/SFTP: the
   * host (and SFTP port, default 22) must be registered and accept the user with that password or key; a
   * declared `folderPath` must exist. S3: with `bucketName`, that bucket must accept the keys (a session
   * token when it requires one); without it, at least one bucket must. A declared `folderPath` must exist.
   */
  reach(c: StoredConnection): Reach {
    const kind = KIND_OF_SPEC[c.connectionSpec.id];
    if (!kind && this.specs.explorable(c.connectionSpec.id)) return this.reachSpec(c);
    if (!kind) throw flowError("1100-400", `The request could not be processed. Error from flow provider: connection spec ${c.connectionSpec.id} has no remote system to test or explore`);
    const p: Params = c.auth?.params ?? {};
    let candidates: Remote[];
    let where: string;
    if (kind === "s3") {
      const bucket = typeof p.bucketName === "string" ? p.bucketName : undefined;
      candidates = [...this.byId.values()].filter((r) => r.kind === "s3" && (bucket === undefined || r.bucket === bucket));
      where = bucket ? `bucket ${bucket}` : "any bucket";
      if (candidates.length === 0) return { ok: false, why: bucket ? `bucket ${bucket} does not exist` : "no bucket accepts these credentials" };
    } else {
      const port = kind === "sftp" ? (typeof p.port === "number" ? p.port : 22) : undefined;
      const host = String(p.host ?? "").toLowerCase();
      candidates = [...this.byId.values()].filter((r) => r.kind === kind && r.host?.toLowerCase() === host && (kind !== "sftp" || (r.port ?? 22) === port));
      where = kind === "sftp" ? `${host}:${port}` : host;
      if (candidates.length === 0) return { ok: false, why: `unknown host ${where}` };
    }
    const accepting = candidates.filter((r) => r.credentials.some((cred) => accepts(kind, cred, p)));
    if (accepting.length === 0) return { ok: false, why: `${where} refused the credentials (${kind === "s3" ? `access key ${String(p.s3AccessKey)}` : `user ${String(p.userName)}`})` };
    const folder = typeof p.folderPath === "string" && p.folderPath !== "" ? p.folderPath : undefined;
    if (folder && !accepting.some((r) => hasFolder(r, folderKey(folder)))) return { ok: false, why: `folder ${folder} does not exist on ${where}` };
    return { ok: true, remotes: accepting, kind };
  }

  /**
   * [choice] The remote of any other spec: one registered for the connection's spec whose credentials (some
   * entry) all equal the connection's auth params, secrets compared in constant time. No remote for the spec
   * reads as an unknown system; one that accepts none of its params as refused credentials. A declared
   * `folderPath` must exist, as for FTP, SFTP and S3.
   */
  private reachSpec(c: StoredConnection): Reach {
    const p: Params = c.auth?.params ?? {};
    const spec = this.specs.connectionSpec(c.connectionSpec.id);
    const what = spec?.name ?? c.connectionSpec.id;
    const candidates = [...this.byId.values()].filter((r) => r.connectionSpecId === c.connectionSpec.id);
    if (candidates.length === 0) return { ok: false, why: `no ${what} system answers for this connection` };
    const accepting = candidates.filter((r) => r.credentials.some((cred) => Object.entries(cred).every(([key, value]) => sameParam(p[key], value))));
    if (accepting.length === 0) return { ok: false, why: `${what} refused the credentials` };
    const folder = typeof p.folderPath === "string" && p.folderPath !== "" ? p.folderPath : undefined;
    if (folder && !accepting.some((r) => hasFolder(r, folderKey(folder)))) return { ok: false, why: `folder ${folder} does not exist on ${what}` };
    return { ok: true, remotes: accepting, kind: "spec" };
  }
}

/** A connection's param against the value a remote accepts: strings in constant time (they may be secrets). */
function sameParam(given: unknown, expected: unknown): boolean {
  if (typeof expected === "string") return typeof given === "string" && sameSecret(given, expected);
  return given === expected;
}

function sameAddress(a: Remote, b: Remote): boolean {
  if (a.kind === "s3") return a.bucket === b.bucket;
  return a.host?.toLowerCase() === b.host?.toLowerCase() && (a.port ?? 22) === (b.port ?? 22);
}

function accepts(kind: RemoteKind, cred: RemoteCredentials, p: Params): boolean {
  const given = (key: string) => (typeof p[key] === "string" ? (p[key] as string) : undefined);
  if (kind === "s3") {
    if (given("s3AccessKey") !== cred.accessKey || !sameSecret(given("s3SecretKey"), cred.secretKey as string)) return false;
    return cred.sessionToken === undefined || sameSecret(given("s3SessionToken"), cred.sessionToken);
  }
  if (given("userName") !== cred.userName) return false;
  if (cred.password !== undefined) return sameSecret(given("password"), cred.password);
  const key = given("privateKeyContent");
  if (key === undefined || cred.publicKey === undefined) return false;
  if (publicKeyBlob(key) !== publicKeyBlob(cred.publicKey)) return false;
  // [choice] The key's passphrase cannot be checked without decrypting it: an encrypted key needs a
  // passPhrase, and the remote's own when it names one.
  if (encryptedKey(key) && given("passPhrase") === undefined) return false;
  return cred.passPhrase === undefined || sameSecret(given("passPhrase"), cred.passPhrase);
}

/** A remote's paths as explore shows them: `/dir/file` on FTP and SFTP, `<bucket>/dir/file` on S3. */
function shown(r: Remote, key: string): string {
  return r.kind === "s3" ? `${r.bucket}/${key}` : `/${key}`;
}

function hasFolder(r: Remote, folder: string): boolean {
  if (folder === "") return true;
  return (r.folders ?? []).some((f) => f.startsWith(folder)) || (r.files ?? []).some((f) => f.path.startsWith(folder));
}

export interface ExploreItem {
  type: "file" | "folder";
  name: string;
  path: string;
  canPreview: boolean;
  canFetchSchema: boolean;
}

/** The entries directly under `folder` (a key without leading slash, ending in `/`, or "" for the top). */
export function listFolder(r: Remote, folder: string): ExploreItem[] | undefined {
  if (!hasFolder(r, folder)) return undefined;
  const entries = new Map<string, ExploreItem>();
  const under = (key: string) => (key.startsWith(folder) ? key.slice(folder.length) : undefined);
  for (const f of r.files ?? []) {
    const rest = under(f.path);
    if (rest === undefined || rest === "") continue;
    const slash = rest.indexOf("/");
    if (slash >= 0) addFolder(entries, r, folder + rest.slice(0, slash + 1), rest.slice(0, slash));
    else entries.set(rest, { type: "file", name: rest, path: shown(r, f.path), canPreview: f.columns !== undefined, canFetchSchema: f.columns !== undefined });
  }
  for (const f of r.folders ?? []) {
    const rest = under(f);
    if (rest === undefined || rest === "") continue;
    const name = rest.slice(0, rest.indexOf("/"));
    addFolder(entries, r, folder + name + "/", name);
  }
  // [choice] Folders first, then files, each by name: a stable order tests can rely on.
  return [...entries.values()].sort((a, b) => (a.type === b.type ? (a.name < b.name ? -1 : 1) : a.type === "folder" ? -1 : 1));
}

function addFolder(entries: Map<string, ExploreItem>, r: Remote, key: string, name: string): void {
  if (!entries.has(`${name}/`)) entries.set(`${name}/`, { type: "folder", name, path: shown(r, key), canPreview: false, canFetchSchema: false });
}

/** The S3 top level without a bucket in the connection: each bucket that accepts it, as a folder. */
export function bucketsAsFolders(remotes: Remote[]): ExploreItem[] {
  return remotes
    .map((r): ExploreItem => ({ type: "folder", name: r.bucket as string, path: `${r.bucket}/`, canPreview: false, canFetchSchema: false }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Which remote and key a path given as `object` names. FTP/SFTP: `/dir/sub` (the leading slash optional);
 * S3: `<bucket>/dir/sub`, or the key alone when the connection names its bucket.
 */
export function locate(remotes: Remote[], kind: RemoteKind | "spec", object: string): { remote: Remote; key: string } | undefined {
  if (kind !== "s3") return { remote: remotes[0], key: object.replace(/^\/+/, "") };
  const trimmed = object.replace(/^\/+/, "");
  for (const r of remotes) if (trimmed === r.bucket || trimmed.startsWith(`${r.bucket}/`)) return { remote: r, key: trimmed.slice((r.bucket as string).length + 1) };
  return remotes.length === 1 ? { remote: remotes[0], key: trimmed } : undefined;
}

export function fileAt(r: Remote, key: string): RemoteFile | undefined {
  return (r.files ?? []).find((f) => f.path === key);
}

export { folderKey };
