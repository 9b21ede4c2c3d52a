/**
 * The one error type of the Flow Service client. Built by one factory per failure source (HTTP
 * response, network, configuration) so every failure carries the same fields, with secrets redacted.
 */
import type { Redactor } from "./redactor";

/** `ims`: every failure to get an access token from IMS (its own hints; never Flow Service's). */
export type FailureKind = "http" | "network" | "config" | "ims";

export interface FlowServiceErrorFields {
  kind: FailureKind;
  message: string;
  method?: string;
  path?: string;
  status?: number;
  /** Adobe's code: Flow `1100-400`, gateway `401013`, IMS `invalid_client`, network `ECONNRESET`. */
  code?: string;
  requestId?: string;
  /** True when the request may have been applied although no success was seen (lost response). */
  ambiguous?: boolean;
}

export class FlowServiceError extends Error {
  readonly kind: FailureKind;
  readonly method?: string;
  readonly path?: string;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly ambiguous: boolean;

  constructor(fields: FlowServiceErrorFields) {
    super(fields.message);
    this.name = "FlowServiceError";
    this.kind = fields.kind;
    this.method = fields.method;
    this.path = fields.path;
    this.status = fields.status;
    this.code = fields.code;
    this.requestId = fields.requestId;
    this.ambiguous = fields.ambiguous ?? false;
  }
}

/** How long a server's own error text may be in a message: cut after redaction, never before. */
export const MAX_SERVER_TEXT = 500;

/** Server text longer than this is cut before redaction; fragments cut at the edge are still found. */
export const MAX_SCANNED_TEXT = 64 * 1024;

interface ParsedBody {
  code?: string;
  message?: string;
}

/** Reads Adobe's error shapes leniently: Flow errors, gateway errors, IMS/OAuth errors, problem+json. */
export function parseErrorBody(body: unknown): ParsedBody {
  // Whole: the caller redacts before it cuts (a cut secret is no longer recognisable).
  if (typeof body === "string") return { message: body.trim() || undefined };
  if (!body || typeof body !== "object") return {};
  const b = body as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
  const report = (b.report && typeof b.report === "object" ? b.report : {}) as Record<string, unknown>;
  const flowCode = str(b.type)?.match(/FLOW-(\d+-\d+)$/)?.[1];
  const code = flowCode ?? str(b.error_code) ?? str(b.error) ?? str(b.code);
  const message =
    str(report["detailed-message"]) ??
    str(b.errorMessage) ??
    str(b.error_description) ??
    str(b.message) ??
    str(b.detail) ??
    str(report.message) ??
    str(b.title);
  const details = str(b.errorDetails);
  return { code, message: details && message && !message.includes(details) ? `${message} (${details})` : message };
}

export function errorFromResponse(
  method: string,
  path: string,
  status: number,
  body: unknown,
  requestId: string | undefined,
  redactor: Redactor,
  ambiguous = false,
  hint?: string,
): FlowServiceError {
  // Cut first only to bound the work: a secret the cut halves is still found by its pieces.
  const parsed = parseErrorBody(typeof body === "string" ? body.slice(0, MAX_SCANNED_TEXT) : body);
  const what = parsed.message ? redactor.redactAndCut(parsed.message, MAX_SERVER_TEXT) : `HTTP ${status}`;
  const code = parsed.code ? ` [${redactor.redactAndCut(parsed.code, 40)}]` : "";
  const rid = requestId ? ` (request id ${redactor.redactAndCut(requestId, 80)})` : "";
  return new FlowServiceError({
    kind: "http",
    method,
    path,
    status,
    code: parsed.code === undefined ? undefined : redactor.redact(parsed.code),
    requestId: requestId === undefined ? undefined : redactor.redact(requestId),
    ambiguous,
    message: redactor.redact(`${method} ${path} failed with ${status}${code}: ${what}${rid}${hint ? ` ${hint}` : ""}`),
  });
}

export function errorFromNetwork(
  method: string,
  path: string,
  err: unknown,
  redactor: Redactor,
  ambiguous: boolean,
): FlowServiceError {
  const e = (err ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof e.code === "string" ? e.code : "ENETWORK";
  const detail = redactor.redactAndCut(typeof e.message === "string" ? e.message : String(err), MAX_SERVER_TEXT);
  return new FlowServiceError({
    kind: "network",
    method,
    path,
    code,
    ambiguous,
    message: redactor.redact(`${method} ${path} failed: ${code}: ${detail}`),
  });
}

/**
 * The egress proxy stopped the request (down, refused the tunnel, asked for credentials): a setting
 * to fix, like any configuration problem, so no step adds "check aep:endpoint" and nothing is
 * retried or looked up as if the platform had been reached.
 */
export function errorFromProxy(method: string, path: string, err: { message: string }, redactor: Redactor): FlowServiceError {
  return new FlowServiceError({ kind: "config", method, path, code: "EPROXY", message: redactor.redact(`${method} ${path} was not sent: ${err.message}`) });
}
