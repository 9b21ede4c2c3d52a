/**
 * An entity's body as dotted wire paths, for both body shapes (a base connection's `auth.params.host`, a
 * pipeline entity's `data.format` or `transformations.0.params.mappingId`): reading, writing, and the
 * JSON Patch path of one.
 */
export type Body = Record<string, unknown>;

export const segments = (path: string): string[] => path.split(".");

export function getPath(body: unknown, path: string): unknown {
  let at: unknown = body;
  for (const key of segments(path)) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** Sets `path` in `body`, creating objects (or arrays, for a numeric segment) on the way. */
export function setPath(body: Body, path: string, value: unknown): void {
  const keys = segments(path);
  let at: Record<string, unknown> = body;
  keys.slice(0, -1).forEach((key, i) => {
    if (typeof at[key] !== "object" || at[key] === null) at[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
    at = at[key] as Record<string, unknown>;
  });
  at[keys[keys.length - 1]] = value;
}

export const isMap = (v: unknown): v is Body => typeof v === "object" && v !== null && !Array.isArray(v);

/** The object at `path` in `body`, created when absent. */
export function containerAt(body: Body, path: string): Body {
  if (!isMap(getPath(body, path))) setPath(body, path, {});
  return getPath(body, path) as Body;
}


/** The JSON Patch path of a dotted wire path's container and one key in it: `auth.params` + `host` → `/auth/params/host`. */
export function patchPath(container: string, key: string): string {
  return `/${segments(container).join("/")}/${key}`;
}
