// Inside this repository the package is imported by path; in your project: from "pulumi-aep-flow".
import { DatasetBaseConnection } from "../../provider";

// The Data Lake side of a dataflow: no credentials, only a name (generated when omitted).
const lake = new DatasetBaseConnection("data-lake", { description: "Target for source dataflows" });

export const connectionId = lake.id;
