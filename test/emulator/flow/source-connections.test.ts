import { bodies, ETAG, expectFlowError, Harness, SPEC, UUID } from "../../helpers/emulator";
import { created, expectFlowErrorNaming, item, pipelineBodies } from "../support/pipeline";

const ITEM_FIELDS = [
  "id", "name", "description", "baseConnectionId", "connectionSpec", "data", "params", "state", "createdAt", "updatedAt",
  "createdBy", "updatedBy", "createdClient", "updatedClient", "sandboxId", "sandboxName", "imsOrgId", "version", "etag",
].sort();

describe("source connections", () => {
  let h: Harness;
  const clientA = { clientId: "client-a", clientSecret: "secret-a", orgId: "ORGA@AdobeOrg", sandboxes: ["prod", "dev"] };
  const clientB = { clientId: "client-b", clientSecret: "secret-b", orgId: "ORGB@AdobeOrg", sandboxes: ["prod"] };
  let s3Base: string;
  beforeAll(async () => {
    h = await Harness.start({ clients: [clientA, clientB] });
  });
  afterAll(() => h.stop());
  beforeEach(async () => {
    await h.reset();
    s3Base = (await h.create(bodies.s3())).id;
  });

  it("creates, reads, patches and deletes a source connection", async () => {
    const c = await created(h, "/sourceConnections", pipelineBodies.source(s3Base));
    expect(c).toEqual({ id: expect.stringMatching(UUID), etag: expect.stringMatching(ETAG) });
    const got = await item(h, "/sourceConnections", c.id);
    expect(Object.keys(got).sort()).toEqual(ITEM_FIELDS);
    expect(got).toMatchObject({
      id: c.id,
      name: "S3 source connection",
      baseConnectionId: s3Base,
      connectionSpec: { id: SPEC.s3, version: "1.0" },
      data: { format: "delimited", columnDelimiter: ",", properties: { compressionType: "gzip" } },
      params: { path: "/acme/summer-collection.csv", recursive: "false" },
      state: "enabled",
      createdBy: "client-a",
      createdClient: "client-a@techacct.adobe.com",
      sandboxName: "prod",
      imsOrgId: "ORGA@AdobeOrg",
      etag: c.etag,
      version: c.etag,
    });

    const patched = await h.api("PATCH", `/sourceConnections/${c.id}`, {
      body: [
        { op: "replace", path: "/name", value: "renamed" },
        { op: "replace", path: "/params/path", value: "/acme/autumn.csv" },
        { op: "remove", path: "/data/properties" },
        { op: "remove", path: "/description" },
      ],
      headers: { "if-match": c.etag },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ id: c.id, etag: expect.stringMatching(ETAG) });
    expect(patched.body.etag).not.toBe(c.etag);
    expect(await item(h, "/sourceConnections", c.id)).toMatchObject({
      name: "renamed",
      description: "",
      params: { path: "/acme/autumn.csv" },
      data: { format: "delimited", columnDelimiter: "," },
      etag: patched.body.etag,
    });
    expect((await item(h, "/sourceConnections", c.id)).data.properties).toBeUndefined();

    expect((await h.api("DELETE", `/sourceConnections/${c.id}`)).status).toBe(204);
    expectFlowError(await h.api("GET", `/sourceConnections/${c.id}`), "1101-404");
    expectFlowError(await h.api("DELETE", `/sourceConnections/${c.id}`), "1101-404");
  });

  it("takes the body of Adobe's cloud storage tutorial (delimiter and encoding under data.properties, params.type)", async () => {
    const body = {
      name: "Cloud Storage source connection",
      baseConnectionId: s3Base,
      data: { format: "delimited", properties: { columnDelimiter: "|", encoding: "ISO-8859-1", compressionType: "tarGzip" } },
      params: { path: "/acme/summerCampaign/*premium*.csv", type: "folder", recursive: true },
      connectionSpec: { id: SPEC.s3, version: "1.0" },
    };
    const c = await created(h, "/sourceConnections", body);
    expect(await item(h, "/sourceConnections", c.id)).toMatchObject({ data: body.data, params: body.params });
    const latin = { ...body, data: { format: "delimited", properties: { encoding: "latin1" } } };
    expectFlowErrorNaming(await h.api("POST", "/sourceConnections", { body: latin }), "1100-400", "data.properties.encoding");
    const wrongType = { ...body, params: { path: "/a", type: "bucket" } };
    expectFlowErrorNaming(await h.api("POST", "/sourceConnections", { body: wrongType }), "1100-400", "params.type");
  });

  it("takes a streaming source connection without a path, in JSON only", async () => {
    const streamBase = (await h.create(bodies.streaming())).id;
    const c = await created(h, "/sourceConnections", pipelineBodies.streamingSource(streamBase));
    expect(await item(h, "/sourceConnections", c.id)).toMatchObject({ connectionSpec: { id: SPEC.streaming }, data: { format: "json" }, params: {} });
    const withPath = { ...pipelineBodies.streamingSource(streamBase), params: { path: "/x" } };
    expectFlowErrorNaming(await h.api("POST", "/sourceConnections", { body: withPath }), "1100-400", "params.path");
    const csv = { ...pipelineBodies.streamingSource(streamBase), data: { format: "delimited" } };
    expectFlowErrorNaming(await h.api("POST", "/sourceConnections", { body: csv }), "1100-400", "data.format");
  });

  it.each([
    ["no name", { name: undefined }, "name"],
    ["a blank name", { name: "  " }, "name"],
    ["no baseConnectionId", { baseConnectionId: undefined }, "baseConnectionId"],
    ["an unknown data format", { data: { format: "xml" } }, "data.format"],
    ["a two-character column delimiter", { data: { format: "delimited", columnDelimiter: ";;" } }, "data.columnDelimiter"],
    ["an unknown compression", { data: { format: "delimited", properties: { compressionType: "zip" } } }, "data.properties.compressionType"],
    ["recursive as a word", { params: { path: "/a", recursive: "yes" } }, "params.recursive"],
    ["an unknown param", { params: { path: "/a", glob: "*" } }, "params"],
    ["no data.format on a file spec", { data: {} }, "data.format"],
    ["no params.path on a file spec", { params: {} }, "params.path"],
  ])("refuses %s, naming the field", async (_what, change, field) => {
    const body = { ...pipelineBodies.source(s3Base), ...change };
    expectFlowErrorNaming(await h.api("POST", "/sourceConnections", { body: JSON.parse(JSON.stringify(body)) }), "1100-400", field);
  });

  it("refuses a body that is not JSON, and an unknown connection spec", async () => {
    expectFlowError(await h.api("POST", "/sourceConnections", { raw: "{nope", headers: { "content-type": "application/json" } }), "1405-400");
    const body = { ...pipelineBodies.source(s3Base), connectionSpec: { id: "00000000-0000-0000-0000-000000000000", version: "1.0" } };
    expectFlowErrorNaming(await h.api("POST", "/sourceConnections", { body }), "1413-400", "connectionSpec.id");
  });

  describe("referential integrity", () => {
    it("refuses a base connection that does not exist, naming baseConnectionId", async () => {
      const body = pipelineBodies.source("7a0c5b51-0000-4000-8000-000000000000");
      expectFlowErrorNaming(await h.api("POST", "/sourceConnections", { body }), "1100-400", "baseConnectionId");
    });

    it("refuses a base connection of another sandbox or org as if it did not exist", async () => {
      const otherSandbox = (await h.create(bodies.s3(), { sandbox: "dev" })).id;
      expectFlowErrorNaming(await h.api("POST", "/sourceConnections", { body: pipelineBodies.source(otherSandbox) }), "1100-400", "baseConnectionId");
      const otherOrg = (await h.create(bodies.s3(), { client: clientB })).id;
      expectFlowErrorNaming(await h.api("POST", "/sourceConnections", { body: pipelineBodies.source(otherOrg) }), "1100-400", "baseConnectionId");
    });

    it("refuses a Data Lake (dataset base) connection as the base", async () => {
      const lake = (await h.create(bodies.datasetBase())).id;
      const body = { ...pipelineBodies.source(lake), connectionSpec: { id: SPEC.datasetBase, version: "1.0" } };
      const message = expectFlowErrorNaming(await h.api("POST", "/sourceConnections", { body }), "1100-400", "baseConnectionId");
      expect(message).toContain("Data Lake");
    });

    it("refuses a connection spec other than the base connection's, naming connectionSpec.id", async () => {
      const body = pipelineBodies.source(s3Base, SPEC.ftp);
      expectFlowErrorNaming(await h.api("POST", "/sourceConnections", { body }), "1100-400", "connectionSpec.id");
    });
  });

  describe("PATCH", () => {
    let c: { id: string; etag: string };
    beforeEach(async () => {
      c = await created(h, "/sourceConnections", pipelineBodies.source(s3Base));
    });
    const rename = [{ op: "replace", path: "/name", value: "x" }];

    it("needs If-Match (1403-400) equal to the etag (1404-412)", async () => {
      expectFlowError(await h.api("PATCH", `/sourceConnections/${c.id}`, { body: rename }), "1403-400");
      expectFlowError(await h.api("PATCH", `/sourceConnections/${c.id}`, { body: rename, headers: { "if-match": '"stale"' } }), "1404-412");
      const ok = await h.api("PATCH", `/sourceConnections/${c.id}`, { body: rename, headers: { "if-match": c.etag } });
      expect(ok.status).toBe(200);
      // The old etag is stale now.
      expectFlowError(await h.api("PATCH", `/sourceConnections/${c.id}`, { body: rename, headers: { "if-match": c.etag } }), "1404-412");
    });

    it.each([
      ["/baseConnectionId", "1100-400"],
      ["/connectionSpec", "1414-400"],
      ["/connectionSpec/id", "1414-400"],
      ["/state", "1455-400"],
      ["/name/first", "1455-400"],
    ])("refuses a patch of %s (%s)", async (path, code) => {
      expectFlowErrorNaming(await h.api("PATCH", `/sourceConnections/${c.id}`, { body: [{ op: "replace", path, value: "x" }], headers: { "if-match": c.etag } }), code, path);
    });

    it("re-validates /data and /params as a POST does", async () => {
      const patch = (body: unknown) => h.api("PATCH", `/sourceConnections/${c.id}`, { body, headers: { "if-match": c.etag } });
      expectFlowErrorNaming(await patch([{ op: "replace", path: "/data/format", value: "xml" }]), "1100-400", "data.format");
      expectFlowErrorNaming(await patch([{ op: "remove", path: "/params/path" }]), "1100-400", "params.path");
      expectFlowErrorNaming(await patch([{ op: "add", path: "/params/glob", value: "*" }]), "1100-400", "params");
      expectFlowError(await patch([{ op: "move", path: "/name", from: "/description" }]), "1434-400");
      expectFlowError(await patch([]), "1405-400");
      // Nothing of the refused patches was stored.
      expect((await item(h, "/sourceConnections", c.id)).etag).toBe(c.etag);
      const whole = await patch([{ op: "replace", path: "/params", value: { path: "/b", recursive: true } }]);
      expect(whole.status).toBe(200);
      expect((await item(h, "/sourceConnections", c.id)).params).toEqual({ path: "/b", recursive: true });
    });
  });

  it("is isolated by sandbox and org: another's source connection is a 1101-404 everywhere", async () => {
    const c = await created(h, "/sourceConnections", pipelineBodies.source(s3Base));
    for (const opts of [{ sandbox: "dev" }, { client: clientB }]) {
      expectFlowError(await h.api("GET", `/sourceConnections/${c.id}`, opts), "1101-404");
      expectFlowError(await h.api("PATCH", `/sourceConnections/${c.id}`, { ...opts, body: [{ op: "replace", path: "/name", value: "x" }], headers: { "if-match": c.etag } }), "1101-404");
      expectFlowError(await h.api("DELETE", `/sourceConnections/${c.id}`, opts), "1101-404");
      expect((await h.api("GET", "/sourceConnections", opts)).body.items).toEqual([]);
    }
    expect((await h.api("GET", `/sourceConnections/${c.id}`)).status).toBe(200);
  });

  it("lists with the rules of /connections: filters, count, paging", async () => {
    const ftpBase = (await h.create(bodies.ftp())).id;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await created(h, "/sourceConnections", pipelineBodies.source(s3Base, SPEC.s3, `s3-${i}`))).id);
    const ftp = await created(h, "/sourceConnections", pipelineBodies.source(ftpBase, SPEC.ftp, "ftp-one"));

    const all = await h.api("GET", "/sourceConnections");
    expect(all.body.items.map((s: { id: string }) => s.id)).toEqual([ftp.id, ...[...ids].reverse()]);
    expect(all.body._links).toEqual({});
    const byName = await h.api("GET", `/sourceConnections?property=${encodeURIComponent('name=="s3-2"')}`);
    expect(byName.body.items.map((s: { id: string }) => s.id)).toEqual([ids[2]]);
    const bySpec = await h.api("GET", `/sourceConnections?property=connectionSpec.id==${SPEC.ftp}`);
    expect(bySpec.body.items.map((s: { id: string }) => s.id)).toEqual([ftp.id]);
    const byBase = await h.api("GET", `/sourceConnections?property=baseConnectionId==${s3Base}&count=true`);
    expect(byBase.body).toEqual({ count: 5 });
    expectFlowError(await h.api("GET", "/sourceConnections?property=params.path==x"), "1400-400");
    expectFlowError(await h.api("GET", "/sourceConnections?limit=101"), "1400-400");

    const seen: string[] = [];
    let path = "/sourceConnections?limit=2&orderby=%2Bname";
    for (let pages = 0; pages < 10; pages++) {
      const res = await h.api("GET", path);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((s: { name: string }) => s.name));
      if (!res.body._links.next) break;
      path = res.body._links.next.href;
      expect(path.startsWith("/sourceConnections?")).toBe(true);
    }
    expect(seen).toEqual(["ftp-one", "s3-0", "s3-1", "s3-2", "s3-3", "s3-4"]);
  });
});
