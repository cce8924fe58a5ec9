import { startHttpUpstream, startSilentServer, type HttpUpstream, type SilentServer } from '@nestmesh/testing';
import { isServiceTimeoutError } from '@nestmesh/client';
import { bootClientApp } from '../support/client-app.js';

/**
 * An instance that accepts connections and never answers: each call sent to it ends at the deadline. That must
 * count against it (its latency, its failures), or p2c-ewma keeps preferring it (no latency measured is 0) and
 * outlier detection never ejects it.
 */
describe('an instance that accepts and never answers (calls end at their deadline)', () => {
  let good: HttpUpstream;
  let silent: SilentServer;

  beforeAll(async () => {
    good = await startHttpUpstream((_req, res) => void res.end('ok'));
    silent = await startSilentServer();
  });
  afterAll(async () => {
    await good.close();
    await silent.close();
  });

  it.each(['p2c-ewma', 'round-robin'] as const)('(%s) soon gets no more calls: almost every call reaches the live instance', async (strategy) => {
    const app = await bootClientApp({
      discovery: {
        registry: 'static',
        staticServices: {
          svc: [
            { id: 'silent', address: '127.0.0.1', port: silent.port },
            { id: 'good', address: '127.0.0.1', port: good.port },
          ],
        },
      },
      clients: { services: { svc: { strategy, deadline: 300, retry: false, outlierDetection: { consecutiveFailures: 2, baseEjectionTime: 60_000 } } } },
    });
    try {
      let answered = 0;
      let timedOut = 0;
      for (let index = 0; index < 20; index += 1) {
        try {
          const answer = await app.client('svc').get('/');
          await answer.body.dump();
          answered += 1;
        } catch (error) {
          expect(isServiceTimeoutError(error)).toBe(true);
          timedOut += 1;
        }
      }
      // At most the calls it takes to learn: p2c-ewma one (then its latency is the deadline's), round-robin two (ejected).
      expect(timedOut).toBeLessThanOrEqual(2);
      expect(answered + timedOut).toBe(20);
    } finally {
      await app.close();
    }
  });
});
