import { startHttpUpstream, waitFor, type HttpUpstream } from '@nestmesh/testing';
import { isServiceTimeoutError } from '@nestmesh/client';
import { AbortTarget, type RelaySink } from '@nestmesh/client/relay';
import { bootClientApp, rejection } from '../support/client-app.js';

/** Collects a relayed answer. */
class TextSink implements RelaySink {
  status = 0;
  text = '';
  readonly finished: Promise<void>;
  private done!: () => void;
  constructor() {
    this.finished = new Promise((resolve) => (this.done = resolve));
  }
  start(status: number): void {
    this.status = status;
  }
  write(chunk: Buffer): boolean {
    this.text += chunk.toString();
    return true;
  }
  end(): void {
    this.done();
  }
  fail(): void {
    this.done();
  }
}

/** `ServiceClient.relay()` (the gateway's path) keeps the same deadlines as `request()`. */
describe('relayed calls: deadlines and attempt timeouts', () => {
  let upstreams: HttpUpstream[];
  let received = 0;
  let holding: Array<() => void> = [];

  beforeAll(async () => {
    upstreams = await Promise.all(
      [0, 1, 2].map(() =>
        startHttpUpstream((req, res) => {
          if (req.url === '/slow') {
            const timer = setTimeout(() => res.end('slow'), 6_000);
            holding.push(() => {
              clearTimeout(timer);
              res.end('slow');
            });
            return;
          }
          if (req.url === '/flaky' && ++received % 3 !== 0) return; // hangs
          res.end(`answered ${req.url}`);
        }),
      ),
    );
  });
  afterAll(() => Promise.all(upstreams.map((upstream) => upstream.close())));

  const instances = (count: number) => upstreams.slice(0, count).map((upstream, index) => ({ id: `svc-${index}`, address: '127.0.0.1', port: upstream.port }));

  // 1.5 s: room for a loaded machine, yet attempt timeouts on undici's ~1 s timer ticks (the old behaviour) leave none for a third.
  it('times attempts out to the millisecond: two hung attempts of 200 ms leave a third within a 1.5 s deadline', async () => {
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { svc: instances(3) } },
      clients: {
        services: {
          svc: { deadline: 1_500, timeout: { ms: 200 }, strategy: 'round-robin', outlierDetection: false, retry: { maxAttempts: 3, backoff: { initialDelay: 1, maxDelay: 1 } } },
        },
      },
    });
    try {
      received = 0;
      const sink = new TextSink();
      const answer = await app.client('svc').relay({ method: 'GET', path: '/flaky' }, sink);
      await sink.finished;
      expect(answer.attempts).toBe(3);
      expect(sink.text).toBe('answered /flaky');
    } finally {
      await app.close();
    }
  });

  it('settles a relay waiting for a connection at its deadline and at its abort target; neither reaches the upstream', async () => {
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { svc: instances(1) } },
      clients: { services: { svc: { pool: { connections: 1 }, retry: false } } },
    });
    try {
      upstreams[0].requests.splice(0);
      holding = [];
      const svc = app.client('svc');
      let slowSettled = false;
      const slowSink = new TextSink();
      const slow = svc.relay({ method: 'GET', path: '/slow' }, slowSink).finally(() => (slowSettled = true));
      await waitFor(() => upstreams[0].requests.length === 1, { timeout: 10_000 });

      expect(isServiceTimeoutError(await rejection(svc.relay({ method: 'GET', path: '/queued-timeout', timeout: 300 }, new TextSink())))).toBe(true);
      // The gateway's abort when its client goes away: an AbortTarget.
      const gone = new AbortTarget();
      const reason = new Error('the client went away');
      setTimeout(() => gone.abort(reason), 200);
      expect(await rejection(svc.relay({ method: 'GET', path: '/queued-abort', signal: gone.undiciSignal }, new TextSink()))).toBe(reason);
      expect(slowSettled).toBe(false);

      holding[0]();
      await slow;
      await slowSink.finished;
      const after = new TextSink();
      await svc.relay({ method: 'GET', path: '/after' }, after);
      await after.finished;
      expect(after.text).toBe('answered /after');
      expect(upstreams[0].requests.map((request) => request.url)).toEqual(['/slow', '/after']);
    } finally {
      await app.close();
    }
  });
});
