/**
 * The shape of the catalog of connection and flow specs the package ships (provider/catalog/): what the
 * generic `Connection` and `SourceConnection` check at preview with no request, what `Dataflow` knows of a
 * flow spec, and what the emulator serves from `/connectionSpecs` and `/flowSpecs`. The data is generated
 * from one source note per spec (provider/catalog/notes/), each citing the Adobe page it was taken from.
 */

/** One parameter of an auth spec or a source spec, as the spec's JSON Schema describes it. */
export interface CatalogParam {
  /** The key in `auth.params` (or in a source connection's `params`). */
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "object" | "array";
  required: boolean;
  /** The spec marks it secret (`format: "password"`): Flow Service never returns it. */
  secret: boolean;
  /** What it is for, in the package's own words. */
  description: string;
  enum?: readonly (string | number | boolean)[];
  /** JSON Schema `format` besides `password` (e.g. `uri`). */
  format?: string;
  /** JSON Schema `pattern` (an ECMAScript regular expression). */
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  default?: string | number | boolean;
}

/** One way to sign in to a source: Flow Service's `authSpec[]` entry. */
export interface CatalogAuthSpec {
  /** `auth.specName` as the tutorials send it ("Account Key Authentication"). */
  name: string;
  /** Adobe's `type` of the auth spec ("KeyBased", "BasicAuthentication", "OAuth2RefreshCode"…). */
  type: string;
  params: readonly CatalogParam[];
}

export type SourceCategory = "CloudStorage" | "Database" | "CRM" | "CustomerSuccess" | "MarketingAutomation" | "eCommerce" | "Payments" | "Analytics" | "Streaming" | "Protocols" | "Advertising" | "Consent";

/** A connection spec of Flow Service. */
export interface CatalogConnectionSpec {
  id: string;
  /** The spec's `name` as `GET /connectionSpecs` returns it (what `connectionSpecName` matches). */
  name: string;
  /** For people: "Azure Blob Storage". */
  title: string;
  category: SourceCategory;
  providerId?: string;
  authSpecs: readonly CatalogAuthSpec[];
  /**
   * What a source connection on it takes in `params` (`path` and `format` for file sources, `tableName` for
   * databases, `object_type` for some CRMs), as the spec's `sourceSpec` describes them; empty when unknown.
   */
  sourceParams: readonly CatalogParam[];
  /** Whether a source connection's `data.format` is required (file-based sources). */
  fileBased: boolean;
  /** Names of the flow specs Adobe's tutorials pair with it. */
  flowSpecNames: readonly string[];
  /** Supports Flow Service's connectivity test (`GET /connections/{id}/test`) and explore. */
  explorable: boolean;
  /** The Adobe page the entry's facts come from. */
  source: string;
}

/** A flow spec of Flow Service, as far as `Dataflow`'s check needs it. */
export interface CatalogFlowSpec {
  id: string;
  name: string;
  providerId: string;
  /** The connection specs it takes as a source; `Dataflow` refuses a source connection of any other. */
  sourceConnectionSpecIds: readonly string[];
  targetConnectionSpecIds: readonly string[];
  /** Whether a mapping (`Mapping` transformation) is required, optional or not taken. */
  mapping: "required" | "optional" | "none";
  /** The schedule it takes (`scheduleSpec`); none for streaming flows. */
  schedule?: {
    frequencies: readonly string[];
    /** The least interval per frequency (e.g. 15 for `minute`). */
    minInterval: Readonly<Record<string, number>>;
    backfill: boolean;
  };
  source: string;
}
