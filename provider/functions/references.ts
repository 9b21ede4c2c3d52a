import * as pulumi from "@pulumi/pulumi";
import { findDatasets, findSchemas, getDataset as readDataset, getSchema as readSchema, type DatasetItem, type SchemaItem } from "../client/catalog";
import { catalogDatasetId, xdmSchemaId } from "../validators";
import { describe, failed, lookupArgs, textArg, usage } from "./context";

/**
 * What a pipeline references outside Flow Service, looked up by name or id: a Catalog dataset (a TargetConnection's
 * `dataSetId`, and its `schemaId`) and a Schema Registry tenant schema (a MappingSet's `schemaId`). Same settings,
 * client and rules as the other lookups (context.ts).
 */

export interface GetDatasetArgs {
  /** The dataset's exact name (Catalog names are not unique: more than one is an error). */
  name?: string;
  /** Or its Catalog id, 24 hex characters. */
  id?: string;
  /** Sandbox; default `aep:sandbox`, `AEP_SANDBOX`, else `prod`. */
  sandbox?: string;
}

/** A Catalog dataset: what a TargetConnection writes to. */
export interface GetDatasetResult {
  /** Its Catalog id: a TargetConnection's `dataSetId`. */
  id: string;
  name: string;
  description: string;
  sandbox: string;
  /** The `$id` of its XDM schema: the TargetConnection's `schemaId`, and its MappingSet's. */
  schemaId: string;
  /** How Catalog names the schema's format and major version, e.g. `application/vnd.adobe.xed+json;version=1`. */
  schemaContentType?: string;
  tags: Record<string, string[]>;
}

export interface GetSchemaArgs {
  /** The schema's exact title (unique in a sandbox's tenant container). */
  name?: string;
  /** Or its `$id`, `https://ns.adobe.com/<tenant>/schemas/<id>`. */
  id?: string;
  /** Sandbox; default `aep:sandbox`, `AEP_SANDBOX`, else `prod`. */
  sandbox?: string;
}

/** A tenant XDM schema. */
export interface GetSchemaResult {
  /** Its `$id`: a MappingSet's (or TargetConnection's) `schemaId`. */
  id: string;
  /** Its `meta:altId`, `_<tenant>.schemas.<id>`. */
  altId?: string;
  title: string;
  description: string;
  /** `major.minor`, e.g. `1.2`. */
  version?: string;
  /** Its `meta:class`, e.g. `https://ns.adobe.com/xdm/context/profile`. */
  className?: string;
  sandbox: string;
}

const DATASET_FN = "getDataset";
const SCHEMA_FN = "getSchema";

/** An id argument checked with the property's own rule, so the function and `check` say the same. */
function idOf(fn: string, value: unknown, rule: (v: unknown) => string | undefined): string {
  const reason = rule(value);
  if (reason) throw usage(fn, `id ${reason.replace(/; look it up .*$/, "")}`);
  return value as string;
}

/** Looks a Catalog dataset up by name or id (`GET /dataSets?property=name==…` or `/dataSets/{id}`). See `getDatasetOutput`. */
export async function getDataset(args: GetDatasetArgs): Promise<GetDatasetResult> {
  const { a, byId, sandbox, c } = lookupArgs(DATASET_FN, args);
  if (byId) {
    const id = idOf(DATASET_FN, a.id, catalogDatasetId);
    let item: DatasetItem | undefined;
    try {
      item = await readDataset(c, sandbox, id);
    } catch (err) {
      throw failed(DATASET_FN, `reading dataset ${id} in sandbox "${sandbox}"`, err);
    }
    if (!item) throw usage(DATASET_FN, `no dataset ${id} exists in sandbox "${sandbox}" (Catalog answered 404); check the id and sandbox, or look it up by name`);
    return datasetResult(item, sandbox);
  }
  const name = textArg(DATASET_FN, "name", a.name, 256);
  let items: DatasetItem[];
  try {
    items = (await findDatasets(c, sandbox, name)).filter((d) => d.name === name);
  } catch (err) {
    throw failed(DATASET_FN, `looking up dataset ${JSON.stringify(name)} in sandbox "${sandbox}"`, err);
  }
  if (items.length === 0) throw usage(DATASET_FN, `no dataset is named ${JSON.stringify(name)} in sandbox "${sandbox}"; names are exact, and the sandbox defaults to aep:sandbox`);
  if (items.length > 1) throw usage(DATASET_FN, `${items.length} datasets are named ${JSON.stringify(name)} in sandbox "${sandbox}" (${items.map((d) => d.id).join(", ")}): look it up by id`);
  return datasetResult(items[0], sandbox);
}

/** `getDataset` taking Inputs and returning an Output: `dataSetId: getDatasetOutput({ name: "Orders" }).id`. */
export function getDatasetOutput(args: { name?: pulumi.Input<string>; id?: pulumi.Input<string>; sandbox?: pulumi.Input<string> }): pulumi.Output<GetDatasetResult> {
  return pulumi.output(args).apply((a) => getDataset(a as GetDatasetArgs));
}

/** Looks a tenant XDM schema up by title or `$id` (`GET /tenant/schemas?property=title==…` or `/tenant/schemas/{$id}`). See `getSchemaOutput`. */
export async function getSchema(args: GetSchemaArgs): Promise<GetSchemaResult> {
  const { a, byId, sandbox, c } = lookupArgs(SCHEMA_FN, args);
  if (byId) {
    const id = idOf(SCHEMA_FN, a.id, xdmSchemaId);
    let item: SchemaItem | undefined;
    try {
      item = await readSchema(c, sandbox, id);
    } catch (err) {
      throw failed(SCHEMA_FN, `reading schema ${id} in sandbox "${sandbox}"`, err);
    }
    if (!item) throw usage(SCHEMA_FN, `no schema ${id} (major version 1) exists in sandbox "${sandbox}" (Schema Registry answered 404); check the id and sandbox, or look it up by title`);
    return schemaResult(item, sandbox);
  }
  const title = textArg(SCHEMA_FN, "name", a.name, 256);
  let items: SchemaItem[];
  try {
    items = (await findSchemas(c, sandbox, title)).filter((s) => s.title === title);
  } catch (err) {
    throw failed(SCHEMA_FN, `looking up schema ${JSON.stringify(title)} in sandbox "${sandbox}"`, err);
  }
  if (items.length === 0) throw usage(SCHEMA_FN, `no schema is titled ${JSON.stringify(title)} in sandbox "${sandbox}"; titles are exact, and the sandbox defaults to aep:sandbox`);
  if (items.length > 1) throw usage(SCHEMA_FN, `${items.length} schemas are titled ${JSON.stringify(title)} in sandbox "${sandbox}" (${items.map((s) => s.$id).join(", ")}): look it up by id`);
  return schemaResult(items[0], sandbox);
}

/** `getSchema` taking Inputs and returning an Output: `schemaId: getSchemaOutput({ name: "Orders" }).id`. */
export function getSchemaOutput(args: { name?: pulumi.Input<string>; id?: pulumi.Input<string>; sandbox?: pulumi.Input<string> }): pulumi.Output<GetSchemaResult> {
  return pulumi.output(args).apply((a) => getSchema(a as GetSchemaArgs));
}

function datasetResult(d: DatasetItem, sandbox: string): GetDatasetResult {
  // A dataset without a schema (an old raw one) cannot take a target connection's records.
  if (!d.schemaRef) throw usage(DATASET_FN, `dataset ${d.id} (${describe(d.name)}) has no XDM schema (no schemaRef in Catalog), so no dataflow can write to it`);
  const result: GetDatasetResult = { id: d.id, name: d.name, description: d.description ?? "", sandbox, schemaId: d.schemaRef.id, tags: structuredClone(d.tags ?? {}) };
  if (typeof d.schemaRef.contentType === "string") result.schemaContentType = d.schemaRef.contentType;
  return result;
}

function schemaResult(s: SchemaItem, sandbox: string): GetSchemaResult {
  const result: GetSchemaResult = { id: s.$id, title: s.title, description: s.description ?? "", sandbox };
  if (typeof s["meta:altId"] === "string") result.altId = s["meta:altId"];
  if (typeof s.version === "string") result.version = s.version;
  if (typeof s["meta:class"] === "string") result.className = s["meta:class"];
  return result;
}
