import { startHttpUpstream, type BootedNestApp, type HttpUpstream } from '@nestmesh/testing';
import { hashApiKey, type GatewayModuleOptions } from '../../src/index.js';
import { PLATFORMS, bootGatewayApp, gatewayBootstrapError } from '../support/gateway-app.js';
import { rawRequest } from '../support/raw-request.js';

// Express (and so NestJS on Express) routes regardless of letter case: "/api/ADMIN/users" is its "/api/admin/users".
// A gateway matching literals case-sensitively would send that path through a public "/api" route, past the rules
// of "/api/admin".
describe('route literals match regardless of letter case (a real upstream)', () => {
  let upstream: HttpUpstream;
  beforeAll(async () => (upstream = await startHttpUpstream()));
  afterAll(() => upstream?.close());

  const options = (): GatewayModuleOptions => ({
    routes: [
      { prefix: '/api/admin', url: upstream.url, auth: 'api-key' },
      { prefix: '/api', url: upstream.url },
    ],
    auth: { apiKeys: [{ id: 'ops', hash: hashApiKey('ops-key-0123456789') }] },
  });

  describe.each(PLATFORMS)('on %s', (platform) => {
    let gateway: BootedNestApp;
    beforeAll(async () => (gateway = await bootGatewayApp({ platform, gateway: options() })));
    afterAll(() => gateway?.close());

    it('keeps the rules of a protected prefix whatever the case of the path, and forwards the path as sent', async () => {
      const before = upstream.requests.length;
      for (const path of ['/api/ADMIN/users', '/api/Admin/users', '/API/admin/users']) {
        const refused = await rawRequest(`${gateway.url}${path}`);
        expect(refused.status).toBe(401);
      }
      expect(upstream.requests.length).toBe(before);
      const allowed = await rawRequest(`${gateway.url}/Api/ADMIN/users`, { headers: { 'x-api-key': 'ops-key-0123456789' } });
      expect(allowed.status).toBe(200);
      expect(upstream.requests.at(-1)!.url).toBe('/Api/ADMIN/users');
      expect((await rawRequest(`${gateway.url}/api/public`)).status).toBe(200);
    });
  });

  it('refuses at bootstrap two routes whose paths differ only in case', async () => {
    const error = await gatewayBootstrapError('fastify', { routes: [{ prefix: '/api/Orders', url: 'http://127.0.0.1:1' }, { prefix: '/api/orders', url: 'http://127.0.0.1:1' }] });
    expect(error.message).toMatch(/\/api\/orders/);
  });
});
