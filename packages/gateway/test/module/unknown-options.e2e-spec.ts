import { Module } from '@nestjs/common';
import { bootNestApp, getFreePort } from '@nestmesh/testing';
import { GatewayModule, JwtVerifier, MemoryThrottlerStorage, hashApiKey, isGatewayConfigurationError } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp, gatewayBootstrapError } from '../support/gateway-app.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';

describe.each(PLATFORMS)('unknown option keys fail the bootstrap on %s, naming where, the key and the closest valid key', (platform) => {
  let closed: string;
  beforeAll(async () => {
    closed = `http://127.0.0.1:${await getFreePort()}`; // never called: the bootstrap fails first
  });

  const bootstrapError = (gateway: unknown) => gatewayBootstrapError(platform, gateway);

  const route = (extra: object) => ({ id: 'orders', prefix: '/api/orders', url: closed, ...extra });

  it('a misspelt "auth" never makes a route public: "auht: \'jwt\'" fails instead of serving without a token', async () => {
    const error = await bootstrapError({ routes: [route({ auht: 'jwt' })], auth: { jwt: { secret } } });
    expect(error.message).toMatch(/^GatewayModule route "orders": unknown option "auht"\. Did you mean "auth"\? Valid options: id, path, prefix, /);
  });

  it.each<[string, () => object, string]>([
    ['route "acess"', () => ({ routes: [route({ auth: 'jwt', acess: { scopes: ['orders:read'] } })], auth: { jwt: { secret } } }), 'GatewayModule route "orders": unknown option "acess". Did you mean "access"?'],
    ['route "throttler"', () => ({ routes: [route({ throttler: false })] }), 'GatewayModule route "orders": unknown option "throttler". Did you mean "throttle"?'],
    ['module "throttler"', () => ({ routes: [route({})], throttler: [{ limit: 1, ttl: 1_000 }] }), 'GatewayModule: unknown option "throttler". Did you mean "throttlers"?'],
    ['module "trustedProxy"', () => ({ routes: [route({})], trustedProxy: 'loopback' }), 'GatewayModule: unknown option "trustedProxy". Did you mean "trustedProxies"?'],
    ['a route without id, named by index and path', () => ({ routes: [{ prefix: '/api', url: closed, methds: ['GET'] }] }), 'GatewayModule route #0 ("/api"): unknown option "methds". Did you mean "methods"?'],
    ['auth.jwt', () => ({ routes: [route({})], auth: { jwt: { secret, audiance: 'orders-api' } } }), 'GatewayModule: unknown option "auth.jwt.audiance". Did you mean "audience"?'],
    ['auth.jwt.jwksFetch', () => ({ routes: [route({})], auth: { jwt: { jwksUrl: `${closed}/jwks`, jwksFetch: { coolDown: 1 } } } }), 'GatewayModule: unknown option "auth.jwt.jwksFetch.coolDown". Did you mean "cooldown"?'],
    ['auth', () => ({ routes: [route({})], auth: { defualt: 'jwt' } }), 'GatewayModule: unknown option "auth.defualt". Did you mean "default"?'],
    ['auth.apiKeys[0]', () => ({ routes: [route({})], auth: { apiKeys: [{ id: 'a', hash: hashApiKey('k'), scope: ['x'] }] } }), 'GatewayModule: unknown option "auth.apiKeys[0].scope". Did you mean "scopes"?'],
    ['auth.failureLimit', () => ({ routes: [route({})], auth: { failureLimit: { limit: 5, ttl: 60_000, blockDurtion: 1 } } }), 'GatewayModule: unknown option "auth.failureLimit.blockDurtion". Did you mean "blockDuration"?'],
    ['limits', () => ({ routes: [route({})], limits: { maxBodySzie: 1 } }), 'GatewayModule: unknown option "limits.maxBodySzie". Did you mean "maxBodySize"?'],
    ['cache', () => ({ routes: [route({})], cache: { maxByte: 1 } }), 'GatewayModule: unknown option "cache.maxByte". Did you mean "maxBytes"?'],
    ['throttlers[0]', () => ({ routes: [route({})], throttlers: [{ name: 'burst', limt: 1, ttl: 1_000 }] }), 'GatewayModule: unknown option "throttlers[0].limt". Did you mean "limit"?'],
    ['services.<name>', () => ({ routes: [route({})], services: { orders: { pool: { conections: 4 } } } }), 'GatewayModule: unknown option "services.orders.pool.conections". Did you mean "connections"?'],
    ['clientDefaults', () => ({ routes: [route({})], clientDefaults: { deadlne: 1 } }), 'GatewayModule: unknown option "clientDefaults.deadlne". Did you mean "deadline"?'],
    ['route throttle.<name>', () => ({ routes: [route({ throttle: { burst: { limt: 5 } } })], throttlers: [{ name: 'burst', limit: 1, ttl: 1_000 }] }), 'GatewayModule route "orders": unknown option "throttle.burst.limt". Did you mean "limit"?'],
    ['route throttle (a throttler name)', () => ({ routes: [route({ throttle: { brust: false } })], throttlers: [{ name: 'burst', limit: 1, ttl: 1_000 }] }), 'GatewayModule route "orders": unknown option "throttle.brust". Did you mean "burst"?'],
    ['route cache', () => ({ routes: [route({ cache: { defaulTtl: 1_000 } })] }), 'GatewayModule route "orders": unknown option "cache.defaulTtl". Did you mean "defaultTtl"?'],
    ['route requestHeaders', () => ({ routes: [route({ requestHeaders: { sett: { 'x-a': '1' } } })] }), 'GatewayModule route "orders": unknown option "requestHeaders.sett". Did you mean "set"?'],
    ['route responseHeaders', () => ({ routes: [route({ responseHeaders: { remvoe: ['x-a'] } })] }), 'GatewayModule route "orders": unknown option "responseHeaders.remvoe". Did you mean "remove"?'],
    ['route access', () => ({ routes: [route({ auth: 'jwt', access: { scope: ['orders:read'] } })], auth: { jwt: { secret } } }), 'GatewayModule route "orders": unknown option "access.scope". Did you mean "scopes"?'],
    ['route access per method', () => ({ routes: [route({ auth: 'jwt', access: { GET: { role: ['a'] } } })], auth: { jwt: { secret } } }), 'GatewayModule route "orders": unknown option "access.GET.role". Did you mean "roles"?'],
    ['route access method in lower case', () => ({ routes: [route({ auth: 'jwt', access: { get: { scopes: ['a'] } } })], auth: { jwt: { secret } } }), 'GatewayModule route "orders": unknown option "access.get". Did you mean "GET"?'],
    ['route rewrite', () => ({ routes: [route({ rewrite: { stripPrefx: '/api' } })] }), 'GatewayModule route "orders": unknown option "rewrite.stripPrefx". Did you mean "stripPrefix"?'],
    ['route retry', () => ({ routes: [{ id: 'orders', prefix: '/api', service: 'orders', retry: { maxAttemps: 2 } }] }), 'GatewayModule route "orders": unknown option "retry.maxAttemps". Did you mean "maxAttempts"?'],
    ['route circuitBreaker', () => ({ routes: [{ id: 'orders', prefix: '/api', service: 'orders', circuitBreaker: { consecutivFailures: 2 } }] }), 'GatewayModule route "orders": unknown option "circuitBreaker.consecutivFailures". Did you mean "consecutiveFailures"?'],
  ])('%s', async (_, options, message) => {
    const error = await bootstrapError(options());
    expect(error.message).toContain(message);
    expect(error.message).toContain('Valid options: ');
  });

  it('forRootAsync options (from a factory or JSON, with no type check) are checked too', async () => {
    @Module({ imports: [GatewayModule.forRootAsync({ useFactory: () => JSON.parse(JSON.stringify({ routes: [route({ auht: 'jwt' })] })) })] })
    class AsyncGatewayModule {}
    const error = await bootNestApp(AsyncGatewayModule, { platform }).then(
      async (app) => {
        await app.close();
        return undefined;
      },
      (caught: unknown) => caught,
    );
    expect(isGatewayConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain('GatewayModule route "orders": unknown option "auht". Did you mean "auth"?');
  });

  it('takes the keys other parts add (route "websocket", "auth.failureLimit"), and leaves class instances, RegExps and functions alone', async () => {
    const app = await bootGatewayApp({
      platform,
      gateway: {
        routes: [
          { id: 'orders', prefix: '/api/orders', url: closed, auth: 'jwt', headers: { 'x-version': /^2/ }, onRequest: () => undefined, websocket: false } as never,
          { id: 'open', prefix: '/open', url: closed, throttle: { burst: { limit: 2 } }, cache: { defaultTtl: 1_000 }, access: {}, rewrite: { stripPrefix: '/open' } },
        ],
        auth: { jwt: new JwtVerifier({ secret }), failureLimit: { limit: 5, ttl: 60_000, blockDuration: 60_000 } } as never,
        throttlers: [{ name: 'burst', limit: 10, ttl: 1_000 }],
        throttlerStorage: new MemoryThrottlerStorage(),
        limits: { maxBodySize: 0 },
      },
    });
    await app.close();
  });
});
