import { startHttpUpstream, waitFor, writeBytes, type HttpUpstream } from '@nestmesh/testing';
import { isServiceTimeoutError, type ServiceResponse } from '@nestmesh/client';
import { bootClientApp, rejection } from '../support/client-app.js';

/** Releases a held answer at once, or after `ms` whatever happens (so a test of the old behaviour fails, not hangs). */
function holdAnswer(end: () => void, ms: number): () => void {
  let done = false;
  const release = () => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    end();
  };
  const timer = setTimeout(release, ms);
  return release;
}

describe('a call waiting for a pool connection', () => {
  let upstream: HttpUpstream;
  const held: Array<() => void> = [];

  beforeAll(async () => {
    upstream = await startHttpUpstream(async (req, res) => {
      if (req.url === '/slow') {
        res.on('close', () => held.shift()?.());
        held.push(holdAnswer(() => res.end('slow'), 6_000));
        return;
      }
      if (req.url === '/big') {
        // Far more than the socket buffers hold: unread, it keeps its connection busy.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        await writeBytes(res, 64 * 1024 * 1024);
        res.end();
        return;
      }
      res.end('fast');
    });
  });
  afterAll(() => upstream.close());
  beforeEach(() => upstream.requests.splice(0));

  it('settles at its timeout and at its caller’s abort while the only connection is busy, and never reaches the upstream afterwards', async () => {
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { svc: [{ id: 'svc-0', address: '127.0.0.1', port: upstream.port }] } },
      clients: { services: { svc: { pool: { connections: 1 }, retry: false } } },
    });
    try {
      const svc = app.client('svc');
      let slowSettled = false;
      const slow = svc.get('/slow').finally(() => (slowSettled = true));
      await waitFor(() => upstream.requests.length === 1, { timeout: 10_000 });

      const timedOut = await rejection(svc.get('/queued-timeout', { timeout: 300 }));
      expect(isServiceTimeoutError(timedOut)).toBe(true);
      expect((timedOut as Error).message).toMatch(/did not answer within the 300 ms deadline/);
      expect(slowSettled).toBe(false);

      const caller = new AbortController();
      const reason = new Error('the caller gave up');
      setTimeout(() => caller.abort(reason), 200);
      expect(await rejection(svc.get('/queued-abort', { signal: caller.signal }))).toBe(reason);
      expect(slowSettled).toBe(false);

      held[0]();
      expect(await (await slow).body.text()).toBe('slow');
      // The connection carries the next call; the two abandoned ones were dropped without a byte sent.
      expect(await (await svc.get('/after')).body.text()).toBe('fast');
      expect(upstream.requests.map((request) => request.url)).toEqual(['/slow', '/after']);
    } finally {
      await app.close();
    }
  });

  it("settles at the service's own deadline (one timer shared by the service's calls) while the only connection is busy, also after the call the timer was armed for left", async () => {
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { svc: [{ id: 'svc-0', address: '127.0.0.1', port: upstream.port }] } },
      clients: { services: { svc: { deadline: 800, pool: { connections: 1 }, retry: false } } },
    });
    try {
      const svc = app.client('svc');
      // A call of its own length holds the connection on a timer of its own.
      const slow = svc.get('/slow', { timeout: 20_000 });
      await waitFor(() => upstream.requests.length === 1, { timeout: 10_000 });

      // Both wait for the connection on the service's shared timer, armed for the first; the first leaves early,
      // and the second, started later, ends only if the timer is armed again for it.
      const caller = new AbortController();
      const reason = new Error('the caller gave up');
      const first = rejection(svc.get('/queued-first', { signal: caller.signal }));
      setTimeout(() => caller.abort(reason), 100);
      expect(await first).toBe(reason);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const timedOut = await rejection(svc.get('/queued-second'));
      expect(isServiceTimeoutError(timedOut)).toBe(true);
      expect((timedOut as Error).message).toMatch(/did not answer within the 800 ms deadline/);

      held[0]();
      expect(await (await slow).body.text()).toBe('slow');
      expect(await (await svc.get('/after')).body.text()).toBe('fast');
      expect(upstream.requests.map((request) => request.url)).toEqual(['/slow', '/after']);
    } finally {
      await app.close();
    }
  });

  it('settles at its deadline when unread bodies hold every connection; the app then closes without waiting out closeTimeout', async () => {
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { svc: [{ id: 'svc-0', address: '127.0.0.1', port: upstream.port }] } },
      // A close timeout far beyond this test's own: returning from app.close() proves it was not waited out.
      clients: { services: { svc: { pool: { connections: 2, closeTimeout: 600_000 }, retry: false } } },
    });
    try {
      const svc = app.client('svc');
      const unread: ServiceResponse[] = [await svc.get('/big'), await svc.get('/big')];
      const timedOut = await rejection(svc.get('/next', { timeout: 300 }));
      expect(isServiceTimeoutError(timedOut)).toBe(true);
      // Ordering: the call settled while both bodies were still unread, and it never reached the upstream.
      expect(unread.every((response) => !response.body.readableEnded && !response.body.destroyed)).toBe(true);
      expect(upstream.requests.map((request) => request.url)).toEqual(['/big', '/big']);
      await Promise.all(unread.map((response) => response.body.dump()));
    } finally {
      await app.close();
    }
    expect(upstream.requests.map((request) => request.url)).toEqual(['/big', '/big']);
  }, 60_000);
});

describe('timeout.ms while waiting for a pool connection', () => {
  it('retries elsewhere even a POST: nothing was sent, and the busy instance never receives it', async () => {
    const busy = await startHttpUpstream(async (req, res) => {
      if (req.url !== '/big') return void res.end('busy answered');
      await writeBytes(res, 64 * 1024 * 1024);
      res.end();
    });
    const free = await startHttpUpstream(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      res.end(`free got ${body}`);
    });
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { svc: [{ id: 'busy', address: '127.0.0.1', port: busy.port }, { id: 'free', address: '127.0.0.1', port: free.port }] } },
      clients: {
        services: {
          svc: {
            pool: { connections: 1 },
            timeout: { ms: 200 },
            outlierDetection: false,
            strategy: { pick: (candidates) => candidates.find((candidate) => candidate.instance.id === 'busy') ?? candidates[0] },
          },
        },
      },
    });
    try {
      const svc = app.client('svc');
      // Its body unread (paused by its reader, so not timed out), this answer holds the only connection to "busy".
      const unread = await svc.get('/big');
      const posted = await svc.post('/orders', 'order-1');
      expect(posted.instance.id).toBe('free');
      expect(posted.attempts).toBe(2);
      expect(await posted.body.text()).toBe('free got order-1');
      await unread.body.dump();
      expect(busy.requests.map((request) => request.url)).toEqual(['/big']);
    } finally {
      await app.close();
      await Promise.all([busy.close(), free.close()]);
    }
  });
});

describe('attempt timeouts', () => {
  let upstreams: HttpUpstream[];
  let received = 0;

  beforeAll(async () => {
    upstreams = await Promise.all(
      [0, 1, 2].map(() =>
        startHttpUpstream((req, res) => {
          // The first two attempts of each call hang (until the client gives up on them); the third answers.
          if (++received % 3 !== 0) return;
          res.end(`answered on try ${received}`);
        }),
      ),
    );
  });
  afterAll(() => Promise.all(upstreams.map((upstream) => upstream.close())));

  it('are exact to the millisecond: with deadline 900 and timeout 200, two hung attempts still leave time for a third', async () => {
    // undici's own headers timeout runs on ~1 s ticks: the first hung attempt alone would outlast the deadline.
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { svc: upstreams.map((upstream, index) => ({ id: `svc-${index}`, address: '127.0.0.1', port: upstream.port })) } },
      clients: {
        services: {
          svc: { deadline: 900, timeout: { ms: 200 }, strategy: 'round-robin', outlierDetection: false, retry: { maxAttempts: 3, backoff: { initialDelay: 1, maxDelay: 1 } } },
        },
      },
    });
    try {
      received = 0;
      const response = await app.client('svc').get('/');
      expect(response.status).toBe(200);
      expect(response.attempts).toBe(3);
      expect(await response.body.text()).toBe('answered on try 3');
    } finally {
      await app.close();
    }
  });
});
