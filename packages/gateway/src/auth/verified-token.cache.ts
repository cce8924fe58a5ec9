/**
 * Tokens already verified, so one seen again skips the signature check (tens of microseconds for RS256).
 * Bounded: at most `maxEntries`, least recently used evicted first. Every `get` re-checks the deadline
 * (the token's `exp` plus the verifier's leeway, capped by `maxAge` after verification), so an expired
 * token is never served from here. @internal
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, { value: T; validUntil: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAge: number,
  ) {}

  get(token: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (now >= entry.validUntil) return undefined;
    this.entries.set(token, entry); // most recently used last
    return entry.value;
  }

  /** Remembers `value` until `expiresAt` (epoch ms) or `maxAge` from now, whichever comes first. */
  set(token: string, value: T, expiresAt: number, now = Date.now()): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(token);
    while (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { value, validUntil: Math.min(expiresAt, now + this.maxAge) });
  }

  get size(): number {
    return this.entries.size;
  }
}
