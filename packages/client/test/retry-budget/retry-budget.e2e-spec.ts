import { startHttpUpstreams, type HttpUpstream } from '@nestmesh/testing';
import { bootClientApp, runLoad, staticDiscovery } from '../support/client-app.js';

describe('every instance answering 503', () => {
  let upstreams: HttpUpstream[];

  beforeAll(async () => {
    upstreams = await startHttpUpstreams(3, () => (_req, res) => void res.writeHead(503).end('down'));
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
  });

  it('keeps the attempts counted at the servers within the retry budget, and answers every call with the 503', async () => {
    const calls = 300;
    const budget = { percent: 20, minRetriesPerSecond: 1, window: 10_000 };
    const app = await bootClientApp({ discovery: staticDiscovery('orders', upstreams), clients: { services: { orders: { retryBudget: budget } } } });
    try {
      const statuses = await runLoad(calls, 5, async () => {
        const response = await app.client('orders').get('/orders');
        await response.body.dump();
        return response.status;
      });
      expect(statuses.every((status) => status === 503)).toBe(true);
      const attempts = upstreams.reduce((sum, upstream) => sum + upstream.requests.length, 0);
      // Without a budget, 3 attempts per call (900); with it, calls + 20% + the floor over one window.
      // The budget is used, not merely a floor: about 20% of the calls were retried.
      expect(attempts).toBeGreaterThanOrEqual(calls * 1.15);
      expect(attempts).toBeLessThanOrEqual(calls + calls * 0.2 + budget.minRetriesPerSecond * 10);
    } finally {
      await app.close();
    }
  });
});
