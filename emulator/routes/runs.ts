/**
 * `/runs`: Flow Service's flow runs. The emulator runs no flows, so it has none: the list answers as every
 * Flow Service list does (filters checked, `count`, paging) with no items, and one run is never found.
 */
import { notFound } from "../flow/entities";
import { listEntities, listRules } from "../flow/listing";
import { idOf, listResult, queryOf } from "./common";
import type { FlowHandler } from "./index";

/** Filters of `GET /runs` (Adobe's tutorials list a flow's runs with `property=flowId==…`). */
const RUN_LIST_RULES = listRules(["id", "flowId", "flowSpec.id", "status.value"]);

export const list: FlowHandler = (req) => listResult(listEntities<{ seq: number }>([], queryOf(req), RUN_LIST_RULES), "/runs", (r) => r);

/** [choice] A run id is answered as every Flow entity that does not exist: 404 `1101-404`. */
export const get: FlowHandler = (req) => {
  throw notFound("Run", idOf(req));
};
