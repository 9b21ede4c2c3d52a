/**
 * The one error type of the Flow Service client. Built by one factory per failure source (HTTP
 * response, network, configuration) so every failure carries the same fields, with secrets redacted.
 */
export type FailureKind = "http" | "network" | "config";

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

/** Replaces every registered secret value in a text; values shorter than 4 characters are ignored. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(...values: Array<string | undefined>): this {
    for (const value of values) {
      if (typeof value === "string" && value.length >= 4) this.secrets.add(value);
    }
    return this;
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so that a secret containing another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(secret).join("[redacted]");
    }
    return out;
  }
}

interface ParsedBody {
  code?: string;
  message?: string;
}

/** Reads Adobe's error shapes leniently: Flow errors, gateway errors, IMS/OAuth errors, problem+json. */
export function parseErrorBody(body: unknown): ParsedBody {
  if (typeof body === "string") return { message: body.slice(0, 500) || undefined };
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
): FlowServiceError {
  const parsed = parseErrorBody(body);
  const what = parsed.message ?? `HTTP ${status}`;
  const code = parsed.code ? ` [${parsed.code}]` : "";
  const rid = requestId ? ` (request id ${requestId})` : "";
  return new FlowServiceError({
    kind: "http",
    method,
    path,
    status,
    code: parsed.code,
    requestId,
    ambiguous,
    message: redactor.redact(`${method} ${path} failed with ${status}${code}: ${what}${rid}`),
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
  const detail = typeof e.message === "string" ? e.message : String(err);
  return new FlowServiceError({
    kind: "network",
    method,
    path,
    code,
    ambiguous,
    message: redactor.redact(`${method} ${path} failed: ${code}: ${detail}`),
  });
}
