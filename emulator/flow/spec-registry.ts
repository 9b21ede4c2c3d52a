/**
 * The connection and flow specs one emulator serves and checks against: the hand-written five and two
 * (specs.ts, flow-specs.ts), then every other spec of the package's catalog (catalog-specs.ts), then the
 * extra catalog-shaped entries `startEmulator({ extraConnectionSpecs, extraFlowSpecs })` was given. Besides
 * what `GET /connectionSpecs` shows, it holds the rules the served JSON does not carry: which specs name files,
 * which can be tested and explored, what a source connection's `params` take, which transformations a flow
 * must send.
 */
import { CONNECTION_SPECS as CATALOG_CONNECTION_SPECS, FLOW_SPECS as CATALOG_FLOW_SPECS } from "../../provider/catalog";
import { connectionSpecOf, flowSpecOf, paramSchema, type CatalogConnectionSpec, type CatalogFlowSpec } from "./catalog-specs";
import { FLOW_SPECS as HAND_WRITTEN_FLOW_SPECS, type FlowSpec } from "./flow-specs";
import { CONNECTION_SPECS as HAND_WRITTEN_SPECS, type ConnectionSpec, type JsonSchema } from "./specs";
import { compileSchema, schemaCheck, type SchemaCheck } from "./validation";

/** Catalog-shaped specs beyond the package's catalog: a test's or a CI job's own source. */
export interface ExtraSpecs {
  extraConnectionSpecs?: readonly CatalogConnectionSpec[];
  extraFlowSpecs?: readonly CatalogFlowSpec[];
}

/**
 * What a cloud-storage source connection's `params` take besides the catalog's `sourceParams`: Adobe's cloud
 * storage tutorial sends `type` (file or folder), `recursive` and `cdcEnabled`.
 */
const FILE_PARAMS: Record<string, JsonSchema> = {
  path: { type: "string", minLength: 1 },
  recursive: { enum: ["true", "false", true, false] },
  type: { enum: ["file", "folder"] },
  cdcEnabled: { type: "boolean" },
};

interface Entry {
  spec: ConnectionSpec;
  /** The catalog's facts about it, when the catalog (or an extra) has it. */
  catalog?: CatalogConnectionSpec;
  handWritten: boolean;
}

/** The catalog's specs in the emulator's form, derived once per process (the schemas compile once with them). */
let derivedCatalog: { connections: ConnectionSpec[]; flows: FlowSpec[] } | undefined;
function catalogDerived(): { connections: ConnectionSpec[]; flows: FlowSpec[] } {
  derivedCatalog ??= {
    connections: CATALOG_CONNECTION_SPECS.map(connectionSpecOf),
    flows: CATALOG_FLOW_SPECS.map((f) => flowSpecOf(f, CATALOG_CONNECTION_SPECS)),
  };
  return derivedCatalog;
}

export class SpecRegistry {
  private readonly connections = new Map<string, Entry>();
  private readonly flows = new Map<string, { spec: FlowSpec; requires: readonly string[] }>();
  private readonly sourceChecks = new Map<string, SchemaCheck>();

  constructor(extra: ExtraSpecs = {}) {
    const catalog = [...CATALOG_CONNECTION_SPECS, ...(extra.extraConnectionSpecs ?? [])];
    const catalogById = new Map(catalog.map((c) => [c.id, c]));
    for (const spec of HAND_WRITTEN_SPECS) this.connections.set(spec.id, { spec, catalog: catalogById.get(spec.id), handWritten: true });
    const derived = catalogDerived();
    CATALOG_CONNECTION_SPECS.forEach((c, i) => this.addConnection(derived.connections[i], c, "the catalog"));
    (extra.extraConnectionSpecs ?? []).forEach((c, i) => this.addConnection(checkedExtra(c, i), c, `extraConnectionSpecs[${i}]`));

    for (const spec of HAND_WRITTEN_FLOW_SPECS) this.flows.set(spec.id, { spec: { ...spec, sourceConnectionSpecIds: [...spec.sourceConnectionSpecIds] }, requires: spec.transformationSpecs.map((t) => t.name) });
    const addFlow = (spec: FlowSpec, c: CatalogFlowSpec) => {
      if (!this.flows.has(spec.id)) this.flows.set(spec.id, { spec, requires: c.mapping === "required" ? ["Mapping"] : [] });
    };
    // Copies: the sources below are added per emulator, while the derived specs are shared by the process.
    CATALOG_FLOW_SPECS.forEach((f, i) => addFlow({ ...derived.flows[i], sourceConnectionSpecIds: [...derived.flows[i].sourceConnectionSpecIds] }, f));
    (extra.extraFlowSpecs ?? []).forEach((f, i) => {
      if (this.flows.has(f.id)) throw new Error(`extraFlowSpecs[${i}]: flow spec '${f.id}' is already served (hand-written or in the catalog); give the extra another id`);
      addFlow(flowSpecOf(f, catalog), f);
    });
    // [choice] A flow spec takes every connection spec that names it in `flowSpecNames` (the hand-written two
    // included), besides those it lists: a catalog source runs on the flow its tutorials pair it with.
    for (const c of catalog) {
      for (const name of c.flowSpecNames) {
        const flow = [...this.flows.values()].find((f) => f.spec.name === name);
        if (flow && !flow.spec.sourceConnectionSpecIds.includes(c.id)) flow.spec.sourceConnectionSpecIds = [...flow.spec.sourceConnectionSpecIds, c.id];
      }
    }
  }

  private addConnection(spec: ConnectionSpec, catalog: CatalogConnectionSpec, from: string): void {
    if (this.connections.get(spec.id)?.handWritten) return; // the hand-written five win
    if (this.connections.has(spec.id)) throw new Error(`${from}: connection spec '${spec.id}' ('${spec.name}') is already served; give the extra another id`);
    this.connections.set(spec.id, { spec, catalog, handWritten: false });
  }

  /** In the order `GET /connectionSpecs` lists them: the hand-written five, the catalog's, the extras. */
  connectionSpecs(): ConnectionSpec[] {
    return [...this.connections.values()].map((e) => e.spec);
  }

  connectionSpec(id: unknown): ConnectionSpec | undefined {
    return typeof id === "string" ? this.connections.get(id)?.spec : undefined;
  }

  /** The catalog's entry for a spec (the extras included), when it has one. */
  catalogEntry(id: string): CatalogConnectionSpec | undefined {
    return this.connections.get(id)?.catalog;
  }

  /** A source connection of it names files: `data.format` is required. */
  fileBased(id: string): boolean {
    return this.connections.get(id)?.catalog?.fileBased ?? false;
  }

  /** Flow Service tests and explores connections of it (`/test`, `/explore`). */
  explorable(id: string): boolean {
    return this.connections.get(id)?.catalog?.explorable ?? false;
  }

  /** The params its source connections must send (the catalog's required `sourceParams`). */
  requiredSourceParams(id: string): string[] {
    return (this.connections.get(id)?.catalog?.sourceParams ?? []).filter((p) => p.required).map((p) => p.name);
  }

  /**
   * The check of a source connection's `params`: each param the catalog lists, with its type and bounds.
   * [choice] Params of a hand-written or file-based spec are closed (the cloud-storage keys and those listed;
   * any other key is refused, never stored), as before the catalog; any other spec's params are accepted
   * beyond those listed, since Adobe's database and CRM tutorials send keys (`tableName`, `columns`, …) that no
   * catalog entry enumerates and Adobe documents none as refused.
   */
  sourceParamsCheck(id: string): SchemaCheck {
    let check = this.sourceChecks.get(id);
    if (!check) {
      const entry = this.connections.get(id);
      const listed = entry?.catalog?.sourceParams ?? [];
      const closed = entry === undefined || entry.handWritten || (entry.catalog?.fileBased ?? false);
      const common = entry?.handWritten || entry?.catalog?.fileBased ? FILE_PARAMS : {};
      // A key both know meets both rules: the catalog's (its type, its bounds) and the cloud-storage one
      // (a non-empty `path`), so the five lose nothing they refused before the catalog.
      const properties: JsonSchema = { ...common };
      for (const p of listed) properties[p.name] = common[p.name] ? { allOf: [common[p.name], paramSchema(p)] } : paramSchema(p);
      check = compileSchema({ type: "object", properties, ...(closed ? { additionalProperties: false } : {}) });
      this.sourceChecks.set(id, check);
    }
    return check;
  }

  flowSpecs(): FlowSpec[] {
    return [...this.flows.values()].map((f) => f.spec);
  }

  flowSpec(id: unknown): FlowSpec | undefined {
    return typeof id === "string" ? this.flows.get(id)?.spec : undefined;
  }

  /** The transformations a flow of this spec must send (a catalog spec's optional mapping may be left out). */
  requiredTransformations(spec: FlowSpec): readonly string[] {
    return this.flows.get(spec.id)?.requires ?? spec.transformationSpecs.map((t) => t.name);
  }
}

/**
 * An extra spec as given to startEmulator, derived and its schemas compiled at once: a mistake in it stops the
 * start with its place named, never a request later.
 */
function checkedExtra(c: CatalogConnectionSpec, i: number): ConnectionSpec {
  const at = `extraConnectionSpecs[${i}]`;
  if (typeof c?.id !== "string" || c.id === "" || typeof c.name !== "string" || !Array.isArray(c.authSpecs) || !Array.isArray(c.sourceParams) || !Array.isArray(c.flowSpecNames)) {
    throw new Error(`${at}: a catalog entry needs id, name, authSpecs, sourceParams and flowSpecNames (provider/catalog/types.ts)`);
  }
  const spec = connectionSpecOf(c);
  for (const auth of spec.authSpec) {
    try {
      schemaCheck(auth.spec);
    } catch (e) {
      throw new Error(`${at} ('${c.name}'), auth spec '${auth.name}': its params make no valid JSON Schema: ${(e as Error).message}`);
    }
  }
  return spec;
}
