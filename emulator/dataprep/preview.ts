/**
 * Data Prep's `POST /mappingSets/validate` and `POST /mappingSets/preview`: a mapping set that is sent, never
 * stored. Shapes from Data Prep's mapping-set guide (`validationResponse`, one entry per mapping; a preview
 * is an array with one `{data, errors}` per input record).
 */
import { dataPrepError } from "../errors";
import type { Params } from "../types";
import { isObject } from "../util";
import { checkMappingSetBody } from "./mapping-sets";

/** [choice] At most 100 records in a preview: the emulator previews, it does not ingest. */
const MAX_PREVIEW_RECORDS = 100;

/**
 * `POST /mappingSets/validate`: the body is a mapping set, checked as a POST's is (`2000-400` naming the
 * property). [choice] Every mapping of a set that passes is `SUCCESS`: the emulator has no schema to check
 * a destination against and does not evaluate expressions.
 */
export function validateMappingSet(body: unknown): { validationResponse: Array<{ status: "SUCCESS"; errors: null }> } {
  const fields = checkMappingSetBody(body);
  return { validationResponse: fields.mappings.map(() => ({ status: "SUCCESS", errors: null })) };
}

const PROTOTYPE_SEGMENTS = new Set(["__proto__", "constructor", "prototype"]);

function read(record: unknown, path: string): unknown {
  let v: unknown = record;
  for (const key of path.split(".")) {
    if (!isObject(v) || !Object.prototype.hasOwnProperty.call(v, key)) return undefined;
    v = v[key];
  }
  return v;
}

function write(target: Params, path: string, value: unknown): void {
  const keys = path.split(".");
  let at: Params = target;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(at[key])) at[key] = {};
    at = at[key] as Params;
  }
  at[keys[keys.length - 1]] = value;
}

/**
 * `POST /mappingSets/preview` `{data: [record, …], mappingSet}` → `[{data, errors}]`, one per record. The
 * mapping set is checked as a POST's is. [choice] What the emulator computes: an `ATTRIBUTE` mapping copies
 * the value at its dotted `source` path to its dotted `destination` (as is: there is no schema to convert
 * to), a `STATIC` one writes its `source` text; an `EXPRESSION` is not evaluated and is reported in
 * `errors`, as is an attribute the record does not have. A destination through `__proto__`, `constructor`
 * or `prototype` is refused (`2000-400`).
 */
export function previewMappingSet(body: unknown): Array<{ data: Params; errors: Array<Record<string, unknown>> | null }> {
  if (!isObject(body)) throw dataPrepError("2000-400", "Request body must be a JSON object with data and mappingSet");
  if (!Array.isArray(body.data)) throw dataPrepError("2000-400", "data: must be an array of records");
  if (body.data.length > MAX_PREVIEW_RECORDS) throw dataPrepError("2000-400", `data: at most ${MAX_PREVIEW_RECORDS} records, got ${body.data.length}`);
  const fields = checkMappingSetBody(body.mappingSet);
  fields.mappings.forEach((m, i) => {
    const bad = String(m.destination).split(".").find((k) => PROTOTYPE_SEGMENTS.has(k) || k === "");
    if (bad !== undefined) throw dataPrepError("2000-400", `mappingSet.mappings[${i}].destination: '${String(m.destination)}' is not a usable path`);
  });
  return body.data.map((record) => {
    const data: Params = {};
    const errors: Array<Record<string, unknown>> = [];
    for (const m of fields.mappings) {
      const { source, destination, sourceType } = m as { source: string; destination: string; sourceType: string };
      if (sourceType === "STATIC") write(data, destination, source);
      else if (sourceType === "ATTRIBUTE") {
        const value = read(record, source);
        if (value === undefined) errors.push({ source, destination, sourceType, exception: `the record has no attribute '${source}'` });
        else write(data, destination, structuredClone(value));
      } else errors.push({ source, destination, sourceType, exception: "expressions are not evaluated by the emulator" });
    }
    return { data, errors: errors.length > 0 ? errors : null };
  });
}
