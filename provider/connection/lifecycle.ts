import type { FlowServiceClient } from "../client/client";
import { FlowServiceError } from "../client/errors";
import type { ConnectionItem, IdAndEtag, PatchOperation } from "../client/types";
import { clientFor, configurationProblems, defaultSandbox, resolveSettings } from "../config";
import type { EntityKind, Inputs } from "../resources/declaration";
import { InitFailedError, describeFailure, userError } from "./errors";
import { GENERATED_NAME_INPUT, NAME_SEED_INPUT, checkInputs, diffInputs, isSet, sameValue } from "./inputs";
import { propertyEquals } from "../client/filters";
import { nameIndexOf } from "./name-index";
import { adoptOps, buildOutputs, createBody, declaredMismatches, hasServerValues, inputsFromItem, patchOps, secretValues, secretWireKeys, serverValuesOf } from "./wire";

/**
 * How far Flow Service's clock may be behind ours when it stamps `createdAt` on a connection whose
 * POST's answer was lost: a connection created longer before the POST began cannot be its result.
 */
export const CREATED_AT_SKEW_MS = 30_000;

/** Connections this process created or adopted, per client: never taken for another resource's. */
const claimed = new WeakMap<FlowServiceClient, Set<string>>();
function claimedBy(c: FlowServiceClient): Set<string> {
  let ids = claimed.get(c);
  if (!ids) claimed.set(c, (ids = new Set()));
  return ids;
}

/** "an FTP", "an SFTP", "a Dataset (Data Lake) base": acronyms are read letter by letter. */
export function withArticle(title: string): string {
  return `${/^([AEFHILMNORSX][A-Z0-9]|[AEIOaeio])/.test(title) ? "an" : "a"} ${title}`;
}

/** Writes one line to the provider's stderr, which the engine keeps in its logs. Never a secret. */
function log(line: string): void {
  process.stderr.write(`[pulumi-aep-flow] ${line}\n`);
}

function client(kind: EntityKind, inputs: Inputs, action: string): FlowServiceClient {
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

/** Local only (no network, no credentials needed): `pulumi preview` reports bad inputs and bad configuration. */
export async function check(kind: EntityKind, olds: Inputs, news: Inputs) {
  const result = checkInputs(kind, olds ?? {}, news ?? {});
  for (const problem of configurationProblems()) result.failures.push({ property: "", reason: problem });
  return result;
}

export async function diff(kind: EntityKind, _id: string, olds: Inputs, news: Inputs) {
  const d = diffInputs(kind, olds ?? {}, news ?? {});
  return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: false };
}

export async function create(kind: EntityKind, inputs: Inputs): Promise<{ id: string; outs: Inputs }> {
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
    // Bounded: at most aep:maxAttempts POSTs, each lost one followed by one lookup.
    for (let attempt = 1; !created; attempt++) {
      const startedAt = Date.now();
      try {
        created = await c.createConnection(sandbox, createBody(kind, inputs));
        claimedBy(c).add(created.id);
        nameIndexOf(c).remember(sandbox, kind.connectionSpecId, { id: created.id, name });
      } catch (err) {
        if (!(err instanceof FlowServiceError) || !err.ambiguous) throw err;
        // The POST may have been applied although its answer was lost or unusable: look the name up
        // and adopt the connection only if it can be shown to be this request's, never post blindly.
        const named = (await connectionsNamed(kind, c, sandbox, name)).filter((i) => !claimedBy(c).has(i.id));
        const mine = named.filter((i) => whyNotThisRequest(kind, c, i, inputs, startedAt) === undefined);
        if (mine.length > 1) {
          throw userError(`${kind.typeName}: ${action}: the response was lost and ${mine.length} connections named "${name}" that this client created now exist (${mine.map((m) => m.id).join(", ")}); delete the extra ones and run \`pulumi refresh\``);
        }
        if (mine.length === 1) {
          item = mine[0];
          created = { id: item.id, etag: item.etag };
          claimedBy(c).add(item.id);
          nameIndexOf(c).remember(sandbox, kind.connectionSpecId, item);
          log(`${action}: the response was lost; adopted connection ${item.id} that the request created`);
          break;
        }
        const others = named.map((i) => `${i.id} (${whyNotThisRequest(kind, c, i, inputs, startedAt)})`);
        const notOurs = others.length > 0 ? `; left alone, because this deployment cannot show they are its own: ${others.join("; ")}` : "";
        if (attempt >= c.maxAttempts) {
          throw userError(`${kind.typeName}: ${action}: ${attempt} attempts failed (the last: ${err.message}) and none created a connection that can be shown to be this request's${notOurs}. Run \`pulumi up\` again; if a connection named "${name}" appears that you did create, adopt it with existingConnectionId`);
        }
        log(`${action}: attempt ${attempt} failed (${err.code ?? err.status}) and created nothing${notOurs}: posting again`);
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
async function leftoverOfInterruptedCreate(kind: EntityKind, c: FlowServiceClient, inputs: Inputs, sandbox: string, action: string): Promise<string | undefined> {
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
  const leftover = mine[0];
  if (!leftover || claimedBy(c).has(leftover.id)) return leftover?.id;
  // The name is this resource's, but another stack with the same project and stack name (in
  // another backend) derives the same one: adopt only what this client created as declared.
  const why = whyNotOurs(kind, c, leftover, inputs);
  if (why) {
    throw userError(
      `${kind.typeName}: ${action}: connection ${leftover.id} already bears the generated name "${name}", but it cannot be shown to be this stack's (${why}); it may belong to another stack with the same project and stack name, and is left alone. ` +
        `Either adopt it deliberately with existingConnectionId: "${leftover.id}", or give this resource a name of its own (the name property)`,
    );
  }
  return leftover.id;
}

/**
 * Why a listed connection is not this client's as declared: another API key created it, or a
 * non-secret value differs from the inputs. Undefined when it is.
 */
function whyNotOurs(kind: EntityKind, c: FlowServiceClient, item: ConnectionItem, inputs: Inputs): string | undefined {
  const by: unknown = item.createdBy;
  if (by !== c.clientId) return by === undefined ? "Flow Service does not say which client created it" : `created by another client (${typeof by === "string" ? by : "unknown"})`;
  // The same API key under another technical account: another credential (compared when both are known).
  if (c.technicalAccount && typeof item.createdClient === "string" && item.createdClient !== c.technicalAccount) {
    return `created by another technical account (${item.createdClient})`;
  }
  const mismatches = declaredMismatches(kind, item, inputs);
  return mismatches.length > 0 ? mismatches.join(", ") : undefined;
}

/** Why a connection is not the result of a POST that began at `since`; undefined when it is. */
function whyNotThisRequest(kind: EntityKind, c: FlowServiceClient, item: ConnectionItem, inputs: Inputs, since: number): string | undefined {
  const why = whyNotOurs(kind, c, item, inputs);
  if (why) return why;
  if (typeof item.createdAt !== "number") return "Flow Service does not say when it was created";
  if (item.createdAt < since - CREATED_AT_SKEW_MS) return `created at ${new Date(item.createdAt).toISOString()}, before this request`;
  return undefined;
}

/** Connections of this kind with exactly this name (the filter may match loosely; the name is checked). */
async function connectionsNamed(kind: EntityKind, c: FlowServiceClient, sandbox: string, name: string): Promise<ConnectionItem[]> {
  const byName = propertyEquals("name", name);
  const spec = `connectionSpec.id==${kind.connectionSpecId}`;
  // A name filter finds a page or two; without one (a name holding `"`), the spec's listing is longer.
  const items = await c.listConnections(sandbox, byName ? [byName, spec] : [spec], byName ? 10 : 50);
  return items.filter((i) => i.name === name);
}

async function adopt(kind: EntityKind, c: FlowServiceClient, inputs: Inputs, id: string, sandbox: string): Promise<{ id: string; outs: Inputs }>;
async function adopt(kind: EntityKind, c: FlowServiceClient, inputs: Inputs, id: string, sandbox: string, opts: { ifStillExists: true }): Promise<{ id: string; outs: Inputs } | undefined>;
async function adopt(kind: EntityKind, c: FlowServiceClient, inputs: Inputs, id: string, sandbox: string, opts?: { ifStillExists: true }): Promise<{ id: string; outs: Inputs } | undefined> {
  const action = `adopting connection ${id} in sandbox "${sandbox}"`;
  try {
    const item = await c.getConnection(sandbox, id);
    if (!item && opts?.ifStillExists) return undefined;
    if (!item) throw userError(`${kind.typeName}: ${action}: no connection with that id exists in sandbox "${sandbox}"; check existingConnectionId and sandbox`);
    if (item.connectionSpec?.id !== kind.connectionSpecId) {
      throw userError(`${kind.typeName}: ${action}: it is not ${withArticle(kind.title)} connection (its connection spec is ${item.connectionSpec?.id}); declare it with the matching resource type`);
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
    claimedBy(c).add(id);
    return { id, outs: buildOutputs(kind, inputs, { id, etag, state: item.state, serverValues: serverValuesOf(kind, item) }) };
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}

export async function read(kind: EntityKind, id: string, props: Inputs | undefined) {
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
    throw userError(`${kind.typeName}: ${action}: it is not ${withArticle(kind.title)} connection (its connection spec is ${item.connectionSpec?.id})`);
  }
  const inputs = inputsFromItem(kind, item, prior, sandbox);
  const outs = buildOutputs(kind, inputs, { id, etag: item.etag, state: item.state, serverValues: serverValuesOf(kind, item) });
  return { id, props: outs, inputs };
}

export async function update(kind: EntityKind, id: string, olds: Inputs, news: Inputs): Promise<{ outs: Inputs }> {
  const sandbox = sandboxOf(olds);
  const action = `updating connection ${id} ("${String(news.name)}") in sandbox "${sandbox}"`;
  const c = client(kind, news, action);
  c.redactor.add(...secretValues(kind, olds));
  const ops = patchOps(kind, olds, news);
  try {
    let etag = String(olds.etag);
    let state = typeof olds.state === "string" ? olds.state : undefined;
    let server = pickServerValues(kind, olds);
    if (ops.length > 0) etag = await patchResolvingAmbiguity(kind, c, sandbox, id, etag, ops, news, action);
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

function pickServerValues(kind: EntityKind, outs: Inputs): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const k of Object.keys(kind.serverOutputs ?? {})) if (isSet(outs[k])) v[k] = outs[k];
  return v;
}

/**
 * PATCH with If-Match. A lost or unusable answer is resolved by reading the connection back: the
 * etag unchanged means nothing was applied (patch again). A new etag is ours only if every declared
 * non-secret value is as patched; then, as a secret cannot be compared (Flow Service masks it), a
 * patch that carried one writes it again under the new etag. Anything else, like a 412, means
 * someone else changed it. Bounded by aep:maxAttempts PATCHes.
 */
async function patchResolvingAmbiguity(kind: EntityKind, c: FlowServiceClient, sandbox: string, id: string, etag: string, ops: PatchOperation[], news: Inputs, action: string): Promise<string> {
  const secretPaths = new Set([...secretWireKeys(kind)].map((k) => `/auth/params/${k}`));
  const removed = ops.filter((op) => op.op === "remove" && op.path.startsWith("/auth/params/")).map((op) => op.path.slice("/auth/params/".length));
  const changedOutside = (what: string) =>
    userError(`${kind.typeName}: ${action}: the connection was changed outside Pulumi since it was last read (${what}). Run \`pulumi refresh\` to see the change, then \`pulumi up\` again.`);
  let pending = ops;
  let expectEtag = etag;
  for (let attempt = 1; ; attempt++) {
    try {
      return (await c.patchConnection(sandbox, id, expectEtag, pending)).etag;
    } catch (err) {
      if (err instanceof FlowServiceError && err.status === 412) throw changedOutside("its etag no longer matches");
      if (err instanceof FlowServiceError && err.status === 404 && err.code === "1101-404") {
        throw userError(`${kind.typeName}: ${action}: the connection no longer exists. Run \`pulumi refresh\` to drop it from the state; the next \`pulumi up\` creates it again.`);
      }
      if (!(err instanceof FlowServiceError) || !err.ambiguous || attempt >= c.maxAttempts) throw err;
      const item = await c.getConnection(sandbox, id);
      if (!item) throw userError(`${kind.typeName}: ${action}: the connection no longer exists (the answer to its update was lost). Run \`pulumi refresh\` to drop it from the state.`);
      if (item.etag === expectEtag) continue;
      const mismatches = declaredMismatches(kind, item, news, removed);
      if (mismatches.length > 0) throw changedOutside(`a new etag, and ${mismatches.join(", ")}`);
      const secretOps = pending.filter((op) => secretPaths.has(op.path));
      if (secretOps.length === 0) return item.etag;
      // Everything visible is as declared; the secrets cannot be seen, so write them again.
      const present = item.auth?.params ?? {};
      pending = secretOps.flatMap((op): PatchOperation[] => {
        const key = op.path.slice("/auth/params/".length);
        if (op.op === "remove") return key in present ? [op] : [];
        return [{ op: "add", path: op.path, value: op.value }];
      });
      if (pending.length === 0) return item.etag;
      expectEtag = item.etag;
      log(`${action}: the answer was lost and its etag moved with every visible value as declared; writing its secrets again`);
    }
  }
}

export async function remove(kind: EntityKind, id: string, props: Inputs): Promise<void> {
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
