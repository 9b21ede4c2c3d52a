/** `POST /collection/{inletId}`: the message to flow/inlet.ts, its receipt in the inlet's answer. */
import { header } from "../util";
import type { Handler } from "./common";

export const receive: Handler = async (req, state) => {
  const inletId = (req.params as { inletId: string }).inletId;
  const event = await state.inlets.receive(inletId, {
    text: typeof req.body === "string" ? req.body : "",
    authorization: header(req.headers, "authorization"),
    requestId: String(req.id),
  });
  return { status: 200, body: { inletId, xactionId: event.xactionId, receivedTimeMs: event.receivedTimeMs } };
};
