/**
 * The provenance check behind every adoption the lifecycle makes on its own (a lost POST's result,
 * an interrupted deployment's leftover): only what this client's API key created, as declared, and,
 * for a lost POST, since that POST began. Base connections and the pipeline kinds share it; each
 * describes its entities as a `Provenance`.
 */
import type { FlowServiceClient } from "../client/client";

/**
 * How far the service's clock may be behind ours when it stamps `createdAt` on an entity whose
 * POST's answer was lost: one created longer before the POST began cannot be its result.
 */
export const CREATED_AT_SKEW_MS = 30_000;

/** What an entity says of its making, and how it differs from the declaration. */
export interface Provenance {
  /** Who holds the entity, as the messages name it ("Flow Service"). */
  service: string;
  /** The API key (client id) of the credential that created it. */
  createdBy: unknown;
  /** The technical account of that credential, where the service says. */
  createdClient: unknown;
  /** When it was created, in milliseconds since the epoch. */
  createdAt: unknown;
  /** The declared values it does not hold, in words: computed only once the creator is this client. */
  mismatches: () => string[];
}

/**
 * Why an entity is not this client's as declared: another API key or technical account created it,
 * or a declared value differs. With `since` (when this client's POST began), also why it cannot be
 * that POST's result. Undefined when it is.
 */
export function whyNotOurs(c: Pick<FlowServiceClient, "clientId" | "technicalAccount">, p: Provenance, since?: number): string | undefined {
  const by = p.createdBy;
  if (by !== c.clientId) return by === undefined ? `${p.service} does not say which client created it` : `created by another client (${typeof by === "string" ? by : "unknown"})`;
  // The same API key under another technical account: another credential (compared when both are known).
  if (c.technicalAccount && typeof p.createdClient === "string" && p.createdClient !== c.technicalAccount) return `created by another technical account (${p.createdClient})`;
  const mismatches = p.mismatches();
  if (mismatches.length > 0) return mismatches.join(", ");
  if (since === undefined) return undefined;
  if (typeof p.createdAt !== "number") return `${p.service} does not say when it was created`;
  if (p.createdAt < since - CREATED_AT_SKEW_MS) return `created at ${new Date(p.createdAt).toISOString()}, before this request`;
  return undefined;
}
