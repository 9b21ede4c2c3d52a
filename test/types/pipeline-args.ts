/**
 * Compiled by `tsc -p tsconfig.examples.json` (part of `npm test`), never run: each
 * `@ts-expect-error` fails the build if TypeScript stops refusing the line under it.
 */
import * as pulumi from "@pulumi/pulumi";
import { Dataflow, type DataflowArgs, MappingSet, type MappingSetArgs, type SourceConnectionArgs } from "../../provider";

export const source: SourceConnectionArgs = { baseConnectionId: "id", connectionSpecId: "spec", format: "delimited", path: "/in/*.csv", recursive: true };

// @ts-expect-error not one of the formats
export const badFormat: SourceConnectionArgs = { baseConnectionId: "id", connectionSpecId: "spec", format: "csv" };

// @ts-expect-error the base connection is required
export const noBase: SourceConnectionArgs = { connectionSpecId: "spec" };

export const mapping: MappingSetArgs = { schemaId: "s", mappings: [{ source: "id", destination: "_id" }, { sourceType: "EXPRESSION", source: "lower(x)", destination: "y" }] };

// @ts-expect-error a mapping needs a destination
export const noDestination: MappingSetArgs = { schemaId: "s", mappings: [{ source: "id" }] };

export function pipeline(m: MappingSet): Dataflow {
  const args: DataflowArgs = {
    flowSpecName: "CloudStorageToAEP",
    sourceConnectionId: pulumi.output("src"),
    targetConnectionId: "tgt",
    mappingId: m.id,
    // The mapping's version output feeds the dataflow: a new version moves it in the same up.
    mappingVersion: m.version,
    schedule: { startTime: 1767225600, frequency: "hour", interval: 1 },
  };
  return new Dataflow("flow", args);
}

// @ts-expect-error not a schedule frequency
export const monthly: DataflowArgs = { flowSpecName: "CloudStorageToAEP", sourceConnectionId: "s", targetConnectionId: "t", schedule: { startTime: 1, frequency: "month" } };

export function outputs(f: Dataflow): pulumi.Output<boolean | undefined> {
  f.state satisfies pulumi.Output<string>;
  return f.enabled;
}
