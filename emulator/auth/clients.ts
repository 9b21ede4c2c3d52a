/** The IMS clients the emulator knows: from options, from a JSON file, or the default demo client. */
import { readFileSync } from "node:fs";
import type { EmulatorClient } from "../types";
import { isObject } from "../util";

/** Used when no clients are given; printed at start-up. */
export const DEFAULT_CLIENT: EmulatorClient = {
  clientId: "aep-emulator-client",
  clientSecret: "aep-emulator-secret",
  orgId: "EMULATOR00000000000000000@AdobeOrg",
  sandboxes: ["prod", "dev"],
};

function checkClient(value: unknown, where: string): EmulatorClient {
  const ok =
    isObject(value) &&
    ["clientId", "clientSecret", "orgId"].every((k) => typeof value[k] === "string" && (value[k] as string) !== "") &&
    Array.isArray(value.sandboxes) &&
    value.sandboxes.every((s) => typeof s === "string" && s !== "");
  if (!ok) throw new Error(`${where}: a client needs non-empty clientId, clientSecret, orgId and sandboxes (array of names)`);
  const v = value as Record<string, unknown>;
  return { clientId: v.clientId as string, clientSecret: v.clientSecret as string, orgId: v.orgId as string, sandboxes: [...(v.sandboxes as string[])] };
}

function loadClientsFile(file: string): EmulatorClient[] {
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(parsed)) throw new Error(`${file}: expected a JSON array of clients`);
  return parsed.map((c, i) => checkClient(c, `${file}[${i}]`));
}

export function resolveClients(clients?: EmulatorClient[], clientsFile?: string): EmulatorClient[] {
  const all = [...(clients ?? []).map((c, i) => checkClient(c, `clients[${i}]`)), ...(clientsFile ? loadClientsFile(clientsFile) : [])];
  const list = all.length > 0 ? all : [checkClient(DEFAULT_CLIENT, "default client")];
  const seen = new Set<string>();
  for (const c of list) {
    if (seen.has(c.clientId)) throw new Error(`client id '${c.clientId}' is listed twice`);
    seen.add(c.clientId);
  }
  return list;
}
