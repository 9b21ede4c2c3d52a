import type { FlowServiceClient } from "../client/client";
import { clientFor } from "../clients";
import type { EntityKind, Inputs } from "../resources/declaration";
import type { EngineKind } from "./kind";
import { defaultSandbox, resolveSettings } from "../settings";
import { liveSpecsOf } from "./live-specs";
import { secretValues } from "./connection-wire";
import { describeFailure } from "./failures";

/** What every step shares: the client of the step's settings, its log, and what this process claimed. */

/** Connections this process created or adopted, per client: never taken for another resource's. */
const claimed = new WeakMap<FlowServiceClient, Set<string>>();
export function claimedBy(c: FlowServiceClient): Set<string> {
  let ids = claimed.get(c);
  if (!ids) claimed.set(c, (ids = new Set()));
  return ids;
}

/** "an FTP", "an SFTP", "a Dataset (Data Lake) base": acronyms are read letter by letter. */
export function withArticle(title: string): string {
  return `${/^([AEFHILMNORSX][A-Z0-9]|[AEIOaeio])/.test(title) ? "an" : "a"} ${title}`;
}

/** Writes one line to the provider's stderr, which the engine keeps in its logs. Never a secret. */
export function log(line: string): void {
  process.stderr.write(`[pulumi-aep-flow] ${line}\n`);
}

/** The client for the settings in force now, told the step's secrets (redacted from everything). */
export function client(kind: Pick<EntityKind, "typeName" | "params">, inputs: Inputs, action: string): FlowServiceClient {
  try {
    const c = clientFor(resolveSettings(), (line) => log(c.redactor.redact(line)));
    c.redactor.add(...secretValues(kind, inputs));
    return c;
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}

/**
 * The kind as it applies to this resource. A kind whose resources each name their connection spec (the
 * generic Connection, `forResource`) resolves it here, every other kind is its declaration. `live`: at
 * create and update, where the live spec checks the write first (one request per spec per deployment).
 */
export async function kindFor(kind: EngineKind, inputs: Inputs, action: string, live: boolean): Promise<EngineKind> {
  if (!kind.forResource) return kind;
  const c = live ? client(kind, inputs, action) : undefined;
  try {
    return await kind.forResource(inputs, c ? liveSpecsOf(c, sandboxOf(inputs), (line) => log(c.redactor.redact(line))) : undefined);
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
}

export function sandboxOf(props: Inputs | undefined): string {
  return typeof props?.sandbox === "string" ? props.sandbox : defaultSandbox();
}

