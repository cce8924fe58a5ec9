import { ThrottlerStorageService } from '@nestjs/throttler';
import { startHttpUpstream, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { connect } from 'node:net';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';

/** @nestjs/throttler's own storage, each answer 400 ms late (a slow Redis): admission takes that long. */
class SlowStorage extends ThrottlerStorageService {
  override async increment(...args: Parameters<ThrottlerStorageService['increment']>): ReturnType<ThrottlerStorageService['increment']> {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return super.increment(...args);
  }
}

describe('a client that goes away while its request is still in admission (a slow throttler storage)', () => {
  let upstream: HttpUpstream;
  beforeAll(async () => {
    upstream = await startHttpUpstream((_req, res) => void res.end('{"ok":true}'));
  });
  afterAll(() => upstream.close());

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    const storage = new SlowStorage();
    beforeAll(async () => {
      gateway = await bootGatewayApp({
        platform,
        gateway: {
          throttlers: [{ name: 'default', limit: 1_000, ttl: 60_000 }],
          throttlerStorage: storage,
          routes: [
            { prefix: '/px', url: upstream.url },
            { path: '/agg', aggregate: { legs: { a: { url: `${upstream.url}/a` }, b: { url: `${upstream.url}/b` } } } },
          ],
        },
      });
    });
    afterAll(async () => {
      await gateway?.close();
      storage.onApplicationShutdown();
    });

    it.each(['/px/x', '/agg'])('%s: nothing is sent upstream once admission is over', async (path) => {
      upstream.requests.splice(0);
      const client = connect(gateway.port, '127.0.0.1', () => client.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`));
      client.on('error', () => undefined);
      await new Promise((resolve) => setTimeout(resolve, 100));
      client.destroy();
      // Admission ends at about 400 ms; wait well past it.
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(upstream.requests).toEqual([]);
    });
  });
});
