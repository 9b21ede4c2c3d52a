import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as zlib from "node:zlib";
import { AttemptFailure, MAX_RESPONSE_BYTES, attempt, createHttp } from "../../../provider/client/transport";

/** A scripted server on 127.0.0.1: each test says how it answers, and sees what was asked. */
let server: http.Server;
let base: string;
let answer: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      answer(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => (seen.length = 0));

const agents = createHttp(4);
const get = (path: string, params?: Record<string, string | string[]>) => attempt(agents, { method: "GET", url: base + path, params, headers: { Accept: "application/json" } }, 10_000);

it("sends the body with its length, repeats an array's query key, and asks for the encodings it can undo", async () => {
  answer = (_req, _body, res) => res.writeHead(201, { "content-type": "application/json", "x-request-id": "r1" }).end('{"id":"a"}');
  const res = await attempt(agents, { method: "POST", url: `${base}/c`, params: { property: ["name==a b", "x>1"], limit: "10" }, data: '{"name":"é"}', headers: { "Content-Type": "application/json" } }, 10_000);
  expect(res).toEqual({ status: 201, headers: expect.objectContaining({ "x-request-id": "r1" }), text: '{"id":"a"}' });
  const [req] = seen;
  expect(req.method).toBe("POST");
  expect(new URL(req.url!, base).searchParams.getAll("property")).toEqual(["name==a b", "x>1"]);
  expect(new URL(req.url!, base).searchParams.get("limit")).toBe("10");
  expect(req.body).toBe('{"name":"é"}');
  expect(req.headers["content-length"]).toBe(String(Buffer.byteLength('{"name":"é"}')));
  expect(req.headers["accept-encoding"]).toBe("gzip, deflate, br");
});

it.each([
  ["gzip", zlib.gzipSync],
  ["deflate", zlib.deflateSync],
  ["br", zlib.brotliCompressSync],
] as const)("decodes an answer encoded as %s", async (encoding, encode) => {
  const text = JSON.stringify({ items: Array.from({ length: 200 }, (_, i) => ({ id: `id-${i}` })) });
  answer = (_req, _body, res) => res.writeHead(200, { "content-type": "application/json", "content-encoding": encoding }).end(encode(Buffer.from(text)));
  expect((await get("/c")).text).toBe(text);
});

it("refuses a small compressed answer that expands past the limit, as unusable", async () => {
  const bomb = zlib.gzipSync(Buffer.alloc(MAX_RESPONSE_BYTES + 1024, " "));
  expect(bomb.length).toBeLessThan(64 * 1024);
  answer = (_req, _body, res) => res.writeHead(200, { "content-encoding": "gzip" }).end(bomb);
  const err = await get("/c").catch((e: unknown) => e);
  expect(err).toBeInstanceOf(AttemptFailure);
  expect(err).toMatchObject({ code: "ETOOLARGE", unusable: true, sent: true });
});

it("refuses an answer announcing a length past the limit before reading it", async () => {
  answer = (_req, _body, res) => {
    res.writeHead(200, { "content-length": String(MAX_RESPONSE_BYTES + 1) });
    res.write("{");
    // The rest never comes: the attempt must not wait for it.
  };
  await expect(get("/c")).rejects.toMatchObject({ code: "ETOOLARGE", unusable: true });
});

it("refuses an encoding it did not ask for, as unusable", async () => {
  answer = (_req, _body, res) => res.writeHead(200, { "content-encoding": "zstd" }).end("xx");
  await expect(get("/c")).rejects.toMatchObject({ code: "EBADENCODING", unusable: true, sent: true });
});

it("does not follow a redirect: the 3xx is the answer", async () => {
  answer = (_req, _body, res) => res.writeHead(307, { location: `${base}/elsewhere` }).end();
  const res = await get("/c");
  expect(res.status).toBe(307);
  expect(seen.map((s) => s.url)).toEqual(["/c"]);
});

it("gives up at the deadline on a server that never answers", async () => {
  answer = () => undefined;
  await expect(attempt(agents, { method: "GET", url: `${base}/hang`, headers: {} }, 200)).rejects.toMatchObject({ code: "ETIMEDOUT", sent: true });
});

it("names a refused connection as not sent, and an invalid URL or scheme as permanent", async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await expect(attempt(agents, { method: "GET", url: `http://127.0.0.1:${port}/`, headers: {} }, 5_000)).rejects.toMatchObject({ code: "ECONNREFUSED", sent: false });
  const invalid = await attempt(agents, { method: "GET", url: "not a url", headers: {} }, 5_000).catch((e: AttemptFailure) => e);
  expect(invalid).toMatchObject({ code: "ERR_INVALID_URL", sent: false, permanent: true });
  const ftp = await attempt(agents, { method: "GET", url: "ftp://127.0.0.1/", headers: {} }, 5_000).catch((e: AttemptFailure) => e);
  expect(ftp).toMatchObject({ code: "ERR_INVALID_PROTOCOL", sent: false, permanent: true });
});

it("reuses one kept-alive socket for calls in sequence", async () => {
  answer = (_req, _body, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}");
  const ports = new Set<number>();
  server.on("connection", (socket) => ports.add(socket.remotePort ?? 0));
  for (let i = 0; i < 5; i++) await get("/c");
  expect(ports.size).toBeLessThanOrEqual(1);
});
