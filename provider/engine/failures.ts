import { FlowServiceError } from "../client/flow-service-error";
import type { EntityKind } from "../resources/declaration";

/** Why an operation failed, in words that name the resource and the fix. */
const HINTS: Record<string, string> = {
  "401013": "the access token was rejected: check aep:clientId/aep:clientSecret (or aep:accessToken, which may have expired)",
  "403010": "no access token was sent: set aep:clientSecret or aep:accessToken",
  "403003": "the API key does not belong to the token: aep:clientId must be the client id of the credential that issued the token",
  "403025": "the org does not match the token: check aep:orgId (it ends in @AdobeOrg)",
  "2100-404": "the sandbox does not exist or the credential cannot use it: check the sandbox input or aep:sandbox",
  "1100-400": "Flow Service rejected the request: fix the property it names",
  "1413-400": "Flow Service does not know this connection spec in this org",
  "429050": "Flow Service kept throttling after every retry: lower `pulumi up --parallel` or aep:maxInFlight and try again",
};

export function describeFailure(kind: Pick<EntityKind, "typeName">, action: string, err: unknown): Error {
  if (!(err instanceof FlowServiceError)) return err instanceof Error ? err : new Error(String(err));
  // Already told in the resource's words (a lifecycle refusal): wrapping again would repeat the prefix.
  if (err.message.startsWith(`${kind.typeName}: `)) return err;
  if (err.kind === "config") return new FlowServiceError({ ...fields(err), message: `${kind.typeName}: ${action} failed: ${err.message}` });
  const hint = err.code && err.kind !== "ims" ? HINTS[err.code] : undefined;
  const tail = hint ? ` Fix: ${hint}.` : err.kind === "network" ? " Fix: check aep:endpoint / AEP_ENDPOINT and the network, then run `pulumi up` again." : "";
  return new FlowServiceError({ ...fields(err), message: `${kind.typeName}: ${action} failed: ${err.message.replace(/\.+$/, "")}.${tail}` });
}

export function fields(err: FlowServiceError) {
  return { kind: err.kind, method: err.method, path: err.path, status: err.status, code: err.code, requestId: err.requestId, ambiguous: err.ambiguous };
}

export function userError(message: string): FlowServiceError {
  return new FlowServiceError({ kind: "config", message });
}

/**
 * Pulumi's "created but failed to initialize" contract (grpcResponseFromError in the dynamic
 * provider): an error carrying `id` and `properties` records the resource in state, so nothing
 * is orphaned, and the next `pulumi up` finishes it with an update.
 */
export class InitFailedError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[],
  ) {
    super(message);
    this.name = "InitFailedError";
  }
}
