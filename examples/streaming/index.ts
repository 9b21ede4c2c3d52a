import { StreamingConnection } from "pulumi-aep-flow";

const events = new StreamingConnection("web-events", {
  dataType: "xdm",
  authenticationRequired: true,
});

export const connectionId = events.id;
// POST records here (with an IMS bearer token, since authenticationRequired is true).
export const inletUrl = events.inletUrl;
export const inletId = events.inletId;
