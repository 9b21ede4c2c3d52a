import type { FlowServiceClient } from "../client/client";
import { FlowServiceError } from "../client/flow-service-error";
import type { PatchOperation } from "../client/types";
import { type CheckedInputs, type ConnectionInputs, type StoredOutputs, isSet, withKept } from "../connection/inputs";
import { buildOutputs, declaredMismatches, paramOfPath, paramPath, paramsOf, hasServerValues, patchOps, secretValues, secretWireKeys, serverValuesOf } from "../connection/wire";
import type { EntityKind, Inputs } from "../resources/declaration";
import { client, kindFor, log, sandboxOf } from "./context";
import { describeFailure, userError } from "./failures";
import { afterAcknowledgedWrite } from "./follow-up";
import { verifyUpdated } from "./verify";

export async function update(declared: EntityKind, id: string, olds: StoredOutputs, inputs: ConnectionInputs): Promise<{ outs: Inputs }> {
  // What the program leaves to the connection keeps its stored value: never patched, still an output.
  const news = withKept(inputs, olds);
  const kind = await kindFor(declared, news, `updating connection ${id} ("${news.name}") in sandbox "${sandboxOf(olds)}"`, true);
  return verifyUpdated(kind, id, olds, news, await updateConnection(kind, id, olds, news));
}

async function updateConnection(kind: EntityKind, id: string, olds: StoredOutputs, news: CheckedInputs): Promise<{ outs: Inputs }> {
  const sandbox = sandboxOf(olds);
  const action = `updating connection ${id} ("${news.name}") in sandbox "${sandbox}"`;
  const c = client(kind, news, action);
  c.redactor.add(...secretValues(kind, olds));
  const ops = patchOps(kind, olds, news);
  let { etag } = olds;
  const { state } = olds;
  const server = pickServerValues(kind, olds);
  try {
    if (ops.length > 0) etag = await patchResolvingAmbiguity(kind, c, sandbox, id, etag, ops, news, olds, action);
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
  const outs = buildOutputs(kind, news, { etag, state, serverValues: server });
  if (hasServerValues(kind, server)) return { outs };
  // A create that failed to initialize left the inlet unknown: fetch it now. The PATCH, if any, is
  // applied, and its etag is recorded whatever this read does.
  const ack = { id, outs, inputs: news, noun: "connection", what: ops.length > 0 ? "was updated" : "is kept as it was" };
  const read = await afterAcknowledgedWrite(kind, ack, action, async () => {
    const item = await c.getItem(kind.endpoint, sandbox, id);
    if (!item) throw userError(`${kind.typeName}: ${action}: the connection no longer exists; run \`pulumi refresh\``);
    return buildOutputs(kind, news, { etag: item.etag, state: item.state, serverValues: serverValuesOf(kind, item) });
  }, (t) => c.redactor.redact(t));
  return { outs: read };
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
async function patchResolvingAmbiguity(kind: EntityKind, c: FlowServiceClient, sandbox: string, id: string, etag: string, ops: PatchOperation[], news: Inputs, olds: Inputs, action: string): Promise<string> {
  // A secret the program removed is one too: its removal is written again like any secret.
  const secretPaths = new Set([...secretWireKeys(kind, news, olds)].map((k) => paramPath(kind, k)));
  const removed = ops.flatMap((op) => (op.op === "remove" ? (paramOfPath(kind, op.path) ?? []) : []));
  const changedOutside = (what: string) =>
    userError(`${kind.typeName}: ${action}: the connection was changed outside Pulumi since it was last read (${what}). Run \`pulumi refresh\` to see the change, then \`pulumi up\` again.`);
  let pending = ops;
  let expectEtag = etag;
  for (let attempt = 1; ; attempt++) {
    try {
      return (await c.patchItem(kind.endpoint, sandbox, id, expectEtag, pending)).etag;
    } catch (err) {
      if (err instanceof FlowServiceError && err.status === 412) throw changedOutside("its etag no longer matches");
      if (err instanceof FlowServiceError && err.status === 404 && err.code === "1101-404") {
        throw userError(`${kind.typeName}: ${action}: the connection no longer exists. Run \`pulumi refresh\` to drop it from the state; the next \`pulumi up\` creates it again.`);
      }
      if (!(err instanceof FlowServiceError) || !err.ambiguous || attempt >= c.maxAttempts) throw err;
      const item = await c.getItem(kind.endpoint, sandbox, id);
      if (!item) throw userError(`${kind.typeName}: ${action}: the connection no longer exists (the answer to its update was lost). Run \`pulumi refresh\` to drop it from the state.`);
      if (item.etag === expectEtag) continue;
      const mismatches = declaredMismatches(kind, item, news, removed);
      if (mismatches.length > 0) throw changedOutside(`a new etag, and ${mismatches.join(", ")}`);
      const secretOps = pending.filter((op) => secretPaths.has(op.path));
      if (secretOps.length === 0) return item.etag;
      // Everything visible is as declared; the secrets cannot be seen, so write them again.
      const present = paramsOf(kind, item);
      pending = secretOps.flatMap((op): PatchOperation[] => {
        const key = paramOfPath(kind, op.path) as string;
        if (op.op === "remove") return key in present ? [op] : [];
        return [{ op: "add", path: op.path, value: op.value }];
      });
      if (pending.length === 0) return item.etag;
      expectEtag = item.etag;
      log(`${action}: the answer was lost and its etag moved with every visible value as declared; writing its secrets again`);
    }
  }
}

