import { bootNestApp, CapturingLogger, startConsulAgent, startHttpUpstream, waitFor, type ConsulAgent } from '@nestmesh/testing';
import { healthOf } from '../support/consul-health.js';
import { discoverableAppModule } from '../support/test-app.js';

describe('graceful shutdown', () => {
  let consul: ConsulAgent;

  beforeAll(async () => {
    consul = await startConsulAgent();
  });
  afterAll(async () => {
    await consul?.stop();
  });

  it('lets an in-flight request finish before deregistering', async () => {
    const logger = new CapturingLogger();
    const booted = await bootNestApp(
      discoverableAppModule({ name: 'drainer', address: '127.0.0.1' }, { registry: 'consul', consul: { address: consul.httpAddr }, shutdown: { drainDelay: 100 } }),
      { logger },
    );
    await waitFor(async () => (await healthOf(consul, 'drainer', true)).length === 1, { description: 'drainer passing' });
    const slow = fetch(`${booted.url}/work/slow`).then(async (r) => ({ status: r.status, body: await r.json(), at: Date.now() }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await booted.close();
    const closedAt = Date.now();
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ done: 'slowly' });
    // Deregistration waited for the request (800 ms) although the drain delay was 100 ms.
    const deregistered = logger.matching(/^Deregistered drainer-/);
    expect(deregistered).toHaveLength(1);
    expect(answer.at).toBeLessThanOrEqual(closedAt);
    expect(await healthOf(consul, 'drainer')).toEqual([]);
  });

  it('deregisters even while a long-lived request (a stream, a long poll) outlasts the shutdown budget', async () => {
    const logger = new CapturingLogger();
    const booted = await bootNestApp(
      discoverableAppModule({ name: 'streamer', address: '127.0.0.1' }, { registry: 'consul', consul: { address: consul.httpAddr }, shutdown: { drainDelay: 0, timeout: '2s' } }),
      { logger },
    );
    await waitFor(async () => (await healthOf(consul, 'streamer', true)).length === 1, { description: 'streamer passing' });
    // Never answered: the wait for in-flight requests runs out, and must leave time to deregister. The client gives
    // up once the budget is over (the HTTP server's own close waits for its connections).
    const client = new AbortController();
    const forever = fetch(`${booted.url}/work/forever`, { signal: client.signal }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = booted.close();
    await waitFor(() => logger.matching(/^Deregistered streamer-|^Could not deregister/).length > 0, { timeout: 5_000, description: 'the deregistration tried' });
    client.abort();
    await closed;
    expect(logger.matching(/^Could not deregister/)).toEqual([]);
    expect(logger.matching(/^Deregistered streamer-/)).toHaveLength(1);
    expect(await healthOf(consul, 'streamer')).toEqual([]);
    await forever;
  });

  it('a registry that stops answering never hangs shutdown: it gives up after shutdown.timeout', async () => {
    // A real HTTP server standing in for a Consul agent that hangs after registration: a real agent cannot be made
    // to stop answering on demand while staying connected.
    const hanging = await startHttpUpstream((request, response) => {
      if (request.url?.startsWith('/v1/status/leader')) return void response.writeHead(200, { 'content-type': 'application/json' }).end('"x"');
      if (request.url?.startsWith('/v1/agent/service/register')) return void response.writeHead(200).end();
      // The bootstrap's registration probe is removed again; the instance is not known before it registers.
      if (request.url?.includes('-nestmesh-probe-')) return void response.writeHead(200).end();
      if (request.method === 'GET' && request.url?.startsWith('/v1/agent/service/')) return void response.writeHead(404, { 'content-type': 'text/plain' }).end('unknown service ID');
      if (request.url?.startsWith('/v1/health/service')) return void response.writeHead(200, { 'content-type': 'application/json', 'x-consul-index': '1' }).end('[]');
      // Maintenance, deregistration and heartbeats: never answered.
    });
    const logger = new CapturingLogger();
    try {
      const booted = await bootNestApp(
        discoverableAppModule({ name: 'stuck', address: '127.0.0.1' }, { registry: 'consul', consul: { address: new URL(hanging.url).host }, shutdown: { drainDelay: 100, timeout: '1s' } }),
        { logger },
      );
      await waitFor(() => logger.matching(/^Registered stuck-/).length === 1, { description: 'registered' });
      const closing = booted.close().then(() => 'closed');
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([closing, new Promise((resolve) => (timer = setTimeout(() => resolve('still hanging'), 5_000)))]);
      clearTimeout(timer);
      expect(outcome).toBe('closed');
      expect(logger.matching(/^Could not mark stuck-127\.0\.0\.1-\d+ critical/)).toHaveLength(1);
      expect(logger.matching(/^Could not deregister stuck-127\.0\.0\.1-\d+: .*The registry drops it once its check stays critical/)).toHaveLength(1);
    } finally {
      await hanging.close();
    }
  });
});
