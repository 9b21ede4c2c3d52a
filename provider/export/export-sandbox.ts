/**
 * `aep-flow export` without its command line: read one sandbox (sandbox-reader.ts), declare its entities
 * (declarations.ts), choose them (filters.ts) and write the program's files as text (program-writer.ts).
 * Writing them to disk is the CLI's.
 */
import { FlowServiceError } from "../client/flow-service-error";
import type { AepSettings } from "../settings";
import { type Collection, PLURAL_NOUNS, planSandbox } from "./declarations";
import { type Filters, select } from "./filters";
import { type ExportedProgram, type ProgramOptions, writeProgram } from "./program-writer";
import { type PageRead, readOnlyClient, readSandbox } from "./sandbox-reader";

export interface ExportOptions {
  settings: AepSettings;
  /** The sandbox read (and the one `aep:sandbox` names in the source stack's file). */
  sandbox: string;
  filters: Filters;
  maxPages: number;
  /** The program's options but the ones that follow from the sandbox read and the filters; `stackName` defaults to the sandbox's name. */
  program: Omit<ProgramOptions, "stackName" | "project" | "filters"> & { stackName?: string; project?: string };
  /** One line per page read, per retried request, and a summary. */
  progress?: (line: string) => void;
}

export interface ExportStats {
  /** Requests answered by Flow Service and Data Prep, by method and path; the IMS token is not one. */
  requests: Record<string, number>;
  requestCount: number;
  /** Entities in the sandbox per collection, declared or not. */
  entities: Record<Collection, number>;
  /** Entities written to the program, and those no kind could declare. */
  written: number;
  skipped: number;
  elapsedMs: number;
}

export interface ExportResult {
  program: ExportedProgram;
  stats: ExportStats;
}

/** The project name a sandbox's program gets by default: `aep-<sandbox>`. */
export const defaultProject = (sandbox: string): string => `aep-${sandbox}`;

/** The filters as a command line gives them (`--flow "Orders hourly"`), or undefined for none. */
export function filtersText(filters: Filters): string | undefined {
  const parts = [
    ...filters.flows.map((f) => `--flow ${JSON.stringify(f)}`),
    ...filters.namePrefixes.map((p) => `--name-prefix ${JSON.stringify(p)}`),
    ...filters.specs.map((s) => `--spec ${JSON.stringify(s)}`),
  ];
  return parts.length > 0 ? parts.join(" ") : undefined;
}

export async function exportSandbox(options: ExportOptions): Promise<ExportResult> {
  const started = performance.now();
  const progress = options.progress ?? (() => undefined);
  const client = readOnlyClient(options.settings, progress);
  const onPage = ({ collection, page, items }: PageRead): void => progress(`GET ${collection}: page ${page}, ${items} ${items === 1 ? "item" : "items"}`);
  const snapshot = await readSandbox(client, options.sandbox, { maxPages: options.maxPages, onPage }).catch((err: unknown) => {
    // Which sandbox, and where it was named: a sandbox that does not exist, or that the credential may not
    // read, fails its first listing with one of these.
    if (err instanceof FlowServiceError && [400, 403, 404].includes(err.status ?? 0)) err.message = `reading sandbox "${options.sandbox}" (--sandbox, else aep:sandbox / AEP_SANDBOX): ${err.message}`;
    throw err;
  });
  const plan = planSandbox(snapshot);
  const selected = select(plan, options.filters);
  const program = writeProgram(plan, selected, {
    ...options.program,
    project: options.program.project ?? defaultProject(options.sandbox),
    stackName: options.program.stackName ?? options.sandbox,
    filters: filtersText(options.filters),
  });
  const entities: Record<Collection, number> = {
    connections: snapshot.connections.length,
    sourceConnections: snapshot.sourceConnections.length,
    targetConnections: snapshot.targetConnections.length,
    mappingSets: snapshot.mappingSets.length,
    flows: snapshot.flows.length,
  };
  const stats: ExportStats = {
    requests: Object.fromEntries(client.requests),
    requestCount: client.requestCount,
    entities,
    written: program.written.length,
    skipped: plan.skipped.length,
    elapsedMs: performance.now() - started,
  };
  const total = Object.values(entities).reduce((a, b) => a + b, 0);
  progress(`read ${total} entities of sandbox "${options.sandbox}" (${(Object.keys(entities) as Collection[]).map((c) => `${PLURAL_NOUNS[c]}: ${entities[c]}`).join(", ")}) and ${snapshot.flowSpecs.length} flow specs in ${stats.requestCount} requests`);
  if (plan.skipped.length > 0) progress(`${plan.skipped.length} entities cannot be declared; README.md lists them with the reason`);
  return { program, stats };
}
