import { DATA_PREP_PREFIX, FLOW_PREFIX, isDataPrepRoute, PUBLIC_ROUTES, ROUTE_KEYS, urlOf } from "../../../emulator/routes/table";
import { Harness } from "../../helpers/emulator";

describe("the route table", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h.stop());

  it("is what the router serves, and each request is logged under its route's key", async () => {
    for (const r of PUBLIC_ROUTES) {
      h.control.clearRequests();
      const url = `${h.emu.baseUrl}${urlOf(r).replace(/:(\w+)/g, "some-$1")}`;
      const res = await fetch(url, { method: r.method });
      expect({ route: r.route, unmatched: res.status === 404 && (await res.text()).includes("FLOW-1000-404") }).toEqual({ route: r.route, unmatched: false });
      expect(h.control.requests().counts).toEqual({ [`${r.method} ${r.route}`]: 1 });
    }
  });

  it("gives fault filters and the admin index the same keys, Flow routes without their prefix", async () => {
    expect((await h.admin("GET", "")).body.faultRoutes).toEqual(ROUTE_KEYS);
    expect(ROUTE_KEYS.some((k) => k.startsWith(FLOW_PREFIX))).toBe(false);
    expect(PUBLIC_ROUTES.filter((r) => r.service === "flow").every((r) => urlOf(r).startsWith(`${FLOW_PREFIX}/`))).toBe(true);
  });

  it("serves Data Prep's mapping sets under its own prefix, and knows their keys", () => {
    const dataPrep = PUBLIC_ROUTES.filter((r) => r.service === "dataprep");
    expect(dataPrep.map((r) => `${r.method} ${urlOf(r)}`)).toEqual([
      `POST ${DATA_PREP_PREFIX}/mappingSets`,
      `GET ${DATA_PREP_PREFIX}/mappingSets`,
      `GET ${DATA_PREP_PREFIX}/mappingSets/:id`,
      `PUT ${DATA_PREP_PREFIX}/mappingSets/:id`,
      `DELETE ${DATA_PREP_PREFIX}/mappingSets/:id`,
      `GET ${DATA_PREP_PREFIX}/mappingSets/:id/mappings`,
      `GET ${DATA_PREP_PREFIX}/mappingSets/:id/mappings/:mappingId`,
      `POST ${DATA_PREP_PREFIX}/mappingSets/validate`,
      `POST ${DATA_PREP_PREFIX}/mappingSets/preview`,
    ]);
    expect(ROUTE_KEYS.filter(isDataPrepRoute)).toEqual(["/mappingSets", "/mappingSets/{id}", "/mappingSets/{id}/mappings", "/mappingSets/{id}/mappings/{mappingId}", "/mappingSets/validate", "/mappingSets/preview"]);
  });
});
