/**
 * The reader against a scripted server: pages followed and counted, a page the provider's checks refuse
 * stops the export naming it, a listing that never ends is cut at the bound, and a write is never sent.
 */
import { readOnlyClient, readSandbox, type PageRead, type ReadOnlyClient } from "../../../provider/export/sandbox-reader";
import { resolveSettings } from "../../../provider/settings";
import { FLOW_BASE, type Answer, ScriptedServer } from "../../helpers/scripted-server";

const DATA_PREP = "/data/foundation/conversion";
let srv: ScriptedServer;
beforeAll(async () => {
  srv = await ScriptedServer.start();
});
afterAll(() => srv.stop());
beforeEach(() => {
  srv.reset();
  srv.clearRecord();
});

function client(): ReadOnlyClient {
  const env = { AEP_ENDPOINT: srv.url, AEP_IMS_ENDPOINT: srv.url, AEP_CLIENT_ID: "reader-client", AEP_CLIENT_SECRET: "reader-client-secret", AEP_ORG_ID: "READER0123456789ABCDEF@AdobeOrg", AEP_MAX_ATTEMPTS: "1" };
  return readOnlyClient(resolveSettings(env as NodeJS.ProcessEnv));
}

const flowItem = (id: string) => ({ id, name: `flow ${id}`, etag: `"${id}"`, flowSpec: { id: "9753525b-82c7-4dce-8a9b-5ccfce2b9876", version: "1.0" }, sourceConnectionIds: ["s"], targetConnectionIds: ["t"], state: "enabled" });
const page = (items: unknown[], next?: string): Answer => ({ json: { items, ...(next ? { _links: { next: { href: `?continuationToken=${next}` } } } : {}) } });

/** Every listing answers one empty page but those given. */
function listings(answers: Partial<Record<string, Answer[]>> = {}): void {
  const empty: Record<string, Answer> = {
    // The scripted server calls this route `GET /connections`.
    ["GET /connections"]: page([]),
    [`GET ${FLOW_BASE}/sourceConnections`]: page([]),
    [`GET ${FLOW_BASE}/targetConnections`]: page([]),
    [`GET ${FLOW_BASE}/flows`]: page([]),
    [`GET ${FLOW_BASE}/flowSpecs`]: page([{ id: "9753525b-82c7-4dce-8a9b-5ccfce2b9876", name: "CloudStorageToAEP", sourceConnectionSpecIds: [], targetConnectionSpecIds: [] }]),
    [`GET ${DATA_PREP}/mappingSets`]: { json: { data: [], _page: { count: 0 } } },
  };
  for (const [route, answer] of Object.entries(empty)) {
    const scripted = answers[route.split(" ")[1].replace(FLOW_BASE, "").replace(DATA_PREP, "")];
    // A listing that fails leaves no request in flight (the reader waits for every listing), so a script is never taken by another test.
    if (scripted) srv.script(route, ...scripted);
    else srv.always(route, answer);
  }
}

it("follows each listing's continuation links and reports every page", async () => {
  listings({ "/flows": [page([flowItem("f1"), flowItem("f2")], "t1"), page([flowItem("f3")])] });
  const pages: PageRead[] = [];
  const c = client();
  const snapshot = await readSandbox(c, "dev", { maxPages: 10, onPage: (p) => pages.push(p) });
  expect(snapshot.flows.map((f) => f.id)).toEqual(["f1", "f2", "f3"]);
  expect(snapshot.flowSpecs).toEqual([{ id: "9753525b-82c7-4dce-8a9b-5ccfce2b9876", name: "CloudStorageToAEP" }]);
  expect(pages.filter((p) => p.collection === "/flows")).toEqual([
    { collection: "/flows", page: 1, items: 2 },
    { collection: "/flows", page: 2, items: 1 },
  ]);
  expect(c.requestCount).toBe(7);
  const flows = srv.requests.filter((r) => r.path === `${FLOW_BASE}/flows`);
  expect(flows.map((r) => r.query.continuationToken ?? [])).toEqual([[], ["t1"]]);
  // Unfiltered, 100 to a page, in the export's sandbox.
  expect(flows.every((r) => r.query.property === undefined && r.query.limit?.[0] === "100" && r.headers["x-sandbox-name"] === "dev")).toBe(true);
});

it("stops at a page the provider's item checks refuse, naming the listing and the item, once every listing has settled", async () => {
  const { etag: _dropped, ...withoutEtag } = flowItem("f2");
  listings({ "/flows": [page([flowItem("f1"), withoutEtag])] });
  await expect(readSandbox(client(), "dev", { maxPages: 10 })).rejects.toThrow(/^GET \/flows answered 200 with an answer that is not Flow Service's: item 1: "etag" is nothing, not a string/);
  // The other five listings were answered, not abandoned mid-flight.
  expect(srv.requests.filter((r) => r.method === "GET").map((r) => r.path.split("/").pop()).sort()).toEqual(["connections", "flowSpecs", "flows", "mappingSets", "sourceConnections", "targetConnections"]);
});

it("refuses a flow spec listing whose items have no name", async () => {
  listings({ "/flowSpecs": [page([{ id: "x" }])] });
  await expect(readSandbox(client(), "dev", { maxPages: 10 })).rejects.toThrow(/^GET \/flowSpecs answered 200 with an answer that is not Flow Service's: item 0: a flow spec without an id and a name/);
});

it("gives up on a listing longer than the bound, naming --max-pages", async () => {
  let n = 0;
  listings({ "/sourceConnections": Array.from({ length: 5 }, () => page([], `token-${++n}`)) });
  await expect(readSandbox(client(), "dev", { maxPages: 3 })).rejects.toThrow('GET /sourceConnections in sandbox "dev": more than 3 pages of 100; nothing was written. Raise --max-pages to read them all');
  expect(srv.requests.filter((r) => r.path === `${FLOW_BASE}/sourceConnections`)).toHaveLength(3);
});

it("never sends anything but a GET", async () => {
  const c = client();
  await expect(c.request("POST", "/connections", { sandbox: "dev", body: {} })).rejects.toThrow("export reads only: POST /connections was not sent");
  await expect(c.deleteItem("/flows", "dev", "f1")).rejects.toThrow("export reads only: DELETE /flows/f1 was not sent");
  expect(srv.requests).toEqual([]);
});
