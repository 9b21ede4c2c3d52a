/**
 * The demo datasets, present in every org and sandbox: the datasets of Adobe's tutorials, each on a demo
 * schema (xdm/seeds.ts). The quickstart looks up "Orders" by name; tests and the benchmark use the ids.
 */
import type { StoredDataset } from "../types";

/** A demo dataset: a stored dataset without an org, a sandbox or a sequence number (it is in all of them). */
export type DatasetSeed = Omit<StoredDataset, "imsOrgId" | "sandboxName" | "seq">;

const SEEDED_AT = 1597784298000;
const schemaRef = (id: string) => ({ id: `https://ns.adobe.com/acme/schemas/${id}`, contentType: "application/vnd.adobe.xed+json;version=1" });

function seed(id: string, name: string, description: string, schemaId: string): DatasetSeed {
  return {
    id,
    name,
    description,
    schemaRef: schemaRef(schemaId),
    tags: {},
    created: SEEDED_AT,
    updated: SEEDED_AT,
    createdClient: "aep-emulator-seed",
    createdUser: "aep-emulator-seed",
    updatedUser: "aep-emulator-seed",
  };
}

export const SEED_DATASETS: readonly DatasetSeed[] = [
  // The cloud storage dataflow tutorial's target dataset.
  seed("5f3c3cedb2805c194ff0b69a", "Orders", "Orders from the landing bucket.", "995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4"),
  // The dataset id of Catalog's filtering guide, on the schema of Data Prep's mapping set example.
  seed("5ba9452f7de80400007fc52a", "Customers", "Customer profiles.", "89abc189258b1cb1a816d8f2b2341a6d98000ed8f4008305"),
  // The create-dataset guide's dataset.
  seed("5c8c3c555033b814b69f947f", "LoyaltyMembersDataset", "Members of the loyalty programme.", "719c4e19184402c27595e65b931a142b"),
];
