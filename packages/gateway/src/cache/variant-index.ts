import { isVariantIndex, type CacheRecord, type VariantIndex } from './cache-store.interface.js';

/** A variant index with one more variant, and the variants that it dropped. @internal */
export interface IndexUpdate {
  readonly index: VariantIndex;
  /** Keys of the variants no longer in the index (whose entries should go). */
  readonly dropped: string[];
  /** How long the index must live: until its last variant expires (ms). */
  readonly ttlMs: number;
}

/**
 * The rules of {@link CacheStore.addVariant}, for a store that holds `previous` (whatever is at the URL's key)
 * at `now`: `variantKey` goes first; the variants already there follow, most recently stored first, the expired
 * ones left out; all of them are dropped when the index varied on other headers than `varyNames`; past
 * `maxVariants`, the last ones are dropped. The Redis store's Lua script (`add-variant.script.ts`) keeps the
 * same rules. @internal
 */
export function addVariantToIndex(previous: CacheRecord | undefined, varyNames: readonly string[], variantKey: string, maxVariants: number, ttlMs: number, now: number): IndexUpdate {
  const earlier = previous && isVariantIndex(previous) ? previous : undefined;
  const sameNames = earlier !== undefined && earlier.varyNames.length === varyNames.length && earlier.varyNames.every((name, index) => name === varyNames[index]);
  const others = (earlier?.variants ?? []).filter((variant) => variant.key !== variantKey);
  const dropped = sameNames ? [] : others.map((variant) => variant.key);
  const variants = [{ key: variantKey, expiresAt: now + ttlMs }, ...(sameNames ? others.filter((variant) => variant.expiresAt > now) : [])];
  dropped.push(...variants.splice(maxVariants).map((variant) => variant.key));
  return { index: { varyNames: [...varyNames], variants }, dropped, ttlMs: Math.max(...variants.map((variant) => variant.expiresAt)) - now };
}
