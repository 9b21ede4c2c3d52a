import type { FlowServiceClient } from "../client/client";
import type { Inputs, PipelineKind } from "../resources/declaration";
import { CREATED_AT_SKEW_MS } from "../steps/create";
import { type Body, entityMismatches } from "./body";

/** Who created an entity and when, in each service's words. */
export interface Provenance {
  createdBy?: unknown;
  createdClient?: unknown;
  /** Milliseconds since the epoch. */
  createdAt?: unknown;
}

/** Flow Service's fields; Data Prep's mapping sets say `createdDate` and no technical account. */
export function provenanceOf(item: Body): Provenance {
  return { createdBy: item.createdBy, createdClient: item.createdClient, createdAt: item.createdAt ?? item.createdDate };
}

/**
 * Why an entity is not this client's as declared: another API key or technical account created it,
 * or a declared value differs. Undefined when it is. The same rules as for base connections.
 */
export function whyNotOurs(kind: PipelineKind, c: FlowServiceClient, item: Body, inputs: Inputs, compare: (item: Body, inputs: Inputs) => string[] = (i, n) => entityMismatches(kind, i, n)): string | undefined {
  const { createdBy: by, createdClient } = provenanceOf(item);
  if (by !== c.clientId) return by === undefined ? "the service does not say which client created it" : `created by another client (${typeof by === "string" ? by : "unknown"})`;
  if (c.technicalAccount && typeof createdClient === "string" && createdClient !== c.technicalAccount) return `created by another technical account (${createdClient})`;
  const mismatches = compare(item, inputs);
  return mismatches.length > 0 ? mismatches.join(", ") : undefined;
}

/** Why an entity is not the result of a POST that began at `since`; undefined when it is. */
export function whyNotThisRequest(kind: PipelineKind, c: FlowServiceClient, item: Body, inputs: Inputs, since: number, compare?: (item: Body, inputs: Inputs) => string[]): string | undefined {
  const why = whyNotOurs(kind, c, item, inputs, compare);
  if (why) return why;
  const { createdAt } = provenanceOf(item);
  if (typeof createdAt !== "number") return "the service does not say when it was created";
  if (createdAt < since - CREATED_AT_SKEW_MS) return `created at ${new Date(createdAt).toISOString()}, before this request`;
  return undefined;
}
