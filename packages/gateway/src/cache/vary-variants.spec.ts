import type { IncomingHttpHeaders } from 'node:http';
import { MemoryCacheStore } from './memory-cache.store.js';
import { VaryVariants } from './vary-variants.js';

const answer = (text: string) => ({ status: 200, headers: {}, body: Buffer.from(text), storedAt: Date.now() });
const store = (variants: VaryVariants, key: string, headers: IncomingHttpHeaders, text: string) => variants.set(key, answer(text), Object.keys(headers), headers, 60_000);

describe('VaryVariants', () => {
  it('keeps variants side by side, picks one by the request values, and bounds them per URL', async () => {
    const variants = new VaryVariants(new MemoryCacheStore(1_000_000), 2);
    await store(variants, 'k', { 'accept-language': 'fr' }, 'bonjour');
    await store(variants, 'k', { 'accept-language': 'en' }, 'hello');
    expect((await variants.get('k', { 'accept-language': 'fr' }))?.body.toString()).toBe('bonjour');
    expect((await variants.get('k', { 'accept-language': 'en' }))?.body.toString()).toBe('hello');
    expect(await variants.get('k', {})).toBeUndefined();
    await store(variants, 'k', { 'accept-language': 'de' }, 'hallo');
    expect(await variants.get('k', { 'accept-language': 'fr' })).toBeUndefined(); // the least recently stored went
  });

  it('starts over when the URL varies on other headers, and deletes the variants it no longer reaches', async () => {
    const memory = new MemoryCacheStore(1_000_000);
    const variants = new VaryVariants(memory, 8);
    await store(variants, 'k', { 'accept-language': 'fr' }, 'bonjour');
    const withVariant = memory.size;
    await store(variants, 'k', {}, 'plain');
    expect(memory.size).toBeLessThan(withVariant);
    expect((await variants.get('k', { 'accept-language': 'fr' }))?.body.toString()).toBe('plain');
    await store(variants, 'k', { accept: 'text/html', 'accept-encoding': 'gzip' }, 'html');
    expect((await variants.get('k', { accept: 'text/html', 'accept-encoding': 'gzip' }))?.body.toString()).toBe('html');
    expect(await variants.get('k', { accept: 'text/html' })).toBeUndefined();
  });

  it('joins repeated request headers, so the same values in one or several lines pick the same variant', async () => {
    const variants = new VaryVariants(new MemoryCacheStore(1_000_000), 8);
    await store(variants, 'k', { 'x-tags': ['red', 'blue'] }, 'both');
    expect(await variants.get('k', { 'x-tags': 'red' })).toBeUndefined();
    expect(await variants.get('k', { accept: 'text/html' })).toBeUndefined();
  });
});
