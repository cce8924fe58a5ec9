import { getFreePort, startHttpUpstream, type HttpUpstream } from '@nestmesh/testing';
import type { GatewayModuleOptions } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp, gatewayBootstrapError } from '../support/gateway-app.js';

describe.each(PLATFORMS)('impossible values fail the bootstrap on %s, naming the option, the value and the fix', (platform) => {
  let closed: string;
  let upstream: HttpUpstream;
  beforeAll(async () => {
    closed = `http://127.0.0.1:${await getFreePort()}`;
    upstream = await startHttpUpstream();
  });
  afterAll(() => upstream.close());

  const bootstrapError = (gateway: GatewayModuleOptions) => gatewayBootstrapError(platform, gateway);

  it.each<[string, Partial<GatewayModuleOptions>, RegExp]>([
    ['limits.maxHeaderSize 0', { limits: { maxHeaderSize: 0 } }, /GatewayModule: invalid "limits\.maxHeaderSize" 0\. .*at least 1/],
    ['limits.headersTimeout 0', { limits: { headersTimeout: 0 } }, /GatewayModule: invalid "limits\.headersTimeout" 0\. .*at least 1.*there is no "off"/],
    ['limits.bodyTimeout 0', { limits: { bodyTimeout: 0 } }, /GatewayModule: invalid "limits\.bodyTimeout" 0\. .*at least 1/],
    ['limits.bodyTimeout beyond the largest Node timer', { limits: { bodyTimeout: 2 ** 31 } }, /GatewayModule: invalid "limits\.bodyTimeout" 2147483648\. .*2147483647/],
    ['limits.maxBodySize -1', { limits: { maxBodySize: -1 } }, /GatewayModule: invalid "limits\.maxBodySize" -1\./],
    ['limits.maxResponseSize 1.5', { limits: { maxResponseSize: 1.5 } }, /GatewayModule: invalid "limits\.maxResponseSize" 1\.5\./],
    ['cache.maxBytes -1', { cache: { maxBytes: -1 } }, /GatewayModule: invalid "cache\.maxBytes" -1\. .*at least 1/],
    ['cache.maxEntryBytes 0', { cache: { maxEntryBytes: 0 } }, /GatewayModule: invalid "cache\.maxEntryBytes" 0\. .*at least 1/],
    ['cache.timeout 0', { cache: { timeout: 0 } }, /GatewayModule: invalid "cache\.timeout" 0\. .*at least 1/],
    ['cache.maxVariants 0', { cache: { maxVariants: 0 } }, /GatewayModule: invalid "cache\.maxVariants" 0\./],
    ['cache.keyPrefix ""', { cache: { keyPrefix: '' } }, /GatewayModule: invalid "cache\.keyPrefix" ""\./],
  ])('%s is refused, even when no route uses it yet', async (_, options, message) => {
    const error = await bootstrapError({ routes: [{ prefix: '/api', url: closed }], ...options });
    expect(error.message).toMatch(message);
  });

  it.each([
    ['a ".." segment', '/public/../admin'],
    ['a "." segment', '/public/./admin'],
    ['an encoded ".."', '/public/%2e%2e/admin'],
    ['an encoded ".." in upper case', '/public/%2E%2E/admin'],
    ['a half-encoded ".."', '/public/.%2e/admin'],
    ['an encoded "."', '/public/%2E/admin'],
    ['an encoded slash', '/public%2Fadmin'],
    ['an encoded backslash', '/public%5cadmin'],
    ['a backslash', '/public\\admin'],
  ])('a static url with %s in its path is refused, never normalised', async (_, path) => {
    const url = `${upstream.url}${path}`;
    const error = await bootstrapError({ routes: [{ id: 'static', prefix: '/api', url }] });
    expect(error.message).toContain(`GatewayModule: route "static" has an invalid "url" ${JSON.stringify(url)}`);
    expect(error.message).toMatch(/dot segments|encoded|backslash/);
    expect(error.message).toContain('write the base path');
    expect(upstream.requests).toHaveLength(0);
  });

  it('a static url with a plain base path still boots and forwards below it', async () => {
    const app = await bootGatewayApp({ platform, gateway: { routes: [{ prefix: '/api', url: `${upstream.url}/v1.0/base`, rewrite: { stripPrefix: '/api' } }] } });
    try {
      const answer = await fetch(`${app.url}/api/x`);
      expect(await answer.json()).toEqual({ ok: true, path: '/v1.0/base/x' });
    } finally {
      await app.close();
    }
  });

  it('an invalid auth.default names auth.default, not a route', async () => {
    const unknownMode = await bootstrapError({ routes: [{ prefix: '/api', url: closed }], auth: { default: 'jtw' as never } });
    expect(unknownMode.message).toMatch(/^GatewayModule: invalid "auth\.default" "jtw"\. Use one of 'public', 'jwt', 'api-key', 'any'/);
    expect(unknownMode.message).not.toMatch(/route #|route "/);
    const unconfigured = await bootstrapError({ routes: [{ prefix: '/api', url: closed }], auth: { default: 'jwt' } });
    expect(unconfigured.message).toMatch(/^GatewayModule: invalid "auth\.default" "jwt"\. .*configure auth\.jwt/);
    expect(unconfigured.message).not.toMatch(/route #|route "/);
  });
});
