import { bootNestApp, startConsulAgent, waitFor, type BootedNestApp, type ConsulAgent } from '@nestmesh/testing';
import { SwitchableIndicator, discoverableAppModule } from '../support/test-app.js';
import { checkStatusOf, healthOf } from '../support/consul-health.js';

describe.each(['express', 'fastify'] as const)('@Discoverable on %s against a real Consul agent', (platform) => {
  let consul: ConsulAgent;
  let booted: BootedNestApp | undefined;
  const name = `orders-${platform}`;

  beforeAll(async () => {
    consul = await startConsulAgent();
  });
  afterEach(async () => {
    await booted?.close();
    booted = undefined;
  });
  afterAll(async () => {
    await consul?.stop();
  });

  const boot = (check?: object, extra: object = {}) =>
    bootNestApp(
      discoverableAppModule(
        { name, tags: ['http', 'v2'], meta: { team: 'checkout' }, version: '1.4.0', address: '127.0.0.1', check: { ttl: '2s', ...check } as never },
        { registry: 'consul', consul: { address: consul.httpAddr }, shutdown: { drainDelay: 100 }, ...extra },
      ),
      { platform },
    );

  it('appears passing with its address, real port, tags and meta within 2 s of listening', async () => {
    booted = await boot();
    const entry = await waitFor(async () => (await healthOf(consul, name, true)).find((e) => e.Service.Port === booted!.port), {
      timeout: 2_000,
      interval: 20,
      description: `${name} passing in Consul`,
    });
    expect(entry.Service).toMatchObject({
      ID: `${name}-127.0.0.1-${booted.port}`,
      Service: name,
      Address: '127.0.0.1',
      Port: booted.port,
      Tags: ['http', 'v2'],
      Meta: { team: 'checkout', version: '1.4.0' },
    });
    expect(entry.Checks.find((c) => c.CheckID === `service:${entry.Service.ID}`)?.Status).toBe('passing');
  });

  it('without an address option, registers the specific address the server is bound to', async () => {
    booted = await bootNestApp(discoverableAppModule({ name }, { registry: 'consul', consul: { address: consul.httpAddr }, shutdown: { drainDelay: 0 } }), { platform, host: '127.0.0.1' });
    const entry = await waitFor(async () => (await healthOf(consul, name, true)).find((e) => e.Service.Port === booted!.port), { description: 'registered' });
    expect(entry.Service.Address).toBe('127.0.0.1');
    expect(entry.Service.ID).toBe(`${name}-127.0.0.1-${booted.port}`);
  });

  it('follows the terminus indicator: down turns the check critical within one heartbeat, degraded warns, up recovers', async () => {
    // A TTL far above the bounds below, so each change is seen at a heartbeat, not when the TTL runs out.
    booted = await boot({ ttl: '10s', heartbeatInterval: '500ms' });
    const id = `${name}-127.0.0.1-${booted.port}`;
    await waitFor(() => checkStatusOf(consul, id).then((s) => s === 'passing'), { description: 'passing' });
    const indicator = booted.app.get(SwitchableIndicator);

    indicator.status = 'down';
    await waitFor(() => checkStatusOf(consul, id).then((s) => s === 'critical'), { timeout: 3_000, interval: 20, description: 'critical at a heartbeat, long before the TTL' });
    expect((await healthOf(consul, name, true)).map((e) => e.Service.ID)).not.toContain(id);
    const checks = await consul.get<Record<string, { Output: string }>>('/v1/agent/checks');
    expect(checks[`service:${id}`].Output).toContain('switch (switched off)');

    indicator.status = 'degraded';
    await waitFor(() => checkStatusOf(consul, id).then((s) => s === 'warning'), { timeout: 3_000, interval: 20, description: 'warning' });

    indicator.status = 'up';
    await waitFor(() => checkStatusOf(consul, id).then((s) => s === 'passing'), { timeout: 3_000, interval: 20, description: 'passing again' });
  });

  it('serves the same health on its endpoint, outside the global prefix, with Consul HTTP-check status codes', async () => {
    booted = await bootNestApp(
      discoverableAppModule({ name, address: '127.0.0.1', check: { type: 'http', interval: '1s', timeout: '1s' } }, { registry: 'consul', consul: { address: consul.httpAddr }, shutdown: { drainDelay: 0 } }),
      { platform, configure: (app) => void app.setGlobalPrefix('api') },
    );
    const id = `${name}-127.0.0.1-${booted.port}`;
    const health = () => fetch(`${booted!.url}/_nestmesh/health`);
    expect((await health()).status).toBe(200);
    expect(await (await health()).json()).toMatchObject({ status: 'ok', details: { switch: { status: 'up' } } });
    await waitFor(() => checkStatusOf(consul, id).then((s) => s === 'passing'), { timeout: 5_000, description: 'HTTP check passing' });

    booted.app.get(SwitchableIndicator).status = 'degraded';
    expect((await health()).status).toBe(429);
    booted.app.get(SwitchableIndicator).status = 'down';
    expect((await health()).status).toBe(503);
    await waitFor(() => checkStatusOf(consul, id).then((s) => s === 'critical'), { timeout: 5_000, description: 'HTTP check critical' });
  });

  it('app.close() marks the instance critical, drains, then deregisters', async () => {
    booted = await boot(undefined, { shutdown: { drainDelay: 3_000 } });
    const id = `${name}-127.0.0.1-${booted.port}`;
    await waitFor(async () => (await healthOf(consul, name, true)).some((e) => e.Service.ID === id), { description: 'passing' });
    const closing = booted.close();
    booted = undefined;
    await waitFor(async () => !(await healthOf(consul, name, true)).some((e) => e.Service.ID === id), { timeout: 2_000, interval: 20, description: 'not passing while draining' });
    expect((await healthOf(consul, name)).some((e) => e.Service.ID === id)).toBe(true);
    await closing;
    expect((await healthOf(consul, name)).some((e) => e.Service.ID === id)).toBe(false);
  });
});
