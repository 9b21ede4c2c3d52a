/**
 * Each of Adobe's tutorials for a connection type, replayed from its published examples
 * (test/emulator/fixtures/tutorials/, the request and response examples of those tutorials) with the placeholders
 * filled in: the documented status and response shape. The SFTP tutorial's body is malformed JSON and
 * must get a clear 400. The contract: docs/flow-service-contract.md.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ETAG, expectFlowError, Harness, request, SPEC, UUID } from "../../helpers/emulator";

type Json = any;
const tutorial = (name: string): Json => JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "tutorials", `${name}.json`), "utf8"));
const datasetBase = tutorial("dataset-base");
const ftp = tutorial("ftp");
const s3 = tutorial("s3");
const sftp = tutorial("sftp");
const streaming = tutorial("streaming");

/** What the tutorials' placeholders stand for here. */
const VALUES: Record<string, string> = {
  "{HOST}": "ftp.example.com",
  "{USERNAME}": "alice",
  "{PASSWORD}": "hunter2",
  "{HOST_NAME}": "sftp.example.com",
  "{USER_NAME}": "bob",
  "{S3_ACCESS_KEY}": "AKIAIOSFODNN7EXAMPLE",
  "{S3_SECRET_KEY}": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const PLACEHOLDER = /\{[A-Z0-9_]+\}/g;

/** The example with every placeholder filled in (throws on one this test does not know). */
function fill(example: Json): Json {
  const text = typeof example === "string" ? example : JSON.stringify(example);
  const filled = text.replace(PLACEHOLDER, (p) => {
    if (!(p in VALUES)) throw new Error(`no value for the placeholder ${p}`);
    return VALUES[p];
  });
  return typeof example === "string" ? filled : JSON.parse(filled);
}

/**
 * The shape of a documented response: its ids, etags, numbers and text as matchers, everything else
 * as documented. Extra fields in the emulator's answer are allowed (use with toMatchObject).
 */
function shapeOf(example: Json): Json {
  if (Array.isArray(example)) return example.map(shapeOf);
  if (example && typeof example === "object") return Object.fromEntries(Object.entries(example).map(([k, v]) => [k, shapeOf(v)]));
  if (typeof example === "number") return expect.any(Number);
  if (typeof example !== "string") return example;
  if (UUID.test(example)) return expect.stringMatching(UUID);
  if (ETAG.test(example)) return expect.stringMatching(ETAG);
  if (/^[0-9a-f]{64}$/.test(example)) return expect.stringMatching(/^[0-9a-f]{64}$/);
  return expect.any(String);
}

describe("Adobe's tutorials for each connection type", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  /** A create answered as the tutorial documents it: 201 with exactly `id` and a quoted `etag`. */
  const created = (res: { status: number; body: unknown }, documented: Json) => {
    expect(res.status).toBe(documented.status);
    expect(Object.keys(res.body as object).sort()).toEqual(Object.keys(documented.body).sort());
    expect(res.body).toEqual(shapeOf(documented.body));
    expect(res.body).toEqual({ id: expect.stringMatching(UUID), etag: expect.stringMatching(ETAG) });
  };

  it("dataset base: looks up the connection spec by id with a quoted property filter", async () => {
    const step = datasetBase.lookUpConnectionSpec;
    const res = await h.api(step.method, step.path);
    expect(res.status).toBe(step.response.status);
    expect(res.body.items).toHaveLength(1);
    const documented = step.response.body.items[0];
    expect(documented.id).toBe(SPEC.datasetBase);
    // Everything the tutorial shows, verbatim where it is not a placeholder.
    const { name, attributes, ...verbatim } = documented;
    expect(name).toBe("{NAME}");
    expect(attributes).toEqual({ category: "{CATEGORY}" });
    expect(res.body.items[0]).toEqual({
      ...verbatim,
      name: expect.any(String),
      authSpec: [],
      attributes: expect.objectContaining({ category: expect.any(String) }),
    });
  });

  it("dataset base: creates the base connection (201 with id and quoted etag)", async () => {
    const step = datasetBase.create;
    created(await h.api(step.method, step.path, { body: fill(step.body) }), step.response);
  });

  it("FTP: creates a connection with basic authentication", async () => {
    const step = ftp.create;
    expect(step.body.connectionSpec.id).toBe(SPEC.ftp);
    created(await h.api(step.method, step.path, { body: fill(step.body) }), step.response);
  });

  it("Amazon S3: creates a base connection with an access key", async () => {
    const step = s3.create;
    expect(step.body.connectionSpec.id).toBe(SPEC.s3);
    created(await h.api(step.method, step.path, { body: fill(step.body) }), step.response);
  });

  it("SFTP: the tutorial's malformed body gets a clear 400 1405-400", async () => {
    const step = sftp.create;
    expect(() => JSON.parse(step.rawBody)).toThrow();
    const res = await h.api(step.method, step.path, { raw: fill(step.rawBody), headers: { "content-type": "application/json" } });
    expect(expectFlowError(res, "1405-400")).toMatch(/not valid JSON/);
    expect((await h.admin("GET", "/connections")).body.items).toEqual([]);
  });

  it("SFTP: the tutorial's body, once made valid JSON and named, creates the connection", async () => {
    const step = sftp.create;
    const fixed = JSON.parse(`{ "name": "SFTP connection", ${fill(step.rawBody)}`);
    expect(fixed.connectionSpec.id).toBe(SPEC.sftp);
    created(await h.api(step.method, step.path, { body: fixed }), step.response);
  });

  it("streaming: creates a non-authenticated and an authenticated connection", async () => {
    for (const step of [streaming.createUnauthenticated, streaming.createAuthenticated]) {
      created(await h.api(step.method, step.path, { body: fill(step.body) }), step.response);
    }
    expect(streaming.createAuthenticated.body.auth.params.authenticationRequired).toBe(true);
  });

  it("streaming: GET returns the connection with its inletUrl, in the tutorial's shape", async () => {
    const body = fill(streaming.createUnauthenticated.body);
    const { id, etag } = (await h.api("POST", "/connections", { body })).body;
    const step = streaming.read;
    const res = await h.api(step.method, step.path.replace("{CONNECTION_ID}", id));
    expect(res.status).toBe(step.response.status);
    expect(res.body.items).toHaveLength(1);
    const item = res.body.items[0];
    // Every field the tutorial shows, of the kind it shows.
    expect(item).toMatchObject(shapeOf(step.response.body.items[0]));
    // And the values: what was sent, what the server fills in.
    expect(item).toMatchObject({
      createdBy: h.client.clientId,
      updatedBy: h.client.clientId,
      id,
      name: body.name,
      description: body.description,
      connectionSpec: { id: SPEC.streaming, version: "1.0" },
      state: "enabled",
      auth: {
        specName: body.auth.specName,
        params: {
          ...body.auth.params,
          inletUrl: expect.stringMatching(/\/collection\/[0-9a-f]{64}$/),
          inletId: expect.stringMatching(/^[0-9a-f]{64}$/),
          authenticationRequired: false,
        },
      },
      version: etag,
      etag,
    });
    expect(item.auth.params.inletUrl).toBe(`${h.emu.baseUrl}/collection/${item.auth.params.inletId}`);
  });

  it("streaming: the authenticated inlet answers the appendix's 401 without a token", async () => {
    const { id } = (await h.api("POST", "/connections", { body: fill(streaming.createAuthenticated.body) })).body;
    const { inletUrl } = (await h.get(id)).auth.params;
    const res = await request("POST", inletUrl, { body: { header: {}, body: {} }, headers: { "content-type": "application/json" } });
    const documented = streaming.sendWithoutToken.response;
    expect(res.status).toBe(documented.status);
    expect(documented.body.report.message).toBe("[id] Ims service token is empty");
    expect(res.body).toEqual({
      ...documented.body,
      report: { message: expect.stringMatching(/^\[.+\] Ims service token is empty$/) },
    });
  });
});
