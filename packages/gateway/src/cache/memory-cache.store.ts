import { entrySize, isVariantIndex, type CacheRecord, type CacheStore } from './cache-store.interface.js';

/**
 * An in-memory LRU bounded in bytes (keys included): the least recently used entries go first once `maxBytes` would be
 * passed; expired entries are dropped when met. Every method runs to its end without waiting, so each is atomic
 * within the process. @internal
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
    return this.take(key);
  }

  async set(key: string, entry: CacheRecord, ttlMs: number): Promise<void> {
    this.put(key, entry, ttlMs);
  }

  /** The rules of {@link CacheStore.addVariant}, which `add-variant.script.ts` keeps in Redis too. */
  async addVariant(key: string, varyNames: readonly string[], variantKey: string, maxVariants: number, ttlMs: number): Promise<string[]> {
    const now = Date.now();
    const previous = this.take(key);
    const earlier = previous && isVariantIndex(previous) ? previous : undefined;
    const sameNames = earlier !== undefined && earlier.varyNames.length === varyNames.length && earlier.varyNames.every((name, index) => name === varyNames[index]);
    const others = (earlier?.variants ?? []).filter((variant) => variant.key !== variantKey);
    const dropped = sameNames ? [] : others.map((variant) => variant.key);
    const variants = [{ key: variantKey, expiresAt: now + ttlMs }, ...(sameNames ? others.filter((variant) => variant.expiresAt > now) : [])];
    dropped.push(...variants.splice(maxVariants).map((variant) => variant.key));
    this.put(key, { varyNames: [...varyNames], variants }, Math.max(...variants.map((variant) => variant.expiresAt)) - now);
    return dropped;
  }

  async delete(key: string): Promise<void> {
    this.drop(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.bytes = 0;
  }

  private take(key: string): CacheRecord | undefined {
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

  private put(key: string, entry: CacheRecord, ttlMs: number): void {
    const size = entrySize(key, entry);
    if (size > this.maxBytes) return;
    this.drop(key);
    while (this.bytes + size > this.maxBytes) this.drop(this.entries.keys().next().value!);
    this.entries.set(key, { entry, expiresAt: Date.now() + ttlMs, size });
    this.bytes += size;
  }

  private drop(key: string): void {
    const found = this.entries.get(key);
    if (!found) return;
    this.entries.delete(key);
    this.bytes -= found.size;
  }
}
