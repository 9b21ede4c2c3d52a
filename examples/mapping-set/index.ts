import * as pulumi from "@pulumi/pulumi";
import { MappingSet, getSchemaOutput } from "pulumi-aep-flow";

const config = new pulumi.Config();

// Every change is a new version (the `version` output). Data Prep cannot delete a mapping set:
// `pulumi destroy` removes it from the stack and leaves it in Data Prep.
const mapping = new MappingSet("orders-mapping", {
  // The target XDM schema, looked up in Schema Registry by title (it must be the schema of the dataset the
  // dataflow writes to: Flow Service refuses a dataflow whose mapping has another).
  schemaId: getSchemaOutput({ name: config.get("schemaName") ?? "Orders" }).id,
  mappings: [
    { source: "order_id", destination: "_id" },
    { source: "first_name", destination: "person.name.firstName" },
    { sourceType: "EXPRESSION", source: "lower(email)", destination: "personalEmail.address" },
  ],
});

export const mappingSetId = mapping.id;
export const version = mapping.version;
