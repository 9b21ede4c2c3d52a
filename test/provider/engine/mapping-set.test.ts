import { DEFAULT_CLIENT } from "../../../emulator";
import { newProviderProcess, ProviderUnderTest, type Props } from "../../helpers/engine";
import { TestEmulator } from "../../helpers/emulator";

/**
 * Data Prep cannot delete a mapping set, so `pulumi destroy` (and a replacement) leaves it behind under
 * its generated name. Declaring the resource again takes that leftover back when this client made it,
 * writing the declared mappings as its next version, and never touches another client's.
 */
const THEIRS = { clientId: "other-team-client", clientSecret: "other-team-secret-1", orgId: DEFAULT_CLIENT.orgId, sandboxes: ["prod"] };
const SCHEMA = "https://ns.adobe.com/t/schemas/leftover";
const urn = (name: string) => `urn:pulumi:dev::quickstart::pulumi-nodejs:dynamic:Resource$aep:MappingSet::${name}`;

let emu: TestEmulator;
beforeAll(async () => {
  emu = await TestEmulator.start({ clients: [DEFAULT_CLIENT, THEIRS] });
});
afterAll(() => emu.stop());
beforeEach(() => emu.reset());

/** A new deployment's mapping set provider, with our credentials or the other team's. */
async function deployment(as: "us" | "them" = "us"): Promise<ProviderUnderTest> {
  newProviderProcess();
  const creds: Record<string, string> = as === "us" ? {} : { "aep:clientId": THEIRS.clientId, "aep:clientSecret": THEIRS.clientSecret };
  return ProviderUnderTest.load("mappingSet", emu.config(creds));
}

const declared = (name: string, destination: string): Props => ({ __autoName: name, __nameSeed: urn(name), schemaId: SCHEMA, mappings: [{ source: "id", destination }] });

describe("a mapping set declared again after `pulumi destroy`", () => {
  it("takes back the stack's own leftover and writes the changed mappings as its next version: no POST, one PUT", async () => {
    const first = await deployment();
    const made = await first.create(await first.checked({}, declared("orders-mapping", "_id")));
    await first.delete(made.id, made.outs);
    expect(emu.control.mappingSets().map((m) => m.id)).toEqual([made.id]);

    const again = await deployment();
    const inputs = await again.checked({}, declared("orders-mapping", "_orders.id"));
    expect(inputs.name).toBe(made.outs.name);
    await emu.clearRequests();
    const back = await again.create(inputs);

    expect(back.id).toBe(made.id);
    expect(back.outs.version).toBe(1);
    const { counts } = await emu.requests();
    expect(counts["POST /mappingSets"]).toBeUndefined();
    expect(counts["PUT /mappingSets/{id}"]).toBe(1);
    const held = emu.control.mappingSet(made.id);
    expect(held.versions.map((v: { version: number }) => v.version)).toEqual([0, 1]);
    expect(emu.control.mappingSets()).toHaveLength(1);
  });

  it("takes back a leftover that holds what is declared as it is: no write at all", async () => {
    const first = await deployment();
    const made = await first.create(await first.checked({}, declared("same-mapping", "_id")));
    await first.delete(made.id, made.outs);

    const again = await deployment();
    await emu.clearRequests();
    const back = await again.create(await again.checked({}, declared("same-mapping", "_id")));
    expect(back).toMatchObject({ id: made.id, outs: { version: 0 } });
    const { counts } = await emu.requests();
    expect(Object.keys(counts).filter((k) => !k.startsWith("GET ") && k !== "POST /ims/token/v3")).toEqual([]);
  });

  it("refuses a mapping set with the generated name that another client made, and leaves it as it was", async () => {
    const theirs = await deployment("them");
    const made = await theirs.create(await theirs.checked({}, declared("shared-name", "_theirs")));

    const ours = await deployment();
    const err = await ours.create(await ours.checked({}, declared("shared-name", "_ours"))).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain(`mapping set ${made.id} already bears the generated name "${made.outs.name}", but it cannot be shown to be this stack's (created by another client (${THEIRS.clientId}))`);
    expect(emu.control.mappingSet(made.id).versions).toHaveLength(1);
    expect(emu.control.mappingSets()).toHaveLength(1);
  });

  it("four sandbox flips (each a replacement) leave one mapping set per sandbox, not four", async () => {
    let p = await deployment();
    let held = await p.create(await p.checked({}, { ...declared("flipping", "_id"), sandbox: "prod" }));
    for (const sandbox of ["dev", "prod", "dev", "prod"]) {
      p = await deployment();
      const next = await p.create(await p.checked(held.outs, { ...declared("flipping", "_id"), sandbox }));
      await p.delete(held.id, held.outs);
      held = next;
    }
    const all = emu.control.mappingSets();
    expect(all.map((m) => m.sandboxName).sort()).toEqual(["dev", "prod"]);
    expect(held.id).toBe(all.find((m) => m.sandboxName === "prod")?.id);
  });

  it("never looks up a name the user chose: a second mapping set is created beside the first", async () => {
    const first = await deployment();
    const made = await first.create(await first.checked({}, { ...declared("chosen", "_id"), name: "orders mapping" }));
    const again = await deployment();
    const other = await again.create(await again.checked({}, { ...declared("chosen", "_id"), name: "orders mapping" }));
    expect(other.id).not.toBe(made.id);
  });
});
