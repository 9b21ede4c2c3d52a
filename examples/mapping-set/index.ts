import * as pulumi from "@pulumi/pulumi";
import { MappingSet } from "pulumi-aep-flow";

const config = new pulumi.Config();

// Every change is a new version (the `version` output). Data Prep cannot delete a mapping set:
// `pulumi destroy` removes it from the stack and leaves it in Data Prep.
const mapping = new MappingSet("orders-mapping", {
  schemaId: config.require("schemaId"),
  mappings: [
    { source: "order_id", destination: "_id" },
    { source: "first_name", destination: "person.name.firstName" },
    { sourceType: "EXPRESSION", source: "lower(email)", destination: "personalEmail.address" },
  ],
});

export const mappingSetId = mapping.id;
export const version = mapping.version;
