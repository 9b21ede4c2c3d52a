import type * as pulumi from "@pulumi/pulumi";
import { declareKind } from "./declaration";
import { type CommonArgs, type ConnectionOutputs, connectionEngineArgs, DynamicResource, settleConnection } from "./resource";

export const datasetBaseKind = declareKind({
  kind: "datasetBase",
  typeName: "DatasetBaseConnection",
  title: "Dataset (Data Lake) base",
  endpoint: "/connections",
  body: "auth.params",
  connectionSpecId: "c604ff05-7f1a-43c0-8e18-33bf874cb11c",
  providerId: "0ed90a81-07f4-4586-8190-b40eccef1c5a",
  // The dataset base connection has no auth block at all (Adobe's dataset base tutorial).
  properties: {},
});

export type DatasetBaseConnectionArgs = CommonArgs;

/** A dataset (Data Lake) base connection, the target side that dataflows write datasets through. */
export class DatasetBaseConnection extends DynamicResource {
  constructor(name: string, args: DatasetBaseConnectionArgs = {}, opts?: pulumi.CustomResourceOptions) {
    super(...connectionEngineArgs(datasetBaseKind, name, args, opts));
    settleConnection(this, datasetBaseKind, args);
  }
}
export interface DatasetBaseConnection extends ConnectionOutputs {}
