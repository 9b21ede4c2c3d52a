import * as pulumi from "@pulumi/pulumi";
import { Connection, Dataflow, DatasetBaseConnection, MappingSet, SourceConnection, TargetConnection } from "pulumi-aep-flow";

const config = new pulumi.Config();
// The dataset the rows land in and the XDM schema its records follow, by id: nothing is looked up, so
// `pulumi preview` needs no credentials. The emulator's Orders dataset and schema are in its README.
const datasetId = config.require("datasetId");
const schemaId = config.require("schemaId");

// PostgreSQL has no kind of its own: the generic Connection takes any spec of the catalog. Its one auth
// param, the connection string, carries the password, so it is a secret end to end (Adobe's PostgreSQL
// tutorial: Server=…;Database=…;Port=…;UID=…;Password=…). A new value is an in-place update.
const database = new Connection("orders-db", {
  connectionSpecName: "PostgreSQL",
  authSpecName: "Connection String Based Authentication",
  secretParams: { connectionString: config.requireSecret("postgresConnectionString") },
});
// A database source reads one table (`params.tableName`), not files: no format and no path.
const table = new SourceConnection("orders-table", {
  baseConnectionId: database.id,
  connectionSpecId: database.connectionSpecId,
  params: { tableName: config.get("tableName") ?? "public.orders" },
});
const lake = new DatasetBaseConnection("data-lake");
const dataset = new TargetConnection("orders-dataset", { baseConnectionId: lake.id, dataSetId: datasetId, schemaId });
const mapping = new MappingSet("orders-mapping", { schemaId, mappings: [{ source: "order_id", destination: "_id" }] });

// Databases and CRMs ingest through the CRMToAEP flow spec, whose schedule is required: daily from 2026-01-01.
const flow = new Dataflow("orders-daily", {
  flowSpecName: "CRMToAEP",
  sourceConnectionId: table.id,
  targetConnectionId: dataset.id,
  mappingId: mapping.id,
  mappingVersion: mapping.version,
  schedule: { startTime: 1767225600, frequency: "day", interval: 1 },
});

export const connectionId = database.id;
export const connectionSpecId = database.connectionSpecId;
export const dataflowId = flow.id;
export const flowSpecId = flow.flowSpecId;
export const state = flow.state;
