import { CONNECTION_SPECS, authSpecOf, closestNames, connectionSpecById, connectionSpecByName, flowSpecById, flowSpecByName, flowSpecsForSource } from "../../../provider/catalog";

const S3 = "ecadc60c-7455-4d87-84dc-2a0e293d997b";
const SNOWFLAKE = "b2e08744-4f1a-40ce-af30-7abac3e23cf3";
const DATALAKE = "c604ff05-7f1a-43c0-8e18-33bf874cb11c";
const NAMES = CONNECTION_SPECS.map((s) => s.name);

it("finds a connection spec by id and by its exact name, and nothing for an unknown one", () => {
  expect(connectionSpecById(S3)?.name).toBe("Amazon S3");
  expect(connectionSpecByName("Snowflake")?.id).toBe(SNOWFLAKE);
  expect(connectionSpecByName("snowflake")).toBeUndefined();
  expect(connectionSpecById("00000000-0000-0000-0000-000000000000")).toBeUndefined();
});

it("finds an auth spec of a connection spec by its name, and nothing for a name the spec does not have", () => {
  const dynamics = connectionSpecByName("Microsoft Dynamics")!;
  expect(authSpecOf(dynamics, "Service Principal Key Based Authentication")?.params.filter((p) => p.secret).map((p) => p.name)).toEqual(["servicePrincipalKey"]);
  expect(authSpecOf(dynamics, "Basic Authentication")).toBeUndefined();
});

it("finds a flow spec by id and by name", () => {
  expect(flowSpecByName("CRMToAEP")?.id).toBe("14518937-270c-4525-bdec-c2ba7cce3860");
  expect(flowSpecById("9753525b-82c7-4dce-8a9b-5ccfce2b9876")?.name).toBe("CloudStorageToAEP");
  expect(flowSpecByName("CloudStorageToAep")).toBeUndefined();
});

it("lists the flow specs that take a source: files to CloudStorageToAEP, tables to CRMToAEP, none for the dataset target", () => {
  expect(flowSpecsForSource(S3).map((f) => f.name)).toEqual(["CloudStorageToAEP"]);
  expect(flowSpecsForSource(SNOWFLAKE).map((f) => f.name)).toEqual(["CRMToAEP"]);
  expect(flowSpecsForSource(DATALAKE)).toEqual([]);
});

it("offers the closest names for a misspelt one: a name containing it first, then by edit distance, at most n", () => {
  expect(closestNames("Amazon S4", NAMES)[0]).toBe("Amazon S3");
  expect(closestNames("snowflak", NAMES, 1)).toEqual(["Snowflake"]);
  expect(closestNames("azure", ["Snowflake", "Microsoft Azure Data Explorer", "Amazon S3", "Azure Blob Storage"], 2)).toEqual(["Azure Blob Storage", "Microsoft Azure Data Explorer"]);
  expect(closestNames("Azure", NAMES, 40).slice(0, 6).every((n) => n.includes("Azure"))).toBe(true);
  expect(closestNames("Postgres", NAMES, 2)).toEqual(["PostgreSQL", expect.any(String)]);
  expect(closestNames("x", [], 3)).toEqual([]);
});
