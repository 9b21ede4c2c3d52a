/**
 * IMS access tokens: JWT-shaped (HS256), like Adobe's, and stateless, so a token survives a restart when the
 * signing key is kept in the data directory. A token is bound to its client: the client id, org and
 * sandboxes come from the client list each time it is checked.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Clock } from "../types";

export interface TokenClaims {
  clientId: string;
  orgId: string;
  createdAt: number;
  expiresAt: number;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");
/** How many verified tokens are remembered at most. */
const MAX_VERIFIED = 1000;
const HEADER = b64url(JSON.stringify({ alg: "HS256", typ: "JWT", x5u: "ims_na1-key-at-1.cer" }));

export class TokenIssuer {
  constructor(
    private readonly key: Buffer,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  static randomKey(): Buffer {
    return randomBytes(32);
  }

  /** Returns the token and its lifetime in seconds (what IMS calls `expires_in`). */
  issue(clientId: string, orgId: string, scope: string): { token: string; expiresIn: number } {
    const now = this.clock();
    const payload = {
      id: randomUUID(),
      type: "access_token",
      client_id: clientId,
      user_id: `${clientId}@techacct.adobe.com`,
      as: "ims-na1",
      org: orgId,
      scope,
      created_at: String(now),
      expires_in: String(this.ttlSeconds * 1000),
    };
    const unsigned = `${HEADER}.${b64url(JSON.stringify(payload))}`;
    return { token: `${unsigned}.${this.sign(unsigned)}`, expiresIn: this.ttlSeconds };
  }

  /**
   * Tokens whose signature was checked, with their claims: a deployment sends one token with hundreds of
   * requests, and the signature of the same text need not be computed again. Expiry is checked on every use.
   */
  private readonly verified = new Map<string, TokenClaims>();

  /** The claims of a token this emulator signed and that has not expired; otherwise null. */
  verify(token: string): TokenClaims | null {
    const known = this.verified.get(token);
    if (known) return this.clock() < known.expiresAt ? known : null;
    const claims = this.verifySignature(token);
    if (claims) {
      // Bounded: a client that asks for a token per request cannot grow it without limit.
      if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
      this.verified.set(token, claims);
    }
    return claims;
  }

  private verifySignature(token: string): TokenClaims | null {
    const now = this.clock();
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    const expected = Buffer.from(this.sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const p = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
      const createdAt = Number(p.created_at);
      const expiresAt = createdAt + Number(p.expires_in);
      if (typeof p.client_id !== "string" || typeof p.org !== "string" || !(now < expiresAt)) return null;
      return { clientId: p.client_id, orgId: p.org, createdAt, expiresAt };
    } catch {
      return null;
    }
  }

  private sign(unsigned: string): string {
    return createHmac("sha256", this.key).update(unsigned).digest("base64url");
  }
}
