import { closestKey, editDistance, findUnknownKey, optionKeys, unknownOptionMessage } from './unknown-keys.js';

describe('unknown option keys', () => {
  it.each([
    ['auth', 'auth', 0],
    ['auht', 'auth', 1],
    ['acess', 'access', 1],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('edit distance %p -> %p is %p (a transposition counts 1)', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  it.each([
    ['auht', ['auth', 'access', 'throttle'], 'auth'],
    ['acess', ['auth', 'access', 'throttle'], 'access'],
    ['throttler', ['auth', 'throttle', 'timeout'], 'throttle'],
    ['throttler', ['routes', 'throttlers', 'throttlerStorage'], 'throttlers'],
    ['trustedProxy', ['trustedProxies', 'trustRequestId', 'routes'], 'trustedProxies'],
    ['healt', ['service', 'health', 'shutdown'], 'health'],
    ['servce', ['service', 'health'], 'service'],
    ['chek', ['name', 'check', 'tags'], 'check'],
    ['MAXBODYSIZE', ['maxBodySize', 'maxResponseSize'], 'maxBodySize'],
    ['maxBodySzie', ['maxBodySize', 'maxResponseSize'], 'maxBodySize'],
  ])('suggests for %p among %p: %p', (key, known, suggestion) => {
    expect(closestKey(key, known)).toBe(suggestion);
  });

  it('suggests nothing when no key is close', () => {
    expect(closestKey('color', ['routes', 'auth', 'limits'])).toBeUndefined();
    expect(closestKey('x', ['routes', 'auth'])).toBeUndefined();
  });

  it('finds the first unknown own key, and none in a valid object', () => {
    expect(findUnknownKey({ health: {}, healt: {} }, ['health', 'service'])).toEqual({ key: 'healt', path: 'healt', suggestion: 'health', known: ['health', 'service'] });
    expect(findUnknownKey({ wiat: '1s' }, ['wait'], 'watch.')).toEqual({ key: 'wiat', path: 'watch.wiat', suggestion: 'wait', known: ['wait'] });
    expect(findUnknownKey({ health: {} }, ['health'])).toBeUndefined();
    expect(findUnknownKey({ [Symbol('x')]: 1 }, ['health'])).toBeUndefined();
    expect(findUnknownKey(JSON.parse('{"__proto__": {"x": 1}}'), ['health'])).toEqual({ key: '__proto__', path: '__proto__', suggestion: undefined, known: ['health'] });
  });

  it('leaves non-objects to the caller', () => {
    expect(findUnknownKey(undefined, ['a'])).toBeUndefined();
    expect(findUnknownKey('text', ['a'])).toBeUndefined();
    expect(findUnknownKey([1], ['a'])).toBeUndefined();
  });

  it('lists the keys of an interface', () => {
    interface Sample {
      a?: number;
      b: string;
    }
    expect(optionKeys<Sample, 'c'>()({ a: true, b: true, c: true })).toEqual(['a', 'b', 'c']);
  });

  it('words the refusal of an unknown key: where, its path, the closest valid key or the valid ones, and why', () => {
    expect(unknownOptionMessage('ServiceDiscoveryModule', findUnknownKey({ wiat: '1s' }, ['wait', 'linger'], 'watch.')!)).toBe(
      'ServiceDiscoveryModule: unknown option "watch.wiat". Did you mean "wait"? Valid options: wait, linger. ' +
        'Unknown options are refused so that a typo cannot change behaviour unnoticed.',
    );
    expect(unknownOptionMessage('GatewayModule', { path: 'zzz', suggestion: undefined, known: ['routes'] }, 'a route stays as written')).toBe(
      'GatewayModule: unknown option "zzz". Remove it, or use one of the valid options: routes. Unknown options are refused so that a route stays as written.',
    );
  });
});
