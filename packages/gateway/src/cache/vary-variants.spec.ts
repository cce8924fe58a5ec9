import type { CachedResponse } from './cache-store.interface.js';
import { MemoryCacheStore } from './memory-cache.store.js';
import { VaryVariants } from './vary-variants.js';

const entry = (vary: Record<string, string>, text: string): CachedResponse => ({ status: 200, headers: {}, body: Buffer.from(text), storedAt: Date.now(), vary });

describe('VaryVariants', () => {
  it('keeps variants side by side, picks one by the request values, and bounds them per URL', async () => {
    const store = new MemoryCacheStore(1_000_000);
    const variants = new VaryVariants(store, 2);
    await variants.set('k', entry({ 'accept-language': 'fr' }, 'bonjour'), 60_000);
    await variants.set('k', entry({ 'accept-language': 'en' }, 'hello'), 60_000);
    expect((await variants.get('k', { 'accept-language': 'fr' }))?.body.toString()).toBe('bonjour');
    expect((await variants.get('k', { 'accept-language': 'en' }))?.body.toString()).toBe('hello');
    expect(await variants.get('k', {})).toBeUndefined();
    await variants.set('k', entry({ 'accept-language': 'de' }, 'hallo'), 60_000);
    expect(await variants.get('k', { 'accept-language': 'fr' })).toBeUndefined(); // the least recently stored went
  });

  it('starts over when the URL varies on other headers, and deletes the variants it no longer reaches', async () => {
    const store = new MemoryCacheStore(1_000_000);
    const variants = new VaryVariants(store, 8);
    await variants.set('k', entry({ 'accept-language': 'fr' }, 'bonjour'), 60_000);
    const withVariant = store.size;
    await variants.set('k', entry({}, 'plain'), 60_000);
    expect(store.size).toBeLessThan(withVariant);
    expect((await variants.get('k', { 'accept-language': 'fr' }))?.body.toString()).toBe('plain');
    await variants.set('k', entry({ accept: 'text/html', 'accept-encoding': 'gzip' }, 'html'), 60_000);
    expect((await variants.get('k', { accept: 'text/html', 'accept-encoding': 'gzip' }))?.body.toString()).toBe('html');
    expect(await variants.get('k', { accept: 'text/html' })).toBeUndefined();
  });
});
