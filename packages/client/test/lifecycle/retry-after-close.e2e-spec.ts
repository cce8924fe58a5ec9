import { ResilienceModule, isTaskCancelledError } from '@nestmesh/resilience';
import { startHttpUpstream } from '@nestmesh/testing';
import { bootClientApp, rejection, staticDiscovery } from '../support/client-app.js';

describe('a call waiting to retry when its app closes', () => {
  it.each([
    ['with the app’s ResilienceModule', true],
    ['with the standalone policies (no ResilienceModule)', false],
  ])('%s: starts no further attempt and rejects saying the app closed', async (_, withModule) => {
    const busy = await startHttpUpstream((_req, res) => void res.writeHead(503).end('busy'));
    const app = await bootClientApp({
      discovery: staticDiscovery('svc', [busy]),
      clients: { services: { svc: { outlierDetection: false, retryBudget: false, retry: { maxAttempts: 3, backoff: { initialDelay: 300, jitter: false } } } } },
      imports: withModule ? [ResilienceModule.forRoot({ logEvents: false })] : [],
    });
    try {
      const call = rejection(app.client('svc').get('/'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(busy.requests).toHaveLength(1);
      await app.close();
      const error = await call;
      expect(isTaskCancelledError(error)).toBe(true);
      expect((error as Error).message).toMatch(/app closed/);
      expect(busy.requests).toHaveLength(1);
    } finally {
      await busy.close();
    }
  });
});
