import fc from "fast-check";
import { compareBy, decodeToken, encodeToken, page, parseFilters, parseOrder } from "../../emulator/listing";

describe("listing helpers", () => {
  it("visits every item exactly once in order, whatever the limit and ordering", () => {
    const rows = fc.uniqueArray(fc.record({ value: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom("a", "b", "c")), seq: fc.nat() }), {
      selector: (r) => r.seq,
      maxLength: 60,
    });
    fc.assert(
      fc.property(rows, fc.integer({ min: 1, max: 20 }), fc.boolean(), (items, limit, descending) => {
        const order = { field: "x", descending, text: descending ? "-x" : "+x" };
        const sorted = [...items].sort(compareBy(order));
        const seen = [];
        let after;
        for (;;) {
          const p = page(sorted, order, limit, after);
          seen.push(...p.items);
          if (!p.more) break;
          after = decodeToken(encodeToken(order, p.items[p.items.length - 1]), order);
        }
        expect(seen).toEqual(sorted);
      }),
    );
  });

  it("parses filters with quoted values holding commas", () => {
    const match = parseFilters(['name=="a,b",name==c'], ["name"]);
    expect(match({ name: "a,b" })).toBe(true);
    expect(match({ name: "c" })).toBe(true);
    expect(match({ name: "a" })).toBe(false);
  });

  it("treats a leading space in orderby as a plus", () => {
    expect(parseOrder(" name", ["name"], "-createdAt")).toEqual({ field: "name", descending: false, text: "+name" });
  });
});
