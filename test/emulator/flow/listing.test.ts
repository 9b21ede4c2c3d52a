import { bodies, expectFlowError, Harness, request, SPEC } from "../../helpers/emulator";

describe("GET /connections: filters, order, paging, count", () => {
  let h: Harness;
  const ids: string[] = []; // creation order
  beforeAll(async () => {
    h = await Harness.start();
    for (let i = 0; i < 250; i++) {
      const make = i % 5 === 0 ? bodies.s3 : bodies.ftp;
      ids.push((await h.create(make(`conn-${String(i).padStart(3, "0")}`))).id);
    }
  });
  afterAll(() => h.stop());

  /** Follows `_links.next.href` until the end; returns every page. */
  async function walk(query: string): Promise<Array<Array<Record<string, unknown>>>> {
    const pages = [];
    let res = await h.api("GET", `/connections${query}`);
    for (;;) {
      expect(res.status).toBe(200);
      pages.push(res.body.items);
      const next = res.body._links?.next?.href as string | undefined;
      if (!next) break;
      // The spec's PageLink example: the token alone, with no other query key after it.
      expect(next).toMatch(/^\/connections\?continuationToken=[A-Za-z0-9_-]+$/);
      res = await request("GET", `${h.emu.flowServiceUrl}${next}`, { headers: await h.gatewayHeaders() });
    }
    return pages;
  }

  it("pages over 250 connections, 100 at a time by default, newest first", async () => {
    const pages = await walk("");
    expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
    expect(pages.flat().map((c) => c.id)).toEqual([...ids].reverse());
  });

  it("pages with a smaller limit, which the next link's token alone carries", async () => {
    const first = await h.api("GET", "/connections?limit=7");
    expect(first.body._links.next.href).not.toMatch(/limit=/);
    const pages = await walk("?limit=7");
    expect(pages).toHaveLength(36);
    expect(new Set(pages.flat().map((c) => c.id)).size).toBe(250);
  });

  it("counts with count=true", async () => {
    expect((await h.api("GET", "/connections?count=true")).body).toEqual({ count: 250 });
    expect((await h.api("GET", `/connections?count=true&property=connectionSpec.id==${SPEC.s3}`)).body).toEqual({ count: 50 });
  });

  it("answers 1401-400 for limit together with count", async () => {
    expectFlowError(await h.api("GET", "/connections?count=true&limit=5"), "1401-400");
  });

  it("answers 400 for a limit above 100, below 1, or not a number", async () => {
    for (const limit of ["101", "0", "-1", "ten"]) expectFlowError(await h.api("GET", `/connections?limit=${limit}`), "1400-400");
    expect((await h.api("GET", "/connections?limit=100")).body.items).toHaveLength(100);
  });

  it("orders by name both ways and by createdAt ascending", async () => {
    const names = (await walk("?orderby=%2Bname")).flat().map((c) => c.name as string);
    expect(names).toEqual([...names].sort());
    expect(names[0]).toBe("conn-000");
    const desc = (await walk("?orderby=-name&limit=100")).flat().map((c) => c.name);
    expect(desc).toEqual([...names].reverse());
    const asc = (await walk("?orderby=createdAt")).flat().map((c) => c.id);
    expect(asc).toEqual(ids);
    // An unencoded plus arrives as a space; it still means ascending.
    expect((await h.api("GET", "/connections?orderby=+name&limit=1")).body.items[0].name).toBe("conn-000");
  });

  it("filters by property: ==, quoted values, OR, AND, != and connectionSpec.id", async () => {
    const names = async (q: string) => (await walk(q)).flat().map((c) => c.name).sort();
    expect(await names("?property=name==conn-007")).toEqual(["conn-007"]);
    expect(await names('?property=name=="conn-007"')).toEqual(["conn-007"]);
    expect(await names("?property=name==conn-007,name==conn-010")).toEqual(["conn-007", "conn-010"]);
    expect(await names(`?property=name==conn-005,name==conn-007&property=connectionSpec.id==${SPEC.s3}`)).toEqual(["conn-005"]);
    expect(await names(`?property=id==${ids[3]}`)).toEqual(["conn-003"]);
    expect((await names(`?property=connectionSpec.id!=${SPEC.s3}`)).length).toBe(200);
    expect((await names("?property=state==enabled")).length).toBe(250);
    expect(await names('?property=description=="FTP connector password"&property=name==conn-001')).toEqual(["conn-001"]);
  });

  it("answers 400 for an unknown filter field, a bad orderby or a foreign continuation token", async () => {
    expectFlowError(await h.api("GET", "/connections?property=auth.params.host==x"), "1400-400");
    expectFlowError(await h.api("GET", "/connections?orderby=host"), "1400-400");
    expectFlowError(await h.api("GET", "/connections?continuationToken=garbage"), "1400-400");
    const next = (await h.api("GET", "/connections?limit=2")).body._links.next.href as string;
    const token = new URLSearchParams(next.split("?")[1]).get("continuationToken");
    expectFlowError(await h.api("GET", `/connections?orderby=name&continuationToken=${token}`), "1400-400");
  });

  it("masks secrets in list items", async () => {
    const items = (await h.api("GET", "/connections?limit=10")).body.items;
    for (const item of items) {
      const secret = item.auth.params.password ?? item.auth.params.s3SecretKey;
      expect(secret).toBe("********");
    }
  });

  it("keeps paging stable when connections are created or deleted between pages", async () => {
    const other = await Harness.start();
    try {
      const made: string[] = [];
      for (let i = 0; i < 30; i++) made.push((await other.create(bodies.ftp(`p-${i}`))).id);
      const first = await other.api("GET", "/connections?limit=10");
      await other.create(bodies.ftp("newer"));
      await other.api("DELETE", `/connections/${first.body.items[9].id}`);
      await other.api("DELETE", `/connections/${made[0]}`);
      const rest: string[] = [];
      let href = first.body._links.next.href as string | undefined;
      while (href) {
        const res = await request("GET", `${other.emu.flowServiceUrl}${href}`, { headers: await other.gatewayHeaders() });
        rest.push(...res.body.items.map((c: { id: string }) => c.id));
        href = res.body._links?.next?.href;
      }
      expect(rest).toEqual([...made].reverse().slice(10, 29));
    } finally {
      await other.stop();
    }
  });
});

describe("GET /connections?property=name==\"…\": quoted values round-trip", () => {
  let h: Harness;
  const names = ["back\\slash", "trailing\\", "x==y", "a,b", "a", "b", " spaced  out ", "Zoë ☃ 日本", "100% + plus"];
  beforeAll(async () => {
    h = await Harness.start();
    for (const name of names) await h.create(bodies.ftp(name));
  });
  afterAll(() => h.stop());

  const named = async (query: string) => {
    const res = await h.api("GET", `/connections?${query}`);
    expect(res.status).toBe(200);
    return res.body.items.map((c: { name: string }) => c.name).sort();
  };

  it.each(names)("finds %j with a quoted filter, encoded as URLSearchParams and as encodeURIComponent-based clients do", async (name) => {
    const expr = `name=="${name}"`;
    expect(await named(new URLSearchParams({ property: expr }).toString())).toEqual([name]);
    // e.g. axios: encodeURIComponent, then ',' ':' '$' '[' ']' back as themselves and '%20' as '+'.
    const loose = encodeURIComponent(expr).replace(/%2C/gi, ",").replace(/%3A/gi, ":").replace(/%24/g, "$").replace(/%20/g, "+");
    expect(await named(`property=${loose}`)).toEqual([name]);
    expect(await named(`property=${encodeURIComponent(expr)}`)).toEqual([name]);
  });

  it("parses the percent-encoded form the same as the plain one, commas inside quotes kept", async () => {
    expect(await named("property=name%3D%3D%22a%2Cb%22")).toEqual(["a,b"]);
    expect(await named('property=name=="a,b",name==b')).toEqual(["a,b", "b"]);
    expect(await named("property=name%3D%3D%22a%22%2Cname%3D%3Db")).toEqual(["a", "b"]);
  });

  it("answers 1400-400 for text after a closing quote, or an unterminated quote", async () => {
    expectFlowError(await h.api("GET", `/connections?${new URLSearchParams({ property: 'name=="a"b' })}`), "1400-400");
    expectFlowError(await h.api("GET", `/connections?${new URLSearchParams({ property: 'name=="a' })}`), "1400-400");
  });
});
