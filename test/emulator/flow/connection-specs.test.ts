import { expectFlowError, Harness, SPEC } from "../../helpers/emulator";

describe("connection specs", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  it("lists the five connection specs of the contract among the catalog's", async () => {
    const res = await h.api("GET", "/connectionSpecs");
    expect(res.status).toBe(200);
    expect(res.body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining(Object.values(SPEC)));
    for (const spec of res.body.items) {
      expect(spec).toEqual(
        expect.objectContaining({ id: expect.any(String), name: expect.any(String), version: "1.0", authSpec: expect.any(Array), attributes: expect.any(Object), permissionsInfo: expect.any(Object) }),
      );
      for (const auth of spec.authSpec) {
        expect(auth).toEqual({ name: expect.any(String), type: expect.any(String), spec: expect.objectContaining({ $schema: "http://json-schema.org/draft-07/schema#", type: "object" }) });
      }
    }
  });

  it("names the auth specs and provider ids of the contract", async () => {
    const specs = new Map<string, { providerId?: string; authSpec: Array<{ name: string }> }>(
      (await h.api("GET", "/connectionSpecs")).body.items.map((s: { id: string }) => [s.id, s]),
    );
    const names = (id: string) => specs.get(id)?.authSpec.map((a) => a.name);
    expect(names(SPEC.ftp)).toEqual(["Basic Authentication for FTP"]);
    expect(names(SPEC.sftp)).toEqual(["Basic Authentication for sftp", "SSH PublicKey Authentication for sftp"]);
    expect(names(SPEC.s3)).toEqual(["Access Key"]);
    expect(names(SPEC.streaming)).toEqual(["Streaming Connection"]);
    expect(names(SPEC.datasetBase)).toEqual([]);
    expect(specs.get(SPEC.streaming)?.providerId).toBe("521eee4d-8cbe-4906-bb48-fb6bd4450033");
    expect(specs.get(SPEC.datasetBase)?.providerId).toBe("0ed90a81-07f4-4586-8190-b40eccef1c5a");
    expect(specs.get(SPEC.ftp)?.providerId).toBeUndefined();
  });

  it("marks exactly the secret params of the five with format password", async () => {
    const items = (await h.api("GET", "/connectionSpecs")).body.items.filter((s: { id: string }) => Object.values(SPEC).includes(s.id));
    const secrets: Record<string, string[]> = {};
    for (const spec of items) {
      for (const auth of spec.authSpec) {
        const props = auth.spec.properties as Record<string, { format?: string }>;
        secrets[auth.name] = Object.keys(props).filter((k) => props[k].format === "password");
      }
    }
    expect(secrets).toEqual({
      "Basic Authentication for FTP": ["password"],
      "Basic Authentication for sftp": ["password"],
      "SSH PublicKey Authentication for sftp": ["privateKeyContent", "passPhrase"],
      "Access Key": ["s3SecretKey", "s3SessionToken"],
      "Streaming Connection": [],
    });
  });

  it("returns one spec by id as a one-element items array", async () => {
    for (const id of Object.values(SPEC)) {
      const res = await h.api("GET", `/connectionSpecs/${id}`);
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0].id).toBe(id);
    }
  });

  it("answers 404 for an unknown spec id", async () => {
    expectFlowError(await h.api("GET", "/connectionSpecs/00000000-0000-0000-0000-000000000000"), "1413-404");
  });

  it("filters with property: equality, quoted values, OR within one, AND across several, and !=", async () => {
    const ids = async (query: string) => (await h.api("GET", `/connectionSpecs?${query}`)).body.items.map((s: { id: string }) => s.id).sort();
    expect(await ids("property=name==SFTP")).toEqual([SPEC.sftp]);
    expect(await ids('property=name=="Amazon S3"')).toEqual([SPEC.s3]);
    expect(await ids(`property=id==${SPEC.ftp},id==${SPEC.s3}`)).toEqual([SPEC.ftp, SPEC.s3].sort());
    expect(await ids(`property=id==${SPEC.ftp},id==${SPEC.s3}&property=name!=FTP`)).toEqual([SPEC.s3]);
    expect(await ids("property=providerId==521eee4d-8cbe-4906-bb48-fb6bd4450033")).toEqual([SPEC.streaming]);
    expect(await ids("property=name==nothing")).toEqual([]);
  });

  it("answers 400 for a filter it cannot parse or a field it cannot filter on", async () => {
    expectFlowError(await h.api("GET", "/connectionSpecs?property=bogus"), "1400-400");
    expectFlowError(await h.api("GET", "/connectionSpecs?property=authSpec==x"), "1400-400");
  });
});
