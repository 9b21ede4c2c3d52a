import type { InletEvent, StoredConnection } from "../types";
import type { ConnectionStore } from "./store";

/** [choice] An inlet keeps its last 10,000 events; older ones are dropped. */
export const MAX_EVENTS_PER_INLET = 10_000;

/** In-memory state; also the read side of the file store. */
export class MemoryStore implements ConnectionStore {
  protected readonly connections = new Map<string, StoredConnection>();
  protected readonly inlets = new Map<string, string>(); // inletId -> connection id
  protected readonly inletEvents = new Map<string, InletEvent[]>();
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

  appendEvent(event: InletEvent): Promise<void> {
    this.appendEventNow(event);
    return Promise.resolve();
  }

  events(inletId: string): InletEvent[] {
    return (this.inletEvents.get(inletId) ?? []).slice(-MAX_EVENTS_PER_INLET);
  }

  clear(): Promise<void> {
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

  protected deleteNow(id: string): void {
    const inletId = this.connections.get(id)?.auth?.params.inletId;
    if (typeof inletId === "string") this.inlets.delete(inletId);
    this.connections.delete(id);
  }

  protected appendEventNow(event: InletEvent): void {
    const list = this.inletEvents.get(event.inletId) ?? [];
    list.push(event);
    // Trimmed in chunks (see RequestLog); events() returns the last MAX_EVENTS_PER_INLET.
    this.inletEvents.set(event.inletId, list.length >= 2 * MAX_EVENTS_PER_INLET ? list.slice(-MAX_EVENTS_PER_INLET) : list);
  }
}
