/**
 * The exported program compiles: its index.ts, with its own tsconfig.json, type-checked against this
 * package's declarations (provider/index.ts through a path mapping, @pulumi/pulumi from the repository).
 * Also: a dataflow on an older version of its mapping set keeps that version where it is adopted.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import * as ts from "typescript";
import type { ExportResult } from "../../../provider/export/export-sandbox";
import { TestEmulator } from "../../helpers/emulator";
import { type Seeded, seedClient, seedSandbox } from "./support/seed";
import { block, runExport } from "./support/run";

const ROOT = resolve(__dirname, "../../..");
const SANDBOX = "dev";
let emu: TestEmulator;
let seeded: Seeded;
const dirs: string[] = [];

beforeAll(async () => {
  emu = await TestEmulator.start();
  const client = seedClient(emu.baseUrl);
  seeded = await seedSandbox(client, SANDBOX);
  // A new version of the S3 pipeline's mapping set; its dataflow stays on version 0.
  const mapping = await client.getMappingSet(SANDBOX, seeded.s3.mapping);
  if (!mapping) throw new Error("the seeded mapping set is missing");
  await client.putMappingSet(SANDBOX, seeded.s3.mapping, { id: mapping.id, name: mapping.name, outputSchema: mapping.outputSchema, mappings: [...mapping.mappings, { sourceType: "ATTRIBUTE", source: "column9", destination: "person.name.lastName" }] });
});

afterAll(async () => {
  await emu?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes the program to a new folder and type-checks it with its own tsconfig.json; its diagnostics, as `file:line: message`. */
function typeCheck(result: ExportResult): string[] {
  const dir = mkdtempSync(join(tmpdir(), "aep-export-program-"));
  dirs.push(dir);
  for (const [name, text] of result.program.files) writeFileSync(join(dir, name), text);
  const read = ts.readConfigFile(join(dir, "tsconfig.json"), ts.sys.readFile);
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, dir);
  expect(parsed.errors).toEqual([]);
  expect(parsed.fileNames).toEqual([join(dir, "index.ts")]);
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    // The package as its declarations stand in this checkout, as `import … from "pulumi-aep-flow"` sees them once installed.
    baseUrl: ROOT,
    paths: { "pulumi-aep-flow": ["provider/index.ts"], "@pulumi/pulumi": ["node_modules/@pulumi/pulumi"] },
    typeRoots: [join(ROOT, "node_modules/@types")],
  };
  const program = ts.createProgram(parsed.fileNames, options);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file ? `${relative(dir, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}

describe("the exported program", () => {
  it("type-checks against the package", async () => {
    const result = await runExport(emu, SANDBOX, { program: { retain: true } });
    expect(result.program.written).toHaveLength(23);
    expect(typeCheck(result)).toEqual([]);
  }, 120_000);

  it("marks every resource with existingId from the stack's adopt map, and compiles so; without it, too", async () => {
    const result = await runExport(emu, SANDBOX);
    const index = result.program.files.get("index.ts") as string;
    expect(index.match(/^ {2}existingId: adopt\["[^"]+"\],$/gm)).toHaveLength(23);
    expect(typeCheck(result)).toEqual([]);
    const copies = await runExport(emu, SANDBOX, { program: { existingId: false } });
    expect(copies.program.files.get("index.ts")).not.toContain("existingId");
    expect(typeCheck(copies)).toEqual([]);
  }, 120_000);

  it("keeps an adopted dataflow on the older mapping set version it uses; a copy follows its own mapping set", async () => {
    const result = await runExport(emu, SANDBOX);
    const flow = block(result.program.files.get("index.ts") as string, "orders-hourly");
    expect(flow).toContain(
      '  mappingVersion: adopt["orders-hourly"] === undefined ? ordersMapping.version : 0, // this dataflow uses version 0 of its mapping set, which is at version 1: adopted, it keeps 0; a copy follows its mapping set\n',
    );
    // The others use their mapping set's latest version: they follow it.
    expect(block(result.program.files.get("index.ts") as string, "customers-daily")).toContain("  mappingVersion: customersMapping.version,\n");
    const mapping = block(result.program.files.get("index.ts") as string, "orders-mapping");
    expect(mapping).toContain('{ sourceType: "ATTRIBUTE", source: "column9", destination: "person.name.lastName" }');
  });
});
