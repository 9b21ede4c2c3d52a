import { BlockList, isIP } from "node:net";
import { MIN_SECRET_LENGTH } from "./redactor";

/**
 * Which egress proxy, if any, a request goes through, from the environment variables curl and Node
 * read: `https_proxy`/`HTTPS_PROXY` for https:// URLs, `http_proxy`/`HTTP_PROXY` for http:// ones,
 * `all_proxy`/`ALL_PROXY` for either when neither is set, and `no_proxy`/`NO_PROXY` for the hosts
 * reached directly. The lower-case form wins when both are set (curl's order). Loopback hosts are
 * always reached directly: a proxy's 127.0.0.1 is the proxy's own machine, never the emulator here.
 */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

export interface ProxyRoute {
  /** The proxy's URL, credentials included (they go only into Proxy-Authorization). */
  url: URL;
  /** The variable it came from, as set (`HTTPS_PROXY` or `https_proxy`): errors name it. */
  setting: string;
  /** The proxy's URL without credentials, for messages. */
  shown: string;
  hasCredentials: boolean;
}

/** A proxy variable that holds no usable proxy URL: every request it would apply to fails naming it. */
export interface ProxyProblem {
  setting: string;
  problem: string;
}

const SCHEMES: Record<string, string[]> = {
  "https:": ["https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"],
  "http:": ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"],
};

export class ProxyRules {
  private readonly routes = new Map<string, ProxyRoute | ProxyProblem>();
  private readonly bypass: NoProxy;

  constructor(env: ProxyEnv) {
    for (const [scheme, names] of Object.entries(SCHEMES)) {
      const name = names.find((n) => (env[n] ?? "").trim() !== "");
      if (name) this.routes.set(scheme, parseProxy(name, (env[name] ?? "").trim()));
    }
    const noProxyName = ["no_proxy", "NO_PROXY"].find((n) => env[n] !== undefined && env[n] !== "");
    this.bypass = new NoProxy(noProxyName ? (env[noProxyName] ?? "") : "");
  }

  /** Whether any proxy variable is set at all (no per-request work when none is). */
  get empty(): boolean {
    return this.routes.size === 0;
  }

  /** The proxy `url` goes through, a problem with the variable that would apply, or undefined: direct. */
  forUrl(url: URL): ProxyRoute | ProxyProblem | undefined {
    const route = this.routes.get(url.protocol);
    if (!route) return undefined;
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    if (isLoopback(host)) return undefined;
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    return this.bypass.matches(host, port) ? undefined : route;
  }

  /**
   * The credentials proxy URLs carry, for the redactor: `user:password` as in the URL and decoded
   * (its Base64 is the Proxy-Authorization header), and each part alone when it is long enough to
   * be told apart from ordinary text. Messages show a proxy without its credentials in any case.
   */
  secrets(): string[] {
    const out: string[] = [];
    for (const route of this.routes.values()) {
      if (!("url" in route) || !route.hasCredentials) continue;
      const { username, password } = route.url;
      out.push(`${username}:${password}`, `${safeDecode(username)}:${safeDecode(password)}`);
      for (const part of [username, password, safeDecode(username), safeDecode(password)]) {
        if (part.length >= MIN_SECRET_LENGTH) out.push(part);
      }
    }
    return [...new Set(out)];
  }
}

function parseProxy(setting: string, value: string): ProxyRoute | ProxyProblem {
  // curl takes `host:port` without a scheme as http://.
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { setting, problem: `${setting} is not a URL: set it to the proxy's address, e.g. http://proxy.example.com:3128` };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { setting, problem: `${setting} names a ${url.protocol.replace(/:$/, "")} proxy; only http:// and https:// proxies are supported: set it to the proxy's http:// address` };
  }
  const shown = `${url.protocol}//${url.host}`;
  return { url, setting, shown, hasCredentials: url.username !== "" || url.password !== "" };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * curl's NO_PROXY: comma- or space-separated entries; `*` alone bypasses every host; a name matches
 * itself and its subdomains (a leading `.` or `*.` is the same); an IP address matches itself and a
 * CIDR block its addresses; `host:port` matches that port only.
 */
class NoProxy {
  private readonly all: boolean;
  private readonly names: Array<{ name: string; port?: string }> = [];
  private readonly addresses = new BlockList();
  private readonly addressPorts: Array<{ address: string; port: string }> = [];

  constructor(text: string) {
    const entries = text.split(/[\s,]+/).map((e) => e.trim().toLowerCase()).filter(Boolean);
    this.all = entries.includes("*");
    for (const entry of entries) {
      const cidr = /^([0-9a-f.:]+)\/(\d{1,3})$/.exec(entry.replace(/^\[|\](?=\/)/g, ""));
      if (cidr && isIP(cidr[1])) {
        const family = isIP(cidr[1]) === 4 ? "ipv4" : "ipv6";
        try {
          this.addresses.addSubnet(cidr[1], Number(cidr[2]), family);
        } catch {
          // A prefix longer than the address: curl ignores the entry too.
        }
        continue;
      }
      const bracketed = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(entry);
      if (bracketed) {
        this.addressPorts.push({ address: bracketed[1], port: bracketed[2] ?? "" });
        continue;
      }
      if (isIP(entry)) {
        this.addressPorts.push({ address: entry, port: "" });
        continue;
      }
      const m = /^(.*?)(?::(\d+))?$/.exec(entry);
      const name = (m?.[1] ?? entry).replace(/^\*?\./, "");
      if (isIP(name)) this.addressPorts.push({ address: name, port: m?.[2] ?? "" });
      else if (name !== "" && name !== "*") this.names.push({ name, port: m?.[2] });
    }
  }

  matches(host: string, port: string): boolean {
    if (this.all) return true;
    const family = isIP(host);
    if (family !== 0) {
      if (this.addresses.check(host, family === 4 ? "ipv4" : "ipv6")) return true;
      return this.addressPorts.some((a) => a.address === host && (a.port === "" || a.port === port));
    }
    return this.names.some((n) => (host === n.name || host.endsWith(`.${n.name}`)) && (n.port === undefined || n.port === port));
  }
}
