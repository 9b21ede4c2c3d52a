import type * as pulumi from "@pulumi/pulumi";
import { MIN_SECRET_LENGTH } from "../client/redactor";
import { type AuthRules, type ParamRule, authParamsFailures, authSpecNameFailure, failureText } from "../catalog/check";
import { CONNECTION_SPECS, type CatalogConnectionSpec, authSpecOf, closestNames, connectionSpecById, connectionSpecByName, distance } from "../catalog/index";
import { userError } from "../engine/failures";
import { UNKNOWN, describe, nonEmptyString } from "../validators";
import { verifyConnectivityProperty } from "./common";
import { type CheckFailure, type EntityKind, type Inputs, type LiveSpec, type LiveSpecs, declareKind, optional, required } from "./declaration";
import { type CommonArgs, type ConnectionOutputs, connectionEngineArgs, DynamicResource, settleConnection, type KindArgs, type KindOutputs } from "./resource";

/**
 * The generic `Connection`: a base connection of any Flow Service connection spec, its auth params given
 * as two maps, `params` (plain) and `secretParams` (every value a Pulumi secret). At preview the catalog
 * the package ships (provider/catalog/) checks them with no request; at `up` the live spec, asked once
 * per spec per deployment, is authoritative. The body on the wire is the tutorials' own:
 * `{ name, description, auth: { specName, params: { ...params, ...secretParams } }, connectionSpec: { id, version } }`.
 */

const SPEC_ID = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const known = (v: unknown): boolean => v !== undefined && v !== null && v !== UNKNOWN;

/** A map of params: plain JSON values under non-empty keys (a member unknown at preview is checked at `up`). */
const paramMap = (v: unknown): string | undefined => {
  if (!isMap(v)) return `must be a map of param names to values, e.g. { container: "orders" }, got ${describe(v)}`;
  for (const key of Object.keys(v)) if (key.trim() === "") return "must not have an empty param name";
  return undefined;
};

/** Secrets: strings long enough to be told apart in a log line (see MIN_SECRET_LENGTH). The value is never shown. */
const secretMap = (v: unknown): string | undefined => {
  if (!isMap(v)) return "must be a map of param names to secret strings, e.g. { connectionString: config.requireSecret(\"azureConnectionString\") }";
  for (const [key, member] of Object.entries(v)) {
    if (key.trim() === "") return "must not have an empty param name";
    if (!known(member)) continue;
    if (typeof member !== "string") return `.${key} must be a string (a secret is sent as text); got a ${Array.isArray(member) ? "list" : typeof member}`;
    if (member.length < MIN_SECRET_LENGTH) return `.${key} must be at least ${MIN_SECRET_LENGTH} characters: a shorter secret could not be kept out of logs and error messages reliably`;
  }
  return undefined;
};

/** A name the catalog does not know but one it knows is this close to is taken for a typo. */
function likelyTypo(name: string, names: readonly string[]): boolean {
  return names.some((n) => n.toLowerCase() === name.toLowerCase() || distance(name, n) <= Math.max(2, Math.floor(n.length / 4)));
}

/** The catalog entry the inputs name, if the catalog knows it. */
function catalogEntryOf(inputs: Inputs): CatalogConnectionSpec | undefined {
  if (typeof inputs.connectionSpecId === "string") return connectionSpecById(inputs.connectionSpecId);
  if (typeof inputs.connectionSpecName === "string") return connectionSpecByName(inputs.connectionSpecName);
  return undefined;
}

const catalogRules = (entry: CatalogConnectionSpec, authSpecName: string): AuthRules | undefined => {
  const auth = authSpecOf(entry, authSpecName);
  return auth && { label: `auth spec ${JSON.stringify(auth.name)} of ${entry.title}`, params: auth.params, closed: true };
};

/** Which spec: exactly one of connectionSpecId and connectionSpecName, as the program declared them. */
function specFailures(declared: Inputs): CheckFailure[] {
  const hasId = known(declared.connectionSpecId) || declared.connectionSpecId === UNKNOWN;
  const hasName = known(declared.connectionSpecName) || declared.connectionSpecName === UNKNOWN;
  if (hasId && hasName) return [{ property: "connectionSpecName", reason: "and connectionSpecId name the connection spec twice; keep one" }];
  if (!hasId && !hasName) return [{ property: "connectionSpecName", reason: `or connectionSpecId is required: the connection spec, e.g. connectionSpecName: "Amazon S3" (known names: ${CONNECTION_SPECS.filter((s) => s.authSpecs.length > 0).map((s) => JSON.stringify(s.name)).join(", ")})` }];
  const name = declared.connectionSpecName;
  if (typeof name === "string" && !connectionSpecByName(name)) {
    const names = CONNECTION_SPECS.map((s) => s.name);
    // A near miss is a typo, refused at preview; any other name is a spec the catalog does not ship, looked up at `up`.
    if (likelyTypo(name, names)) return [{ property: "connectionSpecName", reason: `${JSON.stringify(name)} is not a connection spec name; did you mean ${closestNames(name, names).map((n) => JSON.stringify(n)).join(" or ")}? (names are exact)` }];
  }
  return [];
}

/** The rules of one resource against the catalog, at preview: no request. */
function checkAgainstCatalog(inputs: Inputs, declared: Inputs): CheckFailure[] {
  const failures = specFailures(declared);
  if (failures.length > 0) return failures;
  const entry = catalogEntryOf(inputs);
  if (!entry || !known(inputs.authSpecName)) return [];
  const authName = inputs.authSpecName as string;
  const nameFailure = authSpecNameFailure(entry.title, authName, entry.authSpecs.map((a) => a.name));
  if (nameFailure) return [nameFailure];
  if (inputs.verifyConnectivity === true && !entry.explorable) {
    failures.push({ property: "verifyConnectivity", reason: `cannot be used with ${entry.title}: Flow Service has no connectivity test for it; remove it` });
  }
  return [...failures, ...authParamsFailures(catalogRules(entry, authName) as AuthRules, inputs.params, inputs.secretParams)];
}

/** Specs this process has said are not in the catalog (said once per deployment). */
const notInCatalog = new Set<string>();

/** The spec id of the resource: declared, derived at check from the catalog, or looked up by name now. */
async function specIdOf(inputs: Inputs, live: LiveSpecs | undefined): Promise<string> {
  if (typeof inputs.connectionSpecId === "string") return inputs.connectionSpecId;
  const name = inputs.connectionSpecName;
  // Only a state with neither (an import, which has no inputs) gets here: check requires one.
  if (typeof name !== "string") throw userError("Connection: the state names no connection spec (connectionSpecId or connectionSpecName), as with `pulumi import`; adopt the connection with existingId instead");
  if (!live) throw userError(`Connection: the connection spec ${JSON.stringify(name)} was never resolved (no connectionSpecId in the state); run \`pulumi up\` again`);
  const found = await live.byName(name);
  if (found.length === 1) return found[0].id;
  if (found.length === 0) {
    const near = closestNames(name, CONNECTION_SPECS.map((s) => s.name));
    throw userError(`Connection: connectionSpecName ${JSON.stringify(name)} names no connection spec in Flow Service (GET /connectionSpecs?property=name==… found none); did you mean ${near.map((n) => JSON.stringify(n)).join(" or ")}? Or set connectionSpecId`);
  }
  throw userError(`Connection: connectionSpecName ${JSON.stringify(name)} names ${found.length} connection specs (${found.map((s) => s.id).join(", ")}); set connectionSpecId to the one meant`);
}

/** How the live auth spec differs from the catalog's, in words (names only, never a value). */
function differences(catalog: readonly ParamRule[], live: readonly ParamRule[]): string[] {
  const out: string[] = [];
  const byName = new Map(catalog.map((p) => [p.name, p]));
  const liveNames = new Set(live.map((p) => p.name));
  for (const p of live) {
    const c = byName.get(p.name);
    if (!c) out.push(`${p.name} is new`);
    else {
      if (c.required !== p.required) out.push(`${p.name} is ${p.required ? "required" : "optional"} (the catalog: ${c.required ? "required" : "optional"})`);
      if (c.secret !== p.secret) out.push(`${p.name} is ${p.secret ? "secret" : "not secret"} (the catalog: ${c.secret ? "secret" : "not secret"})`);
    }
  }
  for (const p of catalog) if (!liveNames.has(p.name)) out.push(`${p.name} is gone`);
  return out;
}

/** At create and update: the live spec checks the write first. A refusal names the param. */
async function checkAgainstLive(id: string, entry: CatalogConnectionSpec | undefined, inputs: Inputs, live: LiveSpecs): Promise<LiveSpec> {
  const spec = await live.byId(id);
  if (!spec) throw userError(`Connection: connectionSpecId ${JSON.stringify(id)} is no connection spec Flow Service knows (GET /connectionSpecs/${id} answered 1413-404); set the id of a spec, e.g. from \`getConnectionSpec\``);
  if (!entry && !notInCatalog.has(id)) {
    notInCatalog.add(id);
    live.log(`Connection: connection spec ${id} ("${spec.name}") is not in the catalog this package ships: its params were checked only now, against the spec Flow Service serves`);
  }
  const authName = String(inputs.authSpecName);
  const auth = spec.authSpecs.find((a) => a.name === authName);
  if (!auth) {
    const f = authSpecNameFailure(`connection spec "${spec.name}"`, authName, spec.authSpecs.map((a) => a.name)) as CheckFailure;
    throw userError(`Connection: ${failureText(f)}`);
  }
  const catalogAuth = entry && authSpecOf(entry, authName);
  if (catalogAuth) {
    const diff = differences(catalogAuth.params, auth.params);
    if (diff.length > 0) live.log(`warning: Connection: the auth spec "${authName}" of "${spec.name}" as Flow Service serves it differs from the package's catalog (${diff.join("; ")}); the live spec decides`);
  }
  const failures = authParamsFailures({ label: `auth spec ${JSON.stringify(authName)} of "${spec.name}"`, params: auth.params, closed: auth.closed }, inputs.params, inputs.secretParams);
  if (failures.length > 0) throw userError(`Connection: Flow Service's connection spec refuses the params: ${failures.map(failureText).join("; ")}`);
  return spec;
}

/** Where a connection points, for a failed connectivity test: its non-secret params by name. */
function reachTarget(title: string, inputs: Inputs): string {
  const plain = isMap(inputs.params) ? Object.entries(inputs.params).filter(([, v]) => typeof v === "string" || typeof v === "number") : [];
  const shown = plain.slice(0, 4).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ");
  return `${title} source${shown ? ` (${shown})` : ""} through auth spec ${JSON.stringify(inputs.authSpecName)}`;
}

export const connectionKind = declareKind({
  kind: "connection",
  typeName: "Connection",
  title: "connection",
  endpoint: "/connections",
  body: "auth.params",
  // Each resource names its own spec: `forResource` gives the kind its id.
  connectionSpecId: "",
  authSpecName: (inputs) => String(inputs.authSpecName),
  properties: {
    /**
     * The connection spec by id (e.g. `ecadc60c-7455-4d87-84dc-2a0e293d997b`); an output either way. Set this
     * or `connectionSpecName`. A spec the package's catalog does not know is checked against Flow Service's
     * live spec at `up`. Changing it replaces the connection.
     */
    connectionSpecId: optional<string>("string", {
      local: true,
      replaceOnChange: true,
      validate: (v) => (typeof v === "string" && SPEC_ID.test(v) ? undefined : `must be a connection spec id (a UUID), got ${describe(v)}`),
      derive: (news) => (typeof news.connectionSpecName === "string" ? connectionSpecByName(news.connectionSpecName)?.id : undefined),
    }),
    /**
     * The connection spec by the name Flow Service gives it, exactly (`Amazon S3`, `SFTP`): resolved from the
     * package's catalog at preview, or for a spec it does not ship with `GET /connectionSpecs?property=name==…`
     * at `up`. Set this or `connectionSpecId`. Changing it replaces the connection.
     */
    connectionSpecName: optional<string>("string", { local: true, replaceOnChange: true, validate: nonEmptyString(256) }),
    /** The auth spec (`auth.specName`), exactly as the connection spec names it, e.g. `Basic Authentication for sftp`. Changing it replaces the connection. */
    authSpecName: required<string>("string", { local: true, replaceOnChange: true, validate: nonEmptyString(256) }),
    /**
     * The auth spec's params that are no secret, by name (`{ host: "sftp.example.com", port: 22 }`), checked
     * against the spec: required, type, enum, pattern, bounds. A param the spec marks secret is refused here:
     * give it in `secretParams`. Updated in place, param by param.
     */
    params: optional<Record<string, unknown>>("Record<string, unknown>", { spread: true, validate: paramMap }),
    /**
     * The auth spec's secret params, by name (`{ password: cfg.requireSecret("sftpPassword") }`): each a Pulumi
     * secret end to end, never read back from Flow Service, redacted from every message. Updated in place;
     * a param removed is removed from the connection in place.
     */
    secretParams: optional<Record<string, pulumi.Input<string>>>("Record<string, string>", { secret: true, spread: true, validate: secretMap }),
    /**
     * Test the connection with Flow Service (`GET /connections/{id}/test`) after it is created and after every
     * update of its params: a failed test fails the deployment, naming what could not be reached; the
     * connection is kept and the next `pulumi up` tests it again. Default false. Refused for a spec the
     * catalog says has no test. A setting of the provider, never sent to Flow Service.
     */
    verifyConnectivity: verifyConnectivityProperty,
  },
  checkInputs: checkAgainstCatalog,
  otherSpecFix: "set connectionSpecId (or connectionSpecName) and authSpecName to the connection's own",
  forResource: async (inputs, live) => {
    const id = await specIdOf(inputs, live);
    const entry = connectionSpecById(id);
    const spec = live ? await checkAgainstLive(id, entry, inputs, live) : undefined;
    const title = entry?.title ?? spec?.name ?? `connection spec ${id}`;
    const kind: EntityKind = {
      ...connectionKind,
      connectionSpecId: id,
      // Sent where the spec has one (the streaming tutorial's body carries it); Flow Service refuses any other.
      ...(entry?.providerId ? { providerId: entry.providerId } : {}),
      title,
      reach: { inputs: ["params", "secretParams"], target: (i) => reachTarget(title, i), fix: "check params and secretParams" },
    };
    return kind;
  },
});

export interface ConnectionArgs extends CommonArgs, KindArgs<typeof connectionKind> {}

/**
 * A base connection of any Flow Service connection spec (Azure Blob, Snowflake, Salesforce…): `params` and
 * `secretParams` are the auth spec's params, checked at preview against the catalog the package ships.
 */
export class Connection extends DynamicResource {
  /**
   * The connection spec by id (e.g. `ecadc60c-7455-4d87-84dc-2a0e293d997b`); an output either way. Set this
   * or `connectionSpecName`. A spec the package's catalog does not know is checked against Flow Service's
   * live spec at `up`. Changing it replaces the connection.
   */
  declare readonly connectionSpecId: pulumi.Output<string>;

  constructor(name: string, args: ConnectionArgs, opts?: pulumi.CustomResourceOptions) {
    super(...connectionEngineArgs(connectionKind, name, args, opts));
    settleConnection(this, connectionKind, args);
  }
}
// `connectionSpecId` is always set (declared, derived at check or resolved at create): the class declares it.
export interface Connection extends Omit<ConnectionOutputs, "connectionSpecId">, Omit<KindOutputs<typeof connectionKind>, "connectionSpecId"> {}
