import { TokenIssuer } from "../../../emulator/auth/tokens";

/** A clock the test moves by hand: expiry is judged on every use, remembered signature or not. */
function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe("TokenIssuer.verify", () => {
  it("refuses a remembered token once it has expired", () => {
    const clock = manualClock();
    const issuer = new TokenIssuer(TokenIssuer.randomKey(), 10, clock.now);
    const { token } = issuer.issue("client", "ORG@AdobeOrg", "openid");
    expect(issuer.verify(token)).toMatchObject({ clientId: "client", orgId: "ORG@AdobeOrg" });
    clock.advance(9_999);
    expect(issuer.verify(token)).not.toBeNull();
    clock.advance(1);
    expect(issuer.verify(token)).toBeNull();
  });

  it("refuses a token whose signature was altered after the genuine one was accepted", () => {
    const issuer = new TokenIssuer(TokenIssuer.randomKey(), 60, manualClock().now);
    const { token } = issuer.issue("client", "ORG@AdobeOrg", "openid");
    expect(issuer.verify(token)).not.toBeNull();
    const [header, payload, signature] = token.split(".");
    const altered = `${header}.${payload}.${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`;
    expect(issuer.verify(altered)).toBeNull();
    // A payload changed to another client, keeping the genuine signature, is refused too.
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, client_id: "other" })).toString("base64url");
    expect(issuer.verify(`${header}.${forged}.${signature}`)).toBeNull();
  });

  it("refuses a token signed with another key, and still accepts its own after remembering many", () => {
    const clock = manualClock();
    const issuer = new TokenIssuer(TokenIssuer.randomKey(), 60, clock.now);
    const stranger = new TokenIssuer(TokenIssuer.randomKey(), 60, clock.now);
    expect(issuer.verify(stranger.issue("client", "ORG@AdobeOrg", "openid").token)).toBeNull();
    const first = issuer.issue("client", "ORG@AdobeOrg", "openid").token;
    expect(issuer.verify(first)).not.toBeNull();
    // More tokens than are remembered: the first is checked afresh and still holds.
    for (let i = 0; i < 1_200; i++) expect(issuer.verify(issuer.issue(`c${i}`, "ORG@AdobeOrg", "openid").token)).not.toBeNull();
    expect(issuer.verify(first)).toMatchObject({ clientId: "client" });
  });
});
