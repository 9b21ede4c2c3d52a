import { DatasetBaseConnection } from "pulumi-aep-flow";

// The Data Lake side of a dataflow: no credentials, only a name (generated when omitted).
const lake = new DatasetBaseConnection("data-lake", { description: "Target for source dataflows" });

export const connectionId = lake.id;
