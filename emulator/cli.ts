#!/usr/bin/env node
/**
 * `aep-flow-emulator [--port 8080] [--host 127.0.0.1] [--data-dir DIR] [--clients FILE] [--admin-token T]
 *  [--rate-limit RPS] [--token-ttl SECONDS] [--public-url URL] [--log]`
 * Prints `aep-flow-emulator listening on http://HOST:PORT` first, then the credentials to use.
 */
import { DEFAULT_CLIENT, startEmulator, type EmulatorOptions } from "./index";
import { adminIndexText } from "./admin/routes";

const USAGE = `usage: aep-flow-emulator [--port 8080] [--host 127.0.0.1] [--data-dir DIR] [--clients FILE]
                         [--admin-token TOKEN] [--rate-limit RPS] [--token-ttl SECONDS] [--public-url URL] [--log]`;

function number(flag: string, value: string | undefined, min: number): number {
  const n = Number(value);
  if (value === undefined || value.trim() === "" || !Number.isFinite(n) || n < min) throw new Error(`${flag} needs a number >= ${min}`);
  return n;
}

export function parseArgs(argv: string[]): EmulatorOptions {
  const opts: EmulatorOptions = { port: 8080 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--port":
        opts.port = number(flag, value(), 0);
        break;
      case "--host":
        opts.host = value();
        break;
      case "--data-dir":
        opts.dataDir = value();
        break;
      case "--clients":
        opts.clientsFile = value();
        break;
      case "--admin-token":
        opts.adminToken = value();
        if (opts.adminToken === "") throw new Error("--admin-token must not be empty (leave the flag out for no token, loopback only)");
        break;
      case "--rate-limit":
        opts.rateLimit = { requestsPerSecond: number(flag, value(), Number.MIN_VALUE) };
        break;
      case "--token-ttl":
        opts.tokenTtlSeconds = number(flag, value(), 1);
        break;
      case "--public-url":
        opts.publicUrl = value();
        break;
      case "--log":
        opts.logger = true;
        break;
      case "--help":
      case "-h":
        process.stdout.write(`${USAGE}\n\n${adminIndexText()}\n`);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument '${argv[i]}'`);
    }
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
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`aep-flow-emulator: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
