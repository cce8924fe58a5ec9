import { entrySize, type CacheRecord, type CacheStore } from './cache-store.interface.js';

/**
 * An in-memory LRU bounded in bytes: the least recently used entries go first once `maxBytes` would be
 * passed; expired entries are dropped when met. @internal
 */
export class MemoryCacheStore implements CacheStore {
  private readonly entries = new Map<string, { entry: CacheRecord; expiresAt: number; size: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Bytes held now. */
  get size(): number {
    return this.bytes;
  }

  async get(key: string): Promise<CacheRecord | undefined> {
    const found = this.entries.get(key);
    if (!found) return undefined;
    this.entries.delete(key);
    if (found.expiresAt <= Date.now()) {
      this.bytes -= found.size;
      return undefined;
    }
    this.entries.set(key, found); // most recently used last
    return found.entry;
  }

  async set(key: string, entry: CacheRecord, ttlMs: number): Promise<void> {
    const size = entrySize(entry);
    if (size > this.maxBytes) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.size;
    }
    while (this.bytes + size > this.maxBytes) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      this.entries.delete(oldestKey);
      this.bytes -= oldest.size;
    }
    this.entries.set(key, { entry, expiresAt: Date.now() + ttlMs, size });
    this.bytes += size;
  }

  async delete(key: string): Promise<void> {
    const found = this.entries.get(key);
    if (!found) return;
    this.entries.delete(key);
    this.bytes -= found.size;
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.bytes = 0;
  }
}
