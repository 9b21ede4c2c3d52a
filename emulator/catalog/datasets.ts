/**
 * Catalog's datasets (`/data/foundation/catalog/dataSets`): the demo datasets (seeds.ts), present in every org and
 * sandbox, and those the control API adds to one org and sandbox. The one owner of their lookup, listing and
 * additions, and of the rule that a dataset's schema exists (the schemas are xdm/schemas.ts's).
 */
import { createHash, randomBytes } from "node:crypto";
import { platformError } from "../errors";
import type { ConnectionStore } from "../store/store";
import type { Clock, Scope, StoredDataset } from "../types";
import { schemaUri } from "../xdm/render";
import type { Schemas } from "../xdm/schemas";
import { catalogPage, project, propertiesOf } from "./query";
import { SEED_DATASETS } from "./seeds";

/** Catalog's dataset ids: 24 lowercase hex characters (`5c8c3c555033b814b69f947f`). */
export const DATASET_ID = /^[0-9a-f]{24}$/;

const inScope = (d: Scope, scope: Scope): boolean => d.imsOrgId === scope.imsOrgId && d.sandboxName === scope.sandboxName;

/** What the control API adds. */
export interface DatasetInput {
  name: string;
  description: string;
  /** The `$id` of a schema of the same scope. */
  schemaId: string;
  tags: Record<string, string[]>;
  /** Generated when absent. */
  id?: string;
}

/**
 * A dataset as Catalog's `GET /dataSets/{id}` shows it (its API reference's `dataSetResponse`), without its id,
 * which is the key of the object around it.
 */
export function renderDataset(d: StoredDataset): Record<string, unknown> {
  // [choice] A stable view id per dataset; datasets here have one view and no files.
  const viewId = createHash("sha256").update(`view/${d.id}`).digest("hex").slice(0, 24);
  return {
    name: d.name,
    description: d.description,
    imsOrg: d.imsOrgId,
    tags: structuredClone(d.tags),
    version: "1.0.0",
    created: d.created,
    updated: d.updated,
    createdClient: d.createdClient,
    createdUser: d.createdUser,
    updatedUser: d.updatedUser,
    viewId,
    files: `@/dataSetFiles?dataSetId=${d.id}`,
    schemaRef: { ...d.schemaRef },
  };
}

export class Datasets {
  constructor(
    private readonly store: ConnectionStore,
    private readonly clock: Clock,
    private readonly schemas: Schemas,
  ) {}

  /** Every dataset of the scope: the demo datasets, then the scope's own, in creation order. */
  visible(scope: Scope): StoredDataset[] {
    const seeds = SEED_DATASETS.map((d, i) => ({ ...d, ...scope, seq: i - SEED_DATASETS.length }));
    return [...seeds, ...this.store.entities("dataSets").filter((d) => inScope(d, scope))];
  }

  /** A dataset of the scope; undefined when there is none (another sandbox's included). */
  find(id: string, scope: Scope): StoredDataset | undefined {
    return this.visible(scope).find((d) => d.id === id);
  }

  /** `GET /dataSets/{id}[?properties=…]` → `{"<id>": dataset}`; [choice] a missing one is a 404. */
  lookup(id: string, scope: Scope, query: URLSearchParams): Record<string, unknown> {
    const d = this.find(id, scope);
    if (!d) throw platformError(404, `Dataset '${id.slice(0, 100)}' not found in sandbox '${scope.sandboxName}'`);
    return { [d.id]: project(renderDataset(d), propertiesOf(query)) };
  }

  /** `GET /dataSets?…` → an object keyed by id, in the order of the query (catalog/query.ts). */
  list(query: URLSearchParams, scope: Scope): Record<string, unknown> {
    return Object.fromEntries(catalogPage(this.visible(scope).map((d) => [d.id, renderDataset(d)]), query));
  }

  // Behind the client's back (the control API).

  /** Every dataset added, across orgs and sandboxes (the demo datasets are not stored). */
  added(): StoredDataset[] {
    return this.store.entities("dataSets");
  }

  /**
   * A new dataset in a scope, on a schema of that scope (Catalog's create-dataset guide: a dataset is made from a
   * schema's `$id`). [choice] An id that is taken, a demo dataset's included, is refused.
   */
  async add(input: DatasetInput, scope: Scope, createdClient: string): Promise<StoredDataset> {
    const schema = this.schemas.find(input.schemaId, scope);
    if (!schema) throw platformError(400, `schemaId: no schema '${input.schemaId}' in sandbox '${scope.sandboxName}' of org '${scope.imsOrgId}'`);
    const id = input.id ?? randomBytes(12).toString("hex");
    if (this.store.entity("dataSets", id) || SEED_DATASETS.some((d) => d.id === id)) throw platformError(400, `id: a dataset with id '${id}' already exists`);
    const now = this.clock();
    const dataset: StoredDataset = {
      ...scope,
      id,
      seq: this.store.nextSeq(),
      name: input.name,
      description: input.description,
      schemaRef: { id: schemaUri(schema), contentType: `application/vnd.adobe.xed+json;version=${schema.version.split(".")[0]}` },
      tags: structuredClone(input.tags),
      created: now,
      updated: now,
      createdClient,
      createdUser: createdClient,
      updatedUser: createdClient,
    };
    await this.store.putEntity("dataSets", dataset);
    return dataset;
  }

  async remove(id: string): Promise<void> {
    await this.store.deleteEntity("dataSets", id);
  }

  isSeed(id: string): boolean {
    return SEED_DATASETS.some((d) => d.id === id);
  }

  /** The added datasets whose schema is this `$id` (a schema a dataset uses is not removed). */
  usersOfSchema(uri: string): StoredDataset[] {
    return this.added().filter((d) => d.schemaRef.id === uri);
  }
}

const majorIn = (contentType: string | undefined): string | undefined => /version\s*=\s*(\d+)/.exec(contentType ?? "")?.[1];

/**
 * Whether a schema reference (a `$id` and a content type such as `application/vnd.adobe.xed-full+json;version=1`)
 * names the dataset's schema: the same `$id` and, when both state one, the same major version. The media type
 * itself (`xed` or `xed-full`) is only a format.
 */
export function isSchemaOf(ref: { id: string; contentType?: string }, dataset: StoredDataset): boolean {
  if (ref.id !== dataset.schemaRef.id) return false;
  const [mine, theirs] = [majorIn(ref.contentType), majorIn(dataset.schemaRef.contentType)];
  return mine === undefined || theirs === undefined || mine === theirs;
}
