import { ApiError } from "../../../emulator/errors";
import { bodies, expectFlowError, FakeClock, Harness, request } from "../../helpers/emulator";

describe("in-process control API", () => {
  let h: Harness;
  const clock = new FakeClock();
  beforeAll(async () => {
    h = await Harness.start({ clock: clock.now });
  });
  afterAll(() => h.stop());
  beforeEach(() => h.control.reset());

  it("shares its state with the HTTP admin API, both ways", async () => {
    const { id } = h.control.addFault({ kind: "503", route: "/connectionSpecs", count: 1 });
    expect((await h.admin("GET", "/faults")).body.items).toEqual([expect.objectContaining({ id, kind: "503", fired: 0, remaining: 1 })]);
    expect((await h.api("GET", "/connectionSpecs")).status).toBe(503);
    expect(h.control.faults()).toEqual([expect.objectContaining({ id, fired: 1, remaining: 0 })]);

    const c = await h.create(bodies.ftp("shared"));
    await h.admin("PATCH", `/connections/${c.id}`, { name: "renamed over HTTP" });
    expect(h.control.connection(c.id)).toMatchObject({ name: "renamed over HTTP" });
    expect((await h.admin("GET", "/requests")).body).toEqual(h.control.requests());

    await h.control.reset();
    expect((await h.admin("GET", "/connections")).body.items).toEqual([]);
    expect((await h.admin("GET", "/requests")).body).toEqual({ total: 0, counts: {}, entries: [] });
  });

  it("drifts through the rules of a client's PATCH, with the same message", async () => {
    const s = await h.create(bodies.streaming("inlet"));
    const patch = await h.api("PATCH", `/connections/${s.id}`, { body: [{ op: "replace", path: "/auth/params/sourceId", value: "other" }], headers: { "if-match": s.etag } });
    const message = expectFlowError(patch, "1100-400");
    await expect(h.control.drift(s.id, { auth: { params: { sourceId: "other" } } })).rejects.toMatchObject({ result: { status: 400, body: { error: message } } });
    await expect(h.control.drift(s.id, { auth: { params: { inletId: null } } })).rejects.toBeInstanceOf(ApiError);
    expect((await h.get(s.id)).etag).toBe(s.etag);
  });

  it("stamps a drift with the clock, a new etag and the admin as the one who changed it", async () => {
    const c = await h.create(bodies.ftp("before"));
    const created = await h.get(c.id);
    clock.advance(60_000);
    const drifted = await h.control.drift(c.id, { description: "changed", auth: { params: { password: "rotated-password" } } });
    expect(drifted).toMatchObject({ description: "changed", updatedAt: created.updatedAt + 60_000, updatedBy: "aep-emulator-admin", auth: { params: { password: "rotated-password" } } });
    expect(drifted.etag).not.toBe(created.etag);
    expect(await h.get(c.id)).toMatchObject({ etag: drifted.etag, auth: { params: { password: "********" } } });
  });

  it("marks dataflows, which block a client's DELETE until cleared, and deletes behind the client's back", async () => {
    const c = await h.create(bodies.ftp());
    await h.control.setDataflows(c.id, 2);
    expectFlowError(await h.api("DELETE", `/connections/${c.id}`), "1418-400");
    await h.control.setDataflows(c.id, 0);
    expect((await h.api("DELETE", `/connections/${c.id}`)).status).toBe(204);
    const other = await h.create(bodies.s3());
    await h.control.setDataflows(other.id, 1);
    await h.control.deleteConnection(other.id);
    expect(h.control.connections()).toEqual([]);
  });

  it("returns what an inlet received, stamped by the clock", async () => {
    const s = await h.create(bodies.streaming());
    const inletUrl = (await h.get(s.id)).auth.params.inletUrl as string;
    expect((await request("POST", inletUrl, { body: { hello: "world" } })).status).toBe(200);
    expect(h.control.inletEvents(inletUrl.split("/").pop() as string)).toEqual([{ receivedTimeMs: clock.now(), xactionId: expect.any(String), body: { hello: "world" } }]);
  });

  it("throttles Flow calls with a rate limit that refills by the clock, until cleared", async () => {
    await h.token();
    h.control.setRateLimit({ requestsPerSecond: 1, burst: 1 });
    expect((await h.api("GET", "/connections")).status).toBe(200);
    expect((await h.api("GET", "/connections")).status).toBe(429);
    clock.advance(1000);
    expect((await h.api("GET", "/connections")).status).toBe(200);
    h.control.clearRateLimit();
    for (let i = 0; i < 3; i++) expect((await h.api("GET", "/connections")).status).toBe(200);
  });

  it("refuses bad input with the admin API's answer", async () => {
    expect(() => h.control.connection("nope")).toThrow(expect.objectContaining({ result: { status: 404, body: { error: "connection 'nope' not found" } } }));
    expect(() => h.control.addFault({ kind: "bogus" } as never)).toThrow(/kind must be one of/);
    expect(() => h.control.setRateLimit({ requestsPerSecond: 0 })).toThrow(/requestsPerSecond must be a number > 0/);
    const c = await h.create(bodies.ftp());
    await expect(h.control.setDataflows(c.id, -1)).rejects.toThrow(/count must be an integer >= 0/);
    await expect(h.control.drift(c.id, {})).rejects.toThrow(/nothing to change/);
  });

  it("lists the clients as copies", () => {
    const clients = h.control.clients();
    expect(clients).toEqual([h.client]);
    clients[0].sandboxes.push("elsewhere");
    expect(h.control.clients()[0].sandboxes).toEqual(h.client.sandboxes);
  });
});
