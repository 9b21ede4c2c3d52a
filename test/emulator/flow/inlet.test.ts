import { bodies, Harness, request } from "../../helpers/emulator";

describe("streaming inlet", () => {
  let h: Harness;
  const otherOrg = { clientId: "client-b", clientSecret: "secret-b", orgId: "ORGB@AdobeOrg", sandboxes: ["prod"] };
  beforeAll(async () => {
    h = await Harness.start({ clients: [{ clientId: "client-a", clientSecret: "secret-a", orgId: "ORGA@AdobeOrg", sandboxes: ["prod"] }, otherOrg] });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.reset());

  async function inlet(authenticationRequired?: boolean): Promise<{ id: string; inletId: string; inletUrl: string }> {
    const { id } = await h.create(bodies.streaming("stream", authenticationRequired));
    const { inletId, inletUrl } = (await h.get(id)).auth.params;
    return { id, inletId, inletUrl };
  }
  const send = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    request("POST", url, { body, headers: { "content-type": "application/json", ...headers } });
  const events = async (inletId: string) => (await h.admin("GET", `/inlets/${inletId}/events`)).body.items;

  it("answers 200 on a non-authenticated inlet and keeps what it received", async () => {
    const { inletId, inletUrl } = await inlet();
    const message = { header: { schemaRef: { id: "https://ns.adobe.com/tenant/schemas/x" } }, body: { xdmEntity: { person: { name: "Ada" } } } };
    const res = await send(inletUrl, message);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ inletId, xactionId: expect.any(String), receivedTimeMs: expect.any(Number) });
    expect(await events(inletId)).toEqual([{ receivedTimeMs: res.body.receivedTimeMs, xactionId: res.body.xactionId, body: message }]);
  });

  it("answers the seed's 401 on an authenticated inlet without a token, and stores nothing", async () => {
    const { inletId, inletUrl } = await inlet(true);
    const res = await send(inletUrl, { a: 1 });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      type: "https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization",
      status: "401",
      title: "Authorization",
      report: { message: `[${res.headers.get("x-request-id")}] Ims service token is empty` },
    });
    expect(await events(inletId)).toEqual([]);
  });

  it("answers 401 for an invalid token or another org's token", async () => {
    const { inletUrl } = await inlet(true);
    const bad = await send(inletUrl, { a: 1 }, { authorization: "Bearer forged" });
    expect(bad.status).toBe(401);
    expect(bad.body.report.message).toMatch(/Ims service token is not valid/);
    const foreign = await send(inletUrl, { a: 1 }, { authorization: `Bearer ${await h.token(otherOrg)}` });
    expect(foreign.status).toBe(401);
  });

  it("answers 200 on an authenticated inlet with a valid token", async () => {
    const { inletId, inletUrl } = await inlet(true);
    const res = await send(inletUrl, { n: 1 }, { authorization: `Bearer ${await h.token()}` });
    expect(res.status).toBe(200);
    expect((await events(inletId)).map((e: { body: unknown }) => e.body)).toEqual([{ n: 1 }]);
  });

  it("keeps events in arrival order", async () => {
    const { inletId, inletUrl } = await inlet();
    for (let n = 0; n < 5; n++) await send(inletUrl, { n });
    expect((await events(inletId)).map((e: { body: { n: number } }) => e.body.n)).toEqual([0, 1, 2, 3, 4]);
  });

  it("answers 404 for an unknown inlet and for a deleted connection's inlet", async () => {
    expect((await send(`${h.emu.baseUrl}/collection/${"f".repeat(64)}`, {})).status).toBe(404);
    const { id, inletUrl } = await inlet();
    await h.api("DELETE", `/connections/${id}`);
    const res = await send(inletUrl, {});
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: "404", title: "Not Found", report: { message: expect.stringMatching(/not found/) } });
  });

  it("answers 400 for a body that is not JSON", async () => {
    const { inletUrl } = await inlet();
    const res = await request("POST", inletUrl, { raw: "not json", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.report.message).toMatch(/not valid JSON/);
  });
});
