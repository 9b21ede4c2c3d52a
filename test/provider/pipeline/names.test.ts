import { PipelineNames } from "../../../provider/pipeline/names";

/**
 * The per-deployment name listing of a pipeline collection: one listing answers every name, what
 * this process creates or deletes is kept in step, and a collection too large to list whole is
 * asked name by name instead of failing the create.
 */
describe("PipelineNames", () => {
  it("lists a collection once and answers every name from it", async () => {
    const names = new PipelineNames();
    let listings = 0;
    const list = async () => (listings++, [{ id: "1", name: "a" }, { id: "2", name: "b" }, { id: "3", name: "a" }]);
    const lookUp = async () => {
      throw new Error("not asked by name while the listing is complete");
    };
    expect((await names.named("/flows", "prod", "a", list, lookUp)).map((i) => i.id)).toEqual(["1", "3"]);
    expect(await names.named("/flows", "prod", "c", list, lookUp)).toEqual([]);
    expect(listings).toBe(1);
  });

  it("keeps its listing in step with this process's creates and deletes", async () => {
    const names = new PipelineNames();
    const list = async () => [{ id: "1", name: "a" }];
    const lookUp = async () => [];
    await names.named("/flows", "prod", "a", list, lookUp);
    await names.remember("/flows", "prod", { id: "9", name: "new" });
    await names.forget("/flows", "prod", "1");
    expect((await names.named("/flows", "prod", "new", list, lookUp)).map((i) => i.id)).toEqual(["9"]);
    expect(await names.named("/flows", "prod", "a", list, lookUp)).toEqual([]);
  });

  it("asks name by name when the collection is too large to list whole", async () => {
    const names = new PipelineNames();
    let listings = 0;
    const asked: string[] = [];
    const list = async () => (listings++, undefined);
    const lookUp = (name: string) => async () => (asked.push(name), [{ id: `id-${name}`, name }]);
    expect(await names.named("/sourceConnections", "prod", "x", list, lookUp("x"))).toEqual([{ id: "id-x", name: "x" }]);
    expect(await names.named("/sourceConnections", "prod", "y", list, lookUp("y"))).toEqual([{ id: "id-y", name: "y" }]);
    expect(listings).toBe(1);
    expect(asked).toEqual(["x", "y"]);
  });

  it("lists again after a failed listing", async () => {
    const names = new PipelineNames();
    let calls = 0;
    const list = async () => {
      calls++;
      if (calls === 1) throw new Error("503");
      return [{ id: "1", name: "a" }];
    };
    await expect(names.named("/flows", "prod", "a", list, async () => [])).rejects.toThrow("503");
    expect((await names.named("/flows", "prod", "a", list, async () => [])).map((i) => i.id)).toEqual(["1"]);
  });
});
