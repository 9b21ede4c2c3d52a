/**
 * File-backed state under a data directory. Every write goes to a temporary file, is fsynced, renamed over
 * the target and the directory fsynced, before its promise resolves (and so before the HTTP response):
 * a restart, even after `kill -9`, keeps everything that was acknowledged.
 *
 * Layout: connections/<id>.json, sourceConnections/<id>.json, targetConnections/<id>.json, flows/<id>.json,
 * dataSets/<id>.json and schemas/<id>.json (those the control API added; the demo ones are never stored),
 * mappingSets/<id>.json (every version in the one file, so a version is never half written),
 * events/<inletId>/<n>.json, ims-signing-key. Files are 0600 and folders 0700: connection files hold secrets
 * in clear, and the key signs every token.
 */
import { promises as fs } from "node:fs";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { ENTITY_KINDS, type EntityKind, type EntityKinds, type InletEvent, type StoredConnection } from "../types";
import { isObject } from "../util";
import { MemoryStore } from "./memory-store";

const FILE_MODE = 0o600;
const DIR_MODE = 0o700;
const RESET_PREFIX = ".reset-";
let tmpCounter = 0;

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Creates `dir` (and missing parents) 0700; an existing folder of ours is set to 0700 too. */
async function ownDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
  await fs.chmod(dir, DIR_MODE);
}

/** Writes `data` to `file` atomically: temp file (0600), fsync, rename, fsync of the directory. */
async function writeFileAtomic(file: string, data: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++tmpCounter}.tmp`);
  const handle = await fs.open(tmp, "w", FILE_MODE);
  try {
    await handle.writeFile(data, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
  await fsyncDir(dir);
}

/** Reads a file of ours, setting it to 0600 if an older version left it readable by others. */
async function readOwnFile(file: string): Promise<string> {
  const handle = await fs.open(file, "r");
  try {
    if (((await handle.stat()).mode & 0o077) !== 0) await handle.chmod(FILE_MODE);
    return await handle.readFile("utf8");
  } finally {
    await handle.close();
  }
}

/**
 * The `.json` files of `dir`, parsed and checked by `problem` (null when the value is fine). A file that is
 * empty, not JSON or not what it should be stops the start, naming the file: starting without it would
 * silently forget a connection that was acknowledged.
 */
async function readJsonFiles<T>(dir: string, problem: (value: unknown, name: string) => string | null): Promise<Array<{ name: string; value: T; size: number }>> {
  const names = (await fs.readdir(dir).catch(() => [] as string[])).sort();
  const out: Array<{ name: string; value: T; size: number }> = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if (name.endsWith(".tmp")) {
      await fs.rm(file, { force: true }); // left by a crash before its rename: never acknowledged
      continue;
    }
    if (!name.endsWith(".json")) continue;
    const text = await readOwnFile(file);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new Error(`${file}: ${text.trim() === "" ? "empty" : `not valid JSON (${(e as Error).message})`}; repair or remove the file`);
    }
    const why = problem(value, name);
    if (why) throw new Error(`${file}: ${why}; repair or remove the file`);
    out.push({ name, value: value as T, size: Buffer.byteLength(JSON.stringify((value as { body?: unknown }).body ?? null)) });
  }
  return out;
}

function connectionProblem(v: unknown, name: string): string | null {
  if (!isObject(v) || typeof v.id !== "string" || typeof v.name !== "string" || typeof v.seq !== "number" || !isObject(v.connectionSpec)) {
    return "not a stored connection (needs id, name, seq and connectionSpec)";
  }
  return `${v.id}.json` === name ? null : `holds connection '${v.id}', not the one its name says`;
}

function entityProblem(kind: EntityKind): (v: unknown, name: string) => string | null {
  return (v, name) => {
    if (!isObject(v) || typeof v.id !== "string" || typeof v.seq !== "number") return `not a stored ${kind} entry (needs id and seq)`;
    if (kind === "mappingSets" && (!Array.isArray(v.versions) || v.versions.length === 0)) return "not a stored mapping set (needs versions)";
    return `${v.id}.json` === name ? null : `holds '${v.id}', not the one its name says`;
  };
}

function eventProblem(v: unknown): string | null {
  return isObject(v) && typeof v.inletId === "string" && typeof v.xactionId === "string" && typeof v.receivedTimeMs === "number"
    ? null
    : "not a stored inlet event (needs inletId, xactionId and receivedTimeMs)";
}

/** [choice] At least 32 bytes, as hex: a shorter key would make tokens guessable. */
const KEY_TEXT = /^(?:[0-9a-fA-F]{2}){32,}$/;

/**
 * The IMS signing key kept in the data directory, so tokens stay valid across restarts. A missing file is
 * created; a file that is empty, short or not hex stops the start (it is never replaced: tokens signed with
 * the old key would silently stop working, or anyone could sign with an empty one).
 */
export async function loadOrCreateKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, "ims-signing-key");
  let text: string;
  try {
    text = await readOwnFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`${file}: cannot read the IMS signing key (${(e as Error).message})`);
    const key = randomBytes(32);
    await ownDir(dataDir);
    await writeFileAtomic(file, key.toString("hex"));
    return key;
  }
  if (!KEY_TEXT.test(text.trim())) {
    throw new Error(`${file}: the IMS signing key must be at least 64 hex digits (32 bytes); remove the file to have a new key made (tokens issued before then stop working)`);
  }
  return Buffer.from(text.trim(), "hex");
}

export class FileStore extends MemoryStore {
  private readonly chains = new Map<string, Promise<void>>();
  /** Writes wait for this: the last reset's wipe of the folders, so none lands in a folder being wiped. */
  private barrier: Promise<void> = Promise.resolve();
  private eventCounter = 0;
  private resetCounter = 0;

  private constructor(private readonly dir: string) {
    super();
  }

  static async open(dataDir: string): Promise<FileStore> {
    const store = new FileStore(dataDir);
    await ownDir(dataDir);
    for (const name of await fs.readdir(dataDir)) {
      // A reset interrupted after its renames: what it moved aside was already forgotten.
      if (name.startsWith(RESET_PREFIX)) await fs.rm(path.join(dataDir, name), { recursive: true, force: true });
    }
    await ownDir(store.connectionsDir);
    await ownDir(store.eventsDir);
    for (const kind of ENTITY_KINDS) {
      await ownDir(store.kindDir(kind));
      const entities = await readJsonFiles<{ id: string; seq: number }>(store.kindDir(kind), entityProblem(kind));
      entities.sort((a, b) => a.value.seq - b.value.seq);
      for (const { value } of entities) store.putEntityNow(kind, value);
    }
    const loaded = await readJsonFiles<StoredConnection>(store.connectionsDir, connectionProblem);
    loaded.sort((a, b) => a.value.seq - b.value.seq);
    for (const { value } of loaded) store.putNow(value);
    for (const inletId of (await fs.readdir(store.eventsDir)).sort()) {
      await ownDir(path.join(store.eventsDir, inletId));
      for (const { name, value, size } of await readJsonFiles<InletEvent>(path.join(store.eventsDir, inletId), eventProblem)) {
        store.appendEventNow(value, size);
        store.eventCounter = Math.max(store.eventCounter, parseInt(name, 10) || 0);
      }
    }
    return store;
  }

  private get connectionsDir(): string {
    return path.join(this.dir, "connections");
  }

  private get eventsDir(): string {
    return path.join(this.dir, "events");
  }

  override put(connection: StoredConnection): Promise<void> {
    this.putNow(connection);
    const data = JSON.stringify(connection, null, 2); // snapshot now: writes of one id land in call order
    return this.enqueue(connection.id, () => writeFileAtomic(this.connectionFile(connection.id), data));
  }

  override delete(id: string): Promise<void> {
    this.deleteNow(id);
    return this.enqueue(id, async () => {
      await fs.rm(this.connectionFile(id), { force: true });
      await fsyncDir(this.connectionsDir);
    });
  }

  override putEntity<K extends EntityKind>(kind: K, value: EntityKinds[K]): Promise<void> {
    this.putEntityNow(kind, value);
    const data = JSON.stringify(value, null, 2);
    return this.enqueue(`${kind}:${value.id}`, () => writeFileAtomic(this.entityFile(kind, value.id), data));
  }

  override deleteEntity(kind: EntityKind, id: string): Promise<void> {
    void super.deleteEntity(kind, id);
    return this.enqueue(`${kind}:${id}`, async () => {
      await fs.rm(this.entityFile(kind, id), { force: true });
      await fsyncDir(this.kindDir(kind));
    });
  }

  override appendEvent(event: InletEvent, size: number): Promise<void> {
    this.appendEventNow(event, size);
    const dir = path.join(this.eventsDir, event.inletId);
    const file = path.join(dir, `${String(++this.eventCounter).padStart(12, "0")}.json`);
    return this.enqueue(`inlet:${event.inletId}`, async () => {
      await ownDir(dir);
      await writeFileAtomic(file, JSON.stringify(event));
    });
  }

  /**
   * Atomic with respect to writes. Memory is cleared at once (the moment the reset takes effect); the wipe of
   * the folders then waits for the writes already under way (they were of connections it forgets), and
   * writes that come after wait for the wipe, so a connection created after the reset is never wiped.
   */
  override clear(): Promise<void> {
    void super.clear();
    const before = [this.barrier, ...this.chains.values()];
    const wiped = Promise.allSettled(before).then(() => this.wipe());
    this.barrier = wiped.catch(() => undefined);
    return wiped;
  }

  override async close(): Promise<void> {
    await Promise.allSettled([this.barrier, ...this.chains.values()]);
  }

  /** Moves every folder aside in one rename each (a crash leaves each either whole or gone), then removes them. */
  private async wipe(): Promise<void> {
    const trash = path.join(this.dir, `${RESET_PREFIX}${process.pid}-${++this.resetCounter}`);
    await fs.mkdir(trash, { mode: DIR_MODE });
    const folders = [this.connectionsDir, this.eventsDir, ...ENTITY_KINDS.map((k) => this.kindDir(k))];
    for (const folder of folders) await fs.rename(folder, path.join(trash, path.basename(folder)));
    for (const folder of folders) await ownDir(folder);
    await fsyncDir(this.dir);
    await fs.rm(trash, { recursive: true, force: true });
  }

  private kindDir(kind: EntityKind): string {
    return path.join(this.dir, kind);
  }

  private entityFile(kind: EntityKind, id: string): string {
    return path.join(this.kindDir(kind), `${path.basename(id)}.json`);
  }

  private connectionFile(id: string): string {
    // ids are UUIDs generated here; basename() keeps a forged id from leaving the directory anyway
    return path.join(this.connectionsDir, `${path.basename(id)}.json`);
  }

  /** Runs writes of one key in order; different keys run concurrently; all wait for a reset under way. */
  private enqueue(key: string, write: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = Promise.all([previous.catch(() => undefined), this.barrier]).then(write);
    this.chains.set(key, next);
    const cleanup = () => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    };
    next.then(cleanup, cleanup);
    return next;
  }
}
