import { Readable } from 'node:stream';
import { isServiceClientConfigurationError } from '../errors/service-client-configuration.error.js';
import { buildHeaders, buildPath, prepareBody, UntilSentBody } from './request-helpers.js';

describe('request helpers', () => {
  it('appends the query to the path, keeping an existing query string', () => {
    expect(buildPath('/a', { q: 'x y', n: [1, 2], skip: undefined }, 'w')).toBe('/a?q=x+y&n=1&n=2');
    expect(buildPath('/a?x=1', { y: true }, 'w')).toBe('/a?x=1&y=true');
    expect(buildPath('/a', {}, 'w')).toBe('/a');
    expect(() => buildPath('a', undefined, 'w')).toThrow(/invalid "path" "a"/);
  });

  it('merges headers: defaults, then propagated, then the request’s own (lower-cased)', () => {
    expect(buildHeaders({ a: '1', b: '1' }, { b: '2', c: '2' }, { C: '3', D: undefined }, 'application/json', 'where')).toEqual({
      a: '1',
      b: '2',
      c: '3',
      'content-type': 'application/json',
    });
  });

  it('sends plain objects as JSON and refuses what it cannot send', () => {
    expect(prepareBody({ a: 1 }, 'w')).toMatchObject({ body: '{"a":1}', contentType: 'application/json', replayable: true });
    expect(prepareBody([1], 'w').body).toBe('[1]');
    const error = (() => {
      try {
        prepareBody(new Map() as never, 'w');
      } catch (e) {
        return e;
      }
    })();
    expect(isServiceClientConfigurationError(error)).toBe(true);
  });
});

const source = () => Readable.from([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')], { objectMode: false });

describe('UntilSentBody', () => {
  it('leaves its source untouched when destroyed before anything was read (undici does that on a refused connection)', async () => {
    const stream = source();
    const body = new UntilSentBody(stream).on('error', () => undefined);
    body.destroy(new Error('connect ECONNREFUSED'));
    await new Promise((resolve) => body.once('close', resolve));
    expect(stream.readableDidRead).toBe(false);
    expect(stream.destroyed).toBe(false);
    // The next attempt gets all of it.
    const chunks: Buffer[] = [];
    for await (const chunk of new UntilSentBody(stream)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('abc');
  });

  it('passes a source error on, and takes its source down when destroyed once reading started', async () => {
    const failing = new Readable({ read() {} });
    const body = new UntilSentBody(failing);
    const failure = new Promise((resolve) => body.once('error', resolve));
    body.resume();
    await new Promise((resolve) => setImmediate(resolve));
    failing.destroy(new Error('disk gone'));
    expect(((await failure) as Error).message).toBe('disk gone');

    const stream = new Readable({ read() {} });
    const reading = new UntilSentBody(stream).on('error', () => undefined);
    reading.resume();
    await new Promise((resolve) => setImmediate(resolve));
    reading.destroy(new Error('socket reset'));
    await new Promise((resolve) => reading.once('close', resolve));
    expect(stream.destroyed).toBe(true);
  });
});
