import { setTimeout as sleep } from 'node:timers/promises';
import { startHttpUpstreams, type HttpUpstream } from '@nestmesh/testing';
import { bootClientApp, runLoad, staticDiscovery } from '../support/client-app.js';

const FAST_MS = 10;
const SLOW_MS = FAST_MS * 20;

describe('p2c-ewma (the default) with one instance 20x slower among three', () => {
  let upstreams: HttpUpstream[];

  beforeAll(async () => {
    upstreams = await startHttpUpstreams(3, (index) => async (_req, res) => {
      await sleep(index === 2 ? SLOW_MS : FAST_MS);
      res.end('ok');
    });
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });

  it('sends the slow instance at most 10% of requests, and under 1% once warm (so the p99 is never its latency)', async () => {
    const app = await bootClientApp({ discovery: staticDiscovery('svc', upstreams), clients: { services: { svc: {} } } });
    try {
      const call = async () => {
        const started = performance.now();
        const response = await app.client('svc').get('/');
        await response.body.dump();
        expect(response.status).toBe(200);
        return performance.now() - started;
      };
      // Warm-up: until an instance has answered, it has no latency estimate and is tried like any other.
      await runLoad(100, 8, call);
      const slowBefore = upstreams[2].requests.length;
      const latencies = await runLoad(1_000, 8, call);
      const slowShare = (upstreams[2].requests.length - slowBefore) / latencies.length;
      expect(slowShare).toBeLessThanOrEqual(0.1);
      // The p99 stays below the slow instance's latency exactly when fewer than 1% of calls went to it; counted
      // here rather than timed, since a loaded machine stalls calls to fast instances too (a wall-clock p99 is noise).
      expect(slowShare).toBeLessThan(0.01);
    } finally {
      await app.close();
    }
  });
});
