/**
 * File-backed state under a data directory. Every write goes to a temporary file, is fsynced, renamed over
 * the target and the directory fsynced, before its promise resolves (and so before the HTTP response):
 * a restart, even after `kill -9`, keeps everything that was acknowledged.
 *
 * Layout: connections/<id>.json, events/<inletId>/<n>.json, ims-signing-key.
 */
import { promises as fs } from "node:fs";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import type { InletEvent, StoredConnection } from "../types";
import { MemoryStore } from "./memory-store";

let tmpCounter = 0;

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `data` to `file` atomically: temp file, fsync, rename, fsync of the directory. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${++tmpCounter}.tmp`);
  const handle = await fs.open(tmp, "w");
  try {
    await handle.writeFile(data, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, file);
  await fsyncDir(dir);
}

async function readJsonFiles<T>(dir: string): Promise<Array<{ name: string; value: T }>> {
  const names = (await fs.readdir(dir).catch(() => [] as string[])).sort();
  const out: Array<{ name: string; value: T }> = [];
  for (const name of names) {
    const file = path.join(dir, name);
    if (name.endsWith(".tmp")) {
      await fs.rm(file, { force: true }); // left by a crash before its rename: never acknowledged
      continue;
    }
    if (!name.endsWith(".json")) continue;
    out.push({ name, value: JSON.parse(await fs.readFile(file, "utf8")) as T });
  }
  return out;
}

/** The IMS signing key kept in the data directory, so tokens stay valid across restarts. */
export async function loadOrCreateKey(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, "ims-signing-key");
  try {
    return Buffer.from((await fs.readFile(file, "utf8")).trim(), "hex");
  } catch {
    const key = randomBytes(32);
    await fs.mkdir(dataDir, { recursive: true });
    await writeFileAtomic(file, key.toString("hex"));
    return key;
  }
}

export class FileStore extends MemoryStore {
  private readonly chains = new Map<string, Promise<void>>();
  private eventCounter = 0;

  private constructor(private readonly dir: string) {
    super();
  }

  static async open(dataDir: string): Promise<FileStore> {
    const store = new FileStore(dataDir);
    await fs.mkdir(store.connectionsDir, { recursive: true });
    await fs.mkdir(store.eventsDir, { recursive: true });
    const loaded = await readJsonFiles<StoredConnection>(store.connectionsDir);
    loaded.sort((a, b) => a.value.seq - b.value.seq);
    for (const { value } of loaded) store.putNow(value);
    for (const inletId of (await fs.readdir(store.eventsDir)).sort()) {
      for (const { name, value } of await readJsonFiles<InletEvent>(path.join(store.eventsDir, inletId))) {
        store.appendEventNow(value);
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

  override appendEvent(event: InletEvent): Promise<void> {
    this.appendEventNow(event);
    const dir = path.join(this.eventsDir, event.inletId);
    const file = path.join(dir, `${String(++this.eventCounter).padStart(12, "0")}.json`);
    return this.enqueue(`inlet:${event.inletId}`, async () => {
      await fs.mkdir(dir, { recursive: true });
      await writeFileAtomic(file, JSON.stringify(event));
    });
  }

  override async clear(): Promise<void> {
    await super.clear();
    await this.close();
    await fs.rm(this.connectionsDir, { recursive: true, force: true });
    await fs.rm(this.eventsDir, { recursive: true, force: true });
    await fs.mkdir(this.connectionsDir, { recursive: true });
    await fs.mkdir(this.eventsDir, { recursive: true });
    await fsyncDir(this.dir);
  }

  override async close(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
  }

  private connectionFile(id: string): string {
    // ids are UUIDs generated here; basename() keeps a forged id from leaving the directory anyway
    return path.join(this.connectionsDir, `${path.basename(id)}.json`);
  }

  /** Runs writes of one key in order; different keys run concurrently. */
  private enqueue(key: string, write: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(write);
    this.chains.set(key, next);
    const cleanup = () => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    };
    next.then(cleanup, cleanup);
    return next;
  }
}
