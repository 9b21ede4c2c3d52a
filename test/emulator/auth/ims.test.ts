import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DEFAULT_CLIENT, expectFlowError, Harness, request } from "../../helpers/emulator";

const FORM = { "content-type": "application/x-www-form-urlencoded" };

describe("IMS token endpoint", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  const token = (form: Record<string, string>, headers: Record<string, string> = FORM, query = "") =>
    request("POST", `${h.emu.imsUrl}/ims/token/v3${query}`, { raw: new URLSearchParams(form).toString(), headers });
  const good = { grant_type: "client_credentials", client_id: DEFAULT_CLIENT.clientId, client_secret: DEFAULT_CLIENT.clientSecret, scope: "openid,AdobeID" };

  it("uses the default demo client when none is given", () => {
    expect(h.emu.clients).toEqual([DEFAULT_CLIENT]);
  });

  it("issues a bearer token that lasts 86399 seconds", async () => {
    const res = await token(good);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ access_token: expect.stringMatching(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/), token_type: "bearer", expires_in: 86399 });
  });

  it("answers 401 invalid_client for a wrong secret or an unknown client", async () => {
    for (const form of [{ ...good, client_secret: "wrong" }, { ...good, client_id: "nobody" }, { grant_type: "client_credentials", client_id: DEFAULT_CLIENT.clientId }]) {
      const res = await token(form);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: "invalid_client", error_description: expect.any(String) });
    }
  });

  it("answers 400 unsupported_grant_type without grant_type or with another grant", async () => {
    const { grant_type: _g, ...noGrant } = good;
    for (const form of [noGrant, { ...good, grant_type: "authorization_code" }]) {
      const res = await token(form);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: "unsupported_grant_type", error_description: expect.any(String) });
    }
  });

  it("answers 400 invalid_request without client_id or with a JSON body", async () => {
    expect((await token({ grant_type: "client_credentials" })).body.error).toBe("invalid_request");
    const json = await request("POST", `${h.emu.imsUrl}/ims/token/v3`, { body: good, headers: { "content-type": "application/json" } });
    expect(json.status).toBe(400);
    expect(json.body.error).toBe("invalid_request");
  });

  it("accepts credentials in the query string or as HTTP Basic auth", async () => {
    const query = `?${new URLSearchParams(good).toString()}`;
    expect((await request("POST", `${h.emu.imsUrl}/ims/token/v3${query}`)).status).toBe(200);
    const basic = Buffer.from(`${DEFAULT_CLIENT.clientId}:${DEFAULT_CLIENT.clientSecret}`).toString("base64");
    expect((await token({ grant_type: "client_credentials" }, { ...FORM, authorization: `Basic ${basic}` })).status).toBe(200);
  });

  it("honours tokenTtlSeconds", async () => {
    const other = await Harness.start({ tokenTtlSeconds: 600 });
    try {
      const res = await request("POST", `${other.emu.imsUrl}/ims/token/v3`, { raw: new URLSearchParams(good).toString(), headers: FORM });
      expect(res.body.expires_in).toBe(600);
    } finally {
      await other.stop();
    }
  });

  it("reads clients from a JSON file and binds each token to its client's org and sandboxes", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "aep-emu-clients-"));
    const file = path.join(dir, "clients.json");
    const clients = [
      { clientId: "file-client", clientSecret: "s1", orgId: "FILEORG@AdobeOrg", sandboxes: ["dev"] },
      { clientId: "other", clientSecret: "s2", orgId: "OTHER@AdobeOrg", sandboxes: ["prod"] },
    ];
    writeFileSync(file, JSON.stringify(clients));
    const other = await Harness.start({ clientsFile: file });
    try {
      expect(other.emu.clients).toEqual(clients);
      expect((await other.admin("GET", "/clients")).body).toEqual({ items: clients });
      const [a, b] = other.emu.clients;
      expect((await other.api("GET", "/connections", { client: a, sandbox: "dev" })).status).toBe(200);
      expectFlowError(await other.api("GET", "/connections", { client: a, sandbox: "prod" }), "2100-404");
      // b's token with a's headers: the api key is checked against the token's client.
      const res = await other.api("GET", "/connections", { client: b, headers: { "x-api-key": "file-client", "x-gw-ims-org-id": "FILEORG@AdobeOrg" } });
      expect(res.body.error_code).toBe("403003");
    } finally {
      await other.stop();
    }
  });

  it("refuses a malformed clients file at start", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "aep-emu-clients-"));
    const file = path.join(dir, "clients.json");
    writeFileSync(file, JSON.stringify([{ clientId: "x" }]));
    await expect(Harness.start({ clientsFile: file })).rejects.toThrow(/clientSecret/);
  });
});
