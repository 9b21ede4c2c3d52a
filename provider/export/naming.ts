/**
 * Names in an exported program: a resource name (kebab case, from the entity's name; the key of the
 * adopt map and part of the resource's URN) and a variable name (camelCase) per entity. Both depend
 * only on the entities' names, kinds and ids, never on the order a listing returned them in, so two
 * exports of the same sandbox name every entity alike.
 */

/** What names are derived from. `kindWord` is the kind in one word (`connection`, `flow`). */
export interface Nameable {
  /** Unique among the entities named together: the entity's collection and id. */
  key: string;
  id: string;
  name: string | undefined;
  kindWord: string;
}

/** Longest resource name derived from an entity's name (before a suffix is added). */
const MAX_BASE_LENGTH = 60;
/** Characters of the id a colliding name gets as its suffix (more only where those collide too). */
const ID_SUFFIX_LENGTH = 8;

/** `Orders S3 (prod)` → `orders-s3-prod`; empty when the name has no letter or digit. */
export function kebabCase(text: string): string {
  const words = text
    // camelCase boundaries become word boundaries: `ordersFiles` → `orders Files`.
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let out = "";
  for (const word of words) {
    const next = out === "" ? word : `${out}-${word}`;
    if (next.length > MAX_BASE_LENGTH) break;
    out = next;
  }
  return out === "" && words.length > 0 ? words[0].slice(0, MAX_BASE_LENGTH) : out;
}

/** The id's letters and digits, lower case: what a colliding name's suffix is cut from. */
function idText(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/**
 * A resource name per entity, unique among them. The base is the kebab-case name (the kind word and
 * the id's start for an entity without a usable name). Entities whose bases collide are told apart by
 * their kind when their kinds differ (`orders-flow`, `orders-source`), otherwise each gets the start of
 * its own id (`orders-1a2b3c4d`): every member of a collision is suffixed, so which one was listed first
 * never matters. Suffixes that would meet another name take more of the ids.
 */
export function resourceNames(entities: readonly Nameable[]): Map<string, string> {
  const names = new Map<string, string>();
  const groups = new Map<string, Nameable[]>();
  for (const e of entities) {
    const base = kebabCase(e.name ?? "") || `${e.kindWord}-${idText(e.id).slice(0, ID_SUFFIX_LENGTH) || "unnamed"}`;
    groups.set(base, [...(groups.get(base) ?? []), e]);
  }
  const taken = new Set<string>();
  // Names needing no suffix first, so a suffixed name can see every plain one.
  const pending: Array<{ base: string; members: Nameable[] }> = [];
  for (const [base, members] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    if (members.length === 1) {
      names.set(members[0].key, base);
      taken.add(base);
    } else pending.push({ base, members });
  }
  for (const { base, members } of pending) {
    const sorted = [...members].sort((a, b) => a.key.localeCompare(b.key));
    const byKind = sorted.map((m) => `${base}-${m.kindWord}`);
    const chosen = new Set(byKind).size === sorted.length && byKind.every((n) => !taken.has(n)) ? byKind : withIdSuffixes(base, sorted, taken);
    sorted.forEach((m, i) => {
      names.set(m.key, chosen[i]);
      taken.add(chosen[i]);
    });
  }
  return names;
}

/**
 * `base-<start of the id>` for each entity: as many of the ids' characters (8, 12, 16…) as make the
 * names distinct and new, the same length for every member, so no member's name depends on which
 * other ids it met. The whole key (collection and id) where the ids alone cannot tell them apart.
 */
function withIdSuffixes(base: string, members: readonly Nameable[], taken: ReadonlySet<string>): string[] {
  const texts = members.map((m) => idText(m.id) || idText(m.key));
  const longest = Math.max(...texts.map((t) => t.length));
  for (let length = ID_SUFFIX_LENGTH; ; length += 4) {
    const names = texts.map((t) => `${base}-${t.slice(0, length)}`);
    if (new Set(names).size === names.length && names.every((n) => !taken.has(n))) return names;
    if (length >= longest) break;
  }
  return members.map((m) => `${base}-${idText(m.key)}`);
}

/** Words TypeScript reserves (or that would shadow what the program itself declares). */
const RESERVED = new Set([
  ...["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends"],
  ...["false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this"],
  ...["throw", "true", "try", "typeof", "var", "void", "while", "with", "as", "implements", "interface", "let", "package", "private"],
  ...["protected", "public", "static", "yield", "await", "any", "boolean", "number", "string", "symbol", "type", "undefined", "arguments", "eval"],
  // Declared by the generated program.
  ...["pulumi", "config", "adopt"],
]);

/** `orders-s3` → `ordersS3`; a valid identifier that no reserved word or program name shadows. */
export function camelCase(kebab: string): string {
  const [first, ...rest] = kebab.split("-").filter(Boolean);
  const text = (first ?? "") + rest.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
  if (text === "") return "resource";
  if (/^[0-9]/.test(text)) return `r${text}`;
  return RESERVED.has(text) ? `${text}Resource` : text;
}

/**
 * A variable name per resource name, unique: distinct kebab names can meet in camelCase
 * (`a-b1`, `a-b-1`), and the later of them (in name order) gets `_2`, `_3`….
 */
export function variableNames(resourceNames: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of [...resourceNames].sort()) {
    const base = camelCase(name);
    let variable = base;
    for (let n = 2; taken.has(variable); n++) variable = `${base}_${n}`;
    out.set(name, variable);
    taken.add(variable);
  }
  return out;
}

/** `secretKey` → `SecretKey`, `connection-string` → `ConnectionString`: a member of a config key. */
export function pascalCase(text: string): string {
  return (kebabCase(text) || "value")
    .split("-")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}
