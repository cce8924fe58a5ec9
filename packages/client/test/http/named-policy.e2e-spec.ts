import { ResilienceModule, ResilienceRegistry } from '@nestmesh/resilience';
import { startHttpUpstream } from '@nestmesh/testing';
import { isServiceCircuitOpenError, isServiceClientConfigurationError } from '@nestmesh/client';
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

  it("retries as its retry section says: maxAttempts and the module's retry defaults, not the client's own 3", async () => {
    const busy = await startHttpUpstream((_req, res) => void res.writeHead(503).end('busy'));
    const app = await bootClientApp({
      discovery: staticDiscovery('svc', [busy]),
      clients: { services: { five: { serviceName: 'svc', policy: 'five', outlierDetection: false, retryBudget: false }, two: { serviceName: 'svc', policy: 'two', outlierDetection: false, retryBudget: false } } },
      imports: [
        ResilienceModule.forRoot({
          logEvents: false,
          defaults: { retry: { maxAttempts: 2 } },
          policies: { five: { retry: { maxAttempts: 5, backoff: { initialDelay: 1, jitter: false } } }, two: { retry: { backoff: { initialDelay: 1 } } } },
        }),
      ],
    });
    try {
      const five = await app.client('five').get('/');
      await five.body.dump();
      expect([five.status, five.attempts, busy.requests.length]).toEqual([503, 5, 5]);
      busy.requests.splice(0);
      const two = await app.client('two').get('/');
      await two.body.dump();
      expect([two.status, two.attempts, busy.requests.length]).toEqual([503, 2, 2]);
    } finally {
      await app.close();
      await busy.close();
    }
  });

  it("waits for an instance's Retry-After only within its own backoff.maxDelay (else the caller gets the answer at once)", async () => {
    const busy = await startHttpUpstream((_req, res) => void res.writeHead(503, { 'retry-after': '1' }).end('busy'));
    const app = await bootClientApp({
      discovery: staticDiscovery('svc', [busy]),
      clients: { services: { svc: { policy: 'impatient', outlierDetection: false, retryBudget: false } } },
      imports: [ResilienceModule.forRoot({ logEvents: false, policies: { impatient: { retry: { maxAttempts: 3, backoff: { initialDelay: 10, maxDelay: 50 } } } } })],
    });
    try {
      // The only instance asks for 1 s, over the policy's 50 ms: no retry (the client's own maxDelay, 1 s, would wait).
      const answer = await app.client('svc').get('/');
      await answer.body.dump();
      expect([answer.status, answer.attempts, busy.requests.length]).toEqual([503, 1, 1]);
    } finally {
      await app.close();
      await busy.close();
    }
  });

  it('is refused at bootstrap when it has a timeout section (the client bounds each attempt itself), naming the fix', async () => {
    const booted = bootClientApp({
      discovery: staticDiscovery('svc', [{ port: 1 }]),
      clients: { services: { svc: { policy: 'quick' } } },
      imports: [ResilienceModule.forRoot({ logEvents: false, policies: { quick: { timeout: { ms: 200 } } } })],
    });
    const error = await rejection(booted.then(async (app) => void (await app.close())));
    expect(isServiceClientConfigurationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/service "svc"\): invalid "policy" "quick".*timeout.*timeout: \{ ms: 200 \}/);
  });

  it("hands its failOn predicate the failing answer's status and headers", async () => {
    let status = 502;
    const upstream = await startHttpUpstream((_req, res) => void res.writeHead(status, { 'x-kind': 'overloaded' }).end());
    const seen: unknown[] = [];
    const failOn = (error: unknown) => {
      const { status: answered, headers } = error as { status?: number; headers?: Record<string, unknown> };
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
