import { Controller, Get, Headers, Param } from '@nestjs/common';
import { startHttpUpstream, startHttpUpstreams, type HttpPlatform, type HttpUpstream } from '@nestmesh/testing';
import { Readable } from 'node:stream';
import {
  DEADLINE_HEADER,
  InjectServiceClient,
  ServiceClient,
  ServiceClients,
  isNoInstancesError,
  isServiceCircuitOpenError,
  isServiceTimeoutError,
  isUpstreamUnreachableError,
} from '@nestmesh/client';
import { bootClientApp, rejection, staticDiscovery } from '../support/client-app.js';

@Controller()
class CallController {
  constructor(
    @InjectServiceClient('svc') private readonly svc: ServiceClient,
    private readonly clients: ServiceClients,
  ) {}

  @Get('call')
  async call(@Headers('x-up-path') path = '/'): Promise<unknown> {
    const response = await this.svc.get(path);
    return { status: response.status, body: await response.body.json() };
  }

  @Get('other/:name')
  async other(@Param('name') name: string): Promise<string> {
    return (await this.clients.get(name).get('/')).body.text();
  }
}

describe.each<HttpPlatform>(['express', 'fastify'])('ServiceClient over real HTTP (%s)', (platform) => {
  let upstreams: HttpUpstream[];
  let slow: HttpUpstream;

  beforeAll(async () => {
    upstreams = await startHttpUpstreams(2, () => async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, body, headers: req.headers }));
    });
    slow = await startHttpUpstream(() => undefined);
  });
  afterAll(async () => {
    await Promise.all([...upstreams, slow].map((upstream) => upstream.close()));
  });

  it('sends bodies (string, Buffer, Uint8Array, stream, JSON), query and headers, and answers with instance and attempts', async () => {
    const app = await bootClientApp({ platform, discovery: staticDiscovery('svc', upstreams), clients: { services: { svc: {} } } });
    try {
      const svc = app.client('svc');
      const read = async (promise: ReturnType<ServiceClient['get']>) => {
        const response = await promise;
        expect(response.status).toBe(200);
        expect(response.attempts).toBe(1);
        expect(['svc-0', 'svc-1']).toContain(response.instance.id);
        return (await response.body.json()) as { method: string; url: string; body: string; headers: Record<string, string> };
      };
      expect((await read(svc.post('/a', 'text'))).body).toBe('text');
      expect((await read(svc.put('/a', Buffer.from('buf')))).body).toBe('buf');
      expect((await read(svc.patch('/a', new TextEncoder().encode('bytes')))).body).toBe('bytes');
      expect((await read(svc.post('/a', Readable.from([Buffer.from('str'), Buffer.from('eam')])))).body).toBe('stream');
      const json = await read(svc.post('/a', { id: 1 }, { query: { q: 'x y', n: [1, 2] }, headers: { 'X-Custom': 'yes' } }));
      expect(json).toMatchObject({ method: 'POST', url: '/a?q=x+y&n=1&n=2', body: '{"id":1}' });
      expect(json.headers).toMatchObject({ 'content-type': 'application/json', 'x-custom': 'yes' });
      expect(Number(json.headers[DEADLINE_HEADER])).toBeGreaterThan(9_000);
      expect((await read(svc.delete('/a/1'))).method).toBe('DELETE');
      expect((await read(svc.request({ method: 'get', path: '/b', timeout: 3_000 }))).headers[DEADLINE_HEADER]).toMatch(/^[12]\d{3}$/);
      // Methods in any case are sent upper-cased, the usual ones and others alike; one that is not a method is refused.
      expect((await read(svc.request({ method: 'Patch', path: '/b' }))).method).toBe('PATCH');
      expect((await read(svc.request({ method: 'purge', path: '/b' }))).method).toBe('PURGE');
      await expect(svc.request({ method: 'GE T', path: '/b' })).rejects.toThrow(/invalid "method" "GE T".*such as "GET"/);
    } finally {
      await app.close();
    }
  });

  it('propagates x-request-id and traceparent of the incoming request', async () => {
    const app = await bootClientApp({ platform, discovery: staticDiscovery('svc', upstreams), clients: { services: { svc: {} } }, controllers: [CallController] });
    try {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const res = await fetch(`${app.url}/call`, { headers: { 'x-request-id': 'req-42', traceparent, 'x-other': 'no' } });
      const { body } = (await res.json()) as { body: { headers: Record<string, string> } };
      expect(body.headers['x-request-id']).toBe('req-42');
      expect(body.headers.traceparent).toBe(traceparent);
      expect(body.headers['x-other']).toBeUndefined();
      // Without incoming headers nothing is invented.
      const plain = (await (await fetch(`${app.url}/call`)).json()) as { body: { headers: Record<string, string> } };
      expect(plain.body.headers['x-request-id']).toBeUndefined();
    } finally {
      await app.close();
    }
  });

  it('maps its errors to 503 (no instances) and 504 (deadline) from a controller', async () => {
    const app = await bootClientApp({
      platform,
      discovery: { registry: 'static', staticServices: { svc: [`127.0.0.1:${slow.port}`], empty: [] } },
      clients: { services: { svc: { deadline: 300 } } },
      controllers: [CallController],
    });
    try {
      const timedOut = await fetch(`${app.url}/call`);
      expect(timedOut.status).toBe(504);
      expect(((await timedOut.json()) as { message: string }).message).toMatch(/"svc" did not answer within the 300 ms deadline \(1 attempt\(s\), last instance svc-127\.0\.0\.1-\d+\)/);
      // An incoming x-nestmesh-deadline-ms caps the deadline of the calls made for that request.
      const inherited = await fetch(`${app.url}/call`, { headers: { 'x-nestmesh-deadline-ms': '100' } });
      expect(inherited.status).toBe(504);
      expect(((await inherited.json()) as { message: string }).message).toMatch(/within the \d{2,3} ms deadline/);
      const none = await fetch(`${app.url}/other/empty`);
      expect(none.status).toBe(503);
      expect(((await none.json()) as { message: string }).message).toMatch(/^No instance of "empty" to call: none is registered/);
      expect(isServiceTimeoutError(await rejection(app.client('svc').get('/')))).toBe(true);
      expect(isNoInstancesError(await rejection(app.app.get(ServiceClients).get('empty').get('/')))).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('retries and breaker over real HTTP', () => {
  it('retries an idempotent request on a different instance, honouring Retry-After, but not a POST', async () => {
    const failing = await startHttpUpstream((_req, res) => void res.writeHead(503, { 'retry-after': '0' }).end('busy'));
    const healthy = await startHttpUpstream();
    const app = await bootClientApp({
      discovery: staticDiscovery('svc', [failing, healthy]),
      clients: { services: { svc: { strategy: 'round-robin', outlierDetection: false } } },
    });
    try {
      const attempts: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await app.client('svc').get('/');
        expect(response.status).toBe(200);
        expect(response.instance.id).toBe('svc-1');
        await response.body.dump();
        attempts.push(response.attempts);
      }
      // Round robin turns to the failing instance every other pick: those calls took a second attempt elsewhere.
      expect(attempts).toEqual([2, 2, 2, 2]);
      expect(failing.requests.length).toBe(4);
      const post = await app.client('svc').post('/', { a: 1 });
      const second = await app.client('svc').post('/', { a: 1 });
      // One of the two POSTs went to the failing instance and came back as its 503, not retried.
      expect([post.status, second.status].sort()).toEqual([200, 503]);
      const failed = post.status === 503 ? post : second;
      expect(failed.attempts).toBe(1);
      expect(await failed.body.text()).toBe('busy');
      const keyed = await app.client('svc').post('/', { a: 1 }, { headers: { 'Idempotency-Key': 'k1' } });
      const keyed2 = await app.client('svc').post('/', { a: 1 }, { headers: { 'Idempotency-Key': 'k2' } });
      expect([keyed.status, keyed2.status]).toEqual([200, 200]);
    } finally {
      await app.close();
      await Promise.all([failing.close(), healthy.close()]);
    }
  });

  it("does not wait out one instance's Retry-After to retry on another, and sends that instance no new call meanwhile", async () => {
    const busy = await startHttpUpstream((_req, res) => void res.writeHead(503, { 'retry-after': '30' }).end());
    const healthy = await startHttpUpstream((_req, res) => void res.end('ok'));
    const app = await bootClientApp({
      discovery: staticDiscovery('svc', [busy, healthy]),
      // The first candidate is the busy one whenever it is a candidate; a 60 s maxDelay would let a retry wait 30 s.
      clients: { services: { svc: { strategy: { pick: (candidates) => candidates[0] }, retry: { maxAttempts: 2, backoff: { initialDelay: 1, maxDelay: 60_000 } } } } },
    });
    try {
      const response = await app.client('svc').get('/');
      expect([response.status, response.attempts, response.instance.id]).toEqual([200, 2, 'svc-1']);
      const next = await app.client('svc').get('/');
      expect([next.status, next.attempts, next.instance.id]).toEqual([200, 1, 'svc-1']);
      expect(busy.requests).toHaveLength(1);
    } finally {
      await app.close();
      await Promise.all([busy.close(), healthy.close()]);
    }
  });

  it('returns the 503 at once when every instance was tried and asks for longer than the deadline leaves', async () => {
    const failing = await startHttpUpstream((_req, res) => void res.writeHead(503, { 'retry-after': '120' }).end());
    const app = await bootClientApp({ discovery: staticDiscovery('svc', [failing, failing]), clients: { services: { svc: { retry: { maxAttempts: 3, backoff: { maxDelay: 600_000 } } } } } });
    try {
      const response = await app.client('svc').get('/');
      expect(response.status).toBe(503);
      // Each of the two instances once: a retry goes to the other at once, none waits 120 s within a 10 s deadline.
      expect(response.attempts).toBe(2);
      expect(failing.requests).toHaveLength(2);
    } finally {
      await app.close();
      await failing.close();
    }
  });

  it('rejects with UpstreamUnreachableError naming the service when every instance refuses, then opens the breaker', async () => {
    const gone = await startHttpUpstreams(2);
    await Promise.all(gone.map((upstream) => upstream.close()));
    const app = await bootClientApp({
      discovery: staticDiscovery('svc', gone),
      clients: { services: { svc: { circuitBreaker: { consecutiveFailures: 2, halfOpenAfter: 60_000 }, outlierDetection: false } } },
    });
    try {
      const error = await app.client('svc').get('/').catch((e: unknown) => e);
      expect(isUpstreamUnreachableError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^"svc" could not be reached: instance svc-\d failed with ECONNREFUSED/);
      expect(error).toMatchObject({ serviceName: 'svc', attempts: 2 });
      expect((error as { getStatus(): number }).getStatus()).toBe(503);
      expect(isServiceCircuitOpenError(await rejection(app.client('svc').get('/')))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
