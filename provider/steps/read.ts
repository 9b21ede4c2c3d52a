import type { ConnectionItem } from "../client/types";
import { listingCacheOf } from "../client/listing-cache";
import { withoutKept } from "../connection/inputs";
import { buildOutputs, inputsFromItem, serverValuesOf } from "../connection/wire";
import type { EntityKind, Inputs } from "../resources/declaration";
import { client, kindFor, sandboxOf, withArticle } from "./context";
import { describeFailure, userError } from "./failures";

export async function read(declared: EntityKind, id: string, props: Inputs | undefined) {
  const prior = props ?? {};
  const sandbox = sandboxOf(prior);
  const action = `reading connection ${id} in sandbox "${sandbox}"`;
  const kind = await kindFor(declared, prior, action, false);
  const c = client(kind, prior, action);
  let item: ConnectionItem | undefined;
  try {
    // Connections are read from one listing per spec and sandbox (a refresh costs pages, not a GET each).
    item =
      kind.endpoint === "/connections"
        ? await listingCacheOf(c).item(
            {
              collection: kind.endpoint,
              sandbox,
              scope: kind.connectionSpecId,
              list: (maxPages) => c.listItemPages(kind.endpoint, sandbox, [`connectionSpec.id==${kind.connectionSpecId}`], maxPages),
              get: (itemId) => c.getItem(kind.endpoint, sandbox, itemId),
            },
            id,
          )
        : await c.getItem(kind.endpoint, sandbox, id);
  } catch (err) {
    throw describeFailure(kind, action, err);
  }
  // Gone: returning no id tells the engine to drop it from state on refresh.
  if (!item) return {};
  if (item.connectionSpec?.id !== kind.connectionSpecId) {
    throw userError(`${kind.typeName}: ${action}: it is not ${withArticle(kind.title)} connection (its connection spec is ${item.connectionSpec?.id})`);
  }
  const values = inputsFromItem(kind, item, prior, sandbox);
  const outs = buildOutputs(kind, values, { etag: item.etag, state: item.state, serverValues: serverValuesOf(kind, item) });
  // The engine stores these as the inputs that the next diff and its display start from: only what the
  // program declares, never what it leaves to the connection (a phantom "+sourceId" otherwise).
  return { id, props: outs, inputs: withoutKept(values) };
}

