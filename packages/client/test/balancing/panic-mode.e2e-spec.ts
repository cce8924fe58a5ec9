import { startHttpUpstreams, type HttpUpstream } from '@nestmesh/testing';
import { isAllInstancesEjectedError } from '@nestmesh/client';
import { bootClientApp, rejection, staticDiscovery } from '../support/client-app.js';

describe('outlier ejection and panic mode', () => {
  let upstreams: HttpUpstream[];

  beforeAll(async () => {
    upstreams = await startHttpUpstreams(2, () => (_req, res) => void res.writeHead(500).end());
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });

  const outlierDetection = { consecutiveFailures: 2, baseEjectionTime: 60_000, maxEjectionPercent: 100 };

  it('panic mode (default) spreads load over every instance once all are ejected', async () => {
    const app = await bootClientApp({ discovery: staticDiscovery('svc', upstreams), clients: { services: { svc: { strategy: 'round-robin', retry: false, outlierDetection } } } });
    try {
      for (let i = 0; i < 8; i++) await (await app.client('svc').get('/')).body.dump();
      for (const upstream of upstreams) upstream.requests.length = 0;
      // Both are ejected now: calls still go out, over both of them.
      const statuses = [];
      for (let i = 0; i < 20; i++) {
        const response = await app.client('svc').get('/');
        await response.body.dump();
        statuses.push(response.status);
      }
      expect(statuses.every((status) => status === 500)).toBe(true);
      expect(upstreams.every((upstream) => upstream.requests.length > 0)).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('without panic mode, rejects with AllInstancesEjectedError naming the service', async () => {
    const app = await bootClientApp({
      discovery: staticDiscovery('svc', upstreams),
      clients: { services: { svc: { retry: false, outlierDetection: { ...outlierDetection, panicMode: false } } } },
    });
    try {
      for (let i = 0; i < 4; i++) await (await app.client('svc').get('/')).body.dump();
      const error = await rejection(app.client('svc').get('/'));
      expect(isAllInstancesEjectedError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^All 2 instance\(s\) of "svc" are ejected/);
      expect((error as { getStatus(): number }).getStatus()).toBe(503);
    } finally {
      await app.close();
    }
  });
});
