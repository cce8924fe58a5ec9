/** A cached response: status, headers (hop-by-hop ones already removed) and the whole body. */
export interface CachedResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
  /** When it was stored (epoch ms), for `Age`. */
  readonly storedAt: number;
  /** Request headers it varies on, with the values it was stored for. */
  readonly vary: Readonly<Record<string, string>>;
}

/** Where cached responses live: in memory (LRU bounded in bytes) or Redis. @internal */
export interface CacheStore {
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, entry: CachedResponse, ttlMs: number): Promise<void>;
  close(): Promise<void>;
  /** Resolves once the store can answer (or gave up waiting); bootstrap waits for it. */
  ready?(): Promise<void>;
}

/** Bytes an entry holds, roughly (body and headers). @internal */
export function entrySize(entry: CachedResponse): number {
  return entry.body.length + JSON.stringify(entry.headers).length + 64;
}
