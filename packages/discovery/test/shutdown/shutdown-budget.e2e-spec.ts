import { bootNestApp, CapturingLogger, startConsulAgent, waitFor, type ConsulAgent } from '@nestmesh/testing';
import { discoverableAppModule } from '../support/test-app.js';

/** How long `work` takes, in ms. */
async function timed(work: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now();
  await work();
  return performance.now() - startedAt;
}

describe('shutdown.timeout bounds all of shutdown (a real Consul agent)', () => {
  let consul: ConsulAgent;

  beforeAll(async () => {
    consul = await startConsulAgent();
  });
  afterAll(async () => {
    await consul?.stop();
  });

  it('a hung agent (frozen with SIGSTOP) holds close() for shutdown.timeout, not a moment more for deregistration', async () => {
    const logger = new CapturingLogger();
    const booted = await bootNestApp(
      discoverableAppModule({ name: 'frozen', address: '127.0.0.1' }, { registry: 'consul', consul: { address: consul.httpAddr }, shutdown: { drainDelay: 0, timeout: '1s' } }),
      { logger },
    );
    await waitFor(() => logger.matching(/^Registered frozen-/).length === 1, { description: 'registered' });
    consul.pause();
    try {
      const elapsed = await timed(() => booted.close());
      // The budget is 1 000 ms; before, deregistration always got 500 ms more on top of it.
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(1_400);
      expect(logger.matching(/^Could not deregister frozen-127\.0\.0\.1-\d+: shutdown\.timeout \(1000 ms\) ran out/)).toHaveLength(1);
    } finally {
      consul.resume();
    }
  });

  it('a registration still retrying against a dead agent does not hold up close()', async () => {
    await consul.stop();
    try {
      const booted = await bootNestApp(
        discoverableAppModule({ name: 'retrying', address: '127.0.0.1' }, { registry: 'consul', failFast: false, consul: { address: consul.httpAddr }, watch: { retryDelay: '100ms', maxRetryDelay: '200ms' } }),
        { logger: false },
      );
      await new Promise((resolve) => setTimeout(resolve, 500)); // a few attempts
      // Before, close() waited for the retry loop up to consul.requestTimeout (5 s).
      expect(await timed(() => booted.close())).toBeLessThan(2_000);
    } finally {
      await consul.start();
    }
  });
});
