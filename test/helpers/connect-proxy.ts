import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";

/**
 * An egress proxy on loopback, as corporate networks run them: CONNECT tunnels for https:// and
 * absolute-URI forwarding for http://. Every host name is reached on 127.0.0.1 (`flow.test` stands
 * for the platform), so requests work only when they go through it.
 */
export type ProxyMode = "tunnel" | "refuse" | "auth";

export class ConnectProxy {
  /** `host:port` of every CONNECT, in order. */
  readonly connects: string[] = [];
  /** Absolute URIs of every forwarded http:// request. */
  readonly forwarded: string[] = [];
  /** The Proxy-Authorization the `auth` mode accepts (Basic user:password). */
  credentials = "proxy-user:proxy-pass-1234";
  mode: ProxyMode = "tunnel";
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<ConnectProxy> {
    const server = http.createServer();
    const proxy = new ConnectProxy(server);
    server.on("connection", (s) => {
      proxy.sockets.add(s);
      s.on("close", () => proxy.sockets.delete(s));
    });
    server.on("connect", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => proxy.onConnect(req, client, head));
    server.on("request", (req, res) => proxy.onForward(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private refusal(req: http.IncomingMessage): string | undefined {
    if (this.mode === "refuse") return "403 Forbidden";
    const expected = `Basic ${Buffer.from(this.credentials).toString("base64")}`;
    if (this.mode === "auth" && req.headers["proxy-authorization"] !== expected) return "407 Proxy Authentication Required";
    return undefined;
  }

  private onConnect(req: http.IncomingMessage, client: net.Socket, head: Buffer): void {
    this.connects.push(req.url ?? "");
    client.on("error", () => client.destroy());
    const refused = this.refusal(req);
    if (refused) {
      const auth = refused.startsWith("407") ? 'Proxy-Authenticate: Basic realm="corp"\r\n' : "";
      client.end(`HTTP/1.1 ${refused}\r\n${auth}Content-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    const port = Number((req.url ?? "").split(":").pop());
    const upstream = net.connect(port, "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  }

  private onForward(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.forwarded.push(req.url ?? "");
    const refused = this.refusal(req);
    if (refused) {
      res.writeHead(Number(refused.slice(0, 3)), refused.startsWith("407") ? { "Proxy-Authenticate": 'Basic realm="corp"' } : {}).end();
      return;
    }
    const target = new URL(req.url ?? "");
    const headers = { ...req.headers };
    delete headers["proxy-authorization"];
    const upstream = http.request({ host: "127.0.0.1", port: target.port, path: target.pathname + target.search, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A certificate authority and a server certificate it signed for `names` (DNS names and IPs), made by openssl. */
export function makeServerCertificate(names: string[]): { ca: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "aep-tls-"));
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  try {
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=aep-test-ca");
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${names[0]}`);
    const san = names.map((n) => (net.isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
    writeFileSync(join(dir, "ext.cnf"), `subjectAltName=${san}\n`);
    run("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf");
    return { ca: readFileSync(join(dir, "ca.pem"), "utf8"), key: readFileSync(join(dir, "server.key"), "utf8"), cert: readFileSync(join(dir, "server.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** TLS in front of a plain-http server (the emulator): what the platform's https:// endpoint is here. */
export async function startTlsFront(target: number, key: string, cert: string, host = "127.0.0.1"): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ key, cert }, (s) => {
    const up = net.connect(target, "127.0.0.1");
    s.pipe(up).pipe(s);
    s.on("error", () => up.destroy());
    up.on("error", () => s.destroy());
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
