import { checkInputs } from "../../../provider/engine/inputs";
import type { Inputs, PipelineKind } from "../../../provider/resources/declaration";
import { anyKindByName } from "../../../provider/resources/registry";
import { UNKNOWN } from "../../../provider/validators";

const SCHEMA = "https://ns.adobe.com/acme/schemas/995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4";
const VALID: Record<string, Inputs> = {
  targetConnection: { baseConnectionId: "2a0e293d-997b-4d87-84dc-ecadc60c7455", dataSetId: "5f3c3cedb2805c194ff0b69a", schemaId: SCHEMA },
  mappingSet: { schemaId: SCHEMA, mappings: [{ source: "id", destination: "_id" }] },
};

/**
 * `check` refuses, offline, a dataset or schema reference that cannot be one: a dataset id is Catalog's 24 hex
 * characters, a schema id Adobe's `https://ns.adobe.com/<tenant>/schemas/<id>`. The message names the property,
 * shows the form and the lookup to use; what a preview does not know yet passes.
 */
const failuresOf = (name: string, change: Inputs) =>
  checkInputs(anyKindByName(name) as PipelineKind, {}, { __autoName: "res", ...VALID[name], ...change }).failures;
const reasonFor = (name: string, property: string, value: unknown): string | undefined => failuresOf(name, { [property]: value }).find((f) => f.property === property)?.reason;

describe("dataSetId of a TargetConnection", () => {
  it.each(["5f3c3cedb2805c194ff0b69a", "000000000000000000000000", UNKNOWN])("takes %s", (value) => {
    expect(reasonFor("targetConnection", "dataSetId", value)).toBeUndefined();
  });

  it.each([
    ["a made-up name", "orders-dataset-prod"],
    ["23 hex characters", "5f3c3cedb2805c194ff0b69"],
    ["25 hex characters", "5f3c3cedb2805c194ff0b69a0"],
    ["upper-case hex", "5F3C3CEDB2805C194FF0B69A"],
    ["a path", "@/dataSets/5f3c3cedb2805c194ff0b69a"],
  ])("refuses %s, showing the form and the lookup", (_what, value) => {
    const reason = reasonFor("targetConnection", "dataSetId", value);
    expect(reason).toBe(
      `must be a Catalog dataset id, 24 hex characters such as "5f3c3cedb2805c194ff0b69a", got ${JSON.stringify(value)}; look it up by name with getDatasetOutput({ name: "<dataset name>" }).id`,
    );
  });

  it("tells a Flow Service id (a dataset base connection's `lake.id`) from a dataset's", () => {
    expect(reasonFor("targetConnection", "dataSetId", "4e9a6b2c-1d3f-4a5b-8c7d-2e0f1a3b5c7d")).toContain("(that is a Flow Service id, such as a connection's; a dataset's id comes from Catalog)");
  });

  it("says what is wrong with a value that is no id at all", () => {
    expect(reasonFor("targetConnection", "dataSetId", " ")).toBe("must not be empty");
    expect(reasonFor("targetConnection", "dataSetId", 5)).toBe("must be a string, got number 5");
  });
});

describe.each([
  ["TargetConnection", "targetConnection"],
  ["MappingSet", "mappingSet"],
])("schemaId of a %s", (_type, name) => {
  it.each([
    SCHEMA,
    // The Schema Registry guide's example of a tenant schema's $id.
    "https://ns.adobe.com/tenant_1/schemas/7442343-abs2343-21232421",
    UNKNOWN,
  ])("takes %s", (value) => {
    expect(reasonFor(name, "schemaId", value)).toBeUndefined();
  });

  it.each([
    ["a title", "Orders"],
    ["http", "http://ns.adobe.com/acme/schemas/995dab"],
    ["a class of the global container", "https://ns.adobe.com/xdm/context/profile"],
    ["another host", "https://example.com/acme/schemas/995dab"],
    ["a trailing slash", "https://ns.adobe.com/a/schemas/995dab/"],
    ["a field group", "https://ns.adobe.com/acme/mixins/995dab"],
  ])("refuses %s, showing the form and the lookups", (_what, value) => {
    const reason = reasonFor(name, "schemaId", value) ?? "";
    expect(reason).toMatch(/^must be an XDM schema \$id of the form https:\/\/ns\.adobe\.com\/<tenant>\/schemas\/<id> \(e\.g\. "https:\/\/ns\.adobe\.com\/acme\/schemas\/995dab/);
    expect(reason).toContain(`got ${JSON.stringify(value)}`);
    expect(reason).toContain('getSchemaOutput({ name: "<schema title>" }).id');
    expect(reason).toContain('getDatasetOutput({ name: "<dataset name>" }).schemaId');
  });

  it("tells a meta:altId from the $id it stands for", () => {
    expect(reasonFor(name, "schemaId", "_acme.schemas.995dabbea86d58e346ff91bd8aa741a9f36f29b1019138d4")).toContain("(that is its meta:altId; use its $id)");
  });
});
