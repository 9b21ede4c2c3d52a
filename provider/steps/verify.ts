import type { FlowServiceClient } from "../client/client";
import { FlowServiceError } from "../client/flow-service-error";
import { type CheckedInputs, type StoredOutputs, isSet, sameValue } from "../connection/inputs";
import type { EntityKind, Inputs } from "../resources/declaration";
import { client, sandboxOf } from "./context";
import { InitFailedError, describeFailure } from "./failures";

/**
 * `verifyConnectivity`: after a create, and after an update that changed where the connection points or how
 * it signs in, one `GET /connections/{id}/test`. A connection Flow Service cannot reach fails the step as
 * Pulumi's "created but failed to initialize" (InitFailedError with the id and outputs): the engine keeps it
 * in state, and the next `pulumi up` updates it, which tests again, so nothing is created twice.
 */
export const VERIFY_INPUT = "verifyConnectivity";

/**
 * Stored with the outputs of a connection whose test failed, so the next `up`'s update tests it again even
 * when nothing changed. Never an input: `check` and `diff` never see it.
 */
export const UNPROVEN_OUTPUT = "__connectivityUnproven";

/** The inputs whose change is tested again, per kind: where it points and how it signs in. */
const REACH_INPUTS: Record<string, string[]> = {
  ftp: ["host", "userName", "password"],
  sftp: ["host", "port", "userName", "password", "privateKeyContent", "passPhrase", "folderPath"],
  s3: ["accessKey", "secretKey", "sessionToken", "serviceUrl", "bucketName", "folderPath"],
};

/** What a kind's test reaches: its own `reach`, or the FTP, SFTP and S3 kinds' rules above. */
function reachOf(kind: EntityKind): NonNullable<EntityKind["reach"]> | undefined {
  if (kind.reach) return kind.reach;
  if (!(kind.kind in REACH_INPUTS)) return undefined;
  return { inputs: REACH_INPUTS[kind.kind], target: (inputs) => reachTarget(kind, inputs), fix: FIXES[kind.kind] };
}

export function verifies(kind: EntityKind, inputs: Inputs): boolean {
  return reachOf(kind) !== undefined && inputs[VERIFY_INPUT] === true;
}

/** What the connection asks Flow Service to reach, in words: never a secret (the S3 access key id is not one). */
export function reachTarget(kind: EntityKind, inputs: Inputs): string {
  const q = (v: unknown) => JSON.stringify(v);
  const folder = isSet(inputs.folderPath) && inputs.folderPath !== "" ? `, folder ${q(inputs.folderPath)}` : "";
  switch (kind.kind) {
    case "ftp":
      return `FTP server ${q(inputs.host)} as user ${q(inputs.userName)} with a password`;
    case "sftp":
      return `SFTP server ${q(`${inputs.host}:${isSet(inputs.port) ? inputs.port : 22}`)} as user ${q(inputs.userName)} with ${isSet(inputs.privateKeyContent) ? `an SSH key${isSet(inputs.passPhrase) ? " and passphrase" : ""}` : "a password"}${folder}`;
    case "s3": {
      const bucket = isSet(inputs.bucketName) ? `bucket ${q(inputs.bucketName)}` : "Amazon S3 (no bucketName)";
      const at = isSet(inputs.serviceUrl) ? ` at ${inputs.serviceUrl}` : "";
      return `${bucket}${at} with access key ${q(inputs.accessKey)}${isSet(inputs.sessionToken) ? " and a session token" : ""}${folder}`;
    }
    default:
      return `the system connection ${kind.title} names`;
  }
}

const FIXES: Record<string, string> = {
  ftp: "check host, userName and password",
  sftp: "check host, port, userName, the password or privateKeyContent (and passPhrase), and folderPath",
  s3: "check accessKey, secretKey, sessionToken (temporary credentials expire), serviceUrl, bucketName and folderPath",
};

/** After create: tests when the flag is on; returns the created connection, or throws InitFailedError. */
export async function verifyCreated(kind: EntityKind, inputs: CheckedInputs, created: { id: string; outs: Inputs }): Promise<{ id: string; outs: Inputs }> {
  if (!verifies(kind, inputs)) return created;
  await proveOrKeep(kind, created.id, inputs, created.outs, "was created");
  return created;
}

/**
 * After update: tests when the flag is on and a REACH_INPUTS value changed, the flag was just turned on, or
 * the last test failed; returns the outputs, or throws InitFailedError carrying them.
 */
export async function verifyUpdated(kind: EntityKind, id: string, olds: StoredOutputs, news: CheckedInputs, updated: { outs: Inputs }): Promise<{ outs: Inputs }> {
  if (!verifies(kind, news)) return updated;
  const changed = (reachOf(kind)?.inputs ?? []).filter((k) => !sameValue(olds[k] ?? null, news[k] ?? null));
  const unproven = olds[UNPROVEN_OUTPUT] === true;
  const turnedOn = olds[VERIFY_INPUT] !== true;
  if (changed.length === 0 && !unproven && !turnedOn) return updated;
  await proveOrKeep(kind, id, news, updated.outs, unproven ? "is kept from an earlier deployment whose test failed" : "was updated");
  return updated;
}

async function proveOrKeep(kind: EntityKind, id: string, inputs: CheckedInputs, outs: Inputs, what: string): Promise<void> {
  const sandbox = sandboxOf(inputs);
  const action = `testing connection ${id} ("${inputs.name}") in sandbox "${sandbox}"`;
  const reach = reachOf(kind);
  const target = reach ? reach.target(inputs) : reachTarget(kind, inputs);
  const c: FlowServiceClient = client(kind, inputs, action);
  let reason: string | undefined;
  try {
    const result = await c.testConnection(kind.endpoint, sandbox, id);
    if (result === undefined) reason = `${kind.typeName}: ${action}: the connection no longer exists (Flow Service answered 1101-404). Run \`pulumi refresh\` to drop it from the state; the next \`pulumi up\` creates it again.`;
    else if (!result) {
      reason =
        `${kind.typeName}: connection ${id} ("${inputs.name}") in sandbox "${sandbox}" ${what}, but Flow Service could not reach the ${target} ` +
        `(GET /connections/${id}/test answered {"result": false}). Fix: ${reach?.fix ?? "check the connection's params"}, and that the server accepts connections from Adobe Experience Platform; ` +
        "then run `pulumi up` again: the connection is kept and tested again, nothing is created twice (or set verifyConnectivity: false to deploy without the test).";
    }
  } catch (err) {
    const described = describeFailure(kind, `${action} (to reach the ${target})`, err);
    reason = `${described.message} The connection ${what} and is kept; the next \`pulumi up\` tests it again.`;
    if (!(err instanceof FlowServiceError)) reason = `${kind.typeName}: ${action}: ${reason}`;
  }
  // Quiet on success; on failure the engine shows the error under the resource.
  if (reason === undefined) {
    delete outs[UNPROVEN_OUTPUT];
    return;
  }
  reason = c.redactor.redact(reason);
  // The dynamic provider adds `__provider` to a step's outputs only when it succeeds; a destroy right after
  // this failure reads the provider from these outputs, so they carry it themselves.
  const provider = typeof inputs.__provider === "string" ? { __provider: inputs.__provider } : {};
  throw new InitFailedError(reason, id, { ...outs, [UNPROVEN_OUTPUT]: true, ...provider }, [reason]);
}
