import * as pulumi from "@pulumi/pulumi";
import { DatasetBaseConnection, TargetConnection, getDatasetOutput } from "pulumi-aep-flow";

const config = new pulumi.Config();

const lake = new DatasetBaseConnection("data-lake");

// The dataset, looked up in your sandbox's Catalog by name: its id (24 hex characters) and its XDM schema's $id.
const dataset = getDatasetOutput({ name: config.get("datasetName") ?? "Orders" });
const orders = new TargetConnection("orders-dataset", {
  baseConnectionId: lake.id,
  dataSetId: dataset.id,
  schemaId: dataset.schemaId,
});

export const targetConnectionId = orders.id;
export const connectionSpecId = orders.connectionSpecId;
