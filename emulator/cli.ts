#!/usr/bin/env node
/**
 * `aep-flow-emulator [--port 8080] [--host 127.0.0.1] [--data-dir DIR] [--clients FILE] [--admin-token T]
 *  [--rate-limit RPS] [--token-ttl SECONDS] [--public-url URL] [--mapping-set-versions N] [--mapping-set-bytes N] [--log]`
 * Prints `aep-flow-emulator listening on http://HOST:PORT` first, then the credentials to use.
 */
import { parseArgs as nodeParseArgs } from "node:util";
import { DEFAULT_CLIENT, startEmulator, type EmulatorOptions } from "./index";
import { adminIndexText } from "./admin/routes";

const USAGE = `usage: aep-flow-emulator [--port 8080] [--host 127.0.0.1] [--data-dir DIR] [--clients FILE]
                         [--admin-token TOKEN] [--rate-limit RPS] [--token-ttl SECONDS] [--public-url URL]
                         [--mapping-set-versions N] [--mapping-set-bytes N] [--log]`;

function number(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min) throw new Error(`${flag} needs a number >= ${min}`);
  return n;
}

function integer(flag: string, value: string, min: number): number {
  const n = number(flag, value, min);
  if (!Number.isSafeInteger(n)) throw new Error(`${flag} needs an integer >= ${min}`);
  return n;
}

/** Every flag and what it sets; `--help` and `-h` print the usage and the admin index. */
const FLAGS = {
  port: { type: "string", set: (o, v) => (o.port = number("--port", v, 0)) },
  host: { type: "string", set: (o, v) => (o.host = v) },
  "data-dir": { type: "string", set: (o, v) => (o.dataDir = v) },
  clients: { type: "string", set: (o, v) => (o.clientsFile = v) },
  "admin-token": {
    type: "string",
    set: (o, v) => {
      if (v === "") throw new Error("--admin-token must not be empty (leave the flag out for no token, loopback only)");
      o.adminToken = v;
    },
  },
  "rate-limit": { type: "string", set: (o, v) => (o.rateLimit = { requestsPerSecond: number("--rate-limit", v, Number.MIN_VALUE) }) },
  "token-ttl": { type: "string", set: (o, v) => (o.tokenTtlSeconds = number("--token-ttl", v, 1)) },
  "public-url": { type: "string", set: (o, v) => (o.publicUrl = v) },
  "mapping-set-versions": { type: "string", set: (o, v) => (o.mappingSetVersions = integer("--mapping-set-versions", v, 1)) },
  "mapping-set-bytes": { type: "string", set: (o, v) => (o.mappingSetBytes = integer("--mapping-set-bytes", v, 1)) },
  log: { type: "boolean", set: (o) => (o.logger = true) },
  help: { type: "boolean", short: "h", set: () => undefined },
} satisfies Record<string, { type: "string" | "boolean"; short?: string; set: (opts: EmulatorOptions, value: string) => unknown }>;

/**
 * The options of a command line. `node:util` parseArgs reads it (`--flag value` and `--flag=value`); its
 * tokens are then applied in order, so the first problem is the one reported, as before: not strict mode,
 * whose messages differ, and which refuses a value starting with `-` after a space.
 */
export function parseArgs(argv: string[]): EmulatorOptions {
  const opts: EmulatorOptions = { port: 8080 };
  const { tokens } = nodeParseArgs({ args: argv, options: FLAGS, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== "option" || !Object.prototype.hasOwnProperty.call(FLAGS, token.name)) {
      throw new Error(`unknown argument '${argv[token.index]}'`);
    }
    const flag = FLAGS[token.name as keyof typeof FLAGS];
    if (token.name === "help") {
      process.stdout.write(`${USAGE}\n\n${adminIndexText()}\n`);
      process.exit(0);
    }
    if (flag.type === "string" && token.value === undefined) throw new Error(`${token.rawName} needs a value`);
    flag.set(opts, token.value ?? "");
  }
  return opts;
}

/** Runs the CLI: starts the emulator, prints how to use it, stops on SIGINT/SIGTERM. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let opts: EmulatorOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`aep-flow-emulator: ${(e as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator(opts);
  // Installed before the banner: a script that stops the emulator as soon as it has read it gets a clean exit.
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`aep-flow-emulator: ${signal}, stopping\n`);
    emulator.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`aep-flow-emulator: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  const client = emulator.clients[0];
  // Only the built-in demo client's secret is public; a configured client's secret is never echoed to logs.
  const demo = client.clientId === DEFAULT_CLIENT.clientId && client.clientSecret === DEFAULT_CLIENT.clientSecret;
  const secret = demo ? client.clientSecret : "<the client's secret from the clients file>";
  const lines = [
    `aep-flow-emulator listening on ${emulator.baseUrl}`,
    `  Flow Service: ${emulator.flowServiceUrl}`,
    `  IMS token:    ${emulator.imsUrl}/ims/token/v3`,
    `  Admin API:    ${emulator.adminUrl}${emulator.adminToken ? ` (header x-admin-token: ${emulator.adminToken})` : ""}`,
    `  Storage:      ${opts.dataDir ? `persisted in ${opts.dataDir}` : "in memory"}`,
    `  Client:       ${client.clientId} / ${secret} (org ${client.orgId}; sandboxes ${client.sandboxes.join(", ")})`,
    ...(emulator.clients.length > 1 ? [`  (+${emulator.clients.length - 1} more clients: GET ${emulator.adminUrl}/clients)`] : []),
    "",
    "Point a client at it with:",
    `  export AEP_ENDPOINT=${emulator.baseUrl}`,
    `  export AEP_IMS_ENDPOINT=${emulator.imsUrl}`,
    `  export AEP_CLIENT_ID=${client.clientId}`,
    `  export AEP_CLIENT_SECRET=${secret}`,
    `  export AEP_ORG_ID=${client.orgId}`,
    `  export AEP_SANDBOX=${client.sandboxes[0]}`,
    "",
  ];
  process.stdout.write(lines.join("\n"));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`aep-flow-emulator: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
