import { setTimeout as sleep } from 'node:timers/promises';
import { startHttpUpstreams, type HttpUpstream } from '@nestmesh/testing';
import { bootClientApp, quantile, runLoad, staticDiscovery } from '../support/client-app.js';

const FAST_MS = 5;
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

  it('sends the slow instance at most 10% of requests, and the p99 stays below its latency', async () => {
    const app = await bootClientApp({ discovery: staticDiscovery('svc', upstreams), clients: { services: { svc: {} } } });
    try {
      const latencies = await runLoad(2_000, 8, async () => {
        const started = performance.now();
        const response = await app.client('svc').get('/');
        await response.body.dump();
        expect(response.status).toBe(200);
        return performance.now() - started;
      });
      const slowShare = upstreams[2].requests.length / latencies.length;
      expect(slowShare).toBeLessThanOrEqual(0.1);
      expect(quantile(latencies, 0.99)).toBeLessThan(SLOW_MS);
    } finally {
      await app.close();
    }
  });
});
