// A real Consul agent cannot be made to hold its answers, so a real loopback HTTP server plays an agent that
// accepts every request and answers none: the app boots (failFast: false checks Consul in the background) and the
// first instance list of a service never comes, within the watch's 60 s request timeout.
import { startHttpUpstream, type HttpUpstream } from '@nestmesh/testing';
import { firstValueFrom } from 'rxjs';
import { getServiceClientProxyToken, isServiceTimeoutError, ServiceClients, type ServiceClientProxy } from '@nestmesh/client';
import { bootClientApp, rejection } from '../support/client-app.js';

/** Far below the silent agent's 60 s bounds, far above any deadline here: a call that waits for discovery fails this. */
const BOUND_MS = 20_000;

/** What `promise` rejected with and when (ms since `startedAt`), or a failure if it is still pending after {@link BOUND_MS}. */
async function settled(promise: Promise<unknown>, startedAt: number): Promise<{ error: unknown; elapsed: number }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${BOUND_MS} ms: the call waited for discovery, not for its deadline`)), BOUND_MS);
  });
  try {
    const error = await Promise.race([rejection(promise), late]);
    return { error, elapsed: performance.now() - startedAt };
  } finally {
    clearTimeout(timer);
  }
}

describe('a call made before discovery first answered is bounded by its deadline and its caller (a silent Consul)', () => {
  let consul: HttpUpstream;
  let app: Awaited<ReturnType<typeof bootClientApp>>;

  beforeAll(async () => {
    consul = await startHttpUpstream(() => undefined);
    app = await bootClientApp({
      discovery: { registry: 'consul', failFast: false, consul: { address: new URL(consul.url).host, requestTimeout: '60s' }, watch: { initialTimeout: '60s' } },
      clients: {
        services: {
          // Each its own service name: a service whose discovery wait already ended (with an error) is not waited for again.
          http: { serviceName: 'orders', deadline: 500, retry: false },
          aborted: { serviceName: 'carts', deadline: 60_000, retry: false },
          tcp: { serviceName: 'payments', deadline: 500, retry: false },
          tunnel: { serviceName: 'chat', deadline: 500, retry: false },
          tunnelAborted: { serviceName: 'feeds', deadline: 60_000, retry: false },
        },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await consul?.close();
  });

  it('request(): fails with ServiceTimeoutError at its deadline, naming the wait for discovery', async () => {
    const startedAt = performance.now();
    const { error, elapsed } = await settled(app.client('http').get('/orders'), startedAt);
    expect(isServiceTimeoutError(error)).toBe(true);
    expect((error as Error).message).toMatch(/"orders": no instance list from Consul at http:\/\/127\.0\.0\.1:\d+ within the 500 ms deadline/);
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(consul.requests.some((request) => request.url.startsWith('/v1/health/service/orders'))).toBe(true);
  }, 60_000);

  it('request(): an aborted caller signal rejects at once with its reason', async () => {
    const caller = new AbortController();
    const reason = new Error('the caller gave up');
    const startedAt = performance.now();
    const call = app.client('aborted').get('/carts', { signal: caller.signal });
    setTimeout(() => caller.abort(reason), 100);
    const { error } = await settled(call, startedAt);
    expect(error).toBe(reason);
  }, 60_000);

  it('ServiceClientProxy.send(): fails with ServiceTimeoutError at its deadline', async () => {
    const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('tcp'));
    const startedAt = performance.now();
    const { error, elapsed } = await settled(firstValueFrom(proxy.send('pay', {})), startedAt);
    expect(isServiceTimeoutError(error)).toBe(true);
    expect((error as Error).message).toMatch(/"payments": no instance list from Consul at .* within the 500 ms deadline/);
    expect(elapsed).toBeGreaterThanOrEqual(450);
  }, 60_000);

  it('ServiceClient.lease() (gateway tunnels): fails with ServiceTimeoutError at the service deadline; a caller signal rejects with its reason', async () => {
    const clients = app.app.get(ServiceClients);
    const startedAt = performance.now();
    const { error, elapsed } = await settled(clients.get('tunnel').lease(), startedAt);
    expect(isServiceTimeoutError(error)).toBe(true);
    expect((error as Error).message).toMatch(/"chat": no instance list from Consul at .* within the 500 ms deadline/);
    expect(elapsed).toBeGreaterThanOrEqual(450);

    const caller = new AbortController();
    const reason = new Error('the client of the tunnel went away');
    const lease = clients.get('tunnelAborted').lease(undefined, caller.signal);
    setTimeout(() => caller.abort(reason), 100);
    expect((await settled(lease, performance.now())).error).toBe(reason);
  }, 60_000);
});
