import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { type HeldResource, ProviderUnderTest, type Props, deploymentOf, newProviderProcess } from "../../helpers/engine";
import { DEMO, TestEmulator } from "../../helpers/emulator";

/**
 * Refresh of the pipeline kinds at the cost of a listing: source connections, target connections,
 * dataflows and mapping sets are read from one listing per collection and sandbox (pages of 100), as
 * base connections are from one listing per spec. An id the listing lacks costs one GET, and only the
 * service's own not-found drops it; what this deployment wrote is read with a GET; an unusable
 * listing falls back to GETs and a listing lost on the network fails its reads. Counts are the
 * emulator's request log; each deployment is a new provider process.
 */
let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(() => emu.stop());
beforeEach(async () => {
  await emu.reset();
});

const SCHEMA = DEMO.orders.schemaId;
/** A mapping set's body as Data Prep takes it, for versions made behind the provider's back. */
const mappingBody = (source: string) => ({
  outputSchema: { schemaRef: { id: SCHEMA, contentType: "application/vnd.adobe.xed-full+json;version=1" } },
  mappings: [{ sourceType: "ATTRIBUTE", source, destination: "_id" }],
});
const KINDS = ["s3", "datasetBase", "sourceConnection", "targetConnection", "mappingSet", "dataflow"] as const;
type Kind = (typeof KINDS)[number];
type Providers = Record<Kind, ProviderUnderTest>;

/** A new deployment: a new provider process with a provider per kind. */
const deployment = (config: Record<string, string> = {}): Promise<Providers> => deploymentOf(KINDS, emu.config(config));
type Held = HeldResource<Kind>;

async function make(p: Providers, kind: Kind, news: Props): Promise<Held> {
  const { id, outs } = await p[kind].create(await p[kind].checked({}, news));
  return { kind, id, news, outs };
}

/** `n` whole pipelines (an S3 and a dataset base connection each, their source and target connections, a mapping set, a dataflow). */
async function pipelines(n: number): Promise<Held[]> {
  const p = await deployment();
  const made = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const s3 = await make(p, "s3", { name: `s3-${i}`, accessKey: "AKIALISTING", secretKey: `listing-secret-${i}`, bucketName: `bucket-${i}` });
      const lake = await make(p, "datasetBase", { name: `lake-${i}` });
      const source = await make(p, "sourceConnection", { name: `source-${i}`, baseConnectionId: s3.id, connectionSpecId: s3.outs.connectionSpecId, format: "json", path: `/in/${i}/*.json` });
      const target = await make(p, "targetConnection", { name: `target-${i}`, baseConnectionId: lake.id, dataSetId: DEMO.orders.dataSetId, schemaId: SCHEMA });
      const mapping = await make(p, "mappingSet", { name: `mapping-${i}`, schemaId: SCHEMA, mappings: [{ source: "id", destination: "_id" }] });
      const flow = await make(p, "dataflow", {
        name: `flow-${i}`,
        flowSpecName: "CloudStorageToAEP",
        sourceConnectionId: source.id,
        targetConnectionId: target.id,
        mappingId: mapping.id,
        mappingVersion: 0,
        schedule: { startTime: 1_900_000_000, frequency: "hour", interval: 1 },
      });
      return [s3, lake, source, target, mapping, flow];
    }),
  );
  return made.flat();
}

/** What a refresh does: every resource read at once, with its state. */
function refresh(p: Providers, held: Held[]) {
  return Promise.all(held.map((h) => p[h.kind].read(h.id, h.outs)));
}

async function counts(): Promise<Record<string, number>> {
  return (await emu.requests()).counts;
}

const ofKind = (held: Held[], kind: Kind) => held.filter((h) => h.kind === kind);

it("a refresh of 250 source connections costs 3 listing pages and no GET", async () => {
  const p = await deployment();
  const s3 = await make(p, "s3", { name: "s3", accessKey: "AKIALISTING", secretKey: "listing-secret", bucketName: "bucket" });
  const sources = await Promise.all(
    Array.from({ length: 250 }, (_, i) => make(p, "sourceConnection", { name: `source-${i}`, baseConnectionId: s3.id, connectionSpecId: s3.outs.connectionSpecId, format: "json", path: `/in/${i}/*.json` })),
  );
  const q = await deployment();
  await emu.clearRequests();
  const read = await refresh(q, sources);
  expect(await counts()).toEqual({ "POST /ims/token/v3": 1, "GET /sourceConnections": 3 });
  read.forEach((r, i) => {
    expect(r.id).toBe(sources[i].id);
    expect(r.props).toMatchObject({ name: `source-${i}`, path: `/in/${i}/*.json`, format: "json", etag: emu.control.sourceConnection(sources[i].id).etag });
  });
  const pages = (await emu.requests()).entries.filter((e) => e.route === "/sourceConnections").map((e) => e.query ?? "");
  expect(pages.every((query) => query.includes("limit=100"))).toBe(true);
});

it("a refresh of whole pipelines costs one listing per collection (per spec for base connections), shows no change and keeps secrets from state", async () => {
  const held = await pipelines(3);
  const p = await deployment();
  await emu.clearRequests();
  const read = await refresh(p, held);
  expect(await counts()).toEqual({
    "POST /ims/token/v3": 1,
    "GET /connections": 2,
    "GET /sourceConnections": 1,
    "GET /targetConnections": 1,
    "GET /mappingSets": 1,
    "GET /flows": 1,
  });
  for (const [i, h] of held.entries()) {
    expect(read[i].id).toBe(h.id);
    const d = await p[h.kind].diff(h.id, read[i].props as Props, await p[h.kind].checked(read[i].props as Props, h.news));
    expect(d.changes).toBe(false);
  }
  const flows = ofKind(held, "dataflow");
  for (const f of flows) {
    const r = read[held.indexOf(f)];
    expect(r.props).toMatchObject({ state: "enabled", enabled: true, etag: emu.control.flow(f.id).etag, schedule: { startTime: 1_900_000_000, frequency: "hour", interval: 1 } });
  }
  for (const m of ofKind(held, "mappingSet")) expect(read[held.indexOf(m)].props).toMatchObject({ version: 0, mappings: [{ source: "id", destination: "_id" }] });
  // The S3 secret comes from state, never from the masked listing.
  ofKind(held, "s3").forEach((s, i) => expect(read[held.indexOf(s)].props?.secretKey).toBe(`listing-secret-${i}`));
});

it("shows drift made before the listing, as a GET would", async () => {
  const held = await pipelines(2);
  const [flow] = ofKind(held, "dataflow");
  const [mapping] = ofKind(held, "mappingSet");
  await emu.control.driftFlow(flow.id, { state: "disabled", description: "paused behind our back" });
  await emu.control.putMappingSetVersion(mapping.id, mappingBody("key"));
  const p = await deployment();
  await emu.clearRequests();
  const read = await refresh(p, held);
  expect(read[held.indexOf(flow)].props).toMatchObject({ state: "disabled", enabled: false, description: "paused behind our back", etag: emu.control.flow(flow.id).etag });
  expect(read[held.indexOf(mapping)].props).toMatchObject({ version: 1, mappings: [{ source: "key", destination: "_id" }] });
  expect(Object.keys(await counts()).filter((route) => route.endsWith("{id}"))).toEqual([]);
});

it("confirms an id missing from the listing with exactly one GET, and drops it only on the service's not-found (1101-404, 2002-404)", async () => {
  const held = await pipelines(2);
  const [flow] = ofKind(held, "dataflow");
  const [source] = ofKind(held, "sourceConnection");
  const [mapping] = ofKind(held, "mappingSet");
  await emu.control.deleteFlow(flow.id);
  await emu.control.deleteSourceConnection(source.id);
  await emu.control.deleteMappingSet(mapping.id);
  const p = await deployment();
  await emu.clearRequests();
  const read = await refresh(p, held);
  for (const gone of [flow, source, mapping]) expect(read[held.indexOf(gone)]).toEqual({});
  expect(read.filter((r) => r.id).length).toBe(held.length - 3);
  expect(await counts()).toMatchObject({ "GET /flows": 1, "GET /flows/{id}": 1, "GET /sourceConnections": 1, "GET /sourceConnections/{id}": 1, "GET /mappingSets": 1, "GET /mappingSets/{id}": 1 });
  expect((await counts())["GET /targetConnections/{id}"]).toBeUndefined();
});

it("keeps an id missing from the listing when its GET fails otherwise", async () => {
  const held = await pipelines(1);
  const [target] = ofKind(held, "targetConnection");
  await emu.control.deleteTargetConnection(target.id);
  const p = await deployment({ "aep:maxAttempts": "1" });
  await emu.addFault({ kind: "500", method: "GET", route: "/targetConnections/{id}" });
  await emu.clearRequests();
  await expect(p.targetConnection.read(target.id, target.outs)).rejects.toThrow(/TargetConnection: reading target connection .* failed: GET \/targetConnections\/.* failed with 500/);
  expect(await counts()).toMatchObject({ "GET /targetConnections": 1, "GET /targetConnections/{id}": 1 });
});

it("reads what this deployment wrote with a GET, even when the listing was taken first and it drifted since", async () => {
  const held = await pipelines(1);
  const [flow] = ofKind(held, "dataflow");
  const [mapping] = ofKind(held, "mappingSet");
  const [source] = ofKind(held, "sourceConnection");
  const p = await deployment();
  await refresh(p, held); // every listing is taken now

  // The flow disabled by this deployment (the action alone, `POST /flows/{id}/action`), then changed behind its back.
  const paused = await p.dataflow.update(flow.id, flow.outs, await p.dataflow.checked(flow.outs, { ...flow.news, enabled: false }));
  await emu.control.driftFlow(flow.id, { description: "changed after our action" });
  // A new mapping version by this deployment (`PUT /mappingSets/{id}`), then another behind its back.
  const remapped = await p.mappingSet.update(mapping.id, mapping.outs, await p.mappingSet.checked(mapping.outs, { ...mapping.news, mappings: [{ source: "ours", destination: "_id" }] }));
  expect(remapped.version).toBe(1);
  await emu.control.putMappingSetVersion(mapping.id, mappingBody("theirs"));
  // A source connection patched by this deployment.
  const edited = await p.sourceConnection.update(source.id, source.outs, await p.sourceConnection.checked(source.outs, { ...source.news, description: "patched by us" }));

  await emu.clearRequests();
  const [f, m, s] = await Promise.all([p.dataflow.read(flow.id, paused), p.mappingSet.read(mapping.id, remapped), p.sourceConnection.read(source.id, edited)]);
  expect(f.props).toMatchObject({ state: "disabled", description: "changed after our action", etag: emu.control.flow(flow.id).etag });
  expect(m.props).toMatchObject({ version: 2, mappings: [{ source: "theirs", destination: "_id" }] });
  expect(s.props).toMatchObject({ description: "patched by us", etag: edited.etag });
  expect(await counts()).toEqual({ "GET /flows/{id}": 1, "GET /mappingSets/{id}": 1, "GET /sourceConnections/{id}": 1 });
});

it("falls back to one GET per entity when a listing is answered 500", async () => {
  const held = await pipelines(2);
  const p = await deployment({ "aep:maxAttempts": "1" });
  await emu.addFault({ kind: "500", method: "GET", route: "/flows" });
  await emu.addFault({ kind: "500", method: "GET", route: "/mappingSets" });
  await emu.clearRequests();
  const read = await refresh(p, held);
  expect(read.map((r) => r.id)).toEqual(held.map((h) => h.id));
  expect(await counts()).toMatchObject({ "GET /flows": 1, "GET /flows/{id}": 2, "GET /mappingSets": 1, "GET /mappingSets/{id}": 2, "GET /sourceConnections": 1, "GET /targetConnections": 1 });
  expect((await counts())["GET /sourceConnections/{id}"]).toBeUndefined();
});

it("fails the reads of a listing that got no answer at all, without a GET each", async () => {
  const held = await pipelines(2);
  const p = await deployment({ "aep:maxAttempts": "1" });
  await p.datasetBase.read("00000000-0000-4000-8000-000000000000", {}); // the IMS token, first
  await emu.addFault({ kind: "reset", method: "GET", route: "/targetConnections" });
  await emu.addFault({ kind: "reset", method: "GET", route: "/mappingSets" });
  await emu.clearRequests();
  const targets = ofKind(held, "targetConnection");
  const mappings = ofKind(held, "mappingSet");
  const outcomes = await Promise.allSettled([...targets, ...mappings].map((h) => p[h.kind].read(h.id, h.outs)));
  outcomes.forEach((o, i) => {
    expect(o.status).toBe("rejected");
    const pattern = i < targets.length ? /^TargetConnection: reading target connection .* failed: GET \/targetConnections failed/ : /^MappingSet: reading mapping set .* failed: GET \/mappingSets failed/;
    expect(String((o as PromiseRejectedResult).reason.message)).toMatch(pattern);
  });
  expect(await counts()).toEqual({ "GET /targetConnections": 1, "GET /mappingSets": 1 });
});

describe("a listing answered with an unusable body", () => {
  let proxy: http.Server;
  let proxyUrl: string;
  /** Requests the proxy answered itself, by `METHOD path`. */
  const tampered: string[] = [];

  // A small scripted server in front of the emulator: it answers the listings itself, with bodies the
  // item checkers refuse, and passes every other request on.
  beforeAll(async () => {
    const target = new URL(emu.baseUrl);
    proxy = http.createServer((req, res) => {
      const path = (req.url ?? "").split("?")[0];
      if (req.method === "GET" && path.endsWith("/flowservice/sourceConnections")) {
        tampered.push(`GET ${path}`);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ items: [{ id: "not-an-entity" }], _links: {} }));
        return;
      }
      if (req.method === "GET" && path.endsWith("/conversion/mappingSets")) {
        tampered.push(`GET ${path}`);
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: [{ id: "m", version: "latest" }], _page: { count: 1 } }));
        return;
      }
      const forward = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  it("is not used: each read GETs its own", async () => {
    const held = await pipelines(2);
    newProviderProcess();
    const config = emu.config({ "aep:endpoint": proxyUrl, "aep:imsEndpoint": proxyUrl });
    const sources = ofKind(held, "sourceConnection");
    const mappings = ofKind(held, "mappingSet");
    const [sourceProvider, mappingProvider] = await Promise.all([ProviderUnderTest.load("sourceConnection", config), ProviderUnderTest.load("mappingSet", config)]);
    await emu.clearRequests();
    const read = await Promise.all([...sources.map((s) => sourceProvider.read(s.id, s.outs)), ...mappings.map((m) => mappingProvider.read(m.id, m.outs))]);
    expect(read.map((r) => r.id)).toEqual([...sources, ...mappings].map((h) => h.id));
    expect(read[0].props).toMatchObject({ name: "source-0", etag: emu.control.sourceConnection(sources[0].id).etag });
    expect([...tampered].sort()).toEqual(["GET /data/foundation/conversion/mappingSets", "GET /data/foundation/flowservice/sourceConnections"]);
    expect(await counts()).toEqual({ "POST /ims/token/v3": 1, "GET /sourceConnections/{id}": 2, "GET /mappingSets/{id}": 2 });
  });
});
