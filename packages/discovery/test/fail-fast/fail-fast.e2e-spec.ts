import { bootNestApp, CapturingLogger, startConsulAgent, startHttpUpstream, waitFor, type BootedNestApp, type ConsulAgent } from '@nestmesh/testing';
import { isRegistryUnreachableError, ServiceRegistryHealthIndicator } from '../../src/index.js';
import { bootError } from '../support/boot-error.js';
import { discoverableAppModule } from '../support/test-app.js';

const WRITE_ORDERS = 'service "orders" { policy = "write" }\nnode_prefix "" { policy = "read" }';
const READ_ONLY = 'service_prefix "" { policy = "read" }\nnode_prefix "" { policy = "read" }';

describe('fail fast means "this app can register" (a real Consul agent with ACLs on, default deny)', () => {
  let consul: ConsulAgent;
  let booted: BootedNestApp | undefined;

  beforeAll(async () => {
    consul = await startConsulAgent({ acl: true });
  });
  afterEach(async () => {
    await booted?.close();
    booted = undefined;
  });
  afterAll(async () => {
    await consul?.stop();
  });

  const orders = (token: string | undefined, extra: object = {}) =>
    discoverableAppModule({ name: 'orders', address: '127.0.0.1' }, { registry: 'consul', consul: { address: consul.httpAddr, token }, shutdown: { drainDelay: 0 }, ...extra });

  it('a token Consul does not know fails the bootstrap, naming the token and the fix', async () => {
    const error = await bootError(orders('00000000-0000-4000-8000-000000000000'));
    expect(isRegistryUnreachableError(error)).toBe(true);
    expect(error.message).toMatch(/refused the registration of "orders": HTTP 403 ACL not found/);
    expect(error.message).toContain('The ACL token is not known to Consul: set CONSUL_HTTP_TOKEN (or the consul.token option) to a valid token');
    expect(error.message).toContain('failFast: false');
  });

  it('no token at all (anonymous, default deny) fails the bootstrap with the permission it lacks', async () => {
    const error = await bootError(orders(undefined));
    expect(error.message).toMatch(/refused the registration of "orders": HTTP 403 Permission denied/);
    expect(error.message).toContain('The ACL token lacks service:write on "orders" (a policy with service "orders" { policy = "write" })');
  });

  it('a token without service:write fails the bootstrap with the permission it lacks', async () => {
    const { secretId } = await consul.createToken(READ_ONLY);
    const error = await bootError(orders(secretId));
    expect(isRegistryUnreachableError(error)).toBe(true);
    expect(error.message).toMatch(/HTTP 403 Permission denied.*service:write on "orders"/);
  });

  it('a token with service:write boots and registers, leaving no probe behind', async () => {
    const { secretId } = await consul.createToken(WRITE_ORDERS);
    booted = await bootNestApp(orders(secretId));
    const id = `orders-127.0.0.1-${booted.port}`;
    await waitFor(async () => Object.keys(await consul.get<Record<string, unknown>>('/v1/agent/services')).includes(id), { description: 'orders registered' });
    expect(Object.keys(await consul.get<Record<string, unknown>>('/v1/agent/services'))).toEqual([id]);
  });

  it('with failFast: false, starts, reports down (indicator and /_nestmesh/health) until registered, then up', async () => {
    const { secretId, accessorId } = await consul.createToken(READ_ONLY);
    const logger = new CapturingLogger();
    booted = await bootNestApp(orders(secretId, { failFast: false, watch: { retryDelay: '100ms', maxRetryDelay: '300ms' } }), { logger });
    const indicator = booted.app.get(ServiceRegistryHealthIndicator);
    const down = await indicator.isHealthy('consul');
    expect(down.consul).toMatchObject({ status: 'down', message: expect.stringMatching(/^not registered in Consul at .* yet: .*Permission denied/) });
    const endpoint = await fetch(`${booted.url}/_nestmesh/health`);
    expect(endpoint.status).toBe(503);
    expect(await endpoint.json()).toMatchObject({ status: 'error', details: { 'service-registry': { status: 'down' } } });
    expect(logger.matching(/failFast is off: starting anyway, registering in the background/)).toHaveLength(1);

    // Grant the permission: the background retry registers, and both turn up.
    const policy = await consul.createToken(WRITE_ORDERS);
    const { Policies } = await consul.get<{ Policies: Array<{ ID: string }> }>(`/v1/acl/token/${policy.accessorId}`);
    await consul.put(`/v1/acl/token/${accessorId}`, { Policies });
    await waitFor(async () => (await indicator.isHealthy('consul')).consul.status === 'up', { timeout: 10_000, description: 'indicator up once registered' });
    expect((await fetch(`${booted.url}/_nestmesh/health`)).status).toBe(200);
  });
});

describe('fail fast on a registration answered 500', () => {
  it('fails the bootstrap naming the server error', async () => {
    // A real Consul agent cannot be made to answer its registration endpoint with a 500 on demand, so a real HTTP
    // server plays an agent whose servers lost their leader: status answers, registrations fail.
    const failing = await startHttpUpstream((request, response) => {
      if (request.url?.startsWith('/v1/status/leader')) return void response.writeHead(200, { 'content-type': 'application/json' }).end('"127.0.0.1:8300"');
      response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('rpc error making call: No cluster leader');
    });
    try {
      const error = await bootError(discoverableAppModule({ name: 'orders', address: '127.0.0.1' }, { registry: 'consul', consul: { address: new URL(failing.url).host } }));
      expect(isRegistryUnreachableError(error)).toBe(true);
      expect(error.message).toMatch(/refused the registration of "orders": HTTP 500 rpc error making call: No cluster leader\. Consul answered with a server error/);
    } finally {
      await failing.close();
    }
  });
});
