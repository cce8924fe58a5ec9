// A real Consul agent cannot answer garbage, so these tests put a real HTTP server that answers 200 with an HTML
// page or broken JSON where Consul should be: directly, or by switching the counting proxy in front of a real
// agent to garbage once the app is running.
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  bootNestApp,
  CapturingLogger,
  garbageHandler,
  startConsulAgent,
  startCountingProxy,
  startHttpUpstream,
  waitFor,
  type ConsulAgent,
  type CountingProxy,
  type GarbageKind,
  type HttpUpstream,
} from '@nestmesh/testing';
import { filter, firstValueFrom } from 'rxjs';
import { isInstancesUnavailableError, isRegistryUnreachableError, ServiceDiscovery } from '../../src/index.js';
import { bootError } from '../support/boot-error.js';
import { consumerAppModule, discoverableAppModule } from '../support/test-app.js';

describe.each<[GarbageKind, RegExp]>([
  ['html', /not answering like Consul \(for the registration of "orders": HTTP 200 with a "text\/html" body/],
  ['broken-json', /not answering like Consul \(for the registration of "orders": a body that is not valid JSON\)/],
])('a server answering 200 with %s is not taken for Consul', (kind, registrationMessage) => {
  let garbage: HttpUpstream;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    garbage = await startHttpUpstream(garbageHandler(kind));
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await garbage?.close();
  });

  it('registration fails at bootstrap, saying so and how to fix it', async () => {
    const error = await bootError(discoverableAppModule({ name: 'orders', address: '127.0.0.1' }, { registry: 'consul', consul: { address: new URL(garbage.url).host } }));
    expect(isRegistryUnreachableError(error)).toBe(true);
    expect(error.message).toMatch(registrationMessage);
    expect(error.message).toContain("Point CONSUL_HTTP_ADDR (or consul.address) at a Consul agent's HTTP API");
  });

  it('discovery gives no fresh empty list', async () => {
    app = await NestFactory.createApplicationContext(
      consumerAppModule({ registry: 'consul', failFast: false, consul: { address: new URL(garbage.url).host }, watch: { initialTimeout: '1s' } }),
      { logger: false },
    );
    const error = await app.get(ServiceDiscovery).getInstances('orders').catch((e: Error) => e);
    expect(isInstancesUnavailableError(error)).toBe(true);
    expect((error as Error).message).toMatch(/did not answer \(The server at http:\/\/127\.0\.0\.1:\d+ is not answering like Consul \(for the health of "orders"/);
  });
});

describe('a Consul address that turns into something else while the app runs (a real agent behind a proxy)', () => {
  let consul: ConsulAgent;
  let proxy: CountingProxy;

  beforeAll(async () => {
    consul = await startConsulAgent();
    proxy = await startCountingProxy(consul.url);
  });
  afterEach(() => proxy.intercept(undefined));
  afterAll(async () => {
    await proxy?.close();
    await consul?.stop();
  });

  it('heartbeats fail instead of "succeeding"', async () => {
    const logger = new CapturingLogger();
    const booted = await bootNestApp(
      discoverableAppModule({ name: 'beating', address: '127.0.0.1', check: { ttl: '3s', heartbeatInterval: '200ms' } }, { registry: 'consul', consul: { address: proxy.addr, requestTimeout: '1s' }, shutdown: { drainDelay: 0, timeout: '1s' } }),
      { logger },
    );
    try {
      await waitFor(() => logger.matching(/^Registered beating-/).length === 1, { description: 'registered' });
      proxy.intercept(garbageHandler('html'));
      await waitFor(() => logger.matching(/^Heartbeat of beating-127\.0\.0\.1-\d+ failed: The server at .* is not answering like Consul \(for the heartbeat/).length === 1, {
        timeout: 3_000,
        description: 'heartbeat failure logged',
      });
    } finally {
      proxy.intercept(undefined);
      await booted.close();
    }
  });

  it('discovery serves the last real answer as stale, not a fresh empty list', async () => {
    await consul.put('/v1/agent/service/register', { Name: 'known', ID: 'known-1', Address: '127.0.0.1', Port: 7601 });
    const app = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', consul: { address: proxy.addr }, watch: { wait: '1s', retryDelay: '100ms' } }), { logger: false });
    try {
      const discovery = app.get(ServiceDiscovery);
      expect((await discovery.getInstances('known')).map((i) => i.id)).toEqual(['known-1']);
      const stale = firstValueFrom(discovery.watch('known').pipe(filter((list) => list.length > 0 && list[0].stale)));
      proxy.intercept(garbageHandler('broken-json'));
      expect((await stale).map((i) => i.id)).toEqual(['known-1']);
      expect(await discovery.getInstances('known')).toEqual([expect.objectContaining({ id: 'known-1', stale: true })]);
    } finally {
      await app.close();
    }
  });

  it('a service never answered for reports the latest cause, not the first (garbage, then an ACL refusal)', async () => {
    proxy.intercept(garbageHandler('html'));
    const app = await NestFactory.createApplicationContext(
      consumerAppModule({ registry: 'consul', failFast: false, consul: { address: proxy.addr }, watch: { initialTimeout: '300ms', retryDelay: '50ms', maxRetryDelay: '200ms' } }),
      { logger: false },
    );
    try {
      const discovery = app.get(ServiceDiscovery);
      const causeOf = async () => ((await discovery.getInstances('unanswered').catch((error: Error) => error)) as Error).message;
      expect(await causeOf()).toMatch(/not answering like Consul/);
      proxy.intercept((_request, response) => {
        response.writeHead(403, { 'content-type': 'text/plain' }).end('Permission denied');
      });
      await waitFor(async () => (await causeOf()).includes('The ACL token lacks'), { timeout: 5_000, description: 'the new cause reported' });
    } finally {
      await app.close();
    }
  });
});

describe('one malformed entry in an answer (a broken Consul or proxy; a real agent cannot send one)', () => {
  const good = { Node: { Node: 'n1', Address: '127.0.0.1' }, Service: { ID: 'orders-1', Service: 'orders', Address: '127.0.0.1', Port: 3001, Tags: [], Meta: {} }, Checks: [{ Status: 'passing' }] };
  let bad: unknown;
  let server: HttpUpstream;

  beforeAll(async () => {
    server = await startHttpUpstream((request, response) => {
      const blocking = request.url?.includes('index=') === true;
      const answer = () => response.writeHead(200, { 'content-type': 'application/json', 'x-consul-index': '5' }).end(JSON.stringify([good, bad]));
      if (blocking) setTimeout(answer, 1_000).unref();
      else answer();
    });
  });
  afterAll(() => server?.close());

  it.each<[string, unknown]>([
    ['Tags: 5', { ...good, Service: { ...good.Service, ID: 'evil', Tags: 5 } }],
    ['ID: 7', { ...good, Service: { ...good.Service, ID: 7 } }],
    ['Checks: {}', { ...good, Service: { ...good.Service, ID: 'evil' }, Checks: {} }],
    ['Checks: [null]', { ...good, Service: { ...good.Service, ID: 'evil' }, Checks: [null] }],
    ['Node: 5', { ...good, Node: 5, Service: { ...good.Service, ID: 'evil', Address: undefined } }],
    ['Meta: 5', { ...good, Service: { ...good.Service, ID: 'evil', Meta: 5 } }],
  ])('(%s) never hides the good instances beside it', async (_title, entry) => {
    bad = entry;
    const app = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', failFast: false, consul: { address: new URL(server.url).host }, watch: { initialTimeout: '2s' } }), { logger: false });
    try {
      const instances = await app.get(ServiceDiscovery).getInstances('orders');
      expect(instances.map((instance) => instance.id)).toContain('orders-1');
      // The bad entry is read field by field (a wrong type as empty): unusable without an id, critical with broken checks.
      for (const instance of instances) expect(instance.id).not.toBe('');
    } finally {
      await app.close();
    }
  });
});
