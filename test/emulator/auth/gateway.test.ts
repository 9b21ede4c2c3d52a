import { bodies, expectFlowError, FakeClock, FS, Harness, request } from "../../helpers/emulator";

describe("API gateway header checks", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start({
      clients: [
        { clientId: "client-a", clientSecret: "secret-a", orgId: "ORGA@AdobeOrg", sandboxes: ["prod", "dev"] },
        { clientId: "client-b", clientSecret: "secret-b", orgId: "ORGB@AdobeOrg", sandboxes: ["prod"] },
      ],
    });
  });
  afterAll(() => h.stop());

  const gateway = (res: { status: number; body: unknown }) => ({ status: res.status, body: res.body });

  it("answers 403 403010 without an Authorization bearer token", async () => {
    expect(gateway(await h.api("GET", "/connections", { headers: { authorization: undefined } }))).toEqual({
      status: 403,
      body: { error_code: "403010", message: "Oauth token is missing." },
    });
    expect((await h.api("GET", "/connections", { headers: { authorization: "Basic abc" } })).body.error_code).toBe("403010");
  });

  it("answers 401 401013 for an unknown token", async () => {
    const res = await h.api("GET", "/connections", { headers: { authorization: "Bearer not-a-token" } });
    expect(gateway(res)).toEqual({ status: 401, body: { error_code: "401013", message: "Oauth token is not valid" } });
  });

  it("answers 401 401013 for an expired token", async () => {
    const clock = new FakeClock();
    const short = await Harness.start({ tokenTtlSeconds: 1, clock: clock.now });
    try {
      const headers = await short.gatewayHeaders();
      expect((await short.api("GET", "/connections", { headers })).status).toBe(200);
      clock.advance(999);
      expect((await short.api("GET", "/connections", { headers })).status).toBe(200);
      clock.advance(1);
      expect(gateway(await short.api("GET", "/connections", { headers }))).toEqual({
        status: 401,
        body: { error_code: "401013", message: "Oauth token is not valid" },
      });
    } finally {
      await short.stop();
    }
  });

  it("answers 403 403000 without x-api-key", async () => {
    expect(gateway(await h.api("GET", "/connections", { headers: { "x-api-key": undefined } }))).toEqual({
      status: 403,
      body: { error_code: "403000", message: "Api Key is required" },
    });
  });

  it("answers 403 403003 when x-api-key is not the token's client id", async () => {
    const res = await h.api("GET", "/connections", { headers: { "x-api-key": "client-b" } });
    expect(gateway(res)).toEqual({ status: 403, body: { error_code: "403003", message: "Api Key is invalid" } });
  });

  it("answers 400 400003 without x-gw-ims-org-id", async () => {
    expect(gateway(await h.api("GET", "/connections", { headers: { "x-gw-ims-org-id": undefined } }))).toEqual({
      status: 400,
      body: { error_code: "400003", message: "Missing header" },
    });
  });

  it("answers 403 403025 when the org is not the token's org", async () => {
    const res = await h.api("GET", "/connections", { headers: { "x-gw-ims-org-id": "ORGB@AdobeOrg" } });
    expect(gateway(res)).toEqual({ status: 403, body: { error_code: "403025", message: "Profile is not valid" } });
  });

  it("answers Flow 2105-400 without x-sandbox-name instead of defaulting to prod", async () => {
    const res = await h.api("GET", "/connections", { headers: { "x-sandbox-name": undefined } });
    expect(expectFlowError(res, "2105-400")).toMatch(/x-sandbox-name/);
  });

  it("answers Flow 2100-404 for a sandbox the client does not have", async () => {
    expect(expectFlowError(await h.api("GET", "/connections", { headers: { "x-sandbox-name": "nope" } }), "2100-404")).toMatch(/nope/);
    const b = h.emu.clients[1];
    expectFlowError(await h.api("GET", "/connections", { client: b, sandbox: "dev" }), "2100-404");
  });

  it("answers the gateway's content-type error for POST and PATCH bodies that are not JSON", async () => {
    const expected = { type: "/placeholder/type/uri", status: 400, title: "BadRequestError", detail: "A valid content-type must be specified" };
    const post = await h.api("POST", "/connections", { raw: JSON.stringify(bodies.ftp()), headers: { "content-type": "text/plain" } });
    expect(gateway(post)).toEqual({ status: 400, body: expected });
    const none = await h.api("POST", "/connections", { raw: JSON.stringify(bodies.ftp()) });
    expect(gateway(none)).toEqual({ status: 400, body: expected });
    const created = await h.create(bodies.ftp());
    const patch = await h.api("PATCH", `/connections/${created.id}`, {
      raw: "[]",
      headers: { "content-type": "application/x-www-form-urlencoded", "if-match": created.etag },
    });
    expect(gateway(patch)).toEqual({ status: 400, body: expected });
  });

  it("accepts application/json with a charset, and application/json-patch+json on PATCH", async () => {
    const created = await h.api("POST", "/connections", { raw: JSON.stringify(bodies.ftp()), headers: { "content-type": "application/json; charset=utf-8" } });
    expect(created.status).toBe(201);
    const patched = await h.api("PATCH", `/connections/${created.body.id}`, {
      raw: JSON.stringify([{ op: "replace", path: "/name", value: "renamed" }]),
      headers: { "content-type": "application/json-patch+json", "if-match": created.body.etag },
    });
    expect(patched.status).toBe(200);
  });

  it("checks the headers in the contract's order", async () => {
    const token = await h.token();
    const steps: Array<[Record<string, string>, number, string]> = [
      [{}, 403, "403010"],
      [{ authorization: "Bearer nope" }, 401, "401013"],
      [{ authorization: `Bearer ${token}` }, 403, "403000"],
      [{ "x-api-key": "client-b" }, 403, "403003"],
      [{ "x-api-key": "client-a" }, 400, "400003"],
      [{ "x-gw-ims-org-id": "ORGB@AdobeOrg" }, 403, "403025"],
      [{ "x-gw-ims-org-id": "ORGA@AdobeOrg" }, 400, "2105-400"],
      [{ "x-sandbox-name": "nope" }, 404, "2100-404"],
      [{ "x-sandbox-name": "prod" }, 400, "content-type"],
      [{ "content-type": "application/json" }, 201, "created"],
    ];
    const headers: Record<string, string> = {};
    for (const [add, status, what] of steps) {
      Object.assign(headers, add);
      const res = await request("POST", `${h.emu.flowServiceUrl}/connections`, { raw: JSON.stringify(bodies.ftp()), headers });
      const code = res.body?.error_code ?? (res.body?.type as string | undefined)?.replace(/^.*FLOW-/, "") ?? (res.status === 201 ? "created" : "?");
      expect({ what, status: res.status, code: res.body?.title === "BadRequestError" ? "content-type" : code }).toEqual({ what, status, code: what });
    }
  });

  it("sets x-request-id on every response, and echoes a caller's plain request id", async () => {
    const responses = [
      await h.api("GET", "/connections"),
      await h.api("GET", "/connections", { bare: true }),
      await h.api("GET", "/no-such-route"),
      await request("POST", `${h.emu.imsUrl}/ims/token/v3`, { raw: "grant_type=nope", headers: { "content-type": "application/x-www-form-urlencoded" } }),
      await request("POST", `${h.emu.baseUrl}/collection/${"0".repeat(64)}`, { raw: "{}" }),
      await h.admin("GET", "/requests"),
    ];
    for (const res of responses) expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const mine = await h.api("GET", "/connections", { headers: { "x-request-id": "my-trace-123" } });
    expect(mine.headers.get("x-request-id")).toBe("my-trace-123");
  });

  it("accepts a trailing slash on every route", async () => {
    const created = await h.create(bodies.ftp());
    expect((await h.api("GET", "/connections/")).status).toBe(200);
    expect((await h.api("GET", `/connections/${created.id}/`)).status).toBe(200);
    expect((await h.api("GET", "/connectionSpecs/")).status).toBe(200);
    expect((await request("GET", `${h.emu.baseUrl}${FS}/connectionSpecs/${bodies.ftp().connectionSpec.id}/`, { headers: await h.gatewayHeaders() })).status).toBe(200);
  });
});
