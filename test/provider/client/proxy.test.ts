import * as tls from "node:tls";
import { FlowServiceClient, type ClientSettings } from "../../../provider/client/client";
import { FlowServiceError } from "../../../provider/client/flow-service-error";
import type { ProxyEnv } from "../../../provider/client/proxy";
import { describeFailure } from "../../../provider/engine/failures";
import { ConnectProxy, makeServerCertificate, startTlsFront } from "../../helpers/connect-proxy";
import { DEFAULT_CLIENT, TestEmulator } from "../../helpers/emulator";

/**
 * Corporate egress proxies: the emulator behind TLS as `https://flow.test:<port>`, a name only the
 * proxy on loopback can reach, so a request that does not go through the proxy cannot succeed.
 */
/**
 * A host the proxy rules do not take for loopback, yet one whose traffic stays on 127.0.0.1: a
 * connection to 0.0.0.0 reaches the local host (Linux routes it to loopback), so the NO_PROXY test
 * sends nothing beyond this machine's loopback interface.
 */
const UNSPECIFIED = "0.0.0.0";

let emu: TestEmulator;
let proxy: ConnectProxy;
let front: { port: number; stop(): Promise<void> };
let logged: string[];
const defaultCAs = tls.getCACertificates("default");

beforeAll(async () => {
  const { ca, key, cert } = makeServerCertificate(["flow.test", UNSPECIFIED]);
  // The test CA is trusted as a system CA would be: TLS is verified against it end to end.
  tls.setDefaultCACertificates([...defaultCAs, ca]);
  emu = await TestEmulator.start();
  const emuPort = Number(new URL(emu.baseUrl).port);
  front = await startTlsFront(emuPort, key, cert);
});
afterAll(async () => {
  tls.setDefaultCACertificates(defaultCAs);
  await front.stop();
  await emu.stop();
});
beforeEach(async () => {
  proxy = await ConnectProxy.start();
  logged = [];
});
afterEach(() => proxy.stop());

function client(env: ProxyEnv, host = `flow.test:${front.port}`, over: Partial<ClientSettings> = {}): FlowServiceClient {
  return new FlowServiceClient({
    endpoint: `https://${host}`,
    imsEndpoint: `https://${host}`,
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    orgId: DEFAULT_CLIENT.orgId,
    scopes: "openid",
    maxInFlight: 4,
    timeoutMs: 10_000,
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    log: (line) => logged.push(line),
    proxyEnv: env,
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<FlowServiceError> {
  return p.then(
    () => {
      throw new Error("the request succeeded");
    },
    (e: unknown) => e as FlowServiceError,
  );
}

it("sends IMS and Flow Service requests through the proxy in HTTPS_PROXY as CONNECT tunnels, TLS verified end to end", async () => {
  const c = client({ HTTPS_PROXY: proxy.url });
  for (let i = 0; i < 3; i++) expect((await c.listConnectionSpecs("prod", [])).length).toBeGreaterThan(0);
  // One token request and three listings, one after another: a kept-alive tunnel carries them all.
  expect(proxy.connects).toEqual([`flow.test:${front.port}`]);
});

it("prefers https_proxy over HTTPS_PROXY, as curl does", async () => {
  await client({ https_proxy: proxy.url, HTTPS_PROXY: "http://127.0.0.1:9" }).listConnectionSpecs("prod", []);
  expect(proxy.connects.length).toBeGreaterThan(0);
});

it("refuses a certificate that does not name the host, through the tunnel too", async () => {
  const err = await failure(client({ HTTPS_PROXY: proxy.url }, `wrong.test:${front.port}`).listConnectionSpecs("prod", []));
  expect(err.code).toMatch(/CERT|ALTNAME/);
  expect(proxy.connects).toEqual([`wrong.test:${front.port}`]);
});

it("reaches a host in NO_PROXY directly, without the proxy", async () => {
  const specs = await client({ HTTPS_PROXY: proxy.url, NO_PROXY: `example.com, ${UNSPECIFIED}` }, `${UNSPECIFIED}:${front.port}`).listConnectionSpecs("prod", []);
  expect(specs.length).toBeGreaterThan(0);
  expect(proxy.connects).toEqual([]);
});

it("never sends a loopback endpoint through the proxy", async () => {
  const direct = new FlowServiceClient({ ...settingsFor(emu.baseUrl), proxyEnv: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, ALL_PROXY: proxy.url } });
  await direct.listConnectionSpecs("prod", []);
  expect(proxy.connects).toEqual([]);
  expect(proxy.forwarded).toEqual([]);
});

it("sends http:// to a non-loopback host through HTTP_PROXY as an absolute-URI request", async () => {
  const viaProxy = new FlowServiceClient({ ...settingsFor(`http://flow.test:${new URL(emu.baseUrl).port}`), proxyEnv: { HTTP_PROXY: proxy.url } });
  await viaProxy.listConnectionSpecs("prod", []);
  expect(proxy.forwarded.some((u) => u.startsWith(`http://flow.test:${new URL(emu.baseUrl).port}/`))).toBe(true);
});

it("names HTTPS_PROXY, not aep:endpoint, when the proxy refuses the tunnel, and asks once", async () => {
  proxy.mode = "refuse";
  const err = await failure(client({ HTTPS_PROXY: proxy.url }, undefined, { accessToken: "static-token-for-proxy" }).listConnectionSpecs("prod", []));
  expect(err).toBeInstanceOf(FlowServiceError);
  expect(err).toMatchObject({ kind: "config", code: "EPROXY", ambiguous: false });
  expect(err.message).toContain(`the proxy in HTTPS_PROXY (${proxy.url})`);
  expect(err.message).toContain("CONNECT answered 403");
  const told = describeFailure({ typeName: "aep:index:FtpConnection" }, "reading connection specs", err).message;
  expect(told).not.toContain("aep:endpoint");
  expect(proxy.connects).toHaveLength(1);
  expect(logged).toEqual([]);
});

it("says the proxy asks for credentials (407) and where to put them", async () => {
  proxy.mode = "auth";
  const err = await failure(client({ HTTPS_PROXY: proxy.url }).listConnectionSpecs("prod", []));
  expect(err).toMatchObject({ kind: "config", code: "EPROXY" });
  expect(err.message).toContain("CONNECT answered 407");
  expect(err.message).toContain("put them in HTTPS_PROXY as http://user:password@host:port");
  expect(proxy.connects).toHaveLength(1);
});

it("authenticates with the credentials in the proxy URL, and a rejected password never appears in the error", async () => {
  proxy.mode = "auth";
  const [user, pass] = proxy.credentials.split(":");
  await client({ HTTPS_PROXY: `http://${user}:${pass}@127.0.0.1:${proxy.port}` }).listConnectionSpecs("prod", []);

  const wrong = "wrong-proxy-password-99";
  const c = client({ HTTPS_PROXY: `http://${user}:${wrong}@127.0.0.1:${proxy.port}` });
  const err = await failure(c.listConnectionSpecs("prod", []));
  expect(err.message).toContain("rejected the credentials in HTTPS_PROXY");
  expect(err.message).not.toContain(wrong);
  expect(c.redactor.redact(`echo ${wrong} and ${Buffer.from(`${user}:${wrong}`).toString("base64")}`)).not.toMatch(new RegExp(`${wrong}|${Buffer.from(`${user}:${wrong}`).toString("base64")}`));
});

it("names the proxy setting and does not retry when the proxy is down, for IMS too", async () => {
  const down = `http://127.0.0.1:${proxy.port}`;
  await proxy.stop();
  proxy = await ConnectProxy.start(); // another port; afterEach stops this one
  const err = await failure(client({ https_proxy: down }).listConnectionSpecs("prod", []));
  expect(err).toMatchObject({ kind: "config", code: "EPROXY", path: "/ims/token/v3" });
  expect(err.message).toContain(`could not reach the proxy in https_proxy (${down})`);
  expect(err.message).toContain("ECONNREFUSED");
  expect(err.message).not.toContain("aep:imsEndpoint");
  expect(logged).toEqual([]);
});

it("refuses a proxy variable that is not a usable proxy URL, naming it", async () => {
  const err = await failure(client({ HTTPS_PROXY: "socks5://127.0.0.1:1080" }, undefined, { accessToken: "static-token-for-proxy" }).listConnectionSpecs("prod", []));
  expect(err).toMatchObject({ kind: "config", code: "EPROXY" });
  expect(err.message).toContain("HTTPS_PROXY names a socks5 proxy");
});

function settingsFor(endpoint: string): ClientSettings {
  return {
    endpoint,
    imsEndpoint: endpoint,
    clientId: DEFAULT_CLIENT.clientId,
    clientSecret: DEFAULT_CLIENT.clientSecret,
    orgId: DEFAULT_CLIENT.orgId,
    scopes: "openid",
    maxInFlight: 4,
    timeoutMs: 10_000,
  };
}
