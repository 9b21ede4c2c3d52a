import type { Inputs, PipelineKind } from "../resources/declaration";
import type { Provenance } from "../steps/ownership";
import { type Body, entityMismatches } from "./body";

/**
 * A pipeline entity's provenance, for the base connections' ownership check. Flow Service's fields;
 * Data Prep's mapping sets say `createdDate` and no technical account.
 */
export function entityProvenance(kind: PipelineKind, item: Body, inputs: Inputs): Provenance {
  return {
    service: "the service",
    createdBy: item.createdBy,
    createdClient: item.createdClient,
    createdAt: item.createdAt ?? item.createdDate,
    mismatches: () => entityMismatches(kind, item, inputs),
  };
}
