/**
 * The connections of Flow Service: the one place that decides create, read, list, patch and delete. Routes
 * parse around it and render what it returns; the admin API's drift, delete and dataflow marks go through
 * it too, so a change behind the client's back passes exactly the checks a client's own PATCH passes.
 * Every check-then-write runs without an `await` in between (see store/store.ts).
 */
import { flowError } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Clock, StoredConnection } from "../types";
import { buildConnection } from "./create";
import { listEntities, listRules, type Listing as GenericListing } from "./listing";
import { parseJsonBody, type Actor } from "./entities";
import { refuseWhileUsed, usersOfBaseConnection } from "./integrity";
import { clientUser, newEtag, visibleTo, type Caller } from "./model";
import { applyPatch } from "./patch";

/** Filters of `GET /connections`. */
const LIST_RULES = listRules(["id", "name", "description", "connectionSpec.id", "state"]);

export type { Actor } from "./entities";

/** What a list answers: a count, or a page with the query of the next one. */
export type Listing = GenericListing<StoredConnection>;

export class Connections {
  constructor(
    private readonly store: ConnectionStore,
    private readonly clock: Clock,
    /** The advertised base URL, known once listening: inletUrls are rendered from it. */
    private readonly baseUrl: () => string,
  ) {}

  /** `POST /connections`: validates the body (see create.ts for the order) and stores the connection. */
  async create(body: unknown, caller: Caller): Promise<StoredConnection> {
    const connection = buildConnection(body, caller, this.store.nextSeq(), this.clock());
    await this.store.put(connection);
    return connection;
  }

  /** The caller's connection; another org's or sandbox's is indistinguishable from a missing one (`1101-404`). */
  get(id: string, caller: Caller): StoredConnection {
    const c = this.store.get(id);
    if (!visibleTo(c, caller)) throw flowError("1101-404", `Connection '${id}' not found`);
    return c;
  }

  /** `GET /connections` with its query: filters, count, ordering and keyset paging. */
  list(query: URLSearchParams, caller: Caller): Listing {
    return listEntities(this.store.all().filter((c) => visibleTo(c, caller)), query, LIST_RULES);
  }

  /**
   * `PATCH /connections/{id}`. Checks in the contract's order: visible, If-Match present, body JSON, If-Match
   * equal to the etag, then the operations; so the body arrives unparsed.
   */
  async patch(id: string, caller: Caller, ifMatch: string | undefined, rawBody: unknown): Promise<StoredConnection> {
    const current = this.get(id, caller);
    if (!ifMatch) throw flowError("1403-400", "The If-Match header (or an if-match query parameter) is required; send the connection's etag (quotes included)");
    const ops = parseJsonBody(rawBody);
    // [choice] Exact comparison: the etag with its double quotes, no `*`, no weak etags.
    if (ifMatch !== current.etag) {
      throw flowError("1404-412", `If-Match ${ifMatch} does not match the connection's etag ${current.etag}; it was changed since it was read`);
    }
    return this.change(current, ops, { by: caller.client.clientId, client: clientUser(caller.client.clientId) });
  }

  /**
   * `DELETE /connections/{id}`: If-Match honoured when sent; a base connection that a source or target
   * connection uses, or that the admin API marked as used by dataflows, is `1418-400`.
   */
  async delete(id: string, caller: Caller, ifMatch: string | undefined): Promise<void> {
    const current = this.get(id, caller);
    // [choice] If-Match is optional on DELETE, but honoured when sent.
    if (ifMatch && ifMatch !== current.etag) throw flowError("1404-412", `If-Match ${ifMatch} does not match the connection's etag ${current.etag}`);
    refuseWhileUsed("Connection", current.id, usersOfBaseConnection(this.store, current.id), "delete those source and target connections first");
    // The old test hook: the admin API's dataflow mark, from before flows were emulated.
    if (current.usedByDataflows > 0) {
      throw flowError("1418-400", `Connection '${current.id}' is used by ${current.usedByDataflows} dataflow(s); delete them first`);
    }
    await this.store.delete(current.id);
  }

  /**
   * Applies JSON Patch operations with every rule of patch.ts (fixed streaming params, the auth schema) and
   * stores the result with a new etag and `updatedAt`: the one write path of a client's PATCH and of drift.
   */
  async change(current: StoredConnection, ops: unknown, actor: Actor): Promise<StoredConnection> {
    const result = applyPatch(current, ops, this.inletUrlOf(current));
    const now = this.clock();
    const next: StoredConnection = {
      ...current,
      name: result.name,
      description: result.description,
      updatedAt: now,
      updatedBy: actor.by,
      updatedClient: actor.client,
      etag: newEtag(current.etag, now),
    };
    if (current.auth && result.params) next.auth = { specName: current.auth.specName, params: result.params };
    await this.store.put(next);
    return next;
  }

  // Behind the client's back (the admin API): no caller, every org and sandbox.

  all(): StoredConnection[] {
    return this.store.all();
  }

  find(id: string): StoredConnection | undefined {
    return this.store.get(id);
  }

  /** A delete that no check stops (dataflow marks and etags are the client's concern). */
  async remove(id: string): Promise<void> {
    await this.store.delete(id);
  }

  /** While `count` > 0 a client's DELETE answers `1418-400`. */
  async markDataflows(current: StoredConnection, count: number): Promise<void> {
    await this.store.put({ ...current, usedByDataflows: count });
  }

  /** The URL a streaming connection's inlet is reached at, rendered from the current base URL. */
  inletUrlOf(c: StoredConnection): string | undefined {
    const inletId = c.auth?.params.inletId;
    return typeof inletId === "string" ? `${this.baseUrl()}/collection/${inletId}` : undefined;
  }
}
