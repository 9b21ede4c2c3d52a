/**
 * Pipeline entities on the wire: the body is the entity itself, and each property sits at its dotted
 * wire path (`data.format`, `transformations.0.params.mappingId`); a `spread` property's map puts each
 * member under its path (a source connection's `params` beside `params.path`). The one place where
 * Pulumi-side names meet wire names for these kinds.
 */
import type { PatchOperation } from "../client/types";
import { AUTO_NAME_INPUT, GENERATED_NAME_INPUT, KEPT_INPUT, isSet, sameValue } from "./inputs";
import { nameAndDescriptionMismatches, nameAndDescriptionOps } from "./connection-wire";
import type { Inputs, PipelineKind, PropertySpec } from "../resources/declaration";
import { type Body, containerAt, getPath, isMap, segments, setPath } from "./paths";

export type { Body };

/**
 * A `spread` property's map as an entity holds it: the members at its wire path that no other property
 * sets (`params.tableName`, not `params.path`, which is `path`'s); undefined when there are none.
 */
function spreadOf(kind: PipelineKind, p: PropertySpec, item: unknown): Body | undefined {
  const at = getPath(item, p.wire);
  if (!isMap(at)) return undefined;
  const depth = segments(p.wire).length;
  const claimed = new Set(wireProperties(kind).filter((o) => o !== p && o.wire.startsWith(`${p.wire}.`)).map((o) => segments(o.wire)[depth]));
  const own = Object.entries(at).filter(([key, v]) => !claimed.has(key) && isSet(v));
  return own.length > 0 ? Object.fromEntries(own) : undefined;
}

/** A declared map with no set member is no map (nothing of it is sent). */
function declaredSpread(v: unknown): Body | undefined {
  if (!isMap(v)) return undefined;
  const own = Object.entries(v).filter(([, m]) => isSet(m));
  return own.length > 0 ? Object.fromEntries(own) : undefined;
}

/** The properties that travel in the body (not those the provider acts on itself). */
export function wireProperties(kind: PipelineKind): PropertySpec[] {
  return kind.params.filter((p) => !p.local);
}

function wireValue(p: PropertySpec, v: unknown): unknown {
  return p.toWire ? p.toWire(v) : v;
}

/** The body of a create (and of a mapping set's PUT): name, description, fixed members, properties. */
export function entityBody(kind: PipelineKind, inputs: Inputs, overrides: Record<string, unknown> = {}): Body {
  const body: Body = { name: inputs.name };
  if (isSet(inputs.description)) body.description = inputs.description;
  for (const [path, v] of Object.entries({ ...kind.fixedWire, ...kind.wireExtras?.(inputs) })) setPath(body, path, v);
  for (const p of wireProperties(kind)) {
    const v = overrides[p.input] ?? inputs[p.input];
    // Member by member: a member's name is a key, never a path (a dotted name stays one key).
    if (p.spread) for (const [key, m] of Object.entries(declaredSpread(v) ?? {})) containerAt(body, p.wire)[key] = m;
    else if (isSet(v)) setPath(body, p.wire, wireValue(p, v));
  }
  return body;
}

/**
 * Inputs as the server holds them, for `read` (refresh, import). A value equal on the wire to the
 * prior input keeps the prior's form (a mapping's default source type, a schedule's number that
 * Flow Service renders as a string), so reading never shows a change that is not one.
 */
export function inputsFromEntity(kind: PipelineKind, item: Body, prior: Inputs, sandbox: string): Inputs {
  const inputs: Inputs = { name: item.name, sandbox };
  for (const key of [AUTO_NAME_INPUT, GENERATED_NAME_INPUT, KEPT_INPUT, "existingId"]) if (isSet(prior[key])) inputs[key] = prior[key];
  if (typeof item.description === "string" && item.description !== "") inputs.description = item.description;
  else if (isSet(prior.description)) inputs.description = item.description ?? "";
  for (const p of kind.params) {
    if (p.local) {
      if (isSet(prior[p.input])) inputs[p.input] = prior[p.input];
      continue;
    }
    const wire = p.spread ? spreadOf(kind, p, item) : getPath(item, p.wire);
    if (!isSet(wire)) continue;
    const value = p.fromWire ? p.fromWire(wire) : wire;
    // A value the kind sends of its own accord reads as none (a table source's `data.format: "tabular"`).
    if (!isSet(value)) continue;
    inputs[p.input] = isSet(prior[p.input]) && sameValue(wireValue(p, prior[p.input]), wireValue(p, value)) ? prior[p.input] : value;
  }
  return inputs;
}

/**
 * How an entity differs from the declared inputs, property by property (absent and `""` descriptions
 * are the same). Values shown are the declared ones or the server's; these kinds hold no secret.
 */
export function entityMismatches(kind: PipelineKind, item: Body, inputs: Inputs): string[] {
  const out = nameAndDescriptionMismatches(item, inputs);
  const show = (v: unknown): string => (v === undefined ? "not set" : JSON.stringify(v));
  const expected = entityBody(kind, inputs);
  for (const p of wireProperties(kind)) {
    if (p.spread) {
      const [want, have] = [declaredSpread(inputs[p.input]), spreadOf(kind, p, item)];
      if (!sameValue(have ?? null, want ?? null)) out.push(`${p.input} is ${show(have)}, declared ${show(want)}`);
      continue;
    }
    const want = getPath(expected, p.wire);
    const have = getPath(item, p.wire);
    if (!sameValue(have ?? null, want ?? null) && !sameValue(p.fromWire ? p.fromWire(have) : have, isSet(inputs[p.input]) ? inputs[p.input] : null)) {
      out.push(`${p.input} is ${show(have)}, declared ${show(want)}`);
    }
  }
  return out;
}

/**
 * The JSON Patch from `olds` to `news` for the properties updated in place: name and description on
 * their own, and each top-level member holding a changed property replaced whole (`/scheduleParams`,
 * `/transformations`), as Flow Service's update tutorial does.
 */
export function entityPatch(kind: PipelineKind, olds: Inputs, news: Inputs): PatchOperation[] {
  const ops = nameAndDescriptionOps(olds, news);
  const before = entityBody(kind, olds);
  const after = entityBody(kind, news);
  const members = new Set<string>();
  for (const p of wireProperties(kind)) {
    if (p.replaceOnChange || sameValue(olds[p.input] ?? null, news[p.input] ?? null)) continue;
    members.add(segments(p.wire)[0]);
  }
  for (const member of members) {
    if (after[member] === undefined) ops.push({ op: "remove", path: `/${member}` });
    else ops.push({ op: before[member] === undefined ? "add" : "replace", path: `/${member}`, value: after[member] });
  }
  return ops;
}

/** What the service decided about an entity. */
export interface EntityFacts {
  etag?: string;
  state?: string;
  /** A mapping set's version. */
  version?: number;
}

/** Outputs: every declared input under its own name (defaults filled by check), the kind's constants, plus the service's facts. */
export function pipelineOutputs(kind: PipelineKind, inputs: Inputs, facts: EntityFacts): Inputs {
  const outs: Inputs = {};
  for (const key of [AUTO_NAME_INPUT, GENERATED_NAME_INPUT, KEPT_INPUT, ...kind.commonInputs]) if (isSet(inputs[key])) outs[key] = inputs[key];
  for (const p of kind.params) if (isSet(inputs[p.input])) outs[p.input] = inputs[p.input];
  if (facts.etag !== undefined) outs.etag = facts.etag;
  if (facts.state !== undefined) outs.state = facts.state;
  if (facts.version !== undefined) outs.version = facts.version;
  Object.assign(outs, kind.constants);
  return outs;
}

/**
 * Why an existing entity cannot be adopted as declared: a value that cannot change in place (a dataflow's
 * source, a connection's base connection) differs, or a member every entity of the kind holds (a target
 * connection's Data Lake spec) is another. Undefined when it can.
 */
export function entityAdoptionProblem(kind: PipelineKind, item: Body, inputs: Inputs): string | undefined {
  for (const [path, value] of Object.entries(kind.fixedWire ?? {})) {
    const have = getPath(item, path);
    if (path.endsWith(".id") && !sameValue(have, value)) return `its ${path} is ${JSON.stringify(have)}, where every ${kind.typeName} has ${JSON.stringify(value)}; declare it with the matching resource type`;
  }
  const expected = entityBody(kind, inputs);
  for (const p of wireProperties(kind)) {
    if (!p.replaceOnChange || !isSet(inputs[p.input])) continue;
    const [have, want] = [getPath(item, p.wire), getPath(expected, p.wire)];
    if (!sameValue(have ?? null, want ?? null) && !sameValue(p.fromWire ? p.fromWire(have) : have, inputs[p.input])) {
      return `its ${p.input} is ${have === undefined ? "not set" : JSON.stringify(have)}, declared ${JSON.stringify(inputs[p.input])}; ${p.input} cannot be changed in place, so declare the same value (or leave existingId out to create a new ${kind.title})`;
    }
  }
  return undefined;
}

/**
 * The patch that makes an adopted entity what is declared: the update's patch from what the entity holds
 * (read as `read` reads it, its own name and description) to the declaration.
 */
export function entityAdoptOps(kind: PipelineKind, item: Body, declared: Inputs): PatchOperation[] {
  const held = { ...inputsFromEntity(kind, item, declared, String(declared.sandbox)), name: item.name, description: item.description };
  return entityPatch(kind, held, declared);
}
