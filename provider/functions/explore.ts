import * as pulumi from "@pulumi/pulumi";
import type { ExploreEntry } from "../client/answers";
import { failed, functionClient, idArg, knownArgs, sandboxArg, textArg } from "./context";

export type { ExploreEntry } from "../client/answers";

export interface ExploreConnectionArgs {
  /** The base connection to explore (an FTP, SFTP or S3 connection's `id`). */
  connectionId: string;
  /** The folder to list, as explore shows paths (`/in` on FTP/SFTP, `<bucket>/exports` on S3); default: the top. */
  path?: string;
  /** Sandbox of the connection; default `aep:sandbox`, `AEP_SANDBOX`, else `prod`. */
  sandbox?: string;
}

export interface ExploreConnectionResult {
  connectionId: string;
  sandbox: string;
  /** The folder listed; undefined for the top. */
  path?: string;
  /** Files and folders directly under it, as Flow Service lists them. */
  items: ExploreEntry[];
}

const FN = "exploreConnection";
const ARGS = ["connectionId", "path", "sandbox"] as const;

/**
 * The files and folders under a path of a base connection (`GET /connections/{id}/explore`), e.g. to check
 * that the file a dataflow will read is there. A plain promise; see `exploreConnectionOutput`.
 */
export async function exploreConnection(args: ExploreConnectionArgs): Promise<ExploreConnectionResult> {
  const a = knownArgs(FN, args, ARGS);
  const connectionId = idArg(FN, "connectionId", a.connectionId);
  const path = a.path === undefined || a.path === null ? undefined : textArg(FN, "path", a.path, 1024);
  const sandbox = sandboxArg(FN, a.sandbox);
  const c = functionClient(FN);
  try {
    const items = await c.exploreConnection("/connections", sandbox, connectionId, path);
    return { connectionId, sandbox, ...(path === undefined ? {} : { path }), items };
  } catch (err) {
    throw failed(FN, `listing ${path === undefined ? "the top" : `folder ${JSON.stringify(path)}`} of connection ${connectionId} in sandbox "${sandbox}"`, err);
  }
}

/** `exploreConnection` taking Inputs and returning an Output, as Pulumi's `…Output` functions do. */
export function exploreConnectionOutput(args: pulumi.Inputs & { [K in keyof ExploreConnectionArgs]: pulumi.Input<ExploreConnectionArgs[K]> }): pulumi.Output<ExploreConnectionResult> {
  return pulumi.output(args).apply((a) => exploreConnection(a as ExploreConnectionArgs));
}
