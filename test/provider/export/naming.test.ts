import { camelCase, kebabCase, type Nameable, pascalCase, resourceNames, variableNames } from "../../../provider/export/naming";

const entity = (key: string, name: string | undefined, kindWord = "connection"): Nameable => ({ key, id: key.split("/")[1], name, kindWord });

describe("kebabCase", () => {
  it.each([
    ["Orders S3", "orders-s3"],
    ["Orders S3 (prod)", "orders-s3-prod"],
    ["ordersFiles", "orders-files"],
    ["  Café — Données  ", "cafe-donnees"],
    ["***", ""],
  ])("%j → %j", (name, expected) => {
    expect(kebabCase(name)).toBe(expected);
  });

  it("cuts a long name at a word boundary, 60 characters at most", () => {
    const name = kebabCase("word ".repeat(40));
    expect(name.length).toBeLessThanOrEqual(60);
    expect(name).toMatch(/^word(-word)*$/);
  });
});

describe("resourceNames", () => {
  it("names an entity by its own name when no other entity shares it", () => {
    const names = resourceNames([entity("connections/a1", "Orders S3"), entity("flows/b2", "Orders hourly", "flow")]);
    expect(Object.fromEntries(names)).toEqual({ "connections/a1": "orders-s3", "flows/b2": "orders-hourly" });
  });

  it("tells two entities of one kind with the same name apart by the start of their ids, whatever order they come in", () => {
    const a = entity("connections/0882c1e1-e571-46fd-9852-b9f21b326bd5", "Legacy drop");
    const b = entity("connections/4f423037-ff8b-424a-a295-1899c6c193d0", "Legacy drop");
    const once = resourceNames([a, b]);
    const reversed = resourceNames([b, a]);
    expect(once.get(a.key)).toBe("legacy-drop-0882c1e1");
    expect(once.get(b.key)).toBe("legacy-drop-4f423037");
    expect(reversed).toEqual(once);
  });

  it("tells entities of different kinds with the same name apart by their kind", () => {
    const names = resourceNames([entity("sourceConnections/s1", "Orders", "source"), entity("flows/f1", "Orders", "flow")]);
    expect(Object.fromEntries(names)).toEqual({ "sourceConnections/s1": "orders-source", "flows/f1": "orders-flow" });
  });

  it("takes more of the id when the first characters of two ids are the same", () => {
    const names = resourceNames([entity("connections/abcdefgh-1111", "Drop"), entity("connections/abcdefgh-2222", "Drop")]);
    expect(new Set(names.values()).size).toBe(2);
    expect([...names.values()].sort()).toEqual(["drop-abcdefgh1111", "drop-abcdefgh2222"]);
  });

  it("never gives a suffixed name another entity already has as its own", () => {
    const names = resourceNames([entity("sourceConnections/s1", "Orders", "source"), entity("flows/f1", "Orders", "flow"), entity("flows/f2", "orders flow", "flow")]);
    expect(names.get("flows/f2")).toBe("orders-flow");
    expect(new Set(names.values()).size).toBe(3);
    expect(names.get("flows/f1")).toBe("orders-f1");
  });

  it("names an entity without a usable name by its kind and id", () => {
    expect(resourceNames([entity("mappingSets/4224ef7c8e894ebd", undefined, "mapping")]).get("mappingSets/4224ef7c8e894ebd")).toBe("mapping-4224ef7c");
  });
});

describe("variable names", () => {
  it.each([
    ["orders-s3", "ordersS3"],
    ["3m-files", "r3mFiles"],
    ["default", "defaultResource"],
    ["config", "configResource"],
  ])("%j → %j, a valid identifier", (name, expected) => {
    expect(camelCase(name)).toBe(expected);
    expect(expected).toMatch(/^[A-Za-z_$][A-Za-z0-9_$]*$/);
  });

  it("makes names that meet in camelCase distinct", () => {
    const names = variableNames(["a-b1", "a-b-1"]);
    expect(new Set(names.values()).size).toBe(2);
    expect(names.get("a-b-1")).toBe("aB1");
    expect(names.get("a-b1")).toBe("aB1_2");
  });

  it("turns a param name into a config key member", () => {
    expect(pascalCase("s3SecretKey")).toBe("S3SecretKey");
    expect(pascalCase("connectionString")).toBe("ConnectionString");
  });
});
