import { ProxyRules, type ProxyEnv } from "../../../provider/client/proxy";

/** Which proxy a URL goes through, by curl's rules (pure: no network). */
function via(env: ProxyEnv, url: string): string | undefined {
  const route = new ProxyRules(env).forUrl(new URL(url));
  if (!route) return undefined;
  return "url" in route ? `${route.setting} ${route.shown}` : `problem: ${route.problem}`;
}

it("takes https_proxy for https:// and http_proxy for http://, the lower-case form first", () => {
  const env = { https_proxy: "http://low:1", HTTPS_PROXY: "http://up:2", HTTP_PROXY: "http://plain:3" };
  expect(via(env, "https://platform.adobe.io/x")).toBe("https_proxy http://low:1");
  expect(via(env, "http://platform.example/x")).toBe("HTTP_PROXY http://plain:3");
  expect(via({ HTTPS_PROXY: "http://up:2" }, "https://platform.adobe.io/")).toBe("HTTPS_PROXY http://up:2");
});

it("falls back to all_proxy and ALL_PROXY, and treats an empty variable as unset", () => {
  expect(via({ HTTPS_PROXY: "", ALL_PROXY: "http://all:8080" }, "https://ims-na1.adobelogin.com/")).toBe("ALL_PROXY http://all:8080");
  expect(via({ HTTPS_PROXY: "  " }, "https://platform.adobe.io/")).toBeUndefined();
});

it("takes a proxy written without a scheme as http://, as curl does, and shows it without credentials", () => {
  expect(via({ HTTPS_PROXY: "user:secret-pass@proxy.corp:3128" }, "https://platform.adobe.io/")).toBe("HTTPS_PROXY http://proxy.corp:3128");
});

it("goes direct to hosts NO_PROXY names: exact, subdomains, a leading dot or *., a port, an address or a CIDR block", () => {
  const env = { HTTPS_PROXY: "http://p:1", NO_PROXY: "adobe.io, .adobelogin.com *.corp.example internal:8443 10.1.2.3 192.168.0.0/16" };
  expect(via(env, "https://adobe.io/")).toBeUndefined();
  expect(via(env, "https://platform.adobe.io/")).toBeUndefined();
  expect(via(env, "https://ims-na1.adobelogin.com/")).toBeUndefined();
  expect(via(env, "https://a.corp.example/")).toBeUndefined();
  expect(via(env, "https://internal:8443/")).toBeUndefined();
  expect(via(env, "https://internal/")).toBe("HTTPS_PROXY http://p:1");
  expect(via(env, "https://10.1.2.3/")).toBeUndefined();
  expect(via(env, "https://192.168.40.7/")).toBeUndefined();
  expect(via(env, "https://notadobe.io/")).toBe("HTTPS_PROXY http://p:1");
  expect(via(env, "https://10.1.2.4/")).toBe("HTTPS_PROXY http://p:1");
});

it("prefers no_proxy over NO_PROXY, and `*` bypasses every host", () => {
  expect(via({ HTTPS_PROXY: "http://p:1", no_proxy: "other.example", NO_PROXY: "adobe.io" }, "https://platform.adobe.io/")).toBe("HTTPS_PROXY http://p:1");
  expect(via({ HTTPS_PROXY: "http://p:1", NO_PROXY: "*" }, "https://platform.adobe.io/")).toBeUndefined();
});

it("never proxies loopback hosts, whatever the variables say", () => {
  const env = { HTTP_PROXY: "http://p:1", HTTPS_PROXY: "http://p:1", NO_PROXY: "" };
  for (const url of ["http://127.0.0.1:4010/", "http://localhost:4010/", "https://[::1]:4010/", "http://emulator.localhost/"]) expect(via(env, url)).toBeUndefined();
});

it("names the variable when it holds no usable proxy URL", () => {
  expect(via({ HTTPS_PROXY: "socks5://p:1080" }, "https://platform.adobe.io/")).toMatch(/^problem: HTTPS_PROXY names a socks5 proxy/);
  expect(via({ https_proxy: "http://[bad" }, "https://platform.adobe.io/")).toMatch(/^problem: https_proxy is not a URL/);
});

it("lists the credentials of proxy URLs for the redactor: user:password always, each part when long enough", () => {
  const secrets = new ProxyRules({ HTTPS_PROXY: "http://ann:sh%40rt@p:1", HTTP_PROXY: "http://corp-user:long-password-1@p:2" }).secrets();
  expect(secrets).toEqual(expect.arrayContaining(["ann:sh%40rt", "ann:sh@rt", "corp-user:long-password-1", "corp-user", "long-password-1"]));
  expect(secrets).not.toContain("ann");
});
