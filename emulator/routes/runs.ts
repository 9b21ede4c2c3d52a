/**
 * `/runs`: Flow Service's flow runs. The emulator runs no flows, so it has none: the list answers as every
 * Flow Service list does (filters checked, `count`, paging) with no items, and one run is never found.
 */
import type { FastifyRequest } from "fastify";
import { notFound } from "../flow/entities";
import { listEntities, listRules } from "../flow/listing";
import type { Result } from "../types";
import { idOf, listResult, queryOf } from "./common";

/** Filters of `GET /runs` (Adobe's tutorials list a flow's runs with `property=flowId==…`). */
const RUN_LIST_RULES = listRules(["id", "flowId", "flowSpec.id", "status.value"]);

// Typed here rather than as index.ts's FlowHandler: neither reads the state or the caller, and importing
// index.ts would tie this file into the routes' import circle.
export const list = (req: FastifyRequest): Result => listResult(listEntities<{ seq: number }>([], queryOf(req), RUN_LIST_RULES), "/runs", (r) => r);

/** [choice] A run id is answered as every Flow entity that does not exist: 404 `1101-404`. */
export const get = (req: FastifyRequest): Result => {
  throw notFound("Run", idOf(req));
};
