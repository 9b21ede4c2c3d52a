import { ENTITY_KINDS, type EntityKind, type EntityKinds, type InletEvent, type StoredConnection } from "../types";
import type { ConnectionStore } from "./store";

/** [choice] An inlet keeps its last 10,000 events, and at most 16 MiB of them (as JSON text); older ones are dropped. */
export const MAX_EVENTS_PER_INLET = 10_000;
export const MAX_EVENT_BYTES_PER_INLET = 16 * 1024 * 1024;

/** One inlet's events, oldest first, within both caps. */
class InletEvents {
  private items: Array<{ event: InletEvent; size: number }> = [];
  private head = 0; // items before it were dropped
  private bytes = 0;

  push(event: InletEvent, size: number): void {
    this.items.push({ event, size });
    this.bytes += size;
    while (this.items.length - this.head > MAX_EVENTS_PER_INLET || (this.bytes > MAX_EVENT_BYTES_PER_INLET && this.items.length - this.head > 1)) {
      this.bytes -= this.items[this.head++].size;
    }
    // Compacted in chunks, not per event: a per-event splice of a full list costs more than the request.
    if (this.head >= MAX_EVENTS_PER_INLET || this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  list(): InletEvent[] {
    return this.items.slice(this.head).map((i) => i.event);
  }
}

/** In-memory state; also the read side of the file store. */
export class MemoryStore implements ConnectionStore {
  protected readonly connections = new Map<string, StoredConnection>();
  protected readonly inlets = new Map<string, string>(); // inletId -> connection id
  protected readonly inletEvents = new Map<string, InletEvents>();
  protected readonly kinds = new Map<EntityKind, Map<string, { id: string; seq: number }>>(ENTITY_KINDS.map((k) => [k, new Map()]));
  protected seq = 0;

  all(): StoredConnection[] {
    return [...this.connections.values()];
  }

  get(id: string): StoredConnection | undefined {
    return this.connections.get(id);
  }

  findByInlet(inletId: string): StoredConnection | undefined {
    const id = this.inlets.get(inletId);
    return id === undefined ? undefined : this.connections.get(id);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  put(connection: StoredConnection): Promise<void> {
    this.putNow(connection);
    return Promise.resolve();
  }

  delete(id: string): Promise<void> {
    this.deleteNow(id);
    return Promise.resolve();
  }

  appendEvent(event: InletEvent, size: number): Promise<void> {
    this.appendEventNow(event, size);
    return Promise.resolve();
  }

  events(inletId: string): InletEvent[] {
    return this.inletEvents.get(inletId)?.list() ?? [];
  }

  entities<K extends EntityKind>(kind: K): Array<EntityKinds[K]> {
    return [...this.kindMap(kind).values()] as Array<EntityKinds[K]>;
  }

  entity<K extends EntityKind>(kind: K, id: string): EntityKinds[K] | undefined {
    return this.kindMap(kind).get(id) as EntityKinds[K] | undefined;
  }

  putEntity<K extends EntityKind>(kind: K, value: EntityKinds[K]): Promise<void> {
    this.putEntityNow(kind, value);
    return Promise.resolve();
  }

  deleteEntity(kind: EntityKind, id: string): Promise<void> {
    this.kindMap(kind).delete(id);
    return Promise.resolve();
  }

  clear(): Promise<void> {
    for (const map of this.kinds.values()) map.clear();
    this.connections.clear();
    this.inlets.clear();
    this.inletEvents.clear();
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  protected putNow(connection: StoredConnection): void {
    const copy = structuredClone(connection);
    this.connections.set(copy.id, copy);
    this.seq = Math.max(this.seq, copy.seq);
    const inletId = copy.auth?.params.inletId;
    if (typeof inletId === "string") this.inlets.set(inletId, copy.id);
  }

  protected putEntityNow(kind: EntityKind, value: { id: string; seq: number }): void {
    const copy = structuredClone(value);
    this.kindMap(kind).set(copy.id, copy);
    this.seq = Math.max(this.seq, copy.seq);
  }

  private kindMap(kind: EntityKind): Map<string, { id: string; seq: number }> {
    const map = this.kinds.get(kind);
    if (!map) throw new Error(`unknown entity kind '${kind}'`);
    return map;
  }

  protected deleteNow(id: string): void {
    const inletId = this.connections.get(id)?.auth?.params.inletId;
    if (typeof inletId === "string") this.inlets.delete(inletId);
    this.connections.delete(id);
  }

  protected appendEventNow(event: InletEvent, size: number): void {
    let events = this.inletEvents.get(event.inletId);
    if (!events) this.inletEvents.set(event.inletId, (events = new InletEvents()));
    events.push(event, size);
  }
}
