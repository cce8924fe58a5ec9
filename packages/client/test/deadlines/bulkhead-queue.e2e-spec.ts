import { startHttpUpstream, type HttpUpstream } from '@nestmesh/testing';
import { isServiceTimeoutError } from '@nestmesh/client';
import { bootClientApp, rejection, staticDiscovery } from '../support/client-app.js';

describe("a call waiting in the service's bulkhead queue", () => {
  let upstream: HttpUpstream;
  const held = new Set<() => void>();

  beforeAll(async () => {
    upstream = await startHttpUpstream((_req, res) => {
      // Answers when released (afterEach), or after 10 s whatever happens: a waiter that ignores its deadline fails the test, not hangs.
      const answer = () => {
        clearTimeout(timer);
        held.delete(answer);
        res.end('slow');
      };
      const timer = setTimeout(answer, 10_000);
      held.add(answer);
    });
  });
  afterEach(() => {
    for (const answer of [...held]) answer();
  });
  afterAll(() => upstream.close());

  const boot = () =>
    bootClientApp({
      discovery: staticDiscovery('svc', [upstream]),
      clients: { services: { svc: { retry: false, deadline: 20_000, bulkhead: { limit: 1, queue: 5 } } } },
    });

  it('leaves the queue at its deadline with a ServiceTimeoutError, the call holding the slot untouched', async () => {
    const app = await boot();
    try {
      const first = app.client('svc').get('/');
      const queued = app.client('svc').get('/', { timeout: 200 });
      const error = await rejection(queued);
      expect(isServiceTimeoutError(error)).toBe(true);
      expect(held.size).toBe(1); // the queued call never reached the upstream
      for (const answer of [...held]) answer();
      expect((await first).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("leaves the queue as soon as its caller's signal aborts, with the caller's reason", async () => {
    const app = await boot();
    try {
      const first = app.client('svc').get('/');
      const controller = new AbortController();
      const queued = app.client('svc').get('/', { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('caller gave up')), 100);
      expect(await rejection(queued)).toEqual(new Error('caller gave up'));
      expect(held.size).toBe(1);
      for (const answer of [...held]) answer();
      expect((await first).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});
