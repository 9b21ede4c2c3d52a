/** Runs an export in process against an emulator, and reads what it wrote. */
import { type ExportOptions, type ExportResult, exportSandbox } from "../../../../provider/export/export-sandbox";
import { NO_FILTERS, type Filters } from "../../../../provider/export/filters";
import type { ProgramOptions } from "../../../../provider/export/program-writer";
import { resolveSettings } from "../../../../provider/settings";
import type { TestEmulator } from "../../../helpers/emulator";

export const VERSIONS = { package: "0.1.0", pulumi: "^3.270.0", typescript: "^5.9.3", typesNode: "^22.20.5" };

export interface RunOptions {
  filters?: Partial<Filters>;
  program?: Partial<ProgramOptions>;
  maxPages?: number;
  progress?: (line: string) => void;
}

/** The export of `sandbox`, with the settings the AEP_* variables pointing at the emulator give. */
export function runExport(emu: TestEmulator, sandbox: string, options: RunOptions = {}): Promise<ExportResult> {
  const settings = resolveSettings(emu.env({ AEP_SANDBOX: sandbox }) as NodeJS.ProcessEnv);
  const exportOptions: ExportOptions = {
    settings,
    sandbox,
    filters: { ...NO_FILTERS, ...options.filters },
    maxPages: options.maxPages ?? 100,
    progress: options.progress,
    program: { retain: false, versions: VERSIONS, ...options.program },
  };
  return exportSandbox(exportOptions);
}

/** The text of one resource's declaration in index.ts: from `new X("name", {` to its closing `});`. */
export function block(index: string, resourceName: string): string {
  const start = index.indexOf(`(${JSON.stringify(resourceName)}, {`);
  if (start < 0) throw new Error(`index.ts declares no resource ${resourceName}`);
  const lineStart = index.lastIndexOf("\n", start) + 1;
  const end = index.indexOf("\n}", start);
  return index.slice(lineStart, index.indexOf("\n", end + 1) + 1 || undefined);
}

/** The ids of the written declarations, by their resource's class. */
export function idsByType(result: ExportResult): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const w of result.program.written) (out[w.typeName] ??= []).push(w.id);
  for (const ids of Object.values(out)) ids.sort();
  return out;
}
