/**
 * Who may call /__admin. With an admin token, the caller must send it (compared in constant time). Without
 * one (loopback only), the request must be addressed to a loopback name: a page on another site that rebinds
 * its DNS name to 127.0.0.1 still sends its own name as Host. Writes must be JSON: a browser cannot send that
 * cross-site without a CORS preflight, which the emulator never grants, so a page cannot forge a reset.
 */
import { adminError, type ApiError } from "../errors";
import { mediaType } from "../auth/gateway";
import { header, isLoopback, sameSecret } from "../util";

export interface AdminRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

/** The host name of a Host header (`[::1]:8080` → `::1`), or null when it is not `name[:port]`. */
export function hostName(value: string | undefined): string | null {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+))(?::\d{1,5})?$/.exec(value ?? "");
  return m ? (m[1] ?? m[2]).toLowerCase() : null;
}

function hasBody(req: AdminRequest): boolean {
  const length = header(req.headers, "content-length");
  return header(req.headers, "transfer-encoding") !== undefined || (length !== undefined && length !== "0");
}

/** The refusal for this admin request, or null when it may go on. */
export function adminAccessError(req: AdminRequest, adminToken: string | undefined): ApiError | null {
  if (adminToken !== undefined) {
    if (!sameSecret(header(req.headers, "x-admin-token"), adminToken)) return adminError(401, "x-admin-token header missing or wrong");
  } else {
    const name = hostName(header(req.headers, "host"));
    if (name === null || !isLoopback(name)) {
      return adminError(403, "without an admin token the admin API answers only requests whose Host is 127.0.0.1, localhost or [::1]");
    }
  }
  const method = req.method.toUpperCase();
  const read = method === "GET" || method === "HEAD";
  // [choice] A body-less DELETE needs no content type: browsers preflight every cross-site DELETE anyway.
  const exempt = read || (method === "DELETE" && !hasBody(req));
  if (!exempt && mediaType(header(req.headers, "content-type")) !== "application/json") {
    return adminError(415, `admin ${method} requests must be sent with Content-Type: application/json`);
  }
  return null;
}
