import type { FlowServiceClient } from "../client/client";
import { propertyEquals } from "../client/filters";
import { FlowServiceError } from "../client/flow-service-error";
import type { ConnectionItem, IdAndEtag } from "../client/types";
import { type CheckedInputs, type ConnectionInputs, GENERATED_NAME_INPUT, NAME_SEED_INPUT, isSet, withKept } from "../connection/inputs";
import { nameIndexOf } from "../connection/name-index";
import { buildOutputs, createBody, declaredMismatches, hasServerValues, serverValuesOf } from "../connection/wire";
import type { EntityKind, Inputs } from "../resources/declaration";
import { adopt, adoptExisting } from "./adopt";
import { claimedBy, client, kindFor, log, sandboxOf } from "./context";
import { describeFailure, userError } from "./failures";
import { afterAcknowledgedWrite } from "./follow-up";
import { type Provenance, whyNotOurs } from "./ownership";
import { verifyCreated } from "./verify";

export async function create(declared: EntityKind, inputs: ConnectionInputs): Promise<{ id: string; outs: Inputs }> {
  const kind = await kindFor(declared, inputs, `creating connection${typeof inputs.name === "string" ? ` "${inputs.name}"` : ""} in sandbox "${sandboxOf(inputs)}"`, true);
  const { existingConnectionId } = inputs;
  const created = typeof existingConnectionId === "string" ? await adoptExisting(kind, { ...inputs, existingConnectionId }) : await createConnection(kind, withKept(inputs, {}));
  // An adopted connection's name, when the program leaves it undeclared, is known only now.
  return verifyCreated(kind, withKept(inputs, created.outs), created);
}

async function createConnection(kind: EntityKind, inputs: CheckedInputs): Promise<{ id: string; outs: Inputs }> {
  const { name } = inputs;
  const sandbox = sandboxOf(inputs);
  const action = `creating connection "${name}" in sandbox "${sandbox}"`;
  const c = client(kind, inputs, action);
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
        created = await c.createItem(kind.endpoint, sandbox, createBody(kind, inputs));
        claimedBy(c).add(created.id);
        nameIndexOf(c).remember(sandbox, kind.connectionSpecId, { id: created.id, name });
      } catch (err) {
        if (!(err instanceof FlowServiceError) || !err.ambiguous) throw err;
        // The POST may have been applied although its answer was lost or unusable: look the name up
        // and adopt the connection only if it can be shown to be this request's, never post blindly.
        const named = (await connectionsNamed(kind, c, sandbox, name)).filter((i) => !claimedBy(c).has(i.id));
        const mine = named.filter((i) => whyNotOurs(c, connectionProvenance(kind, i, inputs), startedAt) === undefined);
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
        const others = named.map((i) => `${i.id} (${whyNotOurs(c, connectionProvenance(kind, i, inputs), startedAt)})`);
        const notOurs = others.length > 0 ? `; left alone, because this deployment cannot show they are its own: ${others.join("; ")}` : "";
        if (attempt >= c.maxAttempts) {
          throw userError(c.redactor.redact(`${kind.typeName}: ${action}: ${attempt} attempts failed (the last: ${err.message}) and none created a connection that can be shown to be this request's${notOurs}. Run \`pulumi up\` again; if a connection named "${name}" appears that you did create, adopt it with existingConnectionId`));
        }
        // `notOurs` quotes what the server listed (createdBy, values): redacted like any server text.
        log(c.redactor.redact(`${action}: attempt ${attempt} failed (${err.code ?? err.status}) and created nothing${notOurs}: posting again`));
      }
    }
  } catch (err) {
    throw describeFailure(kind, action, err);
  }

  const outs = buildOutputs(kind, inputs, { etag: created.etag, state: item?.state, serverValues: item ? serverValuesOf(kind, item) : {} });
  if (!kind.readAfterCreate || hasServerValues(kind, outs)) return { id: created.id, outs };
  // The POST was acknowledged: its id and etag are recorded whatever the read of its server values
  // (a streaming inlet) does.
  const id = created.id;
  const ack = { id, outs, inputs, noun: "connection", what: "was created" };
  const read = await afterAcknowledgedWrite(kind, ack, `${action}: reading the new connection ${id}`, async () => {
    const fresh = await c.getItem(kind.endpoint, sandbox, id);
    if (!fresh) throw userError(`${kind.typeName}: connection ${id} was created but is not readable yet`);
    return buildOutputs(kind, inputs, { etag: fresh.etag, state: fresh.state, serverValues: serverValuesOf(kind, fresh) });
  }, (t) => c.redactor.redact(t));
  return { id, outs: read };
}

/**
 * A name derived from the resource's URN belongs to this resource alone, so a connection that already
 * bears it was created by an earlier attempt whose outcome Pulumi never recorded (the CLI or the provider
 * was killed, the machine lost power). Adopting it, rather than posting again, leaves no orphan. A name
 * the user chose may belong to anyone and is never looked up.
 */
async function leftoverOfInterruptedCreate(kind: EntityKind, c: FlowServiceClient, inputs: CheckedInputs, sandbox: string, action: string): Promise<string | undefined> {
  if (!isSet(inputs[NAME_SEED_INPUT]) || inputs.name !== inputs[GENERATED_NAME_INPUT]) return undefined;
  const { name } = inputs;
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
  // One this process created or adopted belongs to another resource of this deployment: not a
  // leftover, never adopted twice.
  if (!leftover || claimedBy(c).has(leftover.id)) return undefined;
  // The name is this resource's, but another stack with the same project and stack name (in
  // another backend) derives the same one: adopt only what this client created as declared.
  const why = whyNotOurs(c, connectionProvenance(kind, leftover, inputs));
  if (why) {
    throw userError(c.redactor.redact(
      `${kind.typeName}: ${action}: connection ${leftover.id} already bears the generated name "${name}", but it cannot be shown to be this stack's (${why}); it may belong to another stack with the same project and stack name, and is left alone. ` +
        `Either adopt it deliberately with existingConnectionId: "${leftover.id}", or give this resource a name of its own (the name property)`,
    ));
  }
  return leftover.id;
}

/** A listed connection's provenance, for the ownership check: its non-secret values against the inputs. */
function connectionProvenance(kind: EntityKind, item: ConnectionItem, inputs: Inputs): Provenance {
  return { service: "Flow Service", createdBy: item.createdBy, createdClient: item.createdClient, createdAt: item.createdAt, mismatches: () => declaredMismatches(kind, item, inputs) };
}

/** Connections of this kind with exactly this name (the filter may match loosely; the name is checked). */
async function connectionsNamed(kind: EntityKind, c: FlowServiceClient, sandbox: string, name: string): Promise<ConnectionItem[]> {
  const byName = propertyEquals("name", name);
  const spec = `connectionSpec.id==${kind.connectionSpecId}`;
  // A name filter finds a page or two; without one (a name holding `"`), the spec's listing is longer.
  const items = await c.listItems(kind.endpoint, sandbox, byName ? [byName, spec] : [spec], byName ? 10 : 50);
  return items.filter((i) => i.name === name);
}

