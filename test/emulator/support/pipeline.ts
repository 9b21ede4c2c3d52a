/**
 * Pipeline entities for the emulator's tests: request bodies as Adobe's tutorials write them, and calls that
 * build a whole pipeline (base connection → source and target connections → mapping set → flow) over HTTP.
 */
import { bodies, DEMO, expectFlowError, request, SPEC, type CallOptions, type EmulatorEndpoints, type Harness, type Res } from "../../helpers/emulator";

/** A harness on an emulator in process or on a CLI process. */
type AnyHarness = Harness<EmulatorEndpoints>;

export const DATA_PREP = "/data/foundation/conversion";
export const FLOW_SPEC = {
  cloudStorage: "9753525b-82c7-4dce-8a9b-5ccfce2b9876",
  streaming: "c1a19761-d2c7-4702-b9fa-fe91f0613e81",
};
export const MAPPING_SET_ID = /^[0-9a-f]{32}$/;

export const pipelineBodies = {
  /** A file source connection (S3, FTP, SFTP), as the cloud storage tutorial sends it. */
  source: (baseConnectionId: string, spec = SPEC.s3, name = "S3 source connection") => ({
    name,
    description: "Source connection for a CSV folder",
    baseConnectionId,
    connectionSpec: { id: spec, version: "1.0" },
    data: { format: "delimited", columnDelimiter: ",", properties: { compressionType: "gzip" } },
    params: { path: "/acme/summer-collection.csv", recursive: "false" },
  }),
  streamingSource: (baseConnectionId: string, name = "Streaming source connection") => ({
    name,
    baseConnectionId,
    connectionSpec: { id: SPEC.streaming, version: "1.0" },
    data: { format: "json" },
  }),
  /** A target connection on a demo dataset (default Orders), with that dataset's schema. */
  target: (dataset: { dataSetId: string; schemaId: string } = DEMO.orders, baseConnectionId?: string, name = "Target connection for a dataset") => ({
    name,
    description: "Data Lake target",
    ...(baseConnectionId ? { baseConnectionId } : {}),
    connectionSpec: { id: SPEC.datasetBase, version: "1.0" },
    data: { format: "parquet_xdm", schema: { id: dataset.schemaId, version: "application/vnd.adobe.xed-full+json;version=1" } },
    params: { dataSetId: dataset.dataSetId },
  }),
  /** A mapping set writing with a schema (default the Orders dataset's). */
  mappingSet: (name = "Summer collection mapping", destinations = ["person.name.firstName", "person.name.lastName"], schemaId: string = DEMO.orders.schemaId) => ({
    name,
    outputSchema: { schemaRef: { id: schemaId, contentType: "application/vnd.adobe.xed-full+json;version=1" } },
    mappings: destinations.map((destination, i) => ({ sourceType: "ATTRIBUTE", source: `column${i}`, destination })),
  }),
  flow: (sourceId: string, targetId: string, mappingId: string, extra: Record<string, unknown> = {}) => ({
    name: "Cloud storage flow",
    description: "Ingests the summer collection",
    flowSpec: { id: FLOW_SPEC.cloudStorage, version: "1.0" },
    sourceConnectionIds: [sourceId],
    targetConnectionIds: [targetId],
    transformations: [{ name: "Mapping", params: { mappingId, mappingVersion: 0 } }],
    // Adobe's own examples send the numbers as strings.
    scheduleParams: { startTime: "1597784298", frequency: "minute", interval: "15" },
    ...extra,
  }),
  streamingFlow: (sourceId: string, targetId: string, mappingId: string) => ({
    name: "Streaming flow",
    flowSpec: { id: FLOW_SPEC.streaming, version: "1.0" },
    sourceConnectionIds: [sourceId],
    targetConnectionIds: [targetId],
    transformations: [{ name: "Mapping", params: { mappingId } }],
  }),
};

export interface Pipeline {
  baseId: string;
  sourceId: string;
  targetId: string;
  mappingId: string;
  flowId: string;
  flowEtag: string;
}

/** A Data Prep call with every gateway header (JSON content type when a body is sent). */
export async function dataPrep(h: AnyHarness, method: string, path: string, opts: CallOptions = {}): Promise<Res> {
  const base = opts.bare ? {} : await h.gatewayHeaders(opts.client, opts.sandbox);
  const json = opts.raw === undefined && opts.body !== undefined;
  const headers: Record<string, string | undefined> = { ...base, ...(json ? { "content-type": "application/json" } : {}), ...opts.headers };
  return request(method, `${h.emu.baseUrl}${DATA_PREP}${path}`, { ...opts, headers });
}

/** POST to a Flow Service collection; throws unless 201. */
export async function created(h: AnyHarness, collection: string, body: unknown, opts: CallOptions = {}): Promise<{ id: string; etag: string }> {
  const res = await h.api("POST", collection, { ...opts, body });
  if (res.status !== 201) throw new Error(`POST ${collection}: ${res.status} ${res.text}`);
  return res.body;
}

/** The one item of `GET {collection}/{id}`; throws unless 200. */
export async function item(h: AnyHarness, collection: string, id: string, opts: CallOptions = {}): Promise<Record<string, any>> {
  const res = await h.api("GET", `${collection}/${id}`, opts);
  if (res.status !== 200) throw new Error(`GET ${collection}/${id}: ${res.status} ${res.text}`);
  return res.body.items[0];
}

export async function createMappingSet(h: AnyHarness, body: unknown = pipelineBodies.mappingSet(), opts: CallOptions = {}): Promise<string> {
  const res = await dataPrep(h, "POST", "/mappingSets", { ...opts, body });
  if (res.status !== 200) throw new Error(`POST /mappingSets: ${res.status} ${res.text}`);
  return res.body.id;
}

/** S3 base connection, its source connection, a Data Lake target, a mapping set and a flow over them. */
export async function createPipeline(h: AnyHarness, opts: CallOptions = {}): Promise<Pipeline> {
  const baseId = (await h.create(bodies.s3(), opts)).id;
  const sourceId = (await created(h, "/sourceConnections", pipelineBodies.source(baseId), opts)).id;
  const targetId = (await created(h, "/targetConnections", pipelineBodies.target(), opts)).id;
  const mappingId = await createMappingSet(h, undefined, opts);
  const flow = await created(h, "/flows", pipelineBodies.flow(sourceId, targetId, mappingId), opts);
  return { baseId, sourceId, targetId, mappingId, flowId: flow.id, flowEtag: flow.etag };
}

/** A Flow error with this code whose message names `field`. */
export function expectFlowErrorNaming(res: Res, code: string, field: string): string {
  const message = expectFlowError(res, code);
  expect(message).toContain(field);
  return message;
}

/** Expects Data Prep's error body with the given code (`NNNN-SSS`); returns its message. */
export function expectDataPrepError(res: Res, code: string): string {
  const status = Number(code.split("-")[1]);
  expect({ status: res.status, type: res.body?.type }).toEqual({ status, type: `https://ns.adobe.com/aep/errors/DPREP-${code}` });
  expect(res.body).toEqual({
    type: expect.any(String),
    title: expect.any(String),
    status,
    report: { "detailed-message": expect.any(String), "request-id": res.headers.get("x-request-id") },
    errorMessage: expect.any(String),
    errorDetails: expect.any(String),
  });
  return res.body.errorMessage as string;
}
