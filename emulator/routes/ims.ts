/** `POST /ims/token/v3`: the form and headers to auth/ims.ts, the token in IMS's answer. */
import { issueToken } from "../auth/ims";
import { header } from "../util";
import type { Handler } from "./common";

export const token: Handler = (req, state) => {
  const { token, expiresIn } = issueToken(state.clients, state.tokens, {
    text: typeof req.body === "string" ? req.body : "",
    query: req.url.split("?")[1] ?? "",
    contentType: header(req.headers, "content-type"),
    authorization: header(req.headers, "authorization"),
  });
  return {
    status: 200,
    headers: { "cache-control": "no-store" },
    body: { access_token: token, token_type: "bearer", expires_in: expiresIn },
  };
};
