/**
 * Tokens already verified (signature, issuer, audience, expiry), each with what was read from it,
 * so a client that sends the same token again skips the signature check until the token expires.
 *
 * - keyed by the whole token string: only the very token that was verified can match an entry;
 * - an entry is answered only before its `exp` (the same instant jose refuses it from, with no
 *   clock tolerance), and an expired one is dropped when met, so an expired token is verified
 *   again, and refused, like one never seen;
 * - at most `limit` entries: beyond it the oldest is dropped (first in, first out), so a flood of
 *   distinct tokens costs verifications, never memory.
 */
export class VerifiedTokens<T> {
  private readonly entries = new Map<string, { value: T; expiresAtMs: number }>();
  private readonly limit: number;
  private readonly now: () => number;

  constructor(limit: number, now: () => number = Date.now) {
    this.limit = limit;
    this.now = now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** What `token` was verified as, while it has not expired; undefined otherwise. */
  get(token: string): T | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (this.now() < entry.expiresAtMs) return entry.value;
    this.entries.delete(token);
    return undefined;
  }

  /** Remembers a token just verified, until `expiresAtMs` (its `exp` × 1000). */
  remember(token: string, value: T, expiresAtMs: number): void {
    if (this.limit <= 0 || !(this.now() < expiresAtMs)) return;
    this.entries.delete(token);
    this.entries.set(token, { value, expiresAtMs });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.limit) break;
      this.entries.delete(oldest);
    }
  }
}
