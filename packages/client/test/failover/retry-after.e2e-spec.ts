import { startConsulAgent, startHttpUpstream, waitFor, type ConsulAgent, type HttpUpstream } from '@nestmesh/testing';
import { ServiceDiscovery } from '@nestmesh/discovery';
import { bootClientApp } from '../support/client-app.js';

describe('Retry-After is what one instance asks (real Consul, real HTTP servers)', () => {
  let consul: ConsulAgent;
  const upstreams: HttpUpstream[] = [];
  const discovery = { registry: 'consul' as const, consul: { address: '' } };

  const register = (service: string, id: string, upstream: HttpUpstream) =>
    consul.put('/v1/agent/service/register', { ID: id, Name: service, Address: '127.0.0.1', Port: upstream.port });
  const upstream = async (handler: Parameters<typeof startHttpUpstream>[0]) => {
    const started = await startHttpUpstream(handler);
    upstreams.push(started);
    return started;
  };

  beforeAll(async () => {
    consul = await startConsulAgent();
    discovery.consul.address = consul.httpAddr;
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((started) => started.close()));
    await consul?.stop();
  });

  it('retries on the other instance at once, and sends the 503 instance nothing new until its Retry-After passed', async () => {
    let open = true;
    const refusedAt: number[] = [];
    const busy = await upstream((_req, res) => {
      if (!open) return void res.end('busy-ok');
      refusedAt.push(performance.now());
      res.writeHead(503, { 'retry-after': '5' }).end('breaker open');
    });
    const healthy = await upstream((_req, res) => void res.end('ok'));
    await register('quotes', 'quotes-busy', busy);
    await register('quotes', 'quotes-healthy', healthy);
    const app = await bootClientApp({ discovery, clients: { services: { quotes: { strategy: 'round-robin', outlierDetection: false } } } });
    try {
      await waitFor(async () => (await app.app.get(ServiceDiscovery).getInstances('quotes')).length === 2, { description: 'both instances in Consul' });
      const startedAt = performance.now();
      const outcomes: Array<[number, string]> = [];
      for (let i = 0; i < 20; i++) {
        const response = await app.client('quotes').get('/');
        outcomes.push([response.status, await response.body.text()]);
      }
      // Every call answered by the healthy instance (a retry waiting for the busy one would have got its 503 again).
      expect(outcomes).toEqual(Array(20).fill([200, 'ok']));
      // Round robin would send it every other call: it got one, whose retry went elsewhere (within the retry budget),
      // then nothing for the 5 s it asked (however slow this machine is, never two within 5 s).
      expect(refusedAt.length).toBeGreaterThanOrEqual(1);
      for (let i = 1; i < refusedAt.length; i++) expect(refusedAt[i] - refusedAt[i - 1]).toBeGreaterThanOrEqual(4_900);
      expect(busy.requests).toHaveLength(refusedAt.length);
      expect(healthy.requests).toHaveLength(20);

      open = false;
      await waitFor(() => performance.now() - startedAt > 5_500, { timeout: 10_000, description: 'the Retry-After to pass' });
      const later: string[] = [];
      for (let i = 0; i < 10; i++) later.push(await (await app.client('quotes').get('/')).body.text());
      expect(later.filter((body) => body === 'busy-ok').length).toBeGreaterThanOrEqual(4);
    } finally {
      await app.close();
    }
  });

  it('retries a GET on the single instance after its Retry-After, within the deadline', async () => {
    const seen: number[] = [];
    const single = await upstream((_req, res) => {
      seen.push(performance.now());
      if (seen.length === 1) res.writeHead(503, { 'retry-after': '1' }).end('restarting');
      else res.end('ok');
    });
    await register('solo', 'solo-1', single);
    const app = await bootClientApp({ discovery, clients: { services: { solo: {} } } });
    try {
      const response = await app.client('solo').get('/');
      expect([response.status, await response.body.text(), response.attempts, response.instance.id]).toEqual([200, 'ok', 2, 'solo-1']);
      expect(seen).toHaveLength(2);
      expect(seen[1] - seen[0]).toBeGreaterThanOrEqual(990);
    } finally {
      await app.close();
    }
  });

  it('retries a GET on the single instance whose keep-alive connection dropped', async () => {
    let requests = 0;
    const single = await upstream((req, res) => {
      requests++;
      // A restart or a keep-alive race: the connection goes away without an answer.
      if (requests === 1) req.socket.destroy();
      else res.end('ok');
    });
    await register('flaky', 'flaky-1', single);
    const app = await bootClientApp({ discovery, clients: { services: { flaky: {} } } });
    try {
      const response = await app.client('flaky').get('/');
      expect([response.status, await response.body.text(), response.attempts]).toEqual([200, 'ok', 2]);
      expect(requests).toBe(2);
      // A POST is not retried: it may have been handled.
      requests = 0;
      await expect(app.client('flaky').post('/', { a: 1 })).rejects.toMatchObject({ attempts: 1 });
      expect(requests).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('returns the 503 at once when the single instance asks for longer than the deadline leaves', async () => {
    const single = await upstream((_req, res) => void res.writeHead(503, { 'retry-after': '5' }).end('later'));
    await register('slowpoke', 'slowpoke-1', single);
    // maxDelay allows 5 s: only the 2 s deadline rules the wait out.
    const app = await bootClientApp({ discovery, clients: { services: { slowpoke: { deadline: 2_000, retry: { maxAttempts: 3, backoff: { maxDelay: 60_000 } } } } } });
    try {
      const response = await app.client('slowpoke').get('/');
      expect([response.status, await response.body.text(), response.attempts]).toEqual([503, 'later', 1]);
      expect(single.requests).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});
