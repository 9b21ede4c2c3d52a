import { entityBody, entityMismatches, inputsFromEntity } from "../../../provider/engine/entity-wire";
import type { PipelineKind } from "../../../provider/resources/declaration";
import { anyKindByName } from "../../../provider/resources/registry";

/**
 * A pipeline kind's map of params (`spread`) on the wire: each member under the map's path beside the
 * properties that have a path of their own there (a source connection's `params.tableName` beside
 * `params.path`), read back as the members no other property sets, compared member by member.
 */
const kind = anyKindByName("sourceConnection") as PipelineKind;
const POSTGRES = "74a1c565-4e59-48d7-9d67-7c03b8a13137";
const S3 = "ecadc60c-7455-4d87-84dc-2a0e293d997b";
const base = { name: "src", baseConnectionId: "9e2541a0-b143-4d23-a541-a0b143dd2301" };

it("sends each member beside path and recursive, a dotted name as one key", () => {
  const body = entityBody(kind, { ...base, connectionSpecId: "0a2b4c6d-0000-4000-8000-000000000001", path: "/in/", recursive: true, params: { "schema.table": "orders", cdcEnabled: true } });
  expect(body.params).toEqual({ path: "/in/", recursive: "true", "schema.table": "orders", cdcEnabled: true });
});

it("sends a table source's format as the tutorials do, and reads it back as none", () => {
  const inputs = { ...base, connectionSpecId: POSTGRES, params: { tableName: "public.orders" } };
  const body = entityBody(kind, inputs);
  expect(body).toMatchObject({ data: { format: "tabular" }, params: { tableName: "public.orders" } });
  const read = inputsFromEntity(kind, body, inputs, "prod");
  expect(read).toMatchObject({ params: { tableName: "public.orders" } });
  expect(read).not.toHaveProperty("format");
  expect(entityMismatches(kind, body, inputs)).toEqual([]);
});

it("reads no params for a file source whose params hold only path and recursive", () => {
  const inputs = { ...base, connectionSpecId: S3, format: "json", path: "/in/*.json", recursive: false };
  const body = entityBody(kind, inputs);
  expect(body.data).toEqual({ format: "json" });
  expect(inputsFromEntity(kind, body, inputs, "prod")).not.toHaveProperty("params");
  expect(entityMismatches(kind, body, inputs)).toEqual([]);
});

it("names a member that differs, one added and one missing", () => {
  const inputs = { ...base, connectionSpecId: POSTGRES, params: { tableName: "public.orders" } };
  const held = { ...entityBody(kind, inputs), params: { tableName: "public.returns", cdcEnabled: true } };
  expect(entityMismatches(kind, held, inputs)).toEqual(['params is {"tableName":"public.returns","cdcEnabled":true}, declared {"tableName":"public.orders"}']);
  expect(entityMismatches(kind, { ...held, params: {} }, inputs)).toEqual(['params is not set, declared {"tableName":"public.orders"}']);
});
