import { createHash } from 'node:crypto';
import { isVariantIndex, type CacheRecord, type CacheStore, type CachedResponse } from './cache-store.interface.js';

/** The headers of a request as sent upstream: what an answer's `Vary` is about. */
type SentHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** A request header's value as one string (repeated headers joined), `''` when absent. @internal */
export const headerText = (value: string | string[] | undefined): string => (value === undefined ? '' : Array.isArray(value) ? value.join(', ') : value);

/** A digest (sha256, base64url): what keys and entries hold instead of header values or credentials. @internal */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('base64url');

/** By name, digests of the request's values of `varyNames`: what an entry keeps, never a credential. @internal */
export function varyDigests(varyNames: readonly string[], headers: SentHeaders): Record<string, string> {
  return Object.fromEntries(varyNames.map((name) => [name, sha256(headerText(headers[name]))]));
}

/** The key of the variant a request picks: a digest of the digests of the values of the headers the URL varies on. @internal */
export function variantKey(varyNames: readonly string[], digests: Readonly<Record<string, string>>): string {
  return sha256(JSON.stringify(varyNames.map((name) => digests[name] ?? '')));
}

/**
 * Variants of URLs whose answers vary (`Vary`), over any {@link CacheStore}: the URL's key holds a
 * {@link VariantIndex} (updated atomically by the store's `addVariant`), each variant its own entry keyed by
 * digests of those headers' values; an answer without `Vary` sits at the URL's key itself. @internal
 */
export class VaryVariants {
  constructor(
    private readonly store: CacheStore,
    private readonly maxVariants: number,
  ) {}

  /** The entry stored at `key` for this request, following its variant index. */
  async get(key: string, headers: SentHeaders): Promise<CachedResponse | undefined> {
    let record: CacheRecord | undefined = await this.store.get(key);
    if (record && isVariantIndex(record)) record = await this.store.get(`${key}\0${variantKey(record.varyNames, varyDigests(record.varyNames, headers))}`);
    if (!record || isVariantIndex(record)) return undefined;
    // Only when the request carries the header values the entry was stored for (compared by digest).
    const matches = Object.entries(record.vary).every(([name, digest]) => sha256(headerText(headers[name])) === digest);
    return matches ? record : undefined;
  }

  /**
   * Stores `answer` at `key` for a request with these `headers`, as one of its variants when it varies on
   * `varyNames` (the names its `Vary` lists, lower-case).
   */
  async set(key: string, answer: Omit<CachedResponse, 'vary'>, varyNames: readonly string[], headers: SentHeaders, ttl: number): Promise<void> {
    const names = [...new Set(varyNames)].sort();
    const entry: CachedResponse = { ...answer, vary: varyDigests(names, headers) };
    // Each pair of commands is sent at once, in order (a store runs them in the order given, as Redis does on one
    // connection): a Redis that hangs costs one cache.timeout here, not two.
    if (names.length === 0) {
      // Not atomic, and need not be: only an upstream flipping between Vary and none races here, and a variant
      // another instance adds meanwhile is merely unreachable until it expires.
      const [previous] = await Promise.all([this.store.get(key), this.store.set(key, entry, ttl)]);
      if (previous && isVariantIndex(previous)) await this.forget(key, previous.variants.map((variant) => variant.key));
      return;
    }
    const own = variantKey(names, entry.vary);
    // The entry first, then the index that names it: a reader never follows the index to a variant not there yet.
    const [, dropped] = await Promise.all([this.store.set(`${key}\0${own}`, entry, ttl), this.store.addVariant(key, names, own, this.maxVariants, ttl)]);
    await this.forget(key, dropped);
  }

  private async forget(key: string, variantKeys: readonly string[]): Promise<void> {
    await Promise.all(variantKeys.map((variantKey) => this.store.delete(`${key}\0${variantKey}`)));
  }
}
