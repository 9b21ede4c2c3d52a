/**
 * One renderer per error shape that Adobe's services speak. Handlers throw an ApiError built here;
 * the route wrapper turns it into the response. Shapes come from docs/flow-service-contract.md.
 */
import type { Result } from "./types";

export class ApiError extends Error {
  constructor(readonly result: Result) {
    // The message names the answer, for callers of the in-process control API that see the error itself.
    super(`HTTP ${result.status}: ${messageOf(result.body)}`);
  }
}

function messageOf(body: unknown): string {
  const b = (body ?? {}) as Record<string, unknown>;
  return String(b.error ?? b.errorMessage ?? b.message ?? b.error_description ?? b.detail ?? "");
}

/** API gateway shape: `{"error_code":"403010","message":"Oauth token is missing."}`. */
function gatewayError(status: number, errorCode: string, message: string, headers?: Record<string, string>): ApiError {
  return new ApiError({ status, body: { error_code: errorCode, message }, headers });
}

export const GATEWAY = {
  tokenMissing: () => gatewayError(403, "403010", "Oauth token is missing."),
  tokenInvalid: () => gatewayError(401, "401013", "Oauth token is not valid"),
  apiKeyMissing: () => gatewayError(403, "403000", "Api Key is required"),
  apiKeyInvalid: () => gatewayError(403, "403003", "Api Key is invalid"),
  orgMissing: () => gatewayError(400, "400003", "Missing header"),
  orgInvalid: () => gatewayError(403, "403025", "Profile is not valid"),
  throttled: (retryAfterSeconds: number) =>
    gatewayError(429, "429050", "Too many requests", { "retry-after": String(Math.max(1, Math.ceil(retryAfterSeconds))) }),
};

const PLATFORM_TITLES: Record<number, string> = {
  400: "BadRequestError",
  404: "NotFoundError",
  406: "NotAcceptableError",
  413: "PayloadTooLargeError",
  500: "InternalServerError",
  503: "ServiceUnavailableError",
};

/**
 * The Platform problem shape, `{"type":"/placeholder/type/uri","status":404,"title":"NotFoundError","detail":"…"}`:
 * the gateway's content-type answer, and every Schema Registry error (Adobe's XDM troubleshooting guide).
 * [choice] Catalog, whose error bodies Adobe does not document, answers in the same shape.
 */
export function platformError(status: number, detail: string): ApiError {
  return new ApiError({ status, body: { type: "/placeholder/type/uri", status, title: PLATFORM_TITLES[status] ?? "Error", detail } });
}

/** The gateway's answer to a POST/PATCH without a JSON content type. */
export function contentTypeError(): ApiError {
  return platformError(400, "A valid content-type must be specified");
}

const FLOW_TITLES: Record<string, string> = {
  "1000-404": "Not found",
  "1100-400": "Invalid request",
  "1100-422": "Unprocessable request",
  "1101-404": "Connection not found",
  "1102-500": "Internal server error",
  "1103-503": "Service unavailable",
  "1400-400": "Invalid query parameter",
  "1401-400": "Invalid query parameters",
  "1403-400": "Missing If-Match header",
  "1404-412": "Precondition failed",
  "1405-400": "Invalid request body",
  "1405-413": "Request body too large",
  "1413-400": "Invalid connection spec",
  "1413-404": "Connection spec not found",
  "1414-400": "Connection spec cannot be changed",
  "1415-400": "Invalid auth spec",
  "1418-400": "Connection in use",
  "1425-400": "Invalid request",
  "1434-400": "Unsupported patch operation",
  "1455-400": "Invalid patch path",
  "2100-404": "Sandbox not found",
  "2105-400": "Missing sandbox header",
};

/** Flow Service error body, code `NNNN-SSS` where SSS is the HTTP status; `title` overrides the code's. */
export function flowError(code: string, message: string, details?: string, title?: string): ApiError {
  const status = Number(code.split("-")[1]);
  // request-id is filled in by the route wrapper, which knows the request.
  return new ApiError({
    status,
    body: {
      type: `https://ns.adobe.com/aep/errors/FLOW-${code}`,
      title: title ?? FLOW_TITLES[code] ?? "Error",
      status,
      report: { "detailed-message": message, "request-id": "" },
      errorMessage: message,
      errorDetails: details ?? message,
    },
  });
}

const DPREP_TITLES: Record<string, string> = {
  "2000-400": "Invalid request",
  "2000-405": "Method not allowed",
  "2000-413": "Request body too large",
  "2002-404": "Mapping set not found",
  "2000-507": "Insufficient storage",
  "1102-500": "Internal server error",
  "1103-503": "Service unavailable",
};

/**
 * [choice] Data Prep's error body: Flow's shape with a `DPREP-` type, code `NNNN-SSS` (Adobe documents no
 * Data Prep error body; its spec lists the statuses only).
 */
export function dataPrepError(code: string, message: string, headers?: Record<string, string>): ApiError {
  const status = Number(code.split("-")[1]);
  return new ApiError({
    status,
    headers,
    body: {
      type: `https://ns.adobe.com/aep/errors/DPREP-${code}`,
      title: DPREP_TITLES[code] ?? "Error",
      status,
      report: { "detailed-message": message, "request-id": "" },
      errorMessage: message,
      errorDetails: message,
    },
  });
}

/** Puts the request id into a Flow error body (other shapes are left alone). */
export function withRequestId(body: unknown, requestId: string): unknown {
  if (body && typeof body === "object" && "report" in body) {
    const report = (body as { report: unknown }).report;
    if (report && typeof report === "object" && "request-id" in report) {
      return { ...body, report: { ...report, "request-id": requestId } };
    }
  }
  return body;
}

/** OAuth error shape of IMS: `{"error":"invalid_client","error_description":"..."}`. */
export function imsError(status: number, error: string, description: string): ApiError {
  return new ApiError({ status, body: { error, error_description: description } });
}

/** Data Collection Service (streaming inlet) problem shape; `status` is a string there, as in the seed. */
export function inletError(status: number, title: string, message: string, type?: string): ApiError {
  const body: Record<string, unknown> = {};
  if (type) body.type = type;
  Object.assign(body, { status: String(status), title, report: { message } });
  return new ApiError({ status, body });
}

export const INLET_AUTH_TYPE = "https://ns.adobe.com/adobecloud/problem/data-collection-service-authorization";

/** Admin API errors: plain `{"error": "..."}`. */
export function adminError(status: number, message: string): ApiError {
  return new ApiError({ status, body: { error: message } });
}

/** Throws the admin API's 400 with `message` unless `ok`. */
export function adminAssert(ok: boolean, message: string): void {
  if (!ok) throw adminError(400, message);
}
