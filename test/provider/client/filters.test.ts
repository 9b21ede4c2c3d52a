import { FlowServiceClient } from "../../../provider/client/client";
import { propertyEquals } from "../../../provider/client/filters";
import { ProviderUnderTest } from "../../helpers/engine";
import { TestEmulator } from "../../helpers/emulator";
import { DEFAULT_CLIENT } from "../../../emulator";

/**
 * The provider's filter builder run through the emulator's filter parser: a name with any characters
 * is found by name, and only that name. After a lost POST this lookup is what keeps a create from
 * posting a duplicate, so the contract is tested through that path as well.
 */
const FTP_SPEC = "fb2e94c9-c031-467d-8103-6bd6e0a432f2";
const NAMES = [
  'with "quotes"',
  'ends with a quote"',
  "back\\slash",
  "trailing backslash\\",
  "a==b",
  "comma, then more",
  "a,b==c",
  "ünïcödé ✓ 日本",
  "  spaces  around  ",
  "percent %22 and plus +",
  "semi;colon&amp",
];

let emu: TestEmulator;
let client: FlowServiceClient;

beforeAll(async () => {
  emu = await TestEmulator.start();
  client = new FlowServiceClient({
    endpoint: emu.baseUrl,
    imsEndpoint: emu.baseUrl,
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    orgId: DEFAULT_CLIENT.orgId,
    scopes: "openid",
    maxInFlight: 4,
    timeoutMs: 10_000,
  });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

async function seed(name: string): Promise<string> {
  const made = await emu.createDirect({ name, connectionSpec: { id: FTP_SPEC, version: "1.0" }, auth: { specName: "Basic Authentication for FTP", params: { host: "h.example.com", userName: "u", password: "seed-password" } } });
  return made.id;
}

/** Names a loose parser would also match: the name cut at a special character, trimmed, or longer. */
function nearMisses(name: string): string[] {
  const cut = name.split(/[,="\\]/)[0];
  return [...new Set([cut, name.trim(), `${name} `, `${name}x`])].filter((n) => n !== name && n !== "");
}

describe("name filters", () => {
  it("quotes every value and refuses to express one holding a double quote (Adobe documents no escape)", () => {
    expect(propertyEquals("name", "a,b")).toBe('name=="a,b"');
    expect(propertyEquals("name", "back\\slash")).toBe('name=="back\\slash"');
    expect(propertyEquals("name", 'say "hi"')).toBeUndefined();
  });

  it.each(NAMES.filter((n) => !n.includes('"')))("finds exactly %j by a quoted name filter", async (name) => {
    const id = await seed(name);
    for (const other of nearMisses(name)) await seed(other);
    const filter = propertyEquals("name", name);
    expect(filter).toBeDefined();
    const found = await client.listItems("/connections", "prod", [filter as string, `connectionSpec.id==${FTP_SPEC}`]);
    expect(found.map((c) => c.id)).toEqual([id]);
  });

  it.each(NAMES)("adopts its own connection named %j after a lost POST, posting once", async (name) => {
    for (const other of nearMisses(name)) await seed(other);
    const ftp = await ProviderUnderTest.load("ftp", emu.config({ "aep:maxAttempts": "3" }));
    await emu.clearRequests();
    await emu.addFault({ kind: "commit-then-fail", thenStatus: 500, count: 1, method: "POST", route: "/connections" });
    const made = await ftp.create(await ftp.checked({}, { __autoName: "named", name, host: "ftp.example.com", userName: "ingest", password: "named-password-1" }));
    const all = await emu.connections();
    expect(all.filter((c) => c.name === name).map((c) => c.id)).toEqual([made.id]);
    expect((await emu.requests()).counts["POST /connections"]).toBe(1);
  });
});
