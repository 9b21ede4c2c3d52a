/**
 * Adobe's tutorials for a cloud storage dataflow (source connection, target connection, mapping set, flow,
 * updates and an action), replayed from test/emulator/fixtures/tutorials/cloud-storage-dataflow.json with the
 * placeholders filled in and the ids the tutorial names replaced by the ones this emulator made. The
 * tutorial's own source connection spec (Azure Blob) is not emulated: its body is sent with S3's spec.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bodies, ETAG, Harness, SPEC, UUID } from "../../helpers/emulator";
import { dataPrep, expectDataPrepError, item, MAPPING_SET_ID } from "../support/pipeline";

type Json = any;
const fixture: Json = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "tutorials", "cloud-storage-dataflow.json"), "utf8"));

const VALUES: Record<string, string> = { "{COLUMN_DELIMITER}": ";", "{ENCODING}": "UTF-8", "{COMPRESSION_TYPE}": "gzip", "{TENANT_ID}": "acme" };
function fill(example: Json): Json {
  return JSON.parse(
    JSON.stringify(example).replace(/\{[A-Z0-9_]+\}/g, (p) => {
      if (!(p in VALUES)) throw new Error(`no value for the placeholder ${p}`);
      return VALUES[p];
    }),
  );
}

describe("Adobe's cloud storage dataflow tutorials", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  it("replays the tutorial from source connection to a disabled flow, with the documented statuses and shapes", async () => {
    const base = (await h.create(bodies.s3())).id;
    const sourceBody = { ...fill(fixture.sourceConnection.body), baseConnectionId: base, connectionSpec: { id: SPEC.s3, version: "1.0" } };
    const source = await h.api("POST", fixture.sourceConnection.path, { body: sourceBody });
    expect(source.status).toBe(fixture.sourceConnection.response.status);
    expect(source.body).toEqual({ id: expect.stringMatching(UUID), etag: expect.stringMatching(ETAG) });
    expect(await item(h, "/sourceConnections", source.body.id)).toMatchObject({ data: sourceBody.data, params: sourceBody.params });

    const recursive = { ...fixture.recursiveSourceConnection.body, baseConnectionId: base, connectionSpec: { id: SPEC.s3, version: "1.0" } };
    expect((await h.api("POST", "/sourceConnections", { body: recursive })).status).toBe(201);

    const target = await h.api("POST", fixture.targetConnection.path, { body: fill(fixture.targetConnection.body) });
    expect(target.status).toBe(fixture.targetConnection.response.status);
    expect(target.body).toEqual({ id: expect.stringMatching(UUID), etag: expect.stringMatching(ETAG) });

    // Data Prep's reference example maps onto another schema than the tutorial's dataset: Flow Service refuses a
    // flow over the two with 1425-400, so the tutorial's flow runs on the same mappings onto the dataset's schema.
    const reference = await dataPrep(h, fixture.mappingSet.method, fixture.mappingSet.path, { body: fill(fixture.mappingSet.body) });
    expect(reference.status).toBe(fixture.mappingSet.response.status);
    expect(Object.keys(reference.body).sort()).toEqual(Object.keys(fixture.mappingSet.response.body).sort());
    expect(reference.body.id).toMatch(MAPPING_SET_ID);
    expect(reference.body.version).toBe(0);
    const mappingBody = fill(fixture.mappingSet.body);
    mappingBody.outputSchema.schemaRef.id = fill(fixture.targetConnection.body).data.schema.id;
    const mapping = await dataPrep(h, fixture.mappingSet.method, fixture.mappingSet.path, { body: mappingBody });
    expect(mapping.status).toBe(fixture.mappingSet.response.status);

    const spec = await h.api("GET", fixture.flowSpec.path);
    expect(spec.body.items.map((s: { id: string }) => s.id)).toEqual([fixture.flow.body.flowSpec.id]);

    const flowBody = {
      ...fixture.flow.body,
      sourceConnectionIds: [source.body.id],
      targetConnectionIds: [target.body.id],
      transformations: [{ name: "Mapping", params: { mappingId: mapping.body.id, mappingVersion: 0 } }],
    };
    const mismatched = { ...flowBody, transformations: [{ name: "Mapping", params: { mappingId: reference.body.id, mappingVersion: 0 } }] };
    expect((await h.api("POST", fixture.flow.path, { body: mismatched })).body.type).toBe("https://ns.adobe.com/aep/errors/FLOW-1425-400");
    const flow = await h.api("POST", fixture.flow.path, { body: flowBody });
    expect(flow.status).toBe(fixture.flow.response.status);
    expect(flow.body).toEqual({ id: expect.stringMatching(UUID), etag: expect.stringMatching(ETAG) });

    const update = await h.api("PATCH", `/flows/${flow.body.id}`, { body: fixture.updateFlow.body, headers: { "if-match": flow.body.etag } });
    expect(update.status).toBe(fixture.updateFlow.response.status);
    expect(update.body).toEqual({ id: flow.body.id, etag: expect.stringMatching(ETAG) });

    await dataPrep(h, "PUT", `/mappingSets/${mapping.body.id}`, { body: mappingBody });
    await dataPrep(h, "PUT", `/mappingSets/${mapping.body.id}`, { body: mappingBody });
    const newMapping = structuredClone(fixture.updateMapping.body);
    newMapping[0].value.params.mappingId = mapping.body.id;
    const remapped = await h.api("PATCH", `/flows/${flow.body.id}`, { body: newMapping, headers: { "if-match": update.body.etag } });
    expect(remapped.status).toBe(fixture.updateMapping.response.status);

    const disabled = await h.api("POST", `/flows/${flow.body.id}/action?op=disable`);
    expect(disabled.status).toBe(fixture.disableFlow.response.status);
    expect(disabled.body).toEqual({ id: flow.body.id, etag: expect.stringMatching(ETAG) });
    expect(await item(h, "/flows", flow.body.id)).toMatchObject({
      name: "Database Dataflow Feb2021",
      state: "disabled",
      scheduleParams: { startTime: "1597784298", frequency: "day", interval: "30" },
      transformations: [{ name: "Mapping", params: { mappingId: mapping.body.id, mappingVersion: 2 } }],
    });
  });

  it("refuses the tutorial's older mapping body (xdmSchema, destinationXdmPath), naming the fields", async () => {
    const res = await dataPrep(h, "POST", "/mappingSets", { body: fill(fixture.legacyMappingSet.body) });
    const message = expectDataPrepError(res, "2000-400");
    expect(message).toContain("xdmSchema");
    expect(message).toContain("outputSchema");
  });
});
