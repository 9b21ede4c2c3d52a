import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONNECTION_SPECS, FLOW_SPECS, connectionSpecById } from "../../../provider/catalog";
import { CONNECTION_SPECS as EMULATOR_SPECS } from "../../../emulator/flow/specs";
import { FLOW_SPECS as EMULATOR_FLOW_SPECS } from "../../../emulator/flow/flow-specs";

const root = join(__dirname, "..", "..", "..");
const NOTES = join(root, "provider", "catalog", "notes");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Runs the generator in check mode (it never writes then), on the repository's notes or a copy. */
function check(notes?: string) {
  const args = ["scripts/build-catalog.js", "--check", ...(notes ? ["--notes", notes] : [])];
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: 30_000 });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** A copy of the notes with one note changed by `edit`, in a folder removed after the test. */
function withEditedNote(kind: "connections" | "flows", slug: string, edit: (note: Record<string, unknown>) => void) {
  const dir = mkdtempSync(join(tmpdir(), "aep-catalog-"));
  cpSync(NOTES, dir, { recursive: true });
  const file = join(dir, kind, `${slug}.json`);
  const note = JSON.parse(readFileSync(file, "utf8"));
  edit(note);
  writeFileSync(file, JSON.stringify(note, null, 2));
  return dir;
}

describe("the generated catalog", () => {
  it("is what the notes generate: connection-specs.ts, flow-specs.ts, the README's list and docs/catalog.md (run `npm run catalog` when this fails)", () => {
    const run = check();
    expect(run.output).toContain("up to date");
    expect(run.status).toBe(0);
  });

  it("is reported stale, naming the file, when a note changes and the outputs were not rebuilt", () => {
    const dir = withEditedNote("connections", "snowflake", (n) => (n.title = "Snowflake Data Cloud"));
    try {
      const run = check(dir);
      expect(run.status).toBe(1);
      expect(run.output).toMatch(/stale, run `npm run catalog`: .*provider\/catalog\/connection-specs\.ts/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ["an id not in Flow Service's form", "connections", "mysql", (n: Record<string, unknown>) => (n.id = "26D738E0-8963-47EA-AADF-C60DE735468A"), /mysql\.json: "id" must be a lowercase UUID/],
    ["a flow spec name no note defines", "connections", "mysql", (n: Record<string, unknown>) => (n.flowSpecNames = ["CRMToAep"]), /mysql\.json: flow spec "CRMToAep" has no note/],
    ["the id of another spec", "connections", "mysql", (n: Record<string, unknown>) => (n.id = "74a1c565-4e59-48d7-9d67-7c03b8a13137"), /connection spec id "74a1c565-4e59-48d7-9d67-7c03b8a13137" is also/],
    ["a param without its secret flag", "connections", "mysql", (n: { authSpecs: Array<{ params: Array<Record<string, unknown>> }> }) => delete n.authSpecs[0].params[0].secret, /mysql\.json: authSpecs\[0\]\.params\[0\]: "secret" is missing/],
    ["an unknown field", "connections", "mysql", (n: Record<string, unknown>) => (n.auth = []), /mysql\.json: unknown field "auth"/],
    ["a flow spec naming a source no note has", "flows", "crm-to-aep", (n: { sourceConnectionSpecIds: string[] }) => n.sourceConnectionSpecIds.push("221c7626-58f6-4eec-8ee2-042b0226f03b"), /crm-to-aep\.json: sourceConnectionSpecIds names 221c7626-58f6-4eec-8ee2-042b0226f03b, which no connection note has/],
    ["a source missing from the flow spec it names", "flows", "crm-to-aep", (n: { sourceConnectionSpecIds: string[] }) => n.sourceConnectionSpecIds.splice(n.sourceConnectionSpecIds.indexOf("26d738e0-8963-47ea-aadf-c60de735468a"), 1), /mysql\.json: flow spec "CRMToAEP" does not list 26d738e0/],
    ["an uncited note", "flows", "crm-to-aep", (n: Record<string, unknown>) => (n.source = "somewhere"), /crm-to-aep\.json: "source" must cite the Adobe page/],
  ] as const)("refuses a note with %s, naming the file and the field", (_what, kind, slug, edit, message) => {
    const dir = withEditedNote(kind, slug, edit as (n: Record<string, unknown>) => void);
    try {
      const run = check(dir);
      expect(run.output).toMatch(/problem\(s\) in the notes/);
      expect(run.output).toMatch(message);
      expect(run.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("holds at least 30 connection specs, with unique lowercase ids and unique names", () => {
    expect(CONNECTION_SPECS.length).toBeGreaterThanOrEqual(30);
    for (const s of CONNECTION_SPECS) expect(s.id).toMatch(UUID);
    expect(new Set(CONNECTION_SPECS.map((s) => s.id)).size).toBe(CONNECTION_SPECS.length);
    expect(new Set(CONNECTION_SPECS.map((s) => s.name)).size).toBe(CONNECTION_SPECS.length);
    expect(new Set(FLOW_SPECS.map((f) => f.id)).size).toBe(FLOW_SPECS.length);
  });

  it("cites the Adobe page of every entry", () => {
    const cited = /^(https:\/\/experienceleague\.adobe\.com\/\S+|help\/sources\/\S+\.md)$/;
    for (const entry of [...CONNECTION_SPECS, ...FLOW_SPECS]) expect([entry.name, entry.source]).toEqual([entry.name, expect.stringMatching(cited)]);
  });

  it("pairs every source with flow specs that take it, and every flow spec's sources and targets are in the catalog", () => {
    for (const s of CONNECTION_SPECS)
      for (const name of s.flowSpecNames) expect([s.name, FLOW_SPECS.find((f) => f.name === name)?.sourceConnectionSpecIds]).toEqual([s.name, expect.arrayContaining([s.id])]);
    for (const f of FLOW_SPECS) for (const id of [...f.sourceConnectionSpecIds, ...f.targetConnectionSpecIds]) expect([f.name, connectionSpecById(id)?.id]).toEqual([f.name, id]);
  });

  it("marks every credential secret: passwords, keys, tokens, client secrets, SAS URIs and connection strings", () => {
    const credential = /password|secret|token|key$|privateKey|^sasUri$|^connectionString$|passPhrase/i;
    // An access key id names the key; it does not prove it.
    const notCredential = /Id$|^(s3)?accessKey$/i;
    for (const s of CONNECTION_SPECS)
      for (const a of s.authSpecs)
        for (const p of a.params) {
          const expected = credential.test(p.name) && !notCredential.test(p.name);
          expect(`${s.name} / ${a.name} / ${p.name}: ${p.secret}`).toBe(`${s.name} / ${a.name} / ${p.name}: ${expected}`);
        }
  });
});

describe("the five specs the package already knew", () => {
  const PROPS = ["enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "default"] as const;

  it.each(EMULATOR_SPECS.map((s) => [s.name, s] as const))("%s equals the emulator's spec: id, name, auth spec names and types, params, which are required and which secret", (_name, emulated) => {
    const entry = connectionSpecById(emulated.id);
    expect(entry?.name).toBe(emulated.name);
    if (emulated.providerId) expect(entry?.providerId).toBe(emulated.providerId);
    expect(entry?.authSpecs.map((a) => [a.name, a.type])).toEqual(emulated.authSpec.map((a) => [a.name, a.type]));
    for (const auth of emulated.authSpec) {
      const props = auth.spec.properties as Record<string, Record<string, unknown>>;
      const required = auth.spec.required as string[];
      const expected = Object.entries(props).map(([name, schema]) => ({
        name,
        type: schema.type,
        required: required.includes(name),
        secret: schema.format === "password",
        ...Object.fromEntries(PROPS.filter((k) => k in schema).map((k) => [k, schema[k]])),
      }));
      const params = entry?.authSpecs.find((a) => a.name === auth.name)?.params ?? [];
      expect(params.map((p) => ({ name: p.name, type: p.type, required: p.required, secret: p.secret, ...Object.fromEntries(PROPS.filter((k) => k in p).map((k) => [k, p[k]])) }))).toEqual(expected);
    }
  });

  it("names the emulator's flow specs with the emulator's ids, and the catalog's flow specs take the emulator's sources for them", () => {
    for (const emulated of EMULATOR_FLOW_SPECS) {
      const entry = FLOW_SPECS.find((f) => f.id === emulated.id);
      expect(entry?.name).toBe(emulated.name);
      const known = emulated.sourceConnectionSpecIds.filter((id) => connectionSpecById(id));
      expect(entry?.sourceConnectionSpecIds).toEqual(expect.arrayContaining(known));
    }
  });
});
