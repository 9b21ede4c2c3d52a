import type { FlowServiceClient } from "../../../provider/client/client";
import type { EngineKind, Entity, Store } from "../../../provider/engine/kind";
import { NameIndex } from "../../../provider/engine/names";

/**
 * The per-deployment name listing of a collection: one listing answers every name, what this process
 * creates or deletes is kept in step, and a collection too large to list whole is asked name by name
 * instead of failing the create. The store is scripted: the index's rules are what is under test.
 */
function kindListing(list: () => Promise<{ items: Entity[]; complete: boolean }>, listNamed: (name: string) => Promise<Entity[]> = async () => []) {
  const store: Store = {
    collection: "/flows",
    scope: () => undefined,
    create: async () => ({ id: "never", facts: {} }),
    get: async () => undefined,
    listPages: () => list(),
    listNamed: (_k, _c, _s, name) => listNamed(name),
  };
  return { store } as unknown as EngineKind;
}
const client = {} as FlowServiceClient;

describe("NameIndex", () => {
  it("lists a collection once and answers every name from it", async () => {
    const names = new NameIndex(client);
    let listings = 0;
    const kind = kindListing(async () => (listings++, { items: [{ id: "1", name: "a" }, { id: "2", name: "b" }, { id: "3", name: "a" }], complete: true }), async () => {
      throw new Error("not asked by name while the listing is complete");
    });
    expect((await names.named(kind, "prod", "a")).map((i) => i.id)).toEqual(["1", "3"]);
    expect(await names.named(kind, "prod", "c")).toEqual([]);
    expect(listings).toBe(1);
  });

  it("keeps its listing in step with this process's creates and deletes", async () => {
    const names = new NameIndex(client);
    const kind = kindListing(async () => ({ items: [{ id: "1", name: "a" }], complete: true }));
    await names.named(kind, "prod", "a");
    names.remember(kind, "prod", { id: "9", name: "new" });
    names.forget(kind, "prod", "1");
    expect((await names.named(kind, "prod", "new")).map((i) => i.id)).toEqual(["9"]);
    expect(await names.named(kind, "prod", "a")).toEqual([]);
  });

  it("asks name by name when the collection is too large to list whole", async () => {
    const names = new NameIndex(client);
    let listings = 0;
    const asked: string[] = [];
    const kind = kindListing(async () => (listings++, { items: [], complete: false }), async (name) => (asked.push(name), [{ id: `id-${name}`, name }]));
    expect(await names.named(kind, "prod", "x")).toEqual([{ id: "id-x", name: "x" }]);
    expect(await names.named(kind, "prod", "y")).toEqual([{ id: "id-y", name: "y" }]);
    expect(listings).toBe(1);
    expect(asked).toEqual(["x", "y"]);
  });

  it("lists again after a failed listing", async () => {
    const names = new NameIndex(client);
    let calls = 0;
    const kind = kindListing(async () => {
      calls++;
      if (calls === 1) throw new Error("503");
      return { items: [{ id: "1", name: "a" }], complete: true };
    });
    await expect(names.named(kind, "prod", "a")).rejects.toThrow("503");
    expect((await names.named(kind, "prod", "a")).map((i) => i.id)).toEqual(["1"]);
  });
});
