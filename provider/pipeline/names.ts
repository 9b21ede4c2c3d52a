import type { FlowServiceClient } from "../client/client";
import type { Body } from "./body";

/**
 * The names of one collection in one sandbox, listed once per deployment (per client): a create
 * with a generated name asks whether an interrupted deployment left an entity of that name, and 40
 * dataflows must not cost 40 listings. What this process creates or deletes is kept in step.
 */
export class PipelineNames {
  private readonly listings = new Map<string, Promise<Map<string, Body[]> | undefined>>();

  /**
   * The entities named `name`, from the collection's listing. `list` answers undefined when the
   * collection is too large to list whole (more pages than a deployment should read); then, and
   * for every later name, `lookUp` asks for the name alone.
   */
  async named(collection: string, sandbox: string, name: string, list: () => Promise<Body[] | undefined>, lookUp: () => Promise<Body[]>): Promise<Body[]> {
    const key = `${collection}\n${sandbox}`;
    let listing = this.listings.get(key);
    if (!listing) {
      listing = list().then((items) => {
        if (!items) return undefined;
        const byName = new Map<string, Body[]>();
        for (const item of items) byName.set(String(item.name), [...(byName.get(String(item.name)) ?? []), item]);
        return byName;
      });
      // A failed listing is not remembered: the next create lists again.
      listing.catch(() => this.listings.delete(key));
      this.listings.set(key, listing);
    }
    const byName = await listing;
    return byName ? (byName.get(name) ?? []) : lookUp();
  }

  async remember(collection: string, sandbox: string, item: Body): Promise<void> {
    const listing = this.listings.get(`${collection}\n${sandbox}`);
    if (!listing) return;
    const byName = await listing.catch(() => undefined);
    byName?.set(String(item.name), [...(byName.get(String(item.name)) ?? []).filter((i) => i.id !== item.id), item]);
  }

  async forget(collection: string, sandbox: string, id: string): Promise<void> {
    const byName = await this.listings.get(`${collection}\n${sandbox}`)?.catch(() => undefined);
    if (!byName) return;
    for (const [name, items] of byName) byName.set(name, items.filter((i) => i.id !== id));
  }
}

const indexes = new WeakMap<FlowServiceClient, PipelineNames>();

export function pipelineNamesOf(c: FlowServiceClient): PipelineNames {
  let index = indexes.get(c);
  if (!index) indexes.set(c, (index = new PipelineNames()));
  return index;
}
