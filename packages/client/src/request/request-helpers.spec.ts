import { isServiceClientConfigurationError } from '../errors/service-client-configuration.error.js';
import { buildHeaders, buildPath, prepareBody } from './request-helpers.js';

describe('request helpers', () => {
  it('appends the query to the path, keeping an existing query string', () => {
    expect(buildPath('/a', { q: 'x y', n: [1, 2], skip: undefined }, 'w')).toBe('/a?q=x+y&n=1&n=2');
    expect(buildPath('/a?x=1', { y: true }, 'w')).toBe('/a?x=1&y=true');
    expect(buildPath('/a', {}, 'w')).toBe('/a');
    expect(() => buildPath('a', undefined, 'w')).toThrow(/invalid "path" "a"/);
  });

  it('merges headers: defaults, then propagated, then the request’s own (lower-cased)', () => {
    expect(buildHeaders({ a: '1', b: '1' }, { b: '2', c: '2' }, { C: '3', D: undefined }, 'application/json')).toEqual({
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
