import { startHttpUpstream, type HttpUpstream } from '@nestmesh/testing';
import { bootClientApp, rejection, staticDiscovery } from '../support/client-app.js';

describe("a call its caller cancels (the caller's signal)", () => {
  let upstream: HttpUpstream;
  const held = new Set<() => void>();

  beforeAll(async () => {
    upstream = await startHttpUpstream((req, res) => {
      if (req.url !== '/slow') return void res.end('fast');
      const answer = () => res.end('slow');
      held.add(answer);
      res.on('close', () => held.delete(answer));
    });
  });
  afterAll(async () => {
    for (const answer of held) answer();
    await upstream.close();
  });

  it("is not counted by the service's circuit breaker: cancellations never open it", async () => {
    const app = await bootClientApp({
      discovery: staticDiscovery('svc', [upstream]),
      clients: { services: { svc: { retry: false, outlierDetection: false, circuitBreaker: { consecutiveFailures: 2, halfOpenAfter: 60_000 } } } },
    });
    try {
      for (let index = 0; index < 3; index += 1) {
        const controller = new AbortController();
        const call = app.client('svc').get('/slow', { signal: controller.signal });
        setTimeout(() => controller.abort(new Error(`caller gave up ${index}`)), 30);
        // The caller gets its own reason back.
        expect(await rejection(call)).toEqual(new Error(`caller gave up ${index}`));
      }
      const answer = await app.client('svc').get('/');
      expect([answer.status, await answer.body.text()]).toEqual([200, 'fast']);
    } finally {
      await app.close();
    }
  });
});
