import { Injectable, Module } from '@nestjs/common';
import { bootNestApp, startHttpUpstream, type HttpUpstream } from '@nestmesh/testing';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { GatewayModule, isGatewayConfigurationError, type GatewayModuleOptions } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';

@Injectable()
class GatewayConfig {
  constructor(readonly upstream: string) {}
}

describe.each(PLATFORMS)('GatewayModule on %s', (platform) => {
  let upstream: HttpUpstream;
  beforeAll(async () => {
    upstream = await startHttpUpstream();
  });
  afterAll(() => upstream.close());

  it('takes its options from forRootAsync (imports, inject, useFactory)', async () => {
    @Module({ providers: [{ provide: GatewayConfig, useFactory: () => new GatewayConfig(upstream.url) }], exports: [GatewayConfig] })
    class ConfigModule {}
    @Module({
      imports: [
        GatewayModule.forRootAsync({
          imports: [ConfigModule],
          inject: [GatewayConfig],
          useFactory: (config: GatewayConfig): GatewayModuleOptions => ({ routes: [{ prefix: '/api', url: config.upstream, rewrite: { stripPrefix: '/api' } }] }),
        }),
      ],
    })
    class AsyncAppModule {}
    const app = await bootNestApp(AsyncAppModule, { platform });
    try {
      const answer = await fetch(`${app.url}/api/hello`);
      expect(await answer.json()).toEqual({ ok: true, path: '/hello' });
    } finally {
      await app.close();
    }
  });

  it('fails the bootstrap on conflicting routes, and on service routes without ServiceDiscoveryModule, with the fix', async () => {
    const conflicting = await bootGatewayApp({ platform, gateway: { routes: [{ prefix: '/a', url: upstream.url }, { prefix: '/a/', url: upstream.url }] } }).catch((error: unknown) => error);
    expect(isGatewayConfigurationError(conflicting)).toBe(true);
    expect((conflicting as Error).message).toMatch(/routes "\* \/a" and "\* \/a\/" conflict/);
    const noDiscovery = await bootGatewayApp({ platform, gateway: { routes: [{ prefix: '/a', service: 'orders' }] } }).catch((error: unknown) => error);
    expect((noDiscovery as Error).message).toMatch(/no ServiceDiscovery is available\. Import ServiceDiscoveryModule/);
  });

  it('bounds slow clients: the header timeout is set on the server, a stalled body gets 408 and a closed connection', async () => {
    const reader = await startHttpUpstream(async (req, res) => {
      for await (const chunk of req) void chunk;
      res.end('read it all');
    });
    const app = await bootGatewayApp({ platform, gateway: { routes: [{ prefix: '/api', url: reader.url }, { prefix: '/early', url: upstream.url }], limits: { headersTimeout: 5_000, bodyTimeout: 300 } } });
    try {
      expect((app.app.getHttpServer() as Server).headersTimeout).toBe(5_000);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect(app.port, '127.0.0.1', () => socket.write('POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-a-little'));
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('application/problem+json');
      // An upstream that answers without reading: the answer goes back, then the stalled connection is closed.
      const early = await new Promise<string>((resolve, reject) => {
        const socket = connect(app.port, '127.0.0.1', () => socket.write('POST /early/x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-a-little'));
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => resolve(received));
        socket.on('error', reject);
      });
      expect(early).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      await app.close();
      await reader.close();
    }
  });
});
