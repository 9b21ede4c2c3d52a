/** Data Prep's `/mappingSets`: parse, call the domain (dataprep/mapping-sets.ts), render. */
import { findMapping, parseBody, renderMappings, renderMappingSet } from "../dataprep/mapping-sets";
import { previewMappingSet, validateMappingSet } from "../dataprep/preview";
import { dataPrepError } from "../errors";
import { idOf, queryOf, type FlowHandler } from "./common";

/** Data Prep answers a create with 200 (its spec), and a summary of the new set. */
export const create: FlowHandler = async (req, state, caller) => {
  const set = await state.mappingSets.create(req.body, caller);
  const v = set.versions[0];
  return { status: 200, body: { id: set.id, version: v.version, createdDate: set.createdDate, modifiedDate: v.modifiedDate, createdBy: set.createdBy, modifiedBy: v.modifiedBy } };
};

export const list: FlowHandler = (req, state, caller) => {
  const page = state.mappingSets.list(queryOf(req), caller);
  const body: Record<string, unknown> = { data: page.items.map((s) => renderMappingSet(s)), _page: { count: page.items.length, limit: page.limit } };
  if (page.next) body._links = { next: { href: `/mappingSets?${page.next.toString()}` } };
  return { status: 200, body };
};

export const get: FlowHandler = (req, state, caller) => {
  const set = state.mappingSets.get(idOf(req), caller);
  return { status: 200, body: renderMappingSet(set, state.mappingSets.version(set, queryOf(req).get("version"))) };
};

export const replace: FlowHandler = async (req, state, caller) => {
  const { set, version } = await state.mappingSets.replace(idOf(req), caller, req.body);
  return { status: 200, body: renderMappingSet(set, version) };
};

/** [choice] Data Prep has no DELETE of a mapping set: 405 with an Allow header, whether or not the set exists. */
export const remove: FlowHandler = () => {
  throw dataPrepError("2000-405", "Mapping sets cannot be deleted (Data Prep has no DELETE); allowed: GET, PUT", { allow: "GET, PUT" });
};

/** `GET /mappingSets/{id}/mappings[?version=N]`: a bare array, as Data Prep's guide shows it. */
export const listMappings: FlowHandler = (req, state, caller) => {
  const set = state.mappingSets.get(idOf(req), caller);
  return { status: 200, body: renderMappings(set, state.mappingSets.version(set, queryOf(req).get("version"))) };
};

/** `GET /mappingSets/{id}/mappings/{mappingId}[?version=N]`. */
export const getMapping: FlowHandler = (req, state, caller) => {
  const set = state.mappingSets.get(idOf(req), caller);
  const { mappingId } = req.params as { mappingId: string };
  return { status: 200, body: findMapping(set, state.mappingSets.version(set, queryOf(req).get("version")), mappingId) };
};

/** `POST /mappingSets/validate`: 200 `{validationResponse}`; nothing is stored. */
export const validate: FlowHandler = (req) => ({ status: 200, body: validateMappingSet(parseBody(req.body)) });

/** `POST /mappingSets/preview`: 200 with one `{data, errors}` per record; nothing is stored. */
export const preview: FlowHandler = (req) => ({ status: 200, body: previewMappingSet(parseBody(req.body)) });
