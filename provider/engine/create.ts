import { FlowServiceError } from "../client/flow-service-error";
import type { Inputs } from "../resources/declaration";
import { adoptExisting } from "./adopt";
import { claimedBy, client, kindFor, log, sandboxOf, withArticle } from "./context";
import { describeFailure, userError } from "./failures";
import { settleAfterWrite } from "./follow-up";
import { type CheckedInputs, type ConnectionInputs, EXISTING_ID_INPUTS, GENERATED_NAME_INPUT, NAME_SEED_INPUT, isSet, withKept } from "./inputs";
import type { EngineKind, Entity, Facts, StepContext } from "./kind";
import { namesOf } from "./names";
import { whyNotOurs } from "./ownership";
import { verifyCreated } from "./verify";

/** What stands for the create's one POST: the entity's id, what the service said of it, and how it came to be. */
interface Made {
  id: string;
  facts: Facts;
  how: string;
  /** The inputs the outputs are built from, when taking the entity filled some in (an adopted connection's own name). */
  inputs?: Inputs;
}

/**
 * Create, for every kind: adopt the entity named by the kind's existing-id input, or take the leftover of an
 * interrupted create, or POST once (a lost answer resolved by looking the name up, never by posting
 * blindly); then the follow-ups (a streaming inlet's read, a dataflow's action, a connectivity test), whose
 * failure records the entity and never repeats the write.
 */
export async function create(declared: EngineKind, inputs: ConnectionInputs): Promise<{ id: string; outs: Inputs }> {
  const kind = await kindFor(declared, inputs, `creating ${declared.noun}${typeof inputs.name === "string" ? ` "${inputs.name}"` : ""} in sandbox "${sandboxOf(inputs)}"`, true);
  const adoptBy = EXISTING_ID_INPUTS.find((key) => typeof inputs[key] === "string");
  const existing = adoptBy && inputs[adoptBy];
  const sandbox = sandboxOf(inputs);
  const action = typeof existing === "string" ? `adopting ${kind.noun} ${existing} in sandbox "${sandbox}"` : `creating ${kind.noun} "${String(inputs.name)}" in sandbox "${sandbox}"`;
  const c = client(kind, inputs, action);
  const ctx: StepContext = { c, sandbox, action };
  let resolved: Inputs = inputs;
  let made: Made;
  try {
    // What only a request tells (a dataflow's flow spec id from its name) is needed to adopt as much as to post.
    resolved = { ...inputs, ...(await kind.hooks.prepare?.(kind, ctx, inputs)) };
    if (adoptBy && typeof existing === "string") made = await adoptExisting(kind, ctx, resolved as ConnectionInputs, existing, adoptBy);
    else {
      const named = withKept(resolved as ConnectionInputs, {});
      made = (await takeLeftover(kind, ctx, named)) ?? (await postOnce(kind, ctx, named));
    }
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
  // From here on the entity exists and its id is recorded whatever follows: never posted again.
  const base = made.inputs ?? resolved;
  const outs = await settleAfterWrite(kind, ctx, { id: made.id, outs: kind.wire.outputs(kind, base, made.facts), inputs: base, noun: kind.noun, what: made.how }, made.facts, `${action}: the step after the ${kind.noun} ${made.id} ${made.how}`);
  // An adopted connection's name, when the program leaves it undeclared, is known only now.
  return verifyCreated(kind, withKept(inputs, outs), { id: made.id, outs });
}

/**
 * A name derived from the resource's URN belongs to this resource alone, so an entity that already bears
 * it was created by an earlier attempt whose outcome Pulumi never recorded (the CLI or the provider was
 * killed, the machine lost power): taking it, rather than posting again, leaves no orphan. Only what this
 * client created is taken (as declared, unless the kind makes it so itself), read afresh first. A name the
 * user chose may belong to anyone and is never looked up.
 */
async function takeLeftover(kind: EngineKind, ctx: StepContext, inputs: CheckedInputs): Promise<Made | undefined> {
  if (!isSet(inputs[NAME_SEED_INPUT]) || inputs.name !== inputs[GENERATED_NAME_INPUT]) return undefined;
  const { c, sandbox, action } = ctx;
  const { name } = inputs;
  // One this process created or adopted belongs to another resource of this deployment: never taken twice.
  const found = (await namesOf(c).named(kind, sandbox, name)).filter((i) => !claimedBy(c).has(i.id));
  if (found.length === 0) return undefined;
  if (found.length > 1) {
    throw userError(`${kind.typeName}: ${action}: ${found.length} ${kind.noun}s named "${name}" exist (${found.map((m) => m.id).join(", ")}), left by ${kind.deletable ? "interrupted deployments; delete" : "earlier deployments; rename"} all but one and run \`pulumi up\` again`);
  }
  // The listing may be older than this deployment: read the entity itself before deciding.
  const item = await kind.store.get(kind, c, sandbox, found[0].id);
  if (!item) return undefined;
  const rule = kind.hooks.leftover ?? { mustMatch: true };
  const provenance = kind.provenance(kind, item, inputs);
  // The name is this resource's, but another stack with the same project and stack name (in another
  // backend) derives the same one: only what this client created is taken.
  const why = whyNotOurs(c, rule.mustMatch ? provenance : { ...provenance, mismatches: () => [] });
  if (why) {
    throw userError(
      c.redactor.redact(
        `${kind.typeName}: ${action}: ${kind.noun} ${item.id} already bears the generated name "${name}", but it cannot be shown to be this stack's (${why}); it may belong to another stack with the same project and stack name, and is left alone. Either adopt it deliberately with existingId: "${item.id}", or give this resource a name of its own (the name property)`,
      ),
    );
  }
  claimedBy(c).add(item.id);
  if (rule.take) {
    const taken = await rule.take(kind, ctx, item, inputs);
    return { id: item.id, facts: taken.facts, how: "was adopted", inputs: taken.inputs };
  }
  log(`${action}: adopted ${kind.noun} ${item.id} that an interrupted deployment created with this name`);
  return { id: item.id, facts: kind.wire.factsOf(kind, item), how: "was adopted" };
}

/**
 * The one POST of a create. Bounded: at most aep:maxAttempts POSTs, each lost one followed by one lookup.
 * The POST may have been applied although its answer was lost or unusable: the name is looked up, and an
 * entity is taken only when it can be shown to be this request's. Nothing after the acknowledged POST runs
 * here, so no failure of a later call can be taken for a lost POST.
 */
async function postOnce(kind: EngineKind, ctx: StepContext, inputs: CheckedInputs): Promise<Made> {
  const { c, sandbox, action } = ctx;
  const { name } = inputs;
  const body = kind.wire.body(kind, inputs);
  for (let attempt = 1; ; attempt++) {
    const startedAt = Date.now();
    try {
      const created = await kind.store.create(c, sandbox, body);
      claimedBy(c).add(created.id);
      namesOf(c).remember(kind, sandbox, { id: created.id, name });
      return { id: created.id, facts: created.facts, how: "was created" };
    } catch (err) {
      if (!(err instanceof FlowServiceError) || !err.ambiguous) throw err;
      const named = (await kind.store.listNamed(kind, c, sandbox, name)).filter((i) => !claimedBy(c).has(i.id));
      const mine = named.filter((i) => whyNotOurs(c, kind.provenance(kind, i, inputs), startedAt) === undefined);
      if (mine.length > 1) {
        const fix = kind.deletable ? "delete the extra ones" : "they cannot be deleted, so rename the extra ones";
        throw userError(`${kind.typeName}: ${action}: the response was lost and ${mine.length} ${kind.noun}s named "${name}" that this client created now exist (${mine.map((m) => m.id).join(", ")}); ${fix} and run \`pulumi refresh\``);
      }
      if (mine.length === 1) return lostPostResult(kind, ctx, mine[0], name);
      const others = named.map((i) => `${i.id} (${whyNotOurs(c, kind.provenance(kind, i, inputs), startedAt)})`);
      const notOurs = others.length > 0 ? `; left alone, because this deployment cannot show they are its own: ${others.join("; ")}` : "";
      if (attempt >= c.maxAttempts) {
        throw userError(c.redactor.redact(`${kind.typeName}: ${action}: ${attempt} attempts failed (the last: ${err.message}) and none created ${withArticle(kind.noun)} that can be shown to be this request's${notOurs}. Run \`pulumi up\` again; if ${withArticle(kind.noun)} named "${name}" appears that you did create, adopt it with existingId`));
      }
      // `notOurs` quotes what the server listed (createdBy, values): redacted like any server text.
      log(c.redactor.redact(`${action}: attempt ${attempt} failed (${err.code ?? err.status}) and created nothing${notOurs}: posting again`));
    }
  }
}

function lostPostResult(kind: EngineKind, ctx: StepContext, item: Entity, name: string): Made {
  claimedBy(ctx.c).add(item.id);
  namesOf(ctx.c).remember(kind, ctx.sandbox, { id: item.id, name });
  log(`${ctx.action}: the response was lost; adopted ${kind.noun} ${item.id} that the request created`);
  return { id: item.id, facts: kind.wire.factsOf(kind, item), how: "was created (the answer to its POST was lost)" };
}
