/** A cached response: status, headers (hop-by-hop ones already removed) and the whole body. */
export interface CachedResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  /** When it was stored (epoch ms), for `Age`. */
  readonly storedAt: number;
  /**
   * Request headers it varies on (lower-case names), each with the digest (sha256, base64url) of the value it
   * was stored for: never the value itself, which may be a credential (`Vary: Authorization`, `Cookie`).
   */
  readonly vary: Readonly<Record<string, string>>;
}

/**
 * What a URL whose answers vary (`Vary`) keeps at its own key: the request headers they vary on, and its
 * variants (each stored at `<key>\0<variant>`), most recently stored first.
 */
export interface VariantIndex {
  /** Request header names (lower-case, sorted) whose values pick a variant. */
  readonly varyNames: readonly string[];
  /** Variant keys (a digest of the digests of those headers' values) and when each expires (epoch ms). */
  readonly variants: ReadonlyArray<{ readonly key: string; readonly expiresAt: number }>;
}

/** What a cache key holds: an answer, or the variant index of a URL that varies. */
export type CacheRecord = CachedResponse | VariantIndex;

/** True for a variant index. @internal */
export function isVariantIndex(record: CacheRecord): record is VariantIndex {
  return 'variants' in record;
}

/**
 * Where cached responses live: in memory (LRU bounded in bytes) or Redis. Calls made without waiting run in the
 * order they were made (Redis runs one connection's commands in order). @internal
 */
export interface CacheStore {
  get(key: string): Promise<CacheRecord | undefined>;
  set(key: string, record: CacheRecord, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Adds variant `variantKey` (expiring in `ttlMs`) at the front of the {@link VariantIndex} at `key`, in one
   * atomic step, so instances adding variants of one URL at once never lose each other's: variants already
   * there stay (the expired ones go), unless the index varies on other header names than `varyNames` (then the
   * newest answer's names win and all of them are dropped); past `maxVariants`, the least recently stored are
   * dropped. A plain answer at `key` is replaced by the index. Resolves to the keys of the variants it dropped
   * (their entries are the caller's to delete), `[]` when the store did not answer.
   */
  addVariant(key: string, varyNames: readonly string[], variantKey: string, maxVariants: number, ttlMs: number): Promise<string[]>;
  close(): Promise<void>;
  /** Resolves once the store can answer (or gave up waiting); bootstrap waits for it. */
  ready?(): Promise<void>;
}

/** Bytes a record holds at `key`, roughly (the key, up to a whole URL, the body and headers). @internal */
export function entrySize(key: string, record: CacheRecord): number {
  if (isVariantIndex(record)) return key.length + JSON.stringify(record).length + 64;
  return key.length + record.body.length + JSON.stringify(record.headers).length + 64;
}
