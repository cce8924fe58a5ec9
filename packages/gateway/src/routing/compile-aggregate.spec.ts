import { isGatewayConfigurationError } from '../errors/gateway-configuration.error.js';
import { compileRoutes, type RouteCompilerContext } from './compile-routes.js';

const context: RouteCompilerContext = { throttlers: [], authModes: new Set(['public', 'jwt']), defaultAuth: 'public', maxBodySize: 1_000, maxResponseSize: 10_000_000 };

const messageOf = (route: Record<string, unknown>): string => {
  try {
    compileRoutes([route], context);
  } catch (error) {
    expect(isGatewayConfigurationError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a GatewayConfigurationError');
};

describe('compileRoutes: aggregation routes', () => {
  it('compiles HTTP, static url and TCP legs with their timeouts; url legs get their origin client; the leg body limit defaults to 1 MiB', () => {
    const { routes, clients } = compileRoutes(
      [
        {
          id: 'dashboard',
          path: '/api/dashboard',
          aggregate: {
            timeout: 2_000,
            legs: {
              orders: { service: 'orders', path: '/orders?limit=5', headers: { 'X-Api-Version': '2' } },
              rates: { url: 'http://127.0.0.1:9/v1/rates?base=EUR', method: 'post', timeout: 500 },
              stats: { service: 'orders', pattern: 'orders.stats' },
            },
          },
        },
      ],
      context,
    );
    expect(routes[0].target).toEqual({
      kind: 'aggregate',
      clientKey: 'aggregate:dashboard',
      legs: [
        { kind: 'http', name: 'orders', service: 'orders', clientKey: 'orders', method: 'GET', path: '/orders?limit=5', headers: { 'x-api-version': '2' }, timeout: 2_000 },
        { kind: 'http', name: 'rates', service: undefined, clientKey: 'url:http://127.0.0.1:9', method: 'POST', path: '/v1/rates?base=EUR', headers: undefined, timeout: 500 },
        { kind: 'tcp', name: 'stats', service: 'orders', pattern: 'orders.stats', data: {}, timeout: 2_000 },
      ],
    });
    expect(routes[0].maxResponseSize).toBe(1024 * 1024);
    expect(routes[0].methods).toBeUndefined();
    expect([...clients.keys()]).toEqual(['url:http://127.0.0.1:9']);
    expect(compileRoutes([{ path: '/d', aggregate: { legs: { a: { service: 'a', path: '/' } } } }], context).routes[0].target).toMatchObject({ legs: [{ timeout: 3_000 }] });
    const durations = compileRoutes([{ path: '/d', aggregate: { timeout: '2s', legs: { a: { service: 'a', path: '/' }, b: { service: 'a', path: '/', timeout: '250ms' }, c: { service: 'a', path: '/', timeout: '1.5s' } } } }], context);
    expect(durations.routes[0].target).toMatchObject({ legs: [{ timeout: 2_000 }, { timeout: 250 }, { timeout: 1_500 }] });
  });

  it('refuses a route with both aggregate and a target, or with neither, naming the route', () => {
    expect(messageOf({ id: 'dash', path: '/d', service: 'orders', aggregate: { legs: { a: { service: 'a', path: '/' } } } })).toMatch(/route "dash" has an invalid "aggregate".*remove "service"/);
    expect(messageOf({ id: 'dash', path: '/d', url: 'http://127.0.0.1:1', aggregate: { legs: { a: { service: 'a', path: '/' } } } })).toMatch(/route "dash".*remove "url"/);
    expect(messageOf({ id: 'dash', path: '/d' })).toMatch(/route "dash".*exactly one of "service".*"url".*"aggregate"/);
  });

  it('refuses unknown keys with the closest valid one, a leg named errors, and bad legs', () => {
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a', path: '/' } }, timout: 1 } })).toMatch(/unknown option "aggregate.timout". Did you mean "timeout"\?/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a', pth: '/' } } } })).toMatch(/unknown option "aggregate.legs.a.pth". Did you mean "path"\?/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { errors: { service: 'a', path: '/' } } } })).toMatch(/"aggregate.legs.errors".*reserved/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: {} } })).toMatch(/"aggregate.legs".*at least one leg/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: [{ service: 'a', path: '/' }] } })).toMatch(/"aggregate.legs".*an object keyed by leg name, not a list/);
    // In an object literal, `__proto__: {...}` sets the prototype: the leg would be dropped without a word.
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a', path: '/' }, __proto__: { url: 'http://127.0.0.1:1/x' } } } })).toMatch(/"aggregate.legs".*__proto__/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a' } } } })).toMatch(/"aggregate.legs.a.path".*needs the path/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a', path: '/x/../admin' } } } })).toMatch(/"aggregate.legs.a.path".*dot segment/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a', path: 'x y' } } } })).toMatch(/"aggregate.legs.a.path".*start with "\/"/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { url: 'http://127.0.0.1:1', pattern: 'x' } } } })).toMatch(/"aggregate.legs.a.pattern"/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a', pattern: 'x', path: '/' } } } })).toMatch(/"aggregate.legs.a.path".*TCP leg/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a', path: '/', timeout: 0 } } } })).toMatch(/"aggregate.legs.a.timeout"/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { timeout: '2 seconds', legs: { a: { service: 'a', path: '/' } } } })).toMatch(/"aggregate.timeout" "2 seconds".*or a duration such as "500ms"/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { timeout: 1.5, legs: { a: { service: 'a', path: '/' } } } })).toMatch(/"aggregate.timeout" 1.5/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a', path: '/', method: 'HEAD' } } } })).toMatch(/"aggregate.legs.a.method"/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a', path: '/', headers: { 'x-a': 'b\r\nc' } } } } })).toMatch(/"aggregate.legs.a.headers.x-a"/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a', path: '/', headers: { 'x-a': 'b\u007fc' } } } } })).toMatch(/"aggregate.legs.a.headers.x-a"/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs: { a: { service: 'a', path: '/', headers: { upgrade: 'h2c' } } } } })).toMatch(/"aggregate.legs.a.headers" "upgrade".*undici sets/);
  });

  it('refuses proxy-only options and methods other than GET and HEAD', () => {
    const legs = { a: { service: 'a', path: '/' } };
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs }, rewrite: '/x' })).toMatch(/invalid "rewrite"/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs }, timeout: 100 })).toMatch(/invalid "timeout".*aggregate.timeout/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs }, websocket: true })).toMatch(/invalid "websocket"/);
    expect(messageOf({ id: 'dash', path: '/d', aggregate: { legs }, methods: ['GET', 'POST'] })).toMatch(/invalid "methods".*GET and HEAD only/);
  });
});
