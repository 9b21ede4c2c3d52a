import * as pulumi from "@pulumi/pulumi";
import { DatasetBaseConnection, TargetConnection } from "pulumi-aep-flow";

const config = new pulumi.Config();

const lake = new DatasetBaseConnection("data-lake");

// The dataset (Catalog id) and its XDM schema ($id) come from your sandbox.
const orders = new TargetConnection("orders-dataset", {
  baseConnectionId: lake.id,
  dataSetId: config.require("datasetId"),
  schemaId: config.require("schemaId"),
});

export const targetConnectionId = orders.id;
export const connectionSpecId = orders.connectionSpecId;
