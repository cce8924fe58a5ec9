import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ServiceClientModule, ServiceClients, isServiceClientConfigurationError } from '@nestmesh/client';
import { getFreePort, startHttpUpstream, type HttpUpstream } from '@nestmesh/testing';
import { rejection } from '../support/client-app.js';

async function bootWithoutDiscovery(services: Record<string, object>) {
  @Module({ imports: [ServiceClientModule.register({ services })] })
  class OriginOnlyModule {}
  return NestFactory.createApplicationContext(OriginOnlyModule, { logger: false, abortOnError: false });
}

describe('a service client over a static origin (no ServiceDiscoveryModule)', () => {
  let upstream: HttpUpstream;
  let calls = 0;
  beforeAll(async () => {
    upstream = await startHttpUpstream((request, response) => {
      calls += 1;
      // The first call of /flaky fails with a 503: the retry goes to the same origin (its only endpoint).
      if (request.url === '/flaky' && calls === 1) return void response.writeHead(503).end();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: request.url, host: request.headers.host }));
    });
  });
  afterAll(() => upstream?.close());

  it('calls the origin, with retries on it, and needs no discovery', async () => {
    const app = await bootWithoutDiscovery({ legacy: { origin: upstream.url, retry: { maxAttempts: 2, backoff: { initialDelay: 1, maxDelay: 1 } } } });
    try {
      const client = app.get(ServiceClients).get('legacy');
      const answer = await client.get('/flaky');
      expect(answer.status).toBe(200);
      expect(answer.attempts).toBe(2);
      expect(await answer.body.json()).toEqual({ path: '/flaky', host: new URL(upstream.url).host });
      expect(client.instances()).toMatchObject([{ address: '127.0.0.1', port: upstream.port, health: 'passing' }]);
    } finally {
      await app.close();
    }
  });

  it('rejects a refused origin with UpstreamUnreachableError, like a discovered instance', async () => {
    const app = await bootWithoutDiscovery({ closed: { origin: `http://127.0.0.1:${await getFreePort()}`, retry: false } });
    try {
      const error = await rejection(app.get(ServiceClients).get('closed').get('/'));
      expect((error as Error).name).toBe('UpstreamUnreachableError');
    } finally {
      await app.close();
    }
  });

  it.each([
    ['a path', 'http://127.0.0.1:8080/v1'],
    ['another scheme', 'ftp://127.0.0.1'],
    ['credentials', 'http://user:secret@127.0.0.1'],
    ['not a URL', 'orders'],
  ])('refuses an origin with %s, naming the option, the value and the fix', async (_, origin) => {
    const error = await rejection(bootWithoutDiscovery({ legacy: { origin } }));
    expect(isServiceClientConfigurationError(error)).toBe(true);
    expect((error as Error).message).toContain('origin');
    expect((error as Error).message).toContain(JSON.stringify(origin));
    expect((error as Error).message).toContain('http://10.0.0.5:8080');
  });

  it('still needs ServiceDiscoveryModule for a service without an origin', async () => {
    const error = await rejection(bootWithoutDiscovery({ legacy: { origin: upstream.url }, orders: {} }));
    expect((error as Error).message).toContain('ServiceClientModule needs ServiceDiscoveryModule');
  });
});
