import { ResilienceModule, ResilienceRegistry } from '@nestmesh/resilience';
import { startHttpUpstream } from '@nestmesh/testing';
import { isServiceCircuitOpenError } from '@nestmesh/client';
import { bootClientApp, rejection, staticDiscovery } from '../support/client-app.js';

describe("a named policy of the app's ResilienceModule", () => {
  it('guards the service with that policy, registered in the app’s ResilienceRegistry', async () => {
    const failing = await startHttpUpstream((_req, res) => void res.writeHead(502).end());
    const app = await bootClientApp({
      discovery: staticDiscovery('svc', [failing]),
      clients: { services: { svc: { policy: 'fragile', outlierDetection: false } } },
      imports: [ResilienceModule.forRoot({ logEvents: false, policies: { fragile: { circuitBreaker: { consecutiveFailures: 2, halfOpenAfter: 60_000 } } } })],
    });
    try {
      // Both answers are returned as they are (a 502 is an answer), and both count for the breaker.
      expect((await app.client('svc').get('/')).status).toBe(502);
      expect((await app.client('svc').get('/')).status).toBe(502);
      expect(isServiceCircuitOpenError(await rejection(app.client('svc').get('/')))).toBe(true);
      expect(failing.requests).toHaveLength(2);
      // Its breaker is the app's, named after the service (an unused TCP proxy registers none).
      expect(app.app.get(ResilienceRegistry).list()).toEqual([expect.objectContaining({ name: 'client:svc', kind: 'circuit-breaker', state: 'open' })]);
    } finally {
      await app.close();
      await failing.close();
    }
  });

  it("hands its failOn predicate the failing answer's status and headers", async () => {
    let status = 502;
    const upstream = await startHttpUpstream((_req, res) => void res.writeHead(status, { 'x-kind': 'overloaded' }).end());
    const seen: unknown[] = [];
    const failOn = (error: unknown) => {
      const { status: answered, headers } = error as Error & { status?: number; headers?: Record<string, unknown> };
      seen.push([answered, headers?.['x-kind']]);
      return answered === 503;
    };
    const app = await bootClientApp({
      discovery: staticDiscovery('svc', [upstream]),
      clients: { services: { svc: { policy: 'picky', outlierDetection: false } } },
      imports: [ResilienceModule.forRoot({ logEvents: false, policies: { picky: { circuitBreaker: { consecutiveFailures: 2, halfOpenAfter: 60_000, failOn } } } })],
    });
    try {
      // 502s are not failures for this policy: the breaker stays closed however many come.
      for (let index = 0; index < 3; index += 1) expect((await app.client('svc').get('/')).status).toBe(502);
      status = 503;
      expect((await app.client('svc').get('/')).status).toBe(503);
      expect((await app.client('svc').get('/')).status).toBe(503);
      expect(isServiceCircuitOpenError(await rejection(app.client('svc').get('/')))).toBe(true);
      expect(seen).toEqual([...Array(3).fill([502, 'overloaded']), [503, 'overloaded'], [503, 'overloaded']]);
    } finally {
      await app.close();
      await upstream.close();
    }
  });
});
