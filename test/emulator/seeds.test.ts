/**
 * Each of Adobe's seed tutorials (shared/seeds) replayed with its placeholders filled: the documented
 * status and response shape. The SFTP tutorial's body is malformed JSON and must get a clear 400.
 */
import { ETAG, expectFlowError, Harness, request, SPEC, UUID } from "./helpers";

describe("Adobe's seed tutorials", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  const created = (res: { status: number; body: unknown }) => {
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(UUID), etag: expect.stringMatching(ETAG) });
  };

  it("dataset base: looks up the connection spec by id with a quoted property filter", async () => {
    const res = await h.api("GET", `/connectionSpecs?property=id=="${SPEC.datasetBase}"`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toEqual({
      id: SPEC.datasetBase,
      name: expect.any(String),
      providerId: "0ed90a81-07f4-4586-8190-b40eccef1c5a",
      version: "1.0",
      authSpec: [],
      targetSpec: {
        spec: {
          $schema: "http://json-schema.org/draft-07/schema#",
          type: "object",
          properties: { dataSetId: { type: "string" } },
          required: ["dataSetId"],
        },
      },
      attributes: expect.objectContaining({ category: expect.any(String) }),
      permissionsInfo: {
        view: [{ "@type": "lowLevel", name: "Dataset", permissions: ["read"] }],
        manage: [{ "@type": "lowLevel", name: "Dataset", permissions: ["write"] }],
      },
    });
  });

  it("dataset base: creates the base connection (201 with id and quoted etag)", async () => {
    created(
      await h.api("POST", "/connections", {
        body: { name: "Dataset Base Connection", description: "Dataset Base Connection", connectionSpec: { id: SPEC.datasetBase, version: "1.0" } },
      }),
    );
  });

  it("FTP: creates a connection with basic authentication", async () => {
    created(
      await h.api("POST", "/connections", {
        body: {
          name: "FTP connector with password",
          description: "FTP connector password",
          auth: { specName: "Basic Authentication for FTP", params: { host: "ftp.example.com", userName: "alice", password: "hunter2" } },
          connectionSpec: { id: SPEC.ftp, version: "1.0" },
        },
      }),
    );
  });

  it("Amazon S3: creates a base connection with an access key", async () => {
    created(
      await h.api("POST", "/connections", {
        body: {
          name: "S3 Connection",
          description: "Connection for an Amazon S3 account",
          auth: { specName: "Access Key", params: { s3AccessKey: "AKIAIOSFODNN7EXAMPLE", s3SecretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" } },
          connectionSpec: { id: SPEC.s3, version: "1.0" },
        },
      }),
    );
  });

  // The tutorial's -d argument, verbatim with placeholders filled: it is not JSON (no opening brace).
  const SFTP_TUTORIAL_BODY = `"auth": {
        "specName": "Basic Authentication for sftp",
        "params": {
            "host": "sftp.example.com",
            "userName": "bob",
            "password": "hunter2"
        }
    },
    "connectionSpec": {
        "id": "b7bf2577-4520-42c9-bae9-cad01560f7bc",
        "version": "1.0"
    }
}`;

  it("SFTP: the tutorial's malformed body gets a clear 400 1405-400", async () => {
    const res = await h.api("POST", "/connections", { raw: SFTP_TUTORIAL_BODY, headers: { "content-type": "application/json" } });
    expect(expectFlowError(res, "1405-400")).toMatch(/not valid JSON/);
    expect((await h.admin("GET", "/connections")).body.items).toEqual([]);
  });

  it("SFTP: the tutorial's body, once made valid JSON and named, creates the connection", async () => {
    const fixed = JSON.parse(`{ "name": "SFTP connection", ${SFTP_TUTORIAL_BODY}`);
    created(await h.api("POST", "/connections", { body: fixed }));
  });

  const streamingBody = (authenticationRequired?: boolean) => ({
    name: "Sample streaming connection",
    providerId: "521eee4d-8cbe-4906-bb48-fb6bd4450033",
    description: "Sample description",
    connectionSpec: { id: SPEC.streaming, version: "1.0" },
    auth: {
      specName: "Streaming Connection",
      params: { sourceId: "Sample connection", dataType: "xdm", name: "Sample connection", ...(authenticationRequired ? { authenticationRequired } : {}) },
    },
  });

  it("streaming: creates a non-authenticated and an authenticated connection", async () => {
    created(await h.api("POST", "/connections", { body: streamingBody() }));
    created(await h.api("POST", "/connections", { body: streamingBody(true) }));
  });

  it("streaming: GET returns the connection with its inletUrl, in the tutorial's shape", async () => {
    const { id, etag } = (await h.api("POST", "/connections", { body: streamingBody() })).body;
    const res = await h.api("GET", `/connections/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    const item = res.body.items[0];
    expect(item).toMatchObject({
      createdAt: expect.any(Number),
      updatedAt: expect.any(Number),
      createdBy: h.client.clientId,
      updatedBy: h.client.clientId,
      createdClient: expect.any(String),
      updatedClient: expect.any(String),
      id,
      name: "Sample streaming connection",
      description: "Sample description",
      connectionSpec: { id: SPEC.streaming, version: "1.0" },
      state: "enabled",
      auth: {
        specName: "Streaming Connection",
        params: {
          sourceId: "Sample connection",
          inletUrl: expect.stringMatching(/\/collection\/[0-9a-f]{64}$/),
          inletId: expect.stringMatching(/^[0-9a-f]{64}$/),
          dataType: "xdm",
          name: "Sample connection",
          authenticationRequired: false,
        },
      },
      version: etag,
      etag,
    });
    expect(item.auth.params.inletUrl).toBe(`${h.emu.baseUrl}/collection/${item.auth.params.inletId}`);
  });

  it("streaming: the authenticated inlet answers the appendix's 401 without a token", async () => {
    const { id } = (await h.api("POST", "/connections", { body: streamingBody(true) })).body;
    const { inletUrl } = (await h.get(id)).auth.params;
    const res = await request("POST", inletUrl, { body: { header: {}, body: {} }, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      type: "https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization",
      status: "401",
      title: "Authorization",
      report: { message: expect.stringMatching(/^\[.+\] Ims service token is empty$/) },
    });
  });
});
