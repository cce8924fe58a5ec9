import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { GatewayModule, isGatewayConfigurationError } from '../../src/index.js';

describe('a maxHeaderSize the server cannot take', () => {
  it('fails the bootstrap with the value and the fix (Fastify over HTTP/2, whose server has no maxHeaderSize)', async () => {
    @Module({ imports: [GatewayModule.forRoot({ routes: [{ prefix: '/api', url: 'http://127.0.0.1:9' }], limits: { maxHeaderSize: 65_536 } })] })
    class Http2GatewayModule {}
    const app = await NestFactory.create(Http2GatewayModule, new FastifyAdapter({ http2: true }), { logger: false, abortOnError: false });
    try {
      const error = await app.init().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isGatewayConfigurationError(error)).toBe(true);
      expect((error as Error).message).toMatch(/limits\.maxHeaderSize 65536 is above Node's HTTP header limit \(16384 bytes\).*--max-http-header-size=65536.*at most 16384/);
    } finally {
      await app.close();
    }
  });
});
