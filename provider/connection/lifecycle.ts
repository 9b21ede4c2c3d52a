import type { FlowServiceClient } from "../client/client";
import { FlowServiceError } from "../client/errors";
import type { ConnectionItem, IdAndEtag, PatchOperation } from "../client/types";
import { clientFor, defaultSandbox, resolveSettings } from "../config";
import type { ConnectionKind, Inputs } from "../resources/kind";
import { InitFailedError, describeFailure, userError } from "./errors";
import { GENERATED_NAME_INPUT, NAME_SEED_INPUT, checkInputs, diffInputs, isSet, sameValue } from "./inputs";
import { nameIndexOf } from "./name-index";
import { adoptOps, buildOutputs, createBody, hasServerValues, inputsFromItem, patchOps, secretValues, serverValuesOf } from "./wire";

/** Writes one line to the provider's stderr, which the engine keeps in its logs. Never a secret. */
function log(line: string): void {
  process.stderr.write(`[pulumi-aep-flow] ${line}\n`);
}

function client(kind: ConnectionKind, inputs: Inputs, action: string): FlowServiceClient {
  try {
    const c = clientFor(resolveSettings(), (line) => log(c.redactor.redact(line)));
    c.redactor.add(...secretValues(kind, inputs));
    return c;
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}

function sandboxOf(props: Inputs | undefined): string {
  return typeof props?.sandbox === "string" ? props.sandbox : defaultSandbox();
}

export async function check(kind: ConnectionKind, olds: Inputs, news: Inputs) {
  return checkInputs(kind, olds ?? {}, news ?? {});
}

export async function diff(kind: ConnectionKind, _id: string, olds: Inputs, news: Inputs) {
  const d = diffInputs(kind, olds ?? {}, news ?? {});
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
}

export async function create(kind: ConnectionKind, inputs: Inputs): Promise<{ id: string; outs: Inputs }> {
  const name = String(inputs.name);
  const sandbox = sandboxOf(inputs);
  const action = `creating connection "${name}" in sandbox "${sandbox}"`;
  const c = client(kind, inputs, action);
  if (isSet(inputs.existingConnectionId)) return adopt(kind, c, inputs, String(inputs.existingConnectionId), sandbox);
  const leftover = await leftoverOfInterruptedCreate(kind, c, inputs, sandbox, action);
  if (leftover) {
    const adopted = await adopt(kind, c, inputs, leftover, sandbox, { ifStillExists: true });
    if (adopted) {
      log(`${action}: adopted connection ${leftover} that an interrupted deployment created with this name`);
      return adopted;
    }
    // Listed earlier in this deployment but deleted since: nothing to adopt.
  }

  let created: IdAndEtag | undefined;
  let item: ConnectionItem | undefined;
  try {
    for (let attempt = 1; !created; attempt++) {
      const startedAt = Date.now();
      try {
        created = await c.createConnection(sandbox, createBody(kind, inputs));
        nameIndexOf(c).remember(sandbox, kind.connectionSpecId, { id: created.id, name });
      } catch (err) {
        if (!(err instanceof FlowServiceError) || !err.ambiguous || attempt >= c.maxAttempts) throw err;
        // The POST may have been applied although its response was lost: look the name up and
        // adopt our own connection rather than post a duplicate.
        const mine = await findCreatedByUs(kind, c, sandbox, name, startedAt);
        if (mine.length > 1) {
          throw userError(`${kind.typeName}: ${action}: the response was lost and ${mine.length} connections named "${name}" now exist (${mine.map((m) => m.id).join(", ")}); delete the extra ones and run \`pulumi refresh\``);
        }
        if (mine.length === 1) {
          item = mine[0];
          created = { id: item.id, etag: item.etag };
          nameIndexOf(c).remember(sandbox, kind.connectionSpecId, item);
          log(`${action}: the response was lost; adopted connection ${item.id} that the request created`);
        } else {
          log(`${action}: attempt ${attempt} failed (${err.code ?? err.status}) and created nothing: posting again`);
        }
      }
    }
  } catch (err) {
    throw describeFailure(kind, action, err);
  }

  const outs = buildOutputs(kind, inputs, { id: created.id, etag: created.etag, state: item?.state, serverValues: item ? serverValuesOf(kind, item) : {} });
  if (kind.readAfterCreate && !hasServerValues(kind, outs)) {
    try {
      const fresh = await c.getConnection(sandbox, created.id);
      if (!fresh) throw userError(`connection ${created.id} was created but is not readable yet`);
      return { id: created.id, outs: buildOutputs(kind, inputs, { id: created.id, etag: fresh.etag, state: fresh.state, serverValues: serverValuesOf(kind, fresh) }) };
    } catch (err) {
      const reason = describeFailure(kind, `reading the new connection ${created.id}`, err).message;
      throw new InitFailedError(reason, created.id, outs, [reason]);
    }
  }
  return { id: created.id, outs };
}

/**
 * A name derived from the resource's URN belongs to this resource alone, so a connection that already
 * bears it was created by an earlier attempt whose outcome Pulumi never recorded (the CLI or the provider
 * was killed, the machine lost power). Adopting it, rather than posting again, leaves no orphan. A name
 * the user chose may belong to anyone and is never looked up.
 */
async function leftoverOfInterruptedCreate(kind: ConnectionKind, c: FlowServiceClient, inputs: Inputs, sandbox: string, action: string): Promise<string | undefined> {
  if (!isSet(inputs[NAME_SEED_INPUT]) || inputs.name !== inputs[GENERATED_NAME_INPUT]) return undefined;
  const name = String(inputs.name);
  let mine: ConnectionItem[];
  try {
    mine = (await nameIndexOf(c).named(sandbox, kind.connectionSpecId, name)) ?? (await connectionsNamed(kind, c, sandbox, name));
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
  if (mine.length > 1) {
    throw userError(`${kind.typeName}: ${action}: ${mine.length} connections named "${name}" exist (${mine.map((m) => m.id).join(", ")}), left by interrupted deployments; delete all but one and run \`pulumi up\` again`);
  }
  return mine[0]?.id;
}

/** Connections of this kind with exactly this name (the filter may match loosely; the name is checked). */
async function connectionsNamed(kind: ConnectionKind, c: FlowServiceClient, sandbox: string, name: string): Promise<ConnectionItem[]> {
  const quoted = `"${name.replace(/"/g, '\\"')}"`;
  const items = await c.listConnections(sandbox, [`name==${quoted}`, `connectionSpec.id==${kind.connectionSpecId}`]);
  return items.filter((i) => i.name === name);
}

/** Connections with this name and spec that this client created since `since` (clock skew allowed). */
async function findCreatedByUs(kind: ConnectionKind, c: FlowServiceClient, sandbox: string, name: string, since: number): Promise<ConnectionItem[]> {
  const skewMs = 10 * 60_000;
  return (await connectionsNamed(kind, c, sandbox, name)).filter((i) => i.createdAt === undefined || i.createdAt >= since - skewMs);
}

async function adopt(kind: ConnectionKind, c: FlowServiceClient, inputs: Inputs, id: string, sandbox: string): Promise<{ id: string; outs: Inputs }>;
async function adopt(kind: ConnectionKind, c: FlowServiceClient, inputs: Inputs, id: string, sandbox: string, opts: { ifStillExists: true }): Promise<{ id: string; outs: Inputs } | undefined>;
async function adopt(kind: ConnectionKind, c: FlowServiceClient, inputs: Inputs, id: string, sandbox: string, opts?: { ifStillExists: true }): Promise<{ id: string; outs: Inputs } | undefined> {
  const action = `adopting connection ${id} in sandbox "${sandbox}"`;
  try {
    const item = await c.getConnection(sandbox, id);
    if (!item && opts?.ifStillExists) return undefined;
    if (!item) throw userError(`${kind.typeName}: ${action}: no connection with that id exists in sandbox "${sandbox}"; check existingConnectionId and sandbox`);
    if (item.connectionSpec?.id !== kind.connectionSpecId) {
      throw userError(`${kind.typeName}: ${action}: it is not a ${kind.title} connection (its connection spec is ${item.connectionSpec?.id}); declare it with the matching resource type`);
    }
    const wantAuth = kind.authSpecName?.(inputs);
    if (wantAuth && item.auth?.specName !== wantAuth) {
      throw userError(`${kind.typeName}: ${action}: it uses "${item.auth?.specName}" authentication, not "${wantAuth}", which cannot be changed in place; declare the same authentication or create a new connection`);
    }
    for (const p of kind.params) {
      const server = item.auth?.params?.[p.wire];
      if (p.replaceOnChange && isSet(inputs[p.input]) && isSet(server) && !sameValue(server, inputs[p.input])) {
        throw userError(`${kind.typeName}: ${action}: its ${p.input} is ${JSON.stringify(server)}, declared ${JSON.stringify(inputs[p.input])}; ${p.input} cannot be changed in place, so declare the same value`);
      }
    }
    const ops = adoptOps(kind, item, inputs);
    const etag = ops.length > 0 ? (await c.patchConnection(sandbox, id, item.etag, ops)).etag : item.etag;
    return { id, outs: buildOutputs(kind, inputs, { id, etag, state: item.state, serverValues: serverValuesOf(kind, item) }) };
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}

export async function read(kind: ConnectionKind, id: string, props: Inputs | undefined) {
  const prior = props ?? {};
  const sandbox = sandboxOf(prior);
  const action = `reading connection ${id} in sandbox "${sandbox}"`;
  const c = client(kind, prior, action);
  let item: ConnectionItem | undefined;
  try {
    item = await c.getConnection(sandbox, id);
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
  // Gone: returning no id tells the engine to drop it from state on refresh.
  if (!item) return {};
  if (item.connectionSpec?.id !== kind.connectionSpecId) {
    throw userError(`${kind.typeName}: ${action}: it is not a ${kind.title} connection (its connection spec is ${item.connectionSpec?.id})`);
  }
  const inputs = inputsFromItem(kind, item, prior, sandbox);
  const outs = buildOutputs(kind, inputs, { id, etag: item.etag, state: item.state, serverValues: serverValuesOf(kind, item) });
  return { id, props: outs, inputs };
}

export async function update(kind: ConnectionKind, id: string, olds: Inputs, news: Inputs): Promise<{ outs: Inputs }> {
  const sandbox = sandboxOf(olds);
  const action = `updating connection ${id} ("${String(news.name)}") in sandbox "${sandbox}"`;
  const c = client(kind, news, action);
  c.redactor.add(...secretValues(kind, olds));
  const ops = patchOps(kind, olds, news);
  try {
    let etag = String(olds.etag);
    let state = typeof olds.state === "string" ? olds.state : undefined;
    let server = pickServerValues(kind, olds);
    if (ops.length > 0) etag = await patchResolvingAmbiguity(kind, c, sandbox, id, etag, ops, news);
    if (!hasServerValues(kind, server)) {
      // A create that failed to initialize left the inlet unknown: fetch it now.
      const item = await c.getConnection(sandbox, id);
      if (!item) throw userError(`${kind.typeName}: ${action}: the connection no longer exists; run \`pulumi refresh\``);
      ({ etag } = item);
      state = item.state;
      server = serverValuesOf(kind, item);
    }
    return { outs: buildOutputs(kind, news, { id, etag, state, serverValues: server }) };
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}

function pickServerValues(kind: ConnectionKind, outs: Inputs): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const k of Object.keys(kind.serverOutputs ?? {})) if (isSet(outs[k])) v[k] = outs[k];
  return v;
}

/**
 * PATCH with If-Match. A lost response is resolved by reading the connection back: the etag still
 * ours means nothing was applied (patch again); a new etag with the declared values means our patch
 * was applied. Anything else, like a 412, means someone else changed it.
 */
async function patchResolvingAmbiguity(kind: ConnectionKind, c: FlowServiceClient, sandbox: string, id: string, etag: string, ops: PatchOperation[], news: Inputs): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await c.patchConnection(sandbox, id, etag, ops)).etag;
    } catch (err) {
      if (err instanceof FlowServiceError && err.status === 412) {
        throw userError(`${kind.typeName}: connection ${id} was changed outside Pulumi since it was last read (its etag no longer matches). Run \`pulumi refresh\` to see the change, then \`pulumi up\` again.`);
      }
      if (err instanceof FlowServiceError && err.status === 404 && err.code === "1101-404") {
        throw userError(`${kind.typeName}: connection ${id} no longer exists in sandbox "${sandbox}". Run \`pulumi refresh\` to drop it from the state; the next \`pulumi up\` creates it again.`);
      }
      if (!(err instanceof FlowServiceError) || !err.ambiguous || attempt >= c.maxAttempts) throw err;
      const item = await c.getConnection(sandbox, id);
      if (!item) throw err;
      if (item.etag === etag) continue;
      if (item.name === news.name && (item.description ?? undefined) === (news.description ?? undefined)) return item.etag;
      throw err;
    }
  }
}

export async function remove(kind: ConnectionKind, id: string, props: Inputs): Promise<void> {
  const sandbox = sandboxOf(props);
  const action = `deleting connection ${id} in sandbox "${sandbox}"`;
  const c = client(kind, props, action);
  try {
    await c.deleteConnection(sandbox, id);
    nameIndexOf(c).forget(sandbox, kind.connectionSpecId, id);
  } catch (err) {
    if (err instanceof FlowServiceError && err.code === "1418-400") {
      throw userError(`${kind.typeName}: ${action}: Flow Service refuses because dataflows still use this connection (1418-400). Delete those dataflows first, or keep the connection with the \`retainOnDelete\` resource option.`);
    }
    throw describeFailure(kind, action, err);
  }
}
