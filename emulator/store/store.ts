/**
 * The emulator's state, behind one small interface (memory and file-backed versions).
 * Reads are synchronous and see every write at once; a write's promise resolves once it is durable,
 * and the HTTP response is sent only after that. A handler's check-then-write therefore runs without an
 * `await` in between, which makes it atomic with respect to other requests.
 */
import type { EntityKind, EntityKinds, InletEvent, StoredConnection } from "../types";

export interface ConnectionStore {
  /** Every connection, across orgs and sandboxes, in creation order. */
  all(): StoredConnection[];
  get(id: string): StoredConnection | undefined;
  findByInlet(inletId: string): StoredConnection | undefined;
  /** Next creation sequence number (monotonic, survives restarts with the file store). */
  nextSeq(): number;
  /** Inserts or replaces. */
  put(connection: StoredConnection): Promise<void>;
  delete(id: string): Promise<void>;
  /** `size`: the message's size as received (bytes of JSON text), counted against the inlet's cap. */
  appendEvent(event: InletEvent, size: number): Promise<void>;
  events(inletId: string): InletEvent[];
  /** Every stored entity of a kind (source and target connections, flows, mapping sets), in creation order. */
  entities<K extends EntityKind>(kind: K): Array<EntityKinds[K]>;
  entity<K extends EntityKind>(kind: K, id: string): EntityKinds[K] | undefined;
  /** Inserts or replaces; a mapping set is written whole, every version with it. */
  putEntity<K extends EntityKind>(kind: K, value: EntityKinds[K]): Promise<void>;
  deleteEntity(kind: EntityKind, id: string): Promise<void>;
  /** Forgets connections, every other entity and inlet events. */
  clear(): Promise<void>;
  /** Waits for pending writes. */
  close(): Promise<void>;
}
