import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceDiscoveryModule } from '@nestmesh/discovery';
import { startHttpUpstream, type HttpUpstream } from '@nestmesh/testing';
import {
  InjectServiceClient,
  ServiceClient,
  ServiceClientModule,
  ServiceClients,
  isServiceClientConfigurationError,
  type ServiceClientModuleOptions,
} from '@nestmesh/client';
import { bootClientApp, rejection, staticDiscovery } from '../support/client-app.js';

async function bootstrapError(clients: ServiceClientModuleOptions): Promise<unknown> {
  @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'static', staticServices: {} }), ServiceClientModule.register(clients)] })
  class BadModule {}
  return rejection(NestFactory.createApplicationContext(BadModule, { logger: false, abortOnError: false }));
}

describe('bad input', () => {
  it.each<[string, ServiceClientModuleOptions, RegExp]>([
    ['an unknown strategy', { services: { orders: { strategy: 'fastest' as never } } }, /"strategy" "fastest"\. Use one of 'round-robin', 'random', 'weighted', 'least-request', 'p2c-ewma', 'consistent-hash'/],
    ['a negative deadline', { services: { orders: { deadline: -1 } } }, /service "orders"\): invalid "deadline" -1\. Use a number > 0/],
    ['a fractional maxAttempts', { services: { orders: { retry: { maxAttempts: 1.5 } } } }, /invalid "retry.maxAttempts" 1\.5\. Use an integer >= 1/],
    ['a budget over 100%', { services: { orders: { retryBudget: { percent: 150 } } } }, /invalid "retryBudget.percent" 150\. Use a number >= 0 and <= 100/],
    ['a maxReplySize of 0', { services: { orders: { maxReplySize: 0 } } }, /service "orders"\): invalid "maxReplySize" 0\. Use an integer >= 1/],
    ['zero consecutive failures', { services: { orders: { outlierDetection: { consecutiveFailures: 0 } } } }, /invalid "outlierDetection.consecutiveFailures" 0/],
    ['a header name that is not a token', { services: { orders: { headers: { 'x user': 'a' } } } }, /invalid "headers" "x user"\. Use header names made of letters, digits and !#\$%&'\*\+-\.\^_`\|~/],
    ['a header value with CR LF', { defaults: { headers: { 'x-team': 'a\r\nx-evil: 1' } }, services: { orders: {} } }, /invalid "headers\.x-team" "a\\r\\nx-evil: 1"\. Use header values without control characters/],
    ['no services', {} as ServiceClientModuleOptions, /ServiceClientModule: invalid "services" undefined\. Pass \{ services: \{ orders: \{\} \} \}/],
    // Node fires a timer longer than 2^31-1 ms after 1 ms: such a deadline would end every call at once.
    ["a deadline over 2^31-1 ms (Node's largest timer)", { services: { orders: { deadline: 2 ** 31 } } }, /invalid "deadline" 2147483648\. Use a number > 0 and <= 2147483647/],
    ["a timeout.ms over 2^31-1 ms (Node's largest timer)", { services: { orders: { timeout: { ms: 2 ** 31 } } } }, /invalid "timeout\.ms" 2147483648\. Use a number > 0 and <= 2147483647/],
    ["a pool.closeTimeout over 2^31-1 ms (Node's largest timer)", { services: { orders: { pool: { closeTimeout: 2 ** 31 } } } }, /invalid "pool\.closeTimeout" 2147483648\. Use a number >= 0 and <= 2147483647/],
    ["a pool.connectTimeout over 2^31-1 ms (Node's largest timer)", { defaults: { pool: { connectTimeout: 2 ** 31 } }, services: { orders: {} } }, /invalid "pool\.connectTimeout" 2147483648\. Use a number >= 1 and <= 2147483647/],
    ["a pool.keepAliveTimeout over 2^31-1 ms (Node's largest timer)", { services: { orders: { pool: { keepAliveTimeout: 2 ** 31 } } } }, /invalid "pool\.keepAliveTimeout" 2147483648\. Use a number >= 1 and <= 2147483647/],
    ['a retry budget window of 116 days', { services: { orders: { retryBudget: { window: 1e10 } } } }, /invalid "retryBudget\.window" 10000000000\. Use a number >= 1000 and <= 3600000/],
    ['a retry budget window of MAX_SAFE_INTEGER', { services: { orders: { retryBudget: { window: Number.MAX_SAFE_INTEGER } } } }, /invalid "retryBudget\.window" 9007199254740991\. Use a number >= 1000 and <= 3600000/],
    ['a propagateHeaders that is not an array', { services: { orders: {} }, propagateHeaders: 'x-request-id' as never }, /ServiceClientModule: invalid "propagateHeaders" "x-request-id"\. Use an array of header names, or false/],
  ])('fails at bootstrap on %s, naming the value and the fix', async (_case, clients, message) => {
    const error = await bootstrapError(clients);
    expect(isServiceClientConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });

  it('fails at bootstrap on bad resilience options with @nestmesh/resilience’s own message', async () => {
    const error = await bootstrapError({ services: { orders: { circuitBreaker: { consecutiveFailures: -3 } } } });
    expect((error as Error).message).toMatch(/consecutiveFailures/);
  });

  it('rejects a bad request with a clear error, never a crash', async () => {
    const upstream = await startHttpUpstream();
    const app = await bootClientApp({ discovery: staticDiscovery('svc', [upstream]), clients: { services: { svc: {} } } });
    try {
      const svc = app.client('svc');
      const cases: Array<[Promise<unknown>, RegExp]> = [
        [svc.get('http://evil.example/x'), /invalid "path" "http:\/\/evil\.example\/x"\. Pass a path on the instance starting with "\/"/],
        [svc.request({ method: 'GE T', path: '/' }), /invalid "method" "GE T"/],
        [svc.post('/', 42 as never), /invalid "body" 42/],
        [svc.get('/', { timeout: 0 }), /invalid "timeout" 0/],
        [svc.get('/', { timeout: 2 ** 31 }), /invalid "timeout" 2147483648\. Use a number > 0 and <= 2147483647/],
        [svc.get('/', { headers: { 'x-user': 'bob\r\nx-evil: 1' } }), /invalid "headers\.x-user" "bob\\r\\nx-evil: 1"/],
        [svc.get('/', { headers: { 'x(user)': 'bob' } }), /invalid "headers" "x\(user\)"/],
        [svc.get('/', { headers: { Upgrade: 'websocket' } }), /invalid "headers" "Upgrade"\. .*undici sets/],
        [svc.get('/', { headers: { expect: '100-continue' } }), /invalid "headers" "expect"/],
      ];
      for (const [promise, message] of cases) {
        const error = await rejection(promise);
        expect(isServiceClientConfigurationError(error)).toBe(true);
        expect((error as Error).message).toMatch(message);
      }
      expect(upstream.requests).toHaveLength(0);
    } finally {
      await app.close();
      await upstream.close();
    }
  });

  it('a bad request is the caller’s: never retried, never counted against an instance or the breaker', async () => {
    const upstreams = [await startHttpUpstream(), await startHttpUpstream()];
    const clients = { services: { svc: { strategy: 'round-robin' as const, circuitBreaker: { consecutiveFailures: 2 }, outlierDetection: { consecutiveFailures: 1 } } } };
    const app = await bootClientApp({ discovery: staticDiscovery('svc', upstreams), clients });
    try {
      const svc = app.client('svc');
      for (let call = 0; call < 5; call += 1) expect(isServiceClientConfigurationError(await rejection(svc.get('/', { headers: { 'x-user': 'a\nb' } })))).toBe(true);
      for (let call = 0; call < 4; call += 1) expect((await svc.get('/')).status).toBe(200); // the breaker stayed closed
      expect(upstreams.map((upstream) => upstream.requests.length)).toEqual([2, 2]); // and neither instance was ejected
    } finally {
      await app.close();
      await Promise.all(upstreams.map((upstream) => upstream.close()));
    }
  });

  it('bounds the services created on demand (maxServices)', async () => {
    const app = await bootClientApp({ discovery: { registry: 'static', staticServices: {} }, clients: { services: { svc: {} }, maxServices: 2 } });
    try {
      const clients = app.app.get(ServiceClients);
      clients.get('a');
      clients.get('b');
      expect(() => clients.get('c')).toThrow(/already 2 services are followed \(the "maxServices" option\)/);
      expect(clients.get('svc').name).toBe('svc');
    } finally {
      await app.close();
    }
  });
});

describe('registerAsync()', () => {
  let upstream: HttpUpstream;
  beforeAll(async () => (upstream = await startHttpUpstream()));
  afterAll(() => upstream.close());

  it('builds the clients from a factory and injects them with @InjectServiceClient', async () => {
    @Injectable()
    class OrdersCaller {
      constructor(@InjectServiceClient('async-orders') readonly orders: ServiceClient) {}
    }
    @Module({
      imports: [
        ServiceDiscoveryModule.forRoot({ registry: 'static', staticServices: { 'async-orders': [`127.0.0.1:${upstream.port}`] } }),
        ServiceClientModule.registerAsync({ useFactory: async () => ({ services: { 'async-orders': { strategy: 'round-robin' } } }) }),
      ],
      providers: [OrdersCaller],
    })
    class AsyncModule {}
    const app = await NestFactory.createApplicationContext(AsyncModule, { logger: false });
    try {
      const response = await app.get(OrdersCaller).orders.get('/hello');
      expect(response.status).toBe(200);
      expect(await response.body.json()).toEqual({ ok: true, path: '/hello' });
    } finally {
      await app.close();
    }
  });
});
