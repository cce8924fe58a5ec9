import { isGatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import type { GatewayRoute } from '../interfaces/gateway-route.interface.js';
import { compileRoutes, type RouteCompilerContext } from './compile-routes.js';
import { RouteTable } from './route-table.js';

const context: RouteCompilerContext = {
  throttlers: [{ name: 'burst', limit: 10, ttl: 1_000 }],
  authModes: new Set(['public', 'jwt']),
  defaultAuth: 'public',
  maxBodySize: 1_000,
  maxResponseSize: 1_000,
};

const messageOf = (routes: unknown[]): string => {
  try {
    compileRoutes(routes, context);
  } catch (error) {
    expect(isGatewayConfigurationError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a GatewayConfigurationError');
};

describe('compileRoutes', () => {
  it('orders routes most specific first, whatever the order they were given in', () => {
    const { routes } = compileRoutes(
      [
        { id: 'all', prefix: '/', service: 'a' },
        { id: 'prefix', prefix: '/api/orders', service: 'a' },
        { id: 'param', path: '/api/orders/:id', service: 'a' },
        { id: 'literal', path: '/api/orders/special', service: 'a' },
        { id: 'exact', path: '/api/orders', service: 'a' },
        { id: 'get-prefix', prefix: '/api/orders', methods: ['GET'], service: 'a' },
      ],
      context,
    );
    expect(routes.map((route) => route.id)).toEqual(['literal', 'param', 'exact', 'get-prefix', 'prefix', 'all']);
    const table = new RouteTable(routes);
    const match = (method: string, path: string) => table.match(method, path.split('/').slice(1), {})?.route.id;
    expect(match('GET', '/api/orders')).toBe('exact');
    expect(match('GET', '/api/orders/')).toBe('exact');
    expect(match('HEAD', '/api/orders/1/x')).toBe('get-prefix');
    expect(match('POST', '/api/orders/1/x')).toBe('prefix');
    expect(match('GET', '/api/ordersx')).toBe('all');
  });

  it.each<[string, unknown[], RegExp]>([
    ['two routes matching the same requests', [{ path: '/a/:x', service: 's' }, { path: '/a/:y', service: 's' }], /routes "\* \/a\/:x" and "\* \/a\/:y" conflict: both match \/a\/:y/],
    ['overlapping methods', [{ prefix: '/a', methods: ['GET'], service: 's' }, { prefix: '/a', methods: ['GET', 'POST'], service: 't' }], /conflict: both match \/a for GET, HEAD/],
    ['no path', [{ service: 's' }], /set exactly one of "path" \(a pattern\) and "prefix"/],
    ['a relative path', [{ path: 'a', service: 's' }], /invalid "path" "a": it must be a string starting with "\/"/],
    ['a wildcard in the middle', [{ path: '/a/*/b', service: 's' }], /"\*" may only be the whole last segment/],
    ['both targets', [{ prefix: '/a', service: 's', url: 'http://x' }], /set exactly one of "service"/],
    ['a bad url', [{ prefix: '/a', url: 'ftp://x' }], /invalid "url" "ftp:\/\/x": use an http\(s\) origin/],
    ['a url with credentials', [{ prefix: '/a', url: 'http://user:secret@127.0.0.1:1' }], /invalid "url" "http:\/\/user:secret@127\.0\.0\.1:1": use an http\(s\) origin/],
    ['an unknown method', [{ prefix: '/a', methods: ['FETCH'], service: 's' }], /"FETCH" is not one of GET/],
    ['a rewrite naming no parameter', [{ path: '/a/:id', service: 's', rewrite: '/b/:other' }], /uses ":other", which the route's path does not capture/],
    ['a stripPrefix not in the path', [{ prefix: '/a', service: 's', rewrite: { stripPrefix: '/b' } }], /stripPrefix "\/b" is not a literal beginning/],
    ['an auth mode without its verifier', [{ prefix: '/a', service: 's', auth: 'api-key' }], /invalid "auth" "api-key": configure auth.apiKeys/],
    ['scopes on a public route', [{ prefix: '/a', service: 's', access: { scopes: ['x'] } }], /a public route has no caller to check/],
    ['an unknown throttler', [{ prefix: '/a', service: 's', throttle: { sustained: { limit: 1 } } }], /unknown option "throttle\.sustained"\. Remove it, or use one of the valid options: burst\./],
    ['a misspelt throttler', [{ prefix: '/a', service: 's', throttle: { brust: { limit: 1 } } }], /unknown option "throttle\.brust"\. Did you mean "burst"\?/],
    // Whole milliseconds: Redis (PEXPIRE) refuses a fraction, which turned throttling off (or refused everything) there.
    ['a throttle ttl in fractions of a millisecond', [{ prefix: '/a', service: 's', throttle: { burst: { ttl: 1500.5 } } }], /invalid "throttle\.burst\.ttl" 1500\.5: a window in whole milliseconds/],
    ['a blockDuration in fractions of a millisecond', [{ prefix: '/a', service: 's', throttle: { burst: { blockDuration: 60_000 / 7 } } }], /invalid "throttle\.burst\.blockDuration" 8571\.42857142857: whole milliseconds/],
    ['an endless throttle ttl', [{ prefix: '/a', service: 's', throttle: { burst: { ttl: Infinity } } }], /invalid "throttle\.burst\.ttl" Infinity/],
    ['a misspelt auth', [{ prefix: '/a', service: 's', auht: 'jwt' } as never], /^GatewayModule route #0 \("\/a"\): unknown option "auht"\. Did you mean "auth"\?/],
    ['a cache on a POST-only route', [{ prefix: '/a', service: 's', methods: ['POST'], cache: true }], /only GET and HEAD answers are cached/],
    ['a bad timeout', [{ prefix: '/a', service: 's', timeout: -1 }], /invalid "timeout" -1: a number of milliseconds greater than 0/],
    ["a timeout over 2^31-1 ms (Node's largest timer)", [{ prefix: '/a', service: 's', timeout: 2 ** 31 }], /invalid "timeout" 2147483648: a number of milliseconds greater than 0 and at most 2147483647/],
    // Refused at bootstrap, not by the client on every request: a control character, or a header undici sets itself.
    ['a header value with a control character', [{ prefix: '/a', service: 's', requestHeaders: { set: { 'x-a': 'b\u0001c' } } }], /invalid "requestHeaders" "b\\u0001c": header values are strings without control characters/],
    ['a request header undici sets itself', [{ prefix: '/a', service: 's', requestHeaders: { set: { Connection: 'close' } } }], /invalid "requestHeaders" "Connection": .*undici sets/],
    // One service-name rule with discovery (which refuses these names at every lookup, so such a route could never answer).
    ['a service name discovery refuses (dot, underscore)', [{ prefix: '/a', service: 'a.b_c' }], /invalid "service" "a\.b_c": use a service name of 1 to 63 letters, digits and dashes/],
    ['a service name too long for DNS', [{ prefix: '/a', service: 'x'.repeat(64) }], /invalid "service" "x{64}": use a service name of 1 to 63/],
  ])('refuses %s, naming the route, the option and the fix', (_, routes, message) => {
    expect(messageOf(routes)).toMatch(message);
  });

  it('gives a route with its own retry or breaker a client of its own, others share the service client', () => {
    const routes: GatewayRoute[] = [
      { id: 'a', prefix: '/a', service: 'orders' },
      { id: 'b', prefix: '/b', service: 'orders', retry: false, circuitBreaker: { failureRate: 0.5 } },
    ];
    const { routes: compiled, clients } = compileRoutes(routes, context);
    expect(compiled.map((route) => route.target)).toEqual([
      { kind: 'service', service: 'orders', clientKey: 'orders' },
      { kind: 'service', service: 'orders', clientKey: 'orders#route:b' },
    ]);
    expect(clients.get('orders#route:b')).toEqual({ service: 'orders', options: { serviceName: 'orders', retry: false, circuitBreaker: { failureRate: 0.5 } } });
  });

  it('gives a static url a client over its origin, configured like a service (its own for its own retry or breaker)', () => {
    const routes: GatewayRoute[] = [
      { id: 'a', prefix: '/a', url: 'http://127.0.0.1:8080/v1/' },
      { id: 'b', prefix: '/b', url: 'http://127.0.0.1:8080', retry: { maxAttempts: 2 }, circuitBreaker: { consecutiveFailures: 3 } },
    ];
    const { routes: compiled, clients } = compileRoutes(routes, context);
    expect(compiled.map((route) => route.target)).toEqual([
      { kind: 'url', origin: 'http://127.0.0.1:8080', basePath: '/v1', clientKey: 'url:http://127.0.0.1:8080' },
      { kind: 'url', origin: 'http://127.0.0.1:8080', basePath: '', clientKey: 'url:http://127.0.0.1:8080#route:b' },
    ]);
    expect(clients.get('url:http://127.0.0.1:8080')).toEqual({ service: 'url:http://127.0.0.1:8080', options: { origin: 'http://127.0.0.1:8080' } });
    expect(clients.get('url:http://127.0.0.1:8080#route:b')).toEqual({
      service: 'url:http://127.0.0.1:8080#route:b',
      options: { origin: 'http://127.0.0.1:8080', retry: { maxAttempts: 2 }, circuitBreaker: { consecutiveFailures: 3 } },
    });
  });

  it('resolves per-method access with "*" for the others, and HEAD as GET', () => {
    const [route] = compileRoutes([{ prefix: '/a', service: 's', auth: 'jwt', access: { GET: { scopes: ['r'] }, '*': { scopes: ['w'] } } }], context).routes;
    expect(route.access('GET')?.scopes).toEqual(['r']);
    expect(route.access('HEAD')?.scopes).toEqual(['r']);
    expect(route.access('DELETE')?.scopes).toEqual(['w']);
    expect(route.access('PURGE')?.scopes).toEqual(['w']);
  });

  it('refuses a method a per-method table without "*" does not name, unless it is standard; any method Node parses can be named', () => {
    const [route] = compileRoutes([{ prefix: '/a', service: 's', auth: 'jwt', access: { GET: { scopes: ['r'] }, PURGE: { roles: ['ops'] } } }], context).routes;
    expect(route.access('POST')).toBeUndefined();
    expect(route.access('PURGE')?.roles).toEqual(['ops']);
    expect(route.access('PROPFIND')).toBe(null);
    expect(messageOf([{ prefix: '/a', service: 's', auth: 'jwt', access: { GET: {}, purge: {} } }])).toContain('Did you mean "PURGE"?');
  });

  it('tunnels WebSocket upgrades only on routes that opt in with websocket: true, and refuses a value that is not a boolean', () => {
    const { routes } = compileRoutes([{ id: 'plain', prefix: '/a', service: 's' }, { id: 'ws', prefix: '/b', service: 's', websocket: true }], context);
    expect(routes.map((route) => [route.id, route.websocket])).toEqual([['plain', false], ['ws', true]]);
    expect(messageOf([{ prefix: '/a', service: 's', websocket: 'yes' }])).toContain('invalid "websocket" "yes"');
  });
});
