import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as zlib from "node:zlib";
import { AttemptFailure, MAX_RESPONSE_BYTES, MAX_TIMER_MS, attempt, createHttp } from "../../../provider/client/transport";
import { BROTLI_BOMB_2GIB, BROTLI_BOMB_EXPANDED_BYTES } from "../../helpers/hostile-answers";

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

it("sends nothing when a header cannot carry its value, as a permanent failure that was not sent", async () => {
  const err = await attempt(agents, { method: "POST", url: `${base}/c`, data: "{}", headers: { Authorization: "Bearer token-abc\r\nX-Injected: 1" } }, 5_000).catch((e: AttemptFailure) => e);
  expect(err).toBeInstanceOf(AttemptFailure);
  expect(err).toMatchObject({ code: "EBADHEADER", sent: false, permanent: true });
  expect((err as AttemptFailure).message).toBe("the Authorization header's value holds a carriage return (U+000D) at character 17 of 31, which an HTTP header cannot carry");
  expect(seen).toEqual([]);
});

it("sends nothing when Node refuses the request's deadline, as a permanent failure that was not sent", async () => {
  const err = await attempt(agents, { method: "GET", url: `${base}/c`, headers: {} }, 2 * MAX_TIMER_MS + 2).catch((e: AttemptFailure) => e);
  expect(err).toMatchObject({ code: "EBADREQUEST", sent: false, permanent: true });
  expect(seen).toEqual([]);
});

describe("a refused answer stops costing CPU", () => {
  type Decoder = zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress;
  /** The decoders the transport makes (Node's own, only watched), with the bytes each produced. */
  const made: Array<{ decoder: Decoder; produced: number }> = [];
  // Node's own module object, which the transport reads each function from when it calls it: its
  // functions are replaced by ones that call them and keep what they made (no behaviour changes).
  const nodeZlib = jest.requireActual<typeof zlib>("node:zlib");
  const names = ["createGunzip", "createInflate", "createBrotliDecompress"] as const;
  const originals = new Map<string, PropertyDescriptor>();
  /** Until the decoder is closed (destroyed) or has ended (decoded everything it was given). */
  const settled = (d: Decoder) => new Promise<void>((resolve) => (d.closed || d.readableEnded ? resolve() : (d.once("close", () => resolve()), d.once("end", () => resolve()))));

  beforeEach(() => {
    made.length = 0;
    for (const name of names) {
      const descriptor = Object.getOwnPropertyDescriptor(nodeZlib, name)!;
      const real = descriptor.value as (options?: object) => Decoder;
      originals.set(name, descriptor);
      const watched = (options?: object): Decoder => {
        const decoder = real(options);
        const entry = { decoder, produced: 0 };
        decoder.on("data", (chunk: Buffer) => (entry.produced += chunk.length));
        made.push(entry);
        return decoder;
      };
      Object.defineProperty(nodeZlib, name, { ...descriptor, value: watched });
    }
  });
  afterEach(() => {
    for (const [name, descriptor] of originals) Object.defineProperty(nodeZlib, name, descriptor);
  });

  it("destroys the decoder of a 1.6 KB Brotli answer expanding to 2 GiB at the limit, with the answer", async () => {
    expect(BROTLI_BOMB_2GIB.length).toBeLessThan(2 * 1024);
    answer = (_req, _body, res) => res.writeHead(200, { "content-type": "application/json", "content-encoding": "br" }).end(BROTLI_BOMB_2GIB);
    await expect(get("/bomb")).rejects.toMatchObject({ code: "ETOOLARGE", unusable: true });
    expect(made).toHaveLength(1);
    const [{ decoder }] = made;
    // Destroyed with the refusal itself, not once it has decoded what it holds.
    expect(decoder.destroyed).toBe(true);
    await settled(decoder);
    // What it decoded in all: the limit and at most a few chunks past it, never the 2 GiB.
    expect(made[0].produced).toBeLessThan(MAX_RESPONSE_BYTES + 4 * 1024 * 1024);
    expect(made[0].produced).toBeLessThan(BROTLI_BOMB_EXPANDED_BYTES / 64);
  });

  it.each([
    ["gzip", zlib.gzipSync],
    ["deflate", zlib.deflateSync],
  ] as const)("destroys the decoder of a %s answer expanding past the limit", async (encoding, encode) => {
    const bomb = encode(Buffer.alloc(MAX_RESPONSE_BYTES * 3, " "));
    answer = (_req, _body, res) => res.writeHead(200, { "content-encoding": encoding }).end(bomb);
    await expect(get("/bomb")).rejects.toMatchObject({ code: "ETOOLARGE" });
    expect(made[0].decoder.destroyed).toBe(true);
    await settled(made[0].decoder);
    expect(made[0].produced).toBeLessThan(MAX_RESPONSE_BYTES + 4 * 1024 * 1024);
  });

  it("destroys the decoder when the deadline ends an answer that is still coming", async () => {
    answer = (_req, _body, res) => {
      res.writeHead(200, { "content-encoding": "gzip" });
      // The first part of a compressed body; the rest never comes.
      res.write(zlib.gzipSync(Buffer.alloc(1024 * 1024, " ")).subarray(0, 512));
    };
    await expect(attempt(agents, { method: "GET", url: `${base}/slow`, headers: {} }, 300)).rejects.toMatchObject({ code: "ETIMEDOUT" });
    expect(made[0].decoder.destroyed).toBe(true);
  });
});

describe("axios loads at the first request, not before", () => {
  // A program that only declares resources, and a preview (check and diff), send no request: they
  // should not pay for loading an HTTP client. Measured in a fresh process of the built package.
  const root = require("node:path").join(__dirname, "../../..");
  const loaded = (script: string): { before: boolean; after: boolean } =>
    JSON.parse(
      require("node:child_process").execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" }),
    );
  const axiosLoaded = 'Object.keys(require.cache).some((f) => /node_modules[\\\\/]axios[\\\\/]/.test(f))';

  it("is not loaded by the package's index or its lifecycle, and is by the first request", () => {
    const r = loaded(`
      require("./dist/provider/index.js"); require("./dist/provider/lifecycle.js");
      const before = ${axiosLoaded};
      const { attempt, createHttp } = require("./dist/provider/client/transport.js");
      const agents = createHttp(1);
      const notYet = ${axiosLoaded};
      attempt(agents, { method: "GET", url: "http://127.0.0.1:9/x", headers: {} }, 2000).catch(() => {}).finally(() => {
        process.stdout.write(JSON.stringify({ before: before || notYet, after: ${axiosLoaded} }));
      });`);
    expect(r).toEqual({ before: false, after: true });
  });
});
