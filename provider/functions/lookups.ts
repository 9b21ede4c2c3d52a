import * as pulumi from "@pulumi/pulumi";
import type { ConnectionSpecSummary } from "../client/answers";
import { propertyEquals } from "../client/filters";
import type { ConnectionItem } from "../client/types";
import { failed, idArg, lookupArgs, textArg, usage } from "./context";

export type { ConnectionSpecSummary } from "../client/answers";

/** One of `name` (e.g. `"FTP"`) or `id`. */
export type GetConnectionSpecArgs = { name: string; id?: never; sandbox?: string } | { id: string; name?: never; sandbox?: string };

/** The connection spec: its id, name, provider id, version and auth spec names. */
export type GetConnectionSpecResult = ConnectionSpecSummary;

const SPEC_FN = "getConnectionSpec";

/** Looks a connection spec up by name or id (`GET /connectionSpecs`). A plain promise; see `getConnectionSpecOutput`. */
export async function getConnectionSpec(args: GetConnectionSpecArgs): Promise<GetConnectionSpecResult> {
  const { a, byId, sandbox, c } = lookupArgs(SPEC_FN, args);
  if (byId) {
    const id = idArg(SPEC_FN, "id", a.id);
    let spec: ConnectionSpecSummary | undefined;
    try {
      spec = await c.getConnectionSpec(sandbox, id);
    } catch (err) {
      throw failed(SPEC_FN, `reading connection spec ${id}`, err);
    }
    if (!spec) throw usage(SPEC_FN, `no connection spec has id ${id} (Flow Service answered 1413-404); check the id`);
    return spec;
  }
  const name = textArg(SPEC_FN, "name", a.name, 256);
  const filter = propertyEquals("name", name);
  let specs: ConnectionSpecSummary[];
  try {
    specs = (await c.listConnectionSpecs(sandbox, filter ? [filter] : [])).filter((s) => s.name === name);
  } catch (err) {
    throw failed(SPEC_FN, `looking up connection spec ${JSON.stringify(name)}`, err);
  }
  if (specs.length === 0) throw usage(SPEC_FN, `no connection spec is named ${JSON.stringify(name)}; names are exact (e.g. "FTP", "Amazon S3")`);
  if (specs.length > 1) throw usage(SPEC_FN, `${specs.length} connection specs are named ${JSON.stringify(name)} (${specs.map((s) => s.id).join(", ")}); look one up by id`);
  return specs[0];
}

/** `getConnectionSpec` taking Inputs and returning an Output. */
export function getConnectionSpecOutput(args: { name?: pulumi.Input<string>; id?: pulumi.Input<string>; sandbox?: pulumi.Input<string> }): pulumi.Output<GetConnectionSpecResult> {
  return pulumi.output(args).apply((a) => getConnectionSpec(a as GetConnectionSpecArgs));
}

export interface GetConnectionArgs {
  /** The connection's exact name (Flow Service names are not unique: more than one is an error). */
  name?: string;
  /** Or its id. */
  id?: string;
  /** Sandbox; default `aep:sandbox`, `AEP_SANDBOX`, else `prod`. */
  sandbox?: string;
}

/** A connection managed elsewhere, as Flow Service shows it (secret params masked as `"********"`). */
export interface GetConnectionResult {
  id: string;
  name: string;
  description: string;
  sandbox: string;
  connectionSpecId: string;
  state?: string;
  etag: string;
  authSpecName?: string;
  params: Record<string, unknown>;
}

const CONN_FN = "getConnection";

/** Looks a connection up by name (or id) in a sandbox. A plain promise; see `getConnectionOutput`. */
export async function getConnection(args: GetConnectionArgs): Promise<GetConnectionResult> {
  const { a, byId, sandbox, c } = lookupArgs(CONN_FN, args);
  if (byId) {
    const id = idArg(CONN_FN, "id", a.id);
    let item: ConnectionItem | undefined;
    try {
      item = await c.getItem("/connections", sandbox, id);
    } catch (err) {
      throw failed(CONN_FN, `reading connection ${id} in sandbox "${sandbox}"`, err);
    }
    if (!item) throw usage(CONN_FN, `no connection ${id} exists in sandbox "${sandbox}" (Flow Service answered 1101-404); check the id and sandbox`);
    return resultOf(item, sandbox);
  }
  const name = textArg(CONN_FN, "name", a.name, 256);
  const filter = propertyEquals("name", name);
  let items: ConnectionItem[];
  try {
    // A name holding `"` cannot be filtered on: the sandbox's connections are listed and compared here.
    items = (await c.listItems("/connections", sandbox, filter ? [filter] : [], filter ? 10 : 50)).filter((i) => i.name === name);
  } catch (err) {
    throw failed(CONN_FN, `looking up connection ${JSON.stringify(name)} in sandbox "${sandbox}"`, err);
  }
  if (items.length === 0) throw usage(CONN_FN, `no connection is named ${JSON.stringify(name)} in sandbox "${sandbox}"; names are exact, and the sandbox defaults to aep:sandbox`);
  if (items.length > 1) throw usage(CONN_FN, `${items.length} connections are named ${JSON.stringify(name)} in sandbox "${sandbox}" (${items.map((i) => i.id).join(", ")}): Flow Service names are not unique, so look it up by id`);
  return resultOf(items[0], sandbox);
}

/** `getConnection` taking Inputs and returning an Output. */
export function getConnectionOutput(args: { name?: pulumi.Input<string>; id?: pulumi.Input<string>; sandbox?: pulumi.Input<string> }): pulumi.Output<GetConnectionResult> {
  return pulumi.output(args).apply((a) => getConnection(a as GetConnectionArgs));
}

function resultOf(item: ConnectionItem, sandbox: string): GetConnectionResult {
  const result: GetConnectionResult = {
    id: item.id,
    name: item.name,
    description: typeof item.description === "string" ? item.description : "",
    sandbox,
    connectionSpecId: item.connectionSpec.id,
    etag: item.etag,
    params: { ...(item.auth?.params ?? item.params ?? {}) },
  };
  if (typeof item.state === "string") result.state = item.state;
  if (item.auth && typeof item.auth.specName === "string") result.authSpecName = item.auth.specName;
  return result;
}

