/**
 * Replays the requests of Adobe's Postman collections for Flow Service and Data Prep
 * (adobe/experience-platform-postman-samples, `apis/experience-platform/`), folder by folder and item by item,
 * as that collection sends them: its query keys and values (`count=false`, `orderBy=lastUpdateDate`,
 * `?if-match=` on every update), its headers (`Accept` and `Content-Type: application/json` on every Flow
 * request, GETs included) and no `objectType` on explore. The collection's bodies are `{{body}}`: each row
 * sends the body Adobe's tutorials or API reference show for that call. The collection's list variables
 * (`{{property}}`, `{{limit}}`, …) are bound to empty values, an environment that defines them unset.
 *
 * Every request must be answered as Flow Service's and Data Prep's OpenAPI specs document it; a row whose
 * answer the specs do not give names the choice docs/flow-service-contract.md records. The table is printed.
 */
import { bodies, DEMO, FS, request, SPEC, UUID, type Harness as HarnessType, type Res } from "../helpers/emulator";
import { Harness } from "../helpers/emulator";
import { DATA_PREP, FLOW_SPEC, MAPPING_SET_ID } from "./support/pipeline";

/** What a row's answer rests on: the specs' documented answer, or a choice the contract records. */
type Basis = { documented: string } | { choice: string };

interface Context {
  [key: string]: string;
}

interface Row {
  folder: string;
  item: string;
  /** A variant of the item (other variable values), when the item is replayed more than once. */
  variant?: string;
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  service: "flow" | "dataprep";
  /** The path and query after the service base, with the collection's variables filled from the context. */
  url: (c: Context) => string;
  body?: (c: Context) => unknown;
  status: number;
  basis: Basis;
  /** Checks the answer's shape and keeps what later rows need. */
  then?: (res: Res, c: Context) => void;
}

const EMPTY_LIST_VARS = "property=&limit=&orderby=&continuationToken=&count=false";
/** The emulator's demo Orders dataset and its schema: a target connection names a dataset of its sandbox, with its schema. */
const SCHEMA_ID = DEMO.orders.schemaId;
const XED = "application/vnd.adobe.xed-full+json;version=1";
const MAPPING_SET = {
  outputSchema: { schemaRef: { id: SCHEMA_ID, contentType: XED } },
  mappings: [
    { sourceType: "ATTRIBUTE", source: "id", destination: "_id", name: "id", description: "Identifier field" },
    { sourceType: "ATTRIBUTE", source: "firstName", destination: "person.name.firstName" },
    { sourceType: "ATTRIBUTE", source: "lastName", destination: "person.name.lastName" },
  ],
};
const ifMatch = (etag: string) => `if-match=${encodeURIComponent(etag)}`;
const keep = (c: Context, key: string, value: unknown) => {
  expect(typeof value).toBe("string");
  c[key] = value as string;
};

const ROWS: Row[] = [
  // Connection specs
  {
    folder: "Connection specs", item: "List connection specifications", method: "GET", service: "flow", url: () => "/connectionSpecs?property=",
    status: 200, basis: { documented: "200 ConnectionSpecListResponse" },
    then: (res) => expect(res.body.items.length).toBeGreaterThan(1),
  },
  {
    folder: "Connection specs", item: "List connection specifications", variant: 'property=name=="datalake"', method: "GET", service: "flow",
    url: () => `/connectionSpecs?property=${encodeURIComponent('name=="datalake"')}`,
    status: 200, basis: { documented: "200; the Data Lake spec under the name Adobe's Python client looks up" },
    then: (res) => expect(res.body.items.map((s: { id: string }) => s.id)).toEqual([SPEC.datasetBase]),
  },
  {
    folder: "Connection specs", item: "Retrieve a connection specification", method: "GET", service: "flow", url: () => `/connectionSpecs/${SPEC.ftp}`,
    status: 200, basis: { documented: "200 {items: [spec]}" },
    then: (res) => expect(res.body.items[0].id).toBe(SPEC.ftp),
  },
  // Connections
  {
    folder: "Connections", item: "Create a new connection", method: "POST", service: "flow", url: () => "/connections", body: () => bodies.ftp(),
    status: 201, basis: { documented: "201 {id, etag}" },
    then: (res, c) => {
      keep(c, "CONNECTION_ID", res.body.id);
      keep(c, "connectionEtag", res.body.etag);
    },
  },
  {
    folder: "Connections", item: "List connections", method: "GET", service: "flow", url: () => `/connections?${EMPTY_LIST_VARS}`,
    status: 200, basis: { documented: "200 {items, _links}; count=false is the spec's boolean default" },
    then: (res, c) => expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([c.CONNECTION_ID]),
  },
  {
    folder: "Connections", item: "Retrieve a connection", method: "GET", service: "flow", url: (c) => `/connections/${c.CONNECTION_ID}`,
    status: 200, basis: { documented: "200 {items: [connection]}" },
    then: (res, c) => expect(res.body.items[0].id).toBe(c.CONNECTION_ID),
  },
  {
    folder: "Connections", item: "Test a connection's connectivity", method: "GET", service: "flow", url: (c) => `/connections/${c.CONNECTION_ID}/test`,
    status: 200, basis: { documented: "200 TestConnectionResponse {result}" },
    then: (res) => expect(res.body).toEqual({ result: true }),
  },
  {
    folder: "Connections", item: "Explore a connection's contents", method: "GET", service: "flow", url: (c) => `/connections/${c.CONNECTION_ID}/explore`,
    status: 200, basis: { choice: "objectType is optional in the spec; left out it explores the root" },
    then: (res) => expect(res.body).toEqual([expect.objectContaining({ type: "folder", name: "acme" })]),
  },
  {
    folder: "Connections", item: "Update an existing connection", method: "PATCH", service: "flow",
    url: (c) => `/connections/${c.CONNECTION_ID}/?${ifMatch(c.connectionEtag)}`,
    body: () => [{ op: "REPLACE", path: "/name", value: "FTP connection, renamed" }],
    status: 200, basis: { choice: "if-match read from the query when no header is sent; the spec's op enum (REPLACE) taken" },
    then: (res, c) => keep(c, "connectionEtag", res.body.etag),
  },
  // Flow specs
  {
    folder: "Flow specs", item: "List flow specifications", method: "GET", service: "flow", url: () => "/flowSpecs?property=",
    status: 200, basis: { documented: "200 FlowSpecListResponse" },
    then: (res) => expect(res.body.items.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([FLOW_SPEC.cloudStorage, FLOW_SPEC.streaming])),
  },
  {
    folder: "Flow specs", item: "Retrieve a flow specification", method: "GET", service: "flow", url: () => `/flowSpecs/${FLOW_SPEC.cloudStorage}`,
    status: 200, basis: { documented: "200 {items: [flow spec]}" },
  },
  // Source connections
  {
    folder: "Source connections", item: "Create a new source connection", method: "POST", service: "flow", url: () => "/sourceConnections",
    body: (c) => ({
      name: "FTP source connection",
      baseConnectionId: c.CONNECTION_ID,
      providerId: "0ed90a81-07f4-4586-8190-b40eccef1c5a",
      connectionSpec: { id: SPEC.ftp, version: "1.0" },
      data: { format: "delimited" },
      params: { path: "/acme/summer.csv" },
    }),
    status: 201, basis: { documented: "201 {id, etag}; providerId, which the spec forbids nowhere, accepted" },
    then: (res, c) => {
      keep(c, "SOURCE_CONNECTION_ID", res.body.id);
      keep(c, "sourceEtag", res.body.etag);
    },
  },
  {
    folder: "Source connections", item: "Retrieve a source connection", method: "GET", service: "flow", url: (c) => `/sourceConnections/${c.SOURCE_CONNECTION_ID}`,
    status: 200, basis: { documented: "200 {items: [source connection]}" },
  },
  {
    folder: "Source connections", item: "Update a source connection", method: "PATCH", service: "flow",
    url: (c) => `/sourceConnections/${c.SOURCE_CONNECTION_ID}?${ifMatch(c.sourceEtag)}`,
    body: () => [{ op: "replace", path: "/description", value: "Summer collection" }],
    status: 200, basis: { choice: "if-match read from the query when no header is sent" },
  },
  // Target connections
  {
    folder: "Target connections", item: "Create a target connection", method: "POST", service: "flow", url: () => "/targetConnections",
    body: () => ({
      name: "Data Lake target",
      connectionSpec: { id: SPEC.datasetBase, version: "1.0" },
      data: { format: "parquet_xdm", schema: { id: SCHEMA_ID, version: XED } },
      params: { dataSetId: DEMO.orders.dataSetId },
    }),
    status: 201, basis: { documented: "201 {id, etag}" },
    then: (res, c) => {
      keep(c, "TARGET_CONNECTION_ID", res.body.id);
      keep(c, "targetEtag", res.body.etag);
    },
  },
  {
    folder: "Target connections", item: "Retrieve a target connection", method: "GET", service: "flow", url: (c) => `/targetConnections/${c.TARGET_CONNECTION_ID}`,
    status: 200, basis: { documented: "200 {items: [target connection]}" },
  },
  {
    folder: "Target connections", item: "Update a target connection", method: "PATCH", service: "flow",
    url: (c) => `/targetConnections/${c.TARGET_CONNECTION_ID}?${ifMatch(c.targetEtag)}`,
    body: () => [{ op: "ADD", path: "/description", value: "Summer dataset" }],
    status: 200, basis: { choice: "if-match read from the query when no header is sent; the spec's op enum (ADD) taken" },
  },
  // Mapping sets (Data Prep)
  {
    folder: "Mapping sets", item: "Create a mapping set", method: "POST", service: "dataprep", url: () => "/mappingSets", body: () => MAPPING_SET,
    status: 200, basis: { documented: "200 {id, version, createdDate, …}" },
    then: (res, c) => {
      expect(res.body.id).toMatch(MAPPING_SET_ID);
      keep(c, "MAPPING_SET_ID", res.body.id);
    },
  },
  {
    folder: "Mapping sets", item: "List mapping sets", method: "GET", service: "dataprep", url: () => "/mappingSets?limit=10&start=0&name=&orderBy=lastUpdateDate&expandSchema=",
    status: 200, basis: { documented: "200 MapperSetPage; orderBy=lastUpdateDate is the spec's default" },
    then: (res, c) => expect(res.body.data.map((s: { id: string }) => s.id)).toEqual([c.MAPPING_SET_ID]),
  },
  {
    folder: "Mapping sets", item: "Validate a mapping set", method: "POST", service: "dataprep", url: () => "/mappingSets/validate", body: () => MAPPING_SET,
    status: 200, basis: { documented: "200 MappingValidationResponse, one entry per mapping" },
    then: (res) => expect(res.body).toEqual({ validationResponse: [0, 1, 2].map(() => ({ status: "SUCCESS", errors: null })) }),
  },
  {
    folder: "Mapping sets", item: "Preview mapping sets", method: "POST", service: "dataprep", url: () => "/mappingSets/preview",
    body: () => ({ data: [{ id: "1234", firstName: "Jim", lastName: "Seltzer" }], mappingSet: MAPPING_SET }),
    status: 200, basis: { documented: "200 [{data, errors}] as Data Prep's guide shows" },
    then: (res) => expect(res.body).toEqual([{ data: { _id: "1234", person: { name: { firstName: "Jim", lastName: "Seltzer" } } }, errors: null }]),
  },
  {
    folder: "Mapping sets", item: "Retrieve a mapping set", method: "GET", service: "dataprep", url: (c) => `/mappingSets/${c.MAPPING_SET_ID}?expandSchema=false&version=0`,
    status: 200, basis: { documented: "200 MappingSet" },
    then: (res) => expect(res.body.version).toBe(0),
  },
  {
    folder: "Mapping sets", item: "Update a mapping set", method: "PUT", service: "dataprep", url: (c) => `/mappingSets/${c.MAPPING_SET_ID}`, body: () => MAPPING_SET,
    status: 200, basis: { documented: "200 MappingSet, version 1" },
    then: (res) => expect(res.body.version).toBe(1),
  },
  {
    folder: "Mapping sets", item: "Retrieve a list of mappings for a specified mapping set", method: "GET", service: "dataprep",
    url: (c) => `/mappingSets/${c.MAPPING_SET_ID}/mappings`,
    status: 200, basis: { documented: "200 [MappingOperation] as Data Prep's guide shows" },
    then: (res, c) => {
      expect(res.body.map((m: { destination: string }) => m.destination)).toEqual(["_id", "person.name.firstName", "person.name.lastName"]);
      keep(c, "MAPPING_ID", res.body[1].id);
    },
  },
  {
    folder: "Mapping sets", item: "Retrieve a mapping from a specified mapping set", method: "GET", service: "dataprep",
    url: (c) => `/mappingSets/${c.MAPPING_SET_ID}/mappings/${c.MAPPING_ID}`,
    status: 200, basis: { documented: "200 MappingOperation" },
    then: (res, c) => expect(res.body).toMatchObject({ id: c.MAPPING_ID, destination: "person.name.firstName" }),
  },
  // Functions (Data Prep's expression language): not emulated.
  {
    folder: "Functions", item: "Validate an expression", method: "POST", service: "dataprep", url: () => "/languages/el/validate",
    body: () => ({ expression: 'concat("Hi", ",", "there", "!")' }),
    status: 404, basis: { choice: "not emulated (the emulator evaluates no expressions): 404 1000-404" },
    then: (res) => expect(res.body.type).toMatch(/-1000-404$/),
  },
  {
    folder: "Functions", item: "List the available mapping set functions", method: "GET", service: "dataprep", url: () => "/languages/el/functions",
    status: 404, basis: { choice: "not emulated: 404 1000-404" },
    then: (res) => expect(res.body.type).toMatch(/-1000-404$/),
  },
  {
    folder: "Functions", item: "List the available mapping set operators", method: "GET", service: "dataprep", url: () => "/languages/el/operators",
    status: 404, basis: { choice: "not emulated: 404 1000-404" },
    then: (res) => expect(res.body.type).toMatch(/-1000-404$/),
  },
  // Flows
  {
    folder: "Flows", item: "Create a flow", method: "POST", service: "flow", url: () => "/flows",
    body: (c) => ({
      name: "FTP flow",
      flowSpec: { id: FLOW_SPEC.cloudStorage, version: "1.0" },
      sourceConnectionIds: [c.SOURCE_CONNECTION_ID],
      targetConnectionIds: [c.TARGET_CONNECTION_ID],
      transformations: [{ name: "Mapping", params: { mappingId: c.MAPPING_SET_ID, mappingVersion: "0" } }],
      scheduleParams: { startTime: "1597784298", frequency: "hour", interval: "1", foldernameTemplate: "%DESTINATION%_%DATASET_ID%_%DATETIME(YYYYMMdd_HHmmss)%" },
    }),
    status: 201, basis: { documented: "201 {id, etag}; a schedule's foldernameTemplate, which the spec forbids nowhere, kept" },
    then: (res, c) => {
      keep(c, "FLOW_ID", res.body.id);
      keep(c, "flowEtag", res.body.etag);
    },
  },
  {
    folder: "Flows", item: "List flows", method: "GET", service: "flow", url: () => `/flows?${EMPTY_LIST_VARS}`,
    status: 200, basis: { documented: "200 FlowListResponse" },
    then: (res, c) => expect(res.body.items.map((f: { id: string }) => f.id)).toEqual([c.FLOW_ID]),
  },
  {
    folder: "Flows", item: "Retrieve a flow's details", method: "GET", service: "flow", url: (c) => `/flows/${c.FLOW_ID}`,
    status: 200, basis: { documented: "200 {items: [flow]}" },
    then: (res) => expect(res.body.items[0].scheduleParams.foldernameTemplate).toBe("%DESTINATION%_%DATASET_ID%_%DATETIME(YYYYMMdd_HHmmss)%"),
  },
  {
    folder: "Flows", item: "Update a flow", method: "PATCH", service: "flow", url: (c) => `/flows/${c.FLOW_ID}?${ifMatch(c.flowEtag)}`,
    body: () => [{ op: "REPLACE", path: "/name", value: "FTP flow, renamed" }],
    status: 200, basis: { choice: "if-match read from the query when no header is sent; the spec's op enum (REPLACE) taken" },
  },
  // Runs
  {
    folder: "Runs", item: "List flow runs", method: "GET", service: "flow", url: () => `/runs?${EMPTY_LIST_VARS}`,
    status: 200, basis: { documented: "200 FlowRunsListResponse; empty: the emulator runs no flows" },
    then: (res) => expect(res.body).toEqual({ items: [], _links: {} }),
  },
  {
    folder: "Runs", item: "List flow runs", variant: "property=flowId==…", method: "GET", service: "flow",
    url: (c) => `/runs?property=${encodeURIComponent(`flowId==${c.FLOW_ID}`)}&limit=&orderby=&continuationToken=&count=false`,
    status: 200, basis: { documented: "200 FlowRunsListResponse; empty: the emulator runs no flows" },
    then: (res) => expect(res.body.items).toEqual([]),
  },
  {
    folder: "Runs", item: "Create a new run", method: "POST", service: "flow", url: () => "/runs", body: (c) => ({ flowId: c.FLOW_ID }),
    status: 404, basis: { choice: "not emulated (the emulator runs no flows): 404 1000-404" },
    then: (res) => expect(res.body.type).toMatch(/-1000-404$/),
  },
  {
    folder: "Runs", item: "Retrieve a flow run", method: "GET", service: "flow", url: () => "/runs/2f5b6d3e-0000-4000-8000-000000000000",
    status: 404, basis: { choice: "no run exists: 404 1101-404, as for every Flow entity" },
    then: (res) => expect(res.body.type).toMatch(/FLOW-1101-404$/),
  },
  // Deletes, last: what they delete is used above.
  {
    folder: "Flows", item: "Delete a flow", method: "DELETE", service: "flow", url: (c) => `/flows/${c.FLOW_ID}`,
    status: 204, basis: { documented: "2xx: deleted (the contract's 204)" },
  },
  {
    folder: "Source connections", item: "Delete a source connection", method: "DELETE", service: "flow", url: (c) => `/sourceConnections/${c.SOURCE_CONNECTION_ID}`,
    status: 204, basis: { documented: "2xx: deleted (the contract's 204)" },
  },
  {
    folder: "Target connections", item: "Delete a target connection", method: "DELETE", service: "flow", url: (c) => `/targetConnections/${c.TARGET_CONNECTION_ID}`,
    status: 204, basis: { documented: "2xx: deleted (the contract's 204)" },
  },
  {
    folder: "Connections", item: "Delete an existing connection", method: "DELETE", service: "flow", url: (c) => `/connections/${c.CONNECTION_ID}/`,
    status: 204, basis: { documented: "2xx: deleted (the contract's 204)" },
  },
];

/** The headers the collection sends: `Accept` and the gateway's on every request; `Content-Type` on every Flow request and on Data Prep writes. */
async function postmanHeaders(h: HarnessType, row: Row): Promise<Record<string, string>> {
  const headers: Record<string, string> = { accept: "application/json", ...(await h.gatewayHeaders()) };
  if (row.service === "flow" || row.method !== "GET") headers["content-type"] = "application/json";
  return headers;
}

describe("Adobe's Postman collections replayed against the emulator", () => {
  let h: HarnessType;
  const table: string[] = [];
  beforeAll(async () => {
    h = await Harness.start();
    // The host the FTP connection names, so that test and explore reach something.
    h.control.addRemote({ kind: "ftp", host: "ftp.example.com", credentials: [{ userName: "alice", password: "ftp-secret" }], files: [{ path: "acme/summer.csv" }] });
  });
  afterAll(async () => {
    await h.stop();
    // The replay's table: request → status → documented or choice.
    console.log(["Postman replay (folder / item → status → basis):", ...table].join("\n"));
  });

  it("answers every request of the collections as the specs document, each other answer a recorded choice", async () => {
    const c: Context = {};
    for (const row of ROWS) {
      const base = row.service === "flow" ? `${h.emu.baseUrl}${FS}` : `${h.emu.baseUrl}${DATA_PREP}`;
      const url = `${base}${row.url(c)}`;
      const res = await request(row.method, url, { headers: await postmanHeaders(h, row), body: row.body?.(c) });
      const name = `${row.folder} / ${row.item}${row.variant ? ` (${row.variant})` : ""}`;
      const basis = "documented" in row.basis ? `documented: ${row.basis.documented}` : `choice: ${row.basis.choice}`;
      table.push(`${name}: ${row.method} ${url.slice(h.emu.baseUrl.length)} → ${res.status} → ${basis}`);
      expect({ request: name, status: res.status, body: res.status === row.status ? undefined : res.text }).toEqual({ request: name, status: row.status, body: undefined });
      row.then?.(res, c);
    }
    expect(c.FLOW_ID).toMatch(UUID);
    expect(table).toHaveLength(ROWS.length);
  });

  it("covers every request of both collections", () => {
    // The collections' folder / item names (Flow Service: 27 requests, Data Prep: 11).
    const items = new Set(ROWS.map((r) => `${r.folder} / ${r.item}`));
    expect(items.size).toBe(38);
  });
});
