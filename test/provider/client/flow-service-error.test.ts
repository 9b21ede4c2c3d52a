import { errorFromNetwork, errorFromResponse, parseErrorBody } from "../../../provider/client/flow-service-error";
import { Redactor } from "../../../provider/client/redactor";

describe("error bodies", () => {
  it.each([
    ["a Flow error", { type: "https://ns.adobe.com/aep/errors/FLOW-1100-400", title: "Bad params", status: 400, report: { "detailed-message": "auth.params.host: must be string" } }, "1100-400", "auth.params.host: must be string"],
    ["a gateway error", { error_code: "401013", message: "Oauth token is not valid" }, "401013", "Oauth token is not valid"],
    ["an older Flow error", { errorMessage: "Connection not found", errorDetails: "id x" }, undefined, "Connection not found (id x)"],
    ["an OAuth error", { error: "invalid_client", error_description: "bad secret" }, "invalid_client", "bad secret"],
    ["a content-type problem", { type: "/placeholder/type/uri", status: 400, title: "BadRequestError", detail: "A valid content-type must be specified" }, undefined, "A valid content-type must be specified"],
    ["a plain message", { message: "Too many requests" }, undefined, "Too many requests"],
  ])("reads %s", (_label, body, code, message) => {
    expect(parseErrorBody(body)).toEqual({ code, message });
  });

  it("builds one error with status, code, request id, method and path", () => {
    const err = errorFromResponse("PATCH", "/connections/abc", 412, { type: "x/FLOW-1404-412", report: { "detailed-message": "stale" } }, "req-1", new Redactor());
    expect(err).toMatchObject({ kind: "http", status: 412, code: "1404-412", requestId: "req-1", method: "PATCH", path: "/connections/abc" });
    expect(err.message).toBe("PATCH /connections/abc failed with 412 [1404-412]: stale (request id req-1)");
  });

  it("redacts registered secrets from messages, longest first", () => {
    const redactor = new Redactor().add("hunter2-password", "hunter2", "ab");
    const err = errorFromResponse("POST", "/connections", 400, { message: "secret hunter2-password and hunter2 and ab" }, undefined, redactor);
    // check refuses secrets under 8 characters; one registered anyway is still redacted.
    expect(err.message).toContain("secret [redacted] and [redacted] and [redacted]");
    const net = errorFromNetwork("GET", "/x", Object.assign(new Error("socket hang up hunter2"), { code: "ECONNRESET" }), redactor, true);
    expect(net).toMatchObject({ code: "ECONNRESET", ambiguous: true });
    expect(net.message).not.toContain("hunter2");
  });
});
