import { CONNECTION_SPECS, FLOW_SPECS } from "../../../provider/catalog";
import type { CatalogAuthSpec, CatalogConnectionSpec, CatalogFlowSpec, CatalogParam } from "../../../provider/catalog/types";
import { startEmulator } from "../../../emulator";
import { bodies, expectFlowError, Harness, SPEC } from "../../helpers/emulator";
import { createMappingSet, created, expectFlowErrorNaming, FLOW_SPEC, pipelineBodies } from "../support/pipeline";

/**
 * The emulator serves every spec of the package's catalog, and checks every connection against its spec, over
 * real HTTP. Entries beyond the catalog come in through `startEmulator({ extraConnectionSpecs })`: the
 * fixtures below are catalog-shaped (provider/catalog/types.ts) so these tests never depend on which entries
 * ship.
 */

/** A file-based cloud-storage source, shaped like Adobe's Azure Blob spec (not its id: the catalog may ship that). */
const BLOB: CatalogConnectionSpec = {
  id: "7e57b10b-0000-4000-8000-00000000b10b",
  name: "test-blob-storage",
  title: "Blob storage (test fixture)",
  category: "CloudStorage",
  authSpecs: [
    {
      name: "ConnectionString",
      type: "ConnectionString",
      params: [{ name: "connectionString", type: "string", required: true, secret: true, description: "Account connection string.", minLength: 1 }],
    },
    {
      name: "Account Key",
      type: "AccountKey",
      params: [
        { name: "accountName", type: "string", required: true, secret: false, description: "Storage account.", pattern: "^[a-z0-9]{3,24}$" },
        { name: "accountKey", type: "string", required: true, secret: true, description: "Account key." },
        { name: "tier", type: "string", required: false, secret: false, description: "Access tier.", enum: ["hot", "cool"] },
        { name: "timeoutSeconds", type: "integer", required: false, secret: false, description: "Request timeout.", minimum: 5, maximum: 600 },
        { name: "folderPath", type: "string", required: false, secret: false, description: "Folder the connection reads from." },
      ],
    },
  ],
  sourceParams: [{ name: "path", type: "string", required: true, secret: false, description: "File or folder to read." }],
  fileBased: true,
  flowSpecNames: ["CloudStorageToAEP"],
  explorable: true,
  source: "https://example.test/blob",
};

/** A database source: explore lists its tables. */
const DATABASE: CatalogConnectionSpec = {
  id: "7e57db00-0000-4000-8000-0000000000db",
  name: "test-database",
  title: "Database (test fixture)",
  category: "Database",
  authSpecs: [
    {
      name: "Connection String Authentication",
      type: "ConnectionString",
      params: [{ name: "connectionString", type: "string", required: true, secret: true, description: "Server, database and credentials." }],
    },
  ],
  sourceParams: [{ name: "tableName", type: "string", required: true, secret: false, description: "Table to read." }],
  fileBased: false,
  flowSpecNames: ["test-database-flow"],
  explorable: true,
  source: "https://example.test/database",
};

const DATABASE_FLOW: CatalogFlowSpec = {
  id: "7e57f10e-0000-4000-8000-0000000000f1",
  name: "test-database-flow",
  providerId: "0ed90a81-07f4-4586-8190-b40eccef1c5a",
  sourceConnectionSpecIds: [],
  targetConnectionSpecIds: [SPEC.datasetBase],
  mapping: "optional",
  schedule: { frequencies: ["once", "hour"], minInterval: { hour: 2 }, backfill: false },
  source: "https://example.test/database-flow",
};

const EXTRAS = [BLOB, DATABASE];
/** Every spec a connection can be made of: the catalog's and the fixtures, each with at least one auth spec. */
const ALL = [...CONNECTION_SPECS, ...EXTRAS];
const SOURCES = ALL.filter((s) => s.authSpecs.length > 0);

/** Strings a generated value may take when a param has a pattern; the first that fits wins. */
const PATTERN_CANDIDATES = ["abc123", "AAAA", "abc", "https://s3.us-east-1.amazonaws.com", "a-b", "value", "1"];

/**
 * A valid value for a catalog param, from its type and bounds (the test's own generator: it knows nothing of the
 * emulator's schemas). Undefined when no candidate fits an optional param's pattern; a required one fails loudly.
 */
function valueFor(p: CatalogParam, seed: string): unknown {
  if (p.enum !== undefined) return p.enum[0];
  if (p.type === "boolean") return true;
  if (p.type === "integer" || p.type === "number") return Math.min(Math.max(p.minimum ?? 1, 1), p.maximum ?? Number.MAX_SAFE_INTEGER);
  if (p.type === "object") return {};
  if (p.type === "array") return [];
  if (p.format === "uri") return "https://example.com/path";
  if (p.format === "email") return "someone@example.com";
  const fits = (v: string) => v.length >= (p.minLength ?? 0) && v.length <= (p.maxLength ?? Infinity) && (p.pattern === undefined || new RegExp(p.pattern).test(v));
  const plain = `${seed}-${p.name}`.replace(/[^A-Za-z0-9-]/g, "").slice(0, p.maxLength ?? 64).padEnd(p.minLength ?? 1, "x");
  const found = [plain, ...PATTERN_CANDIDATES].find(fits);
  if (found === undefined && p.required) throw new Error(`the test's generator has no value for required param '${p.name}' (pattern ${p.pattern}): add a candidate to PATTERN_CANDIDATES`);
  return found;
}

/** Every param of the auth spec that the generator can fill (all required ones). */
function paramsFor(auth: CatalogAuthSpec, seed: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of auth.params) {
    const v = valueFor(p, seed);
    if (v !== undefined) out[p.name] = v;
  }
  return out;
}

function bodyFor(spec: CatalogConnectionSpec, auth: CatalogAuthSpec, params = paramsFor(auth, "secret")): Record<string, unknown> {
  return { name: `${spec.name} via ${auth.name}`, connectionSpec: { id: spec.id, version: "1.0" }, auth: { specName: auth.name, params } };
}

const cases = SOURCES.flatMap((spec) => spec.authSpecs.map((auth) => ({ spec, auth, label: `${spec.name} / ${auth.name}` })));

let h: Harness;
beforeAll(async () => {
  h = new Harness(await startEmulator({ port: 0, extraConnectionSpecs: EXTRAS, extraFlowSpecs: [DATABASE_FLOW] }));
});
afterAll(() => h.stop());

describe("GET /connectionSpecs and /flowSpecs serve the catalog", () => {
  it("lists every catalog connection spec and every extra, each fetchable by id", async () => {
    const listed = (await h.api("GET", "/connectionSpecs")).body.items.map((s: { id: string }) => s.id);
    expect(new Set(listed)).toEqual(new Set([...ALL.map((s) => s.id), ...Object.values(SPEC)]));
    for (const spec of ALL) {
      const res = await h.api("GET", `/connectionSpecs/${spec.id}`);
      expect({ status: res.status, id: res.body.items?.[0]?.id, name: res.body.items?.[0]?.name }).toEqual({ status: 200, id: spec.id, name: spec.name });
    }
  });

  it("derives each catalog auth spec's JSON Schema from its params: names, required ones, secrets as format password", async () => {
    for (const spec of [...CONNECTION_SPECS.filter((s) => !Object.values(SPEC).includes(s.id)), ...EXTRAS]) {
      const served = (await h.api("GET", `/connectionSpecs/${spec.id}`)).body.items[0];
      expect(served.authSpec.map((a: { name: string }) => a.name)).toEqual(spec.authSpecs.map((a) => a.name));
      for (const auth of spec.authSpecs) {
        const schema = served.authSpec.find((a: { name: string }) => a.name === auth.name).spec;
        expect(schema).toEqual(expect.objectContaining({ $schema: "http://json-schema.org/draft-07/schema#", type: "object", additionalProperties: false }));
        expect(Object.keys(schema.properties).sort()).toEqual(auth.params.map((p) => p.name).sort());
        expect([...schema.required].sort()).toEqual(auth.params.filter((p) => p.required).map((p) => p.name).sort());
        const secrets = Object.keys(schema.properties).filter((k) => schema.properties[k].format === "password");
        expect(secrets.sort()).toEqual(auth.params.filter((p) => p.secret).map((p) => p.name).sort());
      }
    }
  });

  it("keeps the hand-written five exactly, stricter bits included: an S3 bucket that is an IP address is refused", async () => {
    const s3 = (await h.api("GET", `/connectionSpecs/${SPEC.s3}`)).body.items[0];
    expect(s3.authSpec[0].spec.properties.bucketName.not).toBeDefined();
    const body = bodies.s3();
    (body.auth.params as Record<string, unknown>).bucketName = "192.168.10.20";
    expect(expectFlowError(await h.api("POST", "/connections", { body }), "1100-400")).toContain("bucketName");
  });

  it("pages the specs with limit and a continuation token, and counts them", async () => {
    const total = (await h.api("GET", "/connectionSpecs?count=true")).body.count;
    expect(total).toBe(ALL.length + Object.values(SPEC).filter((id) => !ALL.some((s) => s.id === id)).length);
    const seen: string[] = [];
    let path = "/connectionSpecs?limit=2";
    for (let page = 0; page < 100 && path; page++) {
      const res = await h.api("GET", path);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((s: { id: string }) => s.id));
      path = res.body._links.next?.href ?? "";
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it("lists every catalog flow spec and every extra, fetchable by id; a source's flowSpecNames add it to the flow spec's sources", async () => {
    const listed = (await h.api("GET", "/flowSpecs")).body.items.map((s: { id: string }) => s.id);
    for (const flow of [...FLOW_SPECS, DATABASE_FLOW]) {
      expect(listed).toContain(flow.id);
      const res = await h.api("GET", `/flowSpecs/${flow.id}`);
      expect({ status: res.status, name: res.body.items?.[0]?.name }).toEqual({ status: 200, name: flow.name });
    }
    const cloud = (await h.api("GET", "/flowSpecs?property=name==CloudStorageToAEP")).body.items[0];
    expect(cloud.sourceConnectionSpecIds).toEqual(expect.arrayContaining([SPEC.ftp, SPEC.sftp, SPEC.s3, BLOB.id]));
    const db = (await h.api("GET", `/flowSpecs/${DATABASE_FLOW.id}`)).body.items[0];
    expect(db.sourceConnectionSpecIds).toEqual([DATABASE.id]);
    expect(db.scheduleSpec.spec.properties.frequency.enum).toEqual(["once", "hour"]);
    expect(db.scheduleSpec.spec.properties.backfill).toBeUndefined();
  });

  it("refuses to start with an extra that clashes with a served spec, naming it", async () => {
    const clashing = CONNECTION_SPECS.find((s) => !Object.values(SPEC).includes(s.id));
    if (clashing) await expect(startEmulator({ port: 0, extraConnectionSpecs: [{ ...BLOB, id: clashing.id }] })).rejects.toThrow(/extraConnectionSpecs\[0\].*already served/);
    await expect(startEmulator({ port: 0, extraConnectionSpecs: [BLOB, { ...DATABASE, id: BLOB.id }] })).rejects.toThrow(/extraConnectionSpecs\[1\].*already served/);
  });
});

describe.each(cases)("a connection of $label", ({ spec, auth }) => {
  const params = paramsFor(auth, "s3cr3t-value");
  const secrets = auth.params.filter((p) => p.secret && params[p.name] !== undefined).map((p) => p.name);

  it("is created, read back with its secrets masked and never returned, patched and deleted", async () => {
    const created = await h.api("POST", "/connections", { body: bodyFor(spec, auth, params) });
    expect(created.status).toBe(201);
    const { id, etag } = created.body;

    const read = await h.api("GET", `/connections/${id}`);
    const item = read.body.items[0];
    expect(item.auth.specName).toBe(auth.name);
    for (const p of auth.params) {
      if (params[p.name] === undefined) continue;
      if (p.secret) expect(item.auth.params[p.name]).toBe("********");
      else expect(item.auth.params[p.name]).toEqual(params[p.name]);
    }
    const listed = await h.api("GET", `/connections?property=id==${id}`);
    for (const key of secrets) {
      expect(read.text).not.toContain(String(params[key]));
      expect(listed.text).not.toContain(String(params[key]));
    }

    const patched = await h.api("PATCH", `/connections/${id}`, { headers: { "if-match": etag }, body: [{ op: "replace", path: "/name", value: "renamed" }] });
    expect(patched.status).toBe(200);
    expect(patched.body.etag).not.toBe(etag);
    expect((await h.api("GET", `/connections/${id}`)).body.items[0].name).toBe("renamed");

    expect((await h.api("DELETE", `/connections/${id}`)).status).toBe(204);
    expectFlowError(await h.api("GET", `/connections/${id}`), "1101-404");
  });

  const required = auth.params.find((p) => p.required);
  const typed = auth.params.find((p) => p.type === "string") ?? auth.params[0];

  (required ? it : it.skip)("without a required param is Flow Service's 1100-400 naming it", async () => {
    const { [required!.name]: _left, ...rest } = params;
    const message = expectFlowError(await h.api("POST", "/connections", { body: bodyFor(spec, auth, rest) }), "1100-400");
    expect(message).toContain(required!.name);
  });

  (typed ? it : it.skip)("with a param of the wrong type is 1100-400 naming it", async () => {
    const wrong = typed!.type === "string" ? 12345 : "not-a-" + typed!.type;
    const message = expectFlowError(await h.api("POST", "/connections", { body: bodyFor(spec, auth, { ...params, [typed!.name]: wrong }) }), "1100-400");
    expect(message).toContain(`auth.params.${typed!.name}`);
  });

  it("with an auth spec name the spec does not have is 1415-400 naming the spec's auth specs", async () => {
    const body = bodyFor(spec, auth, params) as { auth: { specName: string } };
    body.auth.specName = "No Such Authentication";
    const message = expectFlowError(await h.api("POST", "/connections", { body }), "1415-400");
    expect(message).toContain(`'${auth.name}'`);
  });

  it("with a param the auth spec does not list is 1100-400 naming it", async () => {
    const message = expectFlowError(await h.api("POST", "/connections", { body: bodyFor(spec, auth, { ...params, notAParam: "x" }) }), "1100-400");
    expect(message).toContain("notAParam");
  });
});

describe("a PATCH of a catalog connection's params", () => {
  it("is checked against the derived auth schema, naming the param", async () => {
    const auth = BLOB.authSpecs[1];
    const { id, etag } = await h.create(bodyFor(BLOB, auth));
    const patch = (value: unknown) => h.api("PATCH", `/connections/${id}`, { headers: { "if-match": etag }, body: [{ op: "replace", path: "/auth/params/accountName", value }] });
    expect(expectFlowError(await patch("Not Valid!"), "1100-400")).toContain("auth.params.accountName");
    expect(expectFlowError(await h.api("PATCH", `/connections/${id}`, { headers: { "if-match": etag }, body: [{ op: "replace", path: "/auth/params/timeoutSeconds", value: 1 }] }), "1100-400")).toContain(
      "auth.params.timeoutSeconds",
    );
    expect((await patch("acme2")).status).toBe(200);
  });
});

describe("source connections on a catalog spec", () => {
  it("take the catalog's sourceParams: a required one missing is 1100-400 naming it; a file source needs data.format", async () => {
    const base = await h.create(bodyFor(BLOB, BLOB.authSpecs[0]));
    const source = (params: Record<string, unknown>, data: Record<string, unknown> = { format: "delimited" }) =>
      h.api("POST", "/sourceConnections", { body: { name: "blob in", baseConnectionId: base.id, connectionSpec: { id: BLOB.id, version: "1.0" }, data, params } });
    expect((await source({ path: "/in/orders.csv", recursive: "false" })).status).toBe(201);
    expect(expectFlowError(await source({}), "1100-400")).toContain("params.path");
    expect(expectFlowError(await source({ path: "/in" }, {}), "1100-400")).toContain("data.format");
    expect(expectFlowError(await source({ path: "/in", colour: "red" }), "1100-400")).toContain("colour");
    expect(expectFlowError(await source({ path: "" }), "1100-400")).toContain("params.path");
  });

  it("of the five keep their stricter rules beside the catalog's: an empty path is refused", async () => {
    const base = await h.create(bodies.s3());
    const body = { ...pipelineBodies.source(base.id), params: { path: "" } };
    expect(expectFlowError(await h.api("POST", "/sourceConnections", { body }), "1100-400")).toContain("params.path");
  });

  it("of a database take the params its tutorials send beyond those listed", async () => {
    const base = await h.create(bodyFor(DATABASE, DATABASE.authSpecs[0]));
    const source = (params: Record<string, unknown>) =>
      h.api("POST", "/sourceConnections", { body: { name: "db in", baseConnectionId: base.id, connectionSpec: { id: DATABASE.id, version: "1.0" }, params } });
    expect((await source({ tableName: "sales.orders", columns: ["id"] })).status).toBe(201);
    expect(expectFlowError(await source({ columns: ["id"] }), "1100-400")).toContain("params.tableName");
    expect(expectFlowError(await source({ tableName: 7 }), "1100-400")).toContain("params.tableName");
  });
});

describe("test and explore on a catalog spec's simulated remote", () => {
  beforeEach(() => h.control.clearRemotes());

  const blobRemote = {
    connectionSpecId: BLOB.id,
    credentials: [{ connectionString: "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=k3y" }],
    files: [{ path: "/landing/orders.csv", columns: [{ name: "id", type: "string" }, { name: "total", type: "double" }], rows: [{ id: "1", total: 2.5 }] }],
    folders: ["/empty"],
  };
  const connect = (connectionString: string) => h.create(bodyFor(BLOB, BLOB.authSpecs[0], { connectionString }));

  it("answers the test true when a remote of the spec accepts the connection's params, false otherwise", async () => {
    const good = await connect(blobRemote.credentials[0].connectionString);
    const wrong = await connect("DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=other");
    expect((await h.api("GET", `/connections/${good.id}/test`)).body).toEqual({ result: false });
    h.control.addRemote(blobRemote);
    expect((await h.api("GET", `/connections/${good.id}/test`)).body).toEqual({ result: true });
    expect((await h.api("GET", `/connections/${wrong.id}/test`)).body).toEqual({ result: false });
  });

  it("explores the remote's folders and files and previews a file", async () => {
    h.control.addRemote(blobRemote);
    const { id } = await connect(blobRemote.credentials[0].connectionString);
    const root = await h.api("GET", `/connections/${id}/explore?objectType=root`);
    expect(root.body.map((e: { type: string; name: string }) => `${e.type}:${e.name}`)).toEqual(["folder:empty", "folder:landing"]);
    const folder = await h.api("GET", `/connections/${id}/explore?objectType=folder&object=/landing`);
    expect(folder.body).toEqual([{ type: "file", name: "orders.csv", path: "/landing/orders.csv", canPreview: true, canFetchSchema: true }]);
    const file = await h.api("GET", `/connections/${id}/explore?objectType=file&object=/landing/orders.csv&fileType=delimited&preview=true`);
    expect(file.body.data).toEqual([{ id: "1", total: 2.5 }]);
    const refused = await h.api("GET", `/connections/${(await connect("nope")).id}/explore?objectType=root`);
    const message = expectFlowError(refused, "1100-400");
    expect(message).toContain("refused the credentials");
    expect(message).not.toContain("nope");
  });

  it("explores a database's tables", async () => {
    h.control.addRemote({
      connectionSpecId: DATABASE.id,
      credentials: [{ connectionString: "Server=db;User=u;Password=p" }],
      tables: [{ name: "sales.orders", columns: [{ name: "id", type: "long" }], rows: [{ id: 7 }] }, { name: "sales.empty" }],
    });
    const { id } = await h.create(bodyFor(DATABASE, DATABASE.authSpecs[0], { connectionString: "Server=db;User=u;Password=p" }));
    const root = await h.api("GET", `/connections/${id}/explore`);
    expect(root.body).toEqual([
      { type: "table", name: "sales.empty", path: "sales.empty", canPreview: false, canFetchSchema: false },
      { type: "table", name: "sales.orders", path: "sales.orders", canPreview: true, canFetchSchema: true },
    ]);
    const table = await h.api("GET", `/connections/${id}/explore?objectType=table&object=sales.orders&preview=true`);
    expect(table.body).toEqual({ format: "flat", schema: { columns: [{ name: "id", type: "long", xdm: { type: "integer" } }] }, data: [{ id: 7 }] });
    expectFlowError(await h.api("GET", `/connections/${id}/explore?objectType=folder&object=/x`), "1400-400");
  });

  it("refuses a remote for a spec that is not served, not explorable, or has a kind, naming the fix", async () => {
    const refused = async (body: unknown) => (await h.admin("POST", "/remotes", body)).body;
    expect((await h.admin("POST", "/remotes", { connectionSpecId: "nope", credentials: [{ a: "b" }] })).status).toBe(400);
    expect(JSON.stringify(await refused({ connectionSpecId: "nope", credentials: [{ a: "b" }] }))).toContain("GET /connectionSpecs");
    expect(JSON.stringify(await refused({ connectionSpecId: SPEC.streaming, credentials: [{ name: "x" }] }))).toContain("not explorable");
    expect(JSON.stringify(await refused({ connectionSpecId: SPEC.ftp, credentials: [{ host: "x" }] }))).toContain('kind \\"ftp\\"');
    expect(JSON.stringify(await refused({ connectionSpecId: BLOB.id, credentials: [{ colour: "x" }] }))).toContain("'colour' is no auth param");
  });
});

describe("dataflows on catalog flow specs", () => {
  const hourly = { startTime: "1597784298", frequency: "hour", interval: "2" };
  const databasePipeline = async () => {
    const base = await h.create(bodyFor(DATABASE, DATABASE.authSpecs[0]));
    const source = await created(h, "/sourceConnections", { name: "db in", baseConnectionId: base.id, connectionSpec: { id: DATABASE.id, version: "1.0" }, params: { tableName: "sales.orders" } });
    const target = await created(h, "/targetConnections", pipelineBodies.target());
    return (extra: Record<string, unknown>) => ({
      name: "Database flow",
      flowSpec: { id: DATABASE_FLOW.id, version: "1.0" },
      sourceConnectionIds: [source.id],
      targetConnectionIds: [target.id],
      scheduleParams: hourly,
      ...extra,
    });
  };

  it("take a source whose spec names the flow spec, and leave an optional mapping out", async () => {
    const flow = await databasePipeline();
    expect((await h.api("POST", "/flows", { body: flow({}) })).status).toBe(201);
  });

  it("hold the schedule to the catalog's frequencies, least intervals and backfill", async () => {
    const flow = await databasePipeline();
    expectFlowErrorNaming(await h.api("POST", "/flows", { body: flow({ scheduleParams: { ...hourly, interval: "1" } }) }), "1100-400", "scheduleParams.interval");
    expectFlowErrorNaming(await h.api("POST", "/flows", { body: flow({ scheduleParams: { ...hourly, frequency: "minute", interval: "15" } }) }), "1100-400", "scheduleParams.frequency");
    expectFlowErrorNaming(await h.api("POST", "/flows", { body: flow({ scheduleParams: { ...hourly, backfill: "true" } }) }), "1100-400", "scheduleParams.backfill");
  });

  it("run a catalog cloud-storage source on CloudStorageToAEP, the flow spec its entry names", async () => {
    const base = await h.create(bodyFor(BLOB, BLOB.authSpecs[0]));
    const source = await created(h, "/sourceConnections", { ...pipelineBodies.source(base.id, BLOB.id), params: { path: "/landing/orders.csv" } });
    const target = await created(h, "/targetConnections", pipelineBodies.target());
    const mappingId = await createMappingSet(h);
    const body = pipelineBodies.flow(source.id, target.id, mappingId);
    expect(body.flowSpec.id).toBe(FLOW_SPEC.cloudStorage);
    expect((await h.api("POST", "/flows", { body })).status).toBe(201);
  });
});
