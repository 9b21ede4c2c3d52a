import fc from "fast-check";
import { compareBy, decodeToken, encodeToken, page, parseFilters, parseOrder, type Sortable } from "../../../emulator/flow/listing";

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
        let after: Sortable | undefined;
        for (;;) {
          const p = page(sorted, order, limit, after);
          seen.push(...p.items);
          if (!p.more) break;
          after = decodeToken(encodeToken({ order, limit, filters: [] }, p.items[p.items.length - 1])).after;
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

  it("takes a quoted filter value literally up to the next quote: backslashes, commas, ==, spaces, unicode", () => {
    for (const name of ["a\\b", "a\\", "x==y", "a,b", " two  spaces ", "Zoë ☃ 日本", "a\\,b==c"]) {
      expect({ name, match: parseFilters([`name=="${name}"`], ["name"])({ name }) }).toEqual({ name, match: true });
    }
    const match = parseFilters(['name=="a\\",name==b'], ["name"]);
    expect([match({ name: "a\\" }), match({ name: "b" }), match({ name: "a" })]).toEqual([true, true, false]);
  });

  it("runs an unquoted value to the next comma, trimmed", () => {
    const match = parseFilters(["name== a b ,name==c\\d"], ["name"]);
    expect([match({ name: "a b" }), match({ name: "c\\d" })]).toEqual([true, true]);
  });

  it.each(['name=="a"b', 'name=="a" ,name==b', 'name=="a', "name==a,", "name", 'name=="a"=="b"'])("refuses %s with 1400-400", (expr) => {
    expect(() => parseFilters([expr], ["name"])).toThrow(expect.objectContaining({ result: expect.objectContaining({ status: 400 }) }));
  });

  it("treats a leading space in orderby as a plus", () => {
    expect(parseOrder(" name", ["name"], "-createdAt")).toEqual({ field: "name", descending: false, text: "+name" });
  });
});
