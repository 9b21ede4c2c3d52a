/**
 * The demo XDM schemas, present in every org and sandbox: the schemas of Adobe's tutorials that the demo
 * datasets (catalog/seeds.ts), the quickstart, the benchmark and the tests write with. Their ids are the
 * tutorials' own, in the `acme` tenant (the tutorials' `{TENANT_ID}`).
 */
import type { Params, StoredSchema } from "../types";

/** The tenant of the demo schemas, and of schemas added without one. */
export const DEMO_TENANT = "acme";

/** A demo schema: a stored schema without an org, a sandbox or a sequence number (it is in all of them). */
export type SchemaSeed = Omit<StoredSchema, "imsOrgId" | "sandboxName" | "seq">;

const PROFILE_CLASS = "https://ns.adobe.com/xdm/context/profile";
/** 2020-08-18, when the cloud storage tutorial made its schema: seeds sort before anything made later. */
const SEEDED_AT = 1597784298000;

const text = (title: string): Params => ({ title, type: "string" });
const object = (title: string, properties: Params): Params => ({ title, type: "object", properties });

const PERSON = object("Person", { name: object("Full name", { firstName: text("First name"), lastName: text("Last name") }) });

function seed(id: string, title: string, description: string, fields: Params): SchemaSeed {
  return {
    id,
    tenant: DEMO_TENANT,
    title,
    description,
    className: PROFILE_CLASS,
    fields: { _id: { ...text("Identifier"), description: "The record's identifier." }, ...fields },
    version: "1.0",
    created: SEEDED_AT,
    updated: SEEDED_AT,
    createdClient: "aep-emulator-seed",
  };
}

export const SEED_SCHEMAS: readonly SchemaSeed[] = [
  // The cloud storage dataflow tutorial's target schema.
  seed("995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4", "Orders", "Orders exported to the landing bucket.", {
    person: PERSON,
    personalEmail: object("Personal email", { address: text("Address") }),
    homeAddress: object("Home address", { countryCode: text("Country code") }),
    commerce: object("Commerce", { order: object("Order", { priceTotal: { title: "Price total", type: "number" } }) }),
  }),
  // The schema of Data Prep's mapping set example.
  seed("89abc189258b1cb1a816d8f2b2341a6d98000ed8f4008305", "Customers", "Customer profiles.", { person: PERSON }),
  // The create-dataset guide's schema.
  seed("719c4e19184402c27595e65b931a142b", "Loyalty Members", "Members of the loyalty programme.", {
    person: PERSON,
    loyalty: object("Loyalty", { points: { title: "Points", type: "integer" } }),
  }),
];
