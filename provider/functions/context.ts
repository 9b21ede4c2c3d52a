import * as pulumi from "@pulumi/pulumi";
import type { FlowServiceClient } from "../client/client";
import { FlowServiceError } from "../client/flow-service-error";
import { clientFor } from "../clients";
import { commonProperties } from "../resources/common";
import { CONFIG_KEYS, defaultSandbox, resolveSettings, setStackConfig } from "../settings";
import { log } from "../engine/context";

/**
 * What the functions share. They run in the program's process, not in the dynamic provider, and read their
 * settings as the provider does: `aep:*` stack config, then `AEP_*` environment, then defaults. Like
 * Pulumi's own functions they run during `pulumi preview` too (a lookup's answer is needed to plan what
 * depends on it), so a program that calls one needs credentials at preview; their Output forms wait for
 * unknown arguments (an id a preview has not created yet) and then make no call.
 */

/** The stack's `aep:*` config as the program sees it (read raw: a secret's value is needed, never printed). */
function loadStackConfig(): void {
  const values = new Map<string, string | undefined>(CONFIG_KEYS.map((k) => [`aep:${k}`, pulumi.runtime.getConfig(`aep:${k}`)]));
  setStackConfig((key) => values.get(key));
}

/** The client for the settings in force, or a configuration error in the function's words. */
export function functionClient(fn: string): FlowServiceClient {
  try {
    loadStackConfig();
    const c = clientFor(resolveSettings(), (line) => log(c.redactor.redact(line)));
    return c;
  } catch (err) {
    throw failed(fn, "reading the settings", err);
  }
}

/**
 * Marks an error Pulumi's program runner prints by its message alone, as it does `pulumi.RunError`
 * (`RunError.isInstance` reads this flag, so the error keeps its own class and fields). A function's
 * error says everything in its message; the runner's default printing formats the stack, and Node 22's
 * coloured stack formatting can spin for minutes on the SDK's frames (nodejs/node#64011): a preview
 * without credentials took 1.5 to 5 minutes to fail.
 */
function printedByMessage<T extends Error>(err: T): T {
  Object.defineProperty(err, "__pulumiRunError", { value: true, enumerable: false });
  // The runner also formats the error for its trace (`util.inspect` with colours, whatever its class):
  // a stack without frames leaves nothing to spin on, and its frames (this package's own) told nothing
  // the message does not.
  Object.defineProperty(err, "stack", { value: `${err.name}: ${err.message}`, writable: true, configurable: true, enumerable: false });
  return err;
}

/** A failure in the function's words: which function, doing what, and what Flow Service said (redacted). */
export function failed(fn: string, action: string, err: unknown): Error {
  if (!(err instanceof FlowServiceError)) return err instanceof Error ? err : new Error(String(err));
  const fix = err.kind === "network" ? " Fix: check aep:endpoint / AEP_ENDPOINT and the network." : "";
  return printedByMessage(new FlowServiceError({ kind: err.kind, method: err.method, path: err.path, status: err.status, code: err.code, requestId: err.requestId, message: `${fn}: ${action} failed: ${err.message.replace(/\.+$/, "")}.${fix}` }));
}

export function usage(fn: string, message: string): FlowServiceError {
  return printedByMessage(new FlowServiceError({ kind: "config", message: `${fn}: ${message}` }));
}

/** Refuses arguments the function does not take, naming them and the ones it does. */
export function knownArgs(fn: string, args: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof args !== "object" || args === null || Array.isArray(args)) throw usage(fn, `takes an object of arguments (${allowed.join(", ")}), got ${args === null ? "null" : Array.isArray(args) ? "an array" : typeof args}`);
  for (const key of Object.keys(args)) if (!allowed.includes(key)) throw usage(fn, `${key} is not an argument; the arguments are ${allowed.join(", ")}`);
  return args as Record<string, unknown>;
}

/** The sandbox argument, checked as a resource's `sandbox` is; default aep:sandbox, AEP_SANDBOX, else prod. */
export function sandboxArg(fn: string, value: unknown): string {
  if (value === undefined || value === null) {
    loadStackConfig();
    return defaultSandbox();
  }
  if (commonProperties.sandbox.validate(value)) throw usage(fn, `sandbox must be a sandbox name (lowercase letters, digits and hyphens, e.g. "prod" or "dev-1"), got ${describe(value)}`);
  return value as string;
}

/**
 * The arguments of a lookup by name or by id, in the order every lookup checks them: only `name`, `id`
 * and `sandbox`, exactly one of name and id, the sandbox; then the client. `name` and `id` themselves
 * are the caller's to check.
 */
export function lookupArgs(fn: string, args: unknown): { a: Record<string, unknown>; byId: boolean; sandbox: string; c: FlowServiceClient } {
  const a = knownArgs(fn, args, ["name", "id", "sandbox"]);
  const byName = a.name !== undefined && a.name !== null;
  const byId = a.id !== undefined && a.id !== null;
  if (byName === byId) throw usage(fn, `give exactly one of name and id, got ${byName ? "both" : "neither"}`);
  const sandbox = sandboxArg(fn, a.sandbox);
  return { a, byId, sandbox, c: functionClient(fn) };
}

export function idArg(fn: string, name: string, value: unknown): string {
  if (typeof value !== "string" || commonProperties.existingConnectionId.validate(value)) {
    throw usage(fn, `${name} must be an id such as "bf367b0d-3d9b-4060-b67b-0d3d9bd06094", got ${describe(value)}`);
  }
  return value;
}

export function textArg(fn: string, name: string, value: unknown, max: number): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > max) {
    throw usage(fn, `${name} must be a non-empty string of at most ${max} characters, got ${describe(value)}`);
  }
  return value;
}

/** A value as a message may show it: short strings quoted, the rest by type (an argument is never a secret here). */
export function describe(v: unknown): string {
  if (typeof v === "string") return v.length > 80 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "number" || typeof v === "boolean" ? String(v) : typeof v;
}
