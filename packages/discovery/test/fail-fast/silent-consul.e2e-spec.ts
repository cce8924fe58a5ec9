// A real Consul agent cannot be made to accept requests and never answer them, so a real loopback HTTP server
// plays one: it records every request and answers none (its close() destroys the held connections).
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { bootNestApp, startHttpUpstream, waitFor, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { isRegistryUnreachableError } from '../../src/index.js';
import { bootError } from '../support/boot-error.js';
import { consumerAppModule, discoverableAppModule } from '../support/test-app.js';

/** Far below the silent agent's 60 s request timeout: a bootstrap that waits for Consul fails this. */
const BOUND_MS = 20_000;

/** Settles like `work`, or fails once {@link BOUND_MS} passed with `what` still pending. */
async function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} still pending after ${BOUND_MS} ms: it waited for the silent Consul`)), BOUND_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('booting against a Consul that accepts connections and never answers', () => {
  let consul: HttpUpstream;
  let address: string;
  let context: INestApplicationContext | undefined;
  let booted: BootedNestApp | undefined;

  beforeAll(async () => {
    consul = await startHttpUpstream(() => undefined);
    address = new URL(consul.url).host;
  });
  beforeEach(() => consul.requests.splice(0));
  afterEach(async () => {
    await context?.close();
    await booted?.close();
    context = booted = undefined;
  });
  afterAll(async () => {
    await consul?.close();
  });

  it('failFast: false, an app that only discovers: init() returns while its check of Consul is still unanswered', async () => {
    context = await within(
      NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', failFast: false, consul: { address, requestTimeout: '60s' } }), { logger: false }),
      'createApplicationContext()',
    );
    // The check still runs, in the background.
    await waitFor(() => consul.requests.some((request) => request.url.startsWith('/v1/status/leader')), { timeout: 10_000, description: 'the status request' });
  }, 60_000);

  it('failFast: false, an app that registers: listens while Consul holds its requests, its registration goes on in the background', async () => {
    booted = await within(
      bootNestApp(
        discoverableAppModule(
          { name: 'orders', address: '127.0.0.1' },
          { registry: 'consul', failFast: false, consul: { address, requestTimeout: '60s' }, shutdown: { drainDelay: 0, timeout: '1s' } },
        ),
      ),
      'bootNestApp()',
    );
    const id = `orders-127.0.0.1-${booted.port}`;
    await waitFor(() => consul.requests.some((request) => request.url.startsWith(`/v1/agent/service/${id}`)), { timeout: 10_000, description: 'the registration started' });
    expect((await fetch(`${booted.url}/work`)).status).toBe(200);
  }, 60_000);

  it('failFast: true: the bootstrap fails within consul.requestTimeout, saying Consul did not answer and the fix', async () => {
    const error = await within(
      bootError(discoverableAppModule({ name: 'orders', address: '127.0.0.1' }, { registry: 'consul', consul: { address, requestTimeout: '1s' } })),
      'the failing bootstrap',
    );
    expect(isRegistryUnreachableError(error)).toBe(true);
    expect(error.message).toMatch(/Consul at http:\/\/127\.0\.0\.1:\d+ did not answer within 1000 ms \(consul\.requestTimeout\)/);
    expect(error.message).toContain('failFast: false');
  }, 60_000);
});
