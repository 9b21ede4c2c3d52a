import { CREATED_AT_SKEW_MS, type Provenance, whyNotOurs } from "../../../provider/engine/ownership";

/**
 * The provenance check every adoption passes: the creator first (API key, then technical account),
 * then the declared values, then, for a lost POST, when it was created. The lifecycle tests show it
 * at work over HTTP; these pin its order and its boundaries.
 */
describe("whyNotOurs", () => {
  const us = { clientId: "our-key", technicalAccount: "ours@techacct.adobe.com" };
  const since = Date.UTC(2026, 0, 1);
  const ours = (over: Partial<Provenance> = {}): Provenance => ({
    service: "Flow Service",
    createdBy: "our-key",
    createdClient: "ours@techacct.adobe.com",
    createdAt: since,
    mismatches: () => [],
    ...over,
  });

  it("takes what this client created as declared, since the request began", () => {
    expect(whyNotOurs(us, ours())).toBeUndefined();
    expect(whyNotOurs(us, ours(), since)).toBeUndefined();
    expect(whyNotOurs(us, ours({ createdAt: since - CREATED_AT_SKEW_MS }), since)).toBeUndefined();
  });

  it("names another creator before anything else, and compares nothing then", () => {
    let compared = 0;
    const mismatches = () => (compared++, ["name is \"b\", declared \"a\""]);
    expect(whyNotOurs(us, ours({ createdBy: "their-key", mismatches }), since)).toBe("created by another client (their-key)");
    expect(whyNotOurs(us, ours({ createdBy: 42, mismatches }))).toBe("created by another client (unknown)");
    expect(whyNotOurs(us, ours({ createdBy: undefined, mismatches }))).toBe("Flow Service does not say which client created it");
    expect(whyNotOurs(us, ours({ createdBy: undefined, service: "the service" }))).toBe("the service does not say which client created it");
    expect(whyNotOurs(us, ours({ createdClient: "theirs@techacct.adobe.com", mismatches }))).toBe("created by another technical account (theirs@techacct.adobe.com)");
    expect(compared).toBe(0);
  });

  it("compares technical accounts only when both are known", () => {
    expect(whyNotOurs({ clientId: "our-key" }, ours({ createdClient: "theirs@techacct.adobe.com" }))).toBeUndefined();
    expect(whyNotOurs(us, ours({ createdClient: undefined }))).toBeUndefined();
  });

  it("lists the declared values that differ", () => {
    expect(whyNotOurs(us, ours({ mismatches: () => ["name is \"b\", declared \"a\"", "description is not set, declared \"d\""] }), since)).toBe('name is "b", declared "a", description is not set, declared "d"');
  });

  it("refuses, for a lost POST, what was created before it began or does not say when", () => {
    expect(whyNotOurs(us, ours({ createdAt: since - CREATED_AT_SKEW_MS - 1 }), since)).toBe(`created at ${new Date(since - CREATED_AT_SKEW_MS - 1).toISOString()}, before this request`);
    expect(whyNotOurs(us, ours({ createdAt: undefined }), since)).toBe("Flow Service does not say when it was created");
    // Without a request to compare with, when it was created does not matter.
    expect(whyNotOurs(us, ours({ createdAt: undefined }))).toBeUndefined();
  });
});
