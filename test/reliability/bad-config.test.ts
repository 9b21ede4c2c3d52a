jest.setTimeout(600_000);

import { randomBytes } from "node:crypto";
import { type StackHandle, declare, makeStack, sharedProgram } from "../helpers/e2e";
import { TestEmulator } from "../helpers/emulator";

/**
 * Malformed `aep:*` configuration (and `AEP_*` variables) fails a real `pulumi preview`, naming the
 * setting and the fix, with no request to the emulator and no credentials needed.
 */
let emu: TestEmulator;
const handles: StackHandle[] = [];

beforeAll(async () => {
  emu = await TestEmulator.start();
});
afterAll(async () => {
  for (const h of handles) await h.stack.workspace.removeStack(h.stack.name).catch(() => undefined);
  await emu?.stop();
});

const resources = [{ type: "DatasetBaseConnection", name: "lake", args: { description: "lake" } }];

async function preview(config: Record<string, string>, env: Record<string, string> = {}): Promise<string> {
  const h = await makeStack(sharedProgram(), env, `bad-config-${randomBytes(4).toString("hex")}`);
  handles.push(h);
  await declare(h.stack, resources);
  await h.stack.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: v }])));
  const out: string[] = [];
  const err = await h.stack.preview({ onOutput: (s) => out.push(s) }).then(
    () => undefined,
    (e: unknown) => e,
  );
  return err === undefined ? "" : `${(err as Error).message}\n${out.join("")}`;
}

it.each([
  ["a misspelt key", { "aep:clientID": "abc" }, {}, /aep:clientID is not a setting of pulumi-aep-flow; did you mean aep:clientId\?/],
  ["a scheme-less endpoint", { "aep:endpoint": "127.0.0.1:19417" }, {}, /aep:endpoint \(AEP_ENDPOINT\) must be a URL/],
  ["an http:// IMS endpoint to another host", { "aep:imsEndpoint": "http://ims.example.com" }, {}, /aep:imsEndpoint \(AEP_IMS_ENDPOINT\) is http:\/\/ to ims.example.com: credentials would travel in clear/],
  ["attempts that are not a number", { "aep:maxAttempts": "abc" }, {}, /aep:maxAttempts \(AEP_MAX_ATTEMPTS\) must be a positive whole number, got "abc"/],
  ["an org id without @AdobeOrg", { "aep:orgId": "1234567890ABCDEF" }, {}, /aep:orgId \(AEP_ORG_ID\) must be an IMS organization id/],
  ["a sandbox outside Adobe's rules", { "aep:sandbox": "Prod" }, {}, /the sandbox from aep:sandbox \(or AEP_SANDBOX\) must be a sandbox name .*"Prod"/],
  ["a misspelt environment variable", {}, { AEP_CLIENTID: "abc" }, /environment variable AEP_CLIENTID is not read by pulumi-aep-flow; did you mean AEP_CLIENT_ID\?/],
  ["a malformed environment variable", {}, { AEP_MAX_IN_FLIGHT: "0" }, /aep:maxInFlight \(AEP_MAX_IN_FLIGHT\) must be a positive whole number, got "0"/],
  ["an access token ending in a secret file's line break", { "aep:accessToken": "token-0123456789\n" }, {}, /aep:accessToken \(AEP_ACCESS_TOKEN\) ends with a line break \(U\+000A\), which the Authorization header cannot carry/],
  ["an API key pasted with a typographic hyphen", {}, { AEP_CLIENT_ID: "0123456789abcdef\u2010cafe" }, /aep:clientId \(AEP_CLIENT_ID\) holds a typographic hyphen \(U\+2010; type - instead\) at character 17 of 21/],
  ["a deadline past what Node's timers hold", { "aep:timeoutSeconds": "3000000" }, {}, /aep:timeoutSeconds \(AEP_TIMEOUT_SECONDS\) must be at most 2147483 seconds/],
])("pulumi preview fails on %s, naming it, with no request and no credentials", async (_title, config, env, reason) => {
  await emu.clearRequests();
  const failure = await preview(config, env);
  expect(failure).toMatch(reason);
  expect((await emu.requests()).total).toBe(0);
});

it("passes with no configuration at all: preview needs no credentials", async () => {
  expect(await preview({})).toBe("");
});
