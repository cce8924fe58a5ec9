import { startConsulAgent, startNodeApp, waitFor, type ConsulAgent, type ManagedProcess } from '@nestmesh/testing';
import { fileURLToPath } from 'node:url';
import { healthOf } from '../support/consul-health.js';
import { runFixtureApp } from '../support/run-fixture.js';

const demoOrders = fileURLToPath(new URL('../../../../apps/demo-orders/dist/main.js', import.meta.url));

describe('a discoverable app as a real process, against a real Consul agent', () => {
  let consul: ConsulAgent;
  const started: ManagedProcess[] = [];

  beforeAll(async () => {
    consul = await startConsulAgent();
  });
  afterAll(async () => {
    await Promise.all(started.map((proc) => proc.stop('SIGKILL')));
    await consul?.stop();
  });

  it('demo-orders: registers, then SIGTERM stops it passing before its drain ends, removes it, and it exits 0', async () => {
    const proc = await startNodeApp(demoOrders, {
      env: { PORT: '0', HOST: '127.0.0.1', CONSUL_HTTP_ADDR: consul.httpAddr, NESTMESH_SERVICE_ADDRESS: '127.0.0.1', DRAIN_DELAY_MS: '4000' },
      readyWhen: /demo-orders listening on/,
    });
    started.push(proc);
    const port = Number(/listening on http:\/\/[^:]+:(\d+)/.exec(proc.log)![1]);
    const entry = await waitFor(async () => (await healthOf(consul, 'orders', true)).find((e) => e.Service.Port === port), { timeout: 2_000, description: 'orders passing' });
    expect(entry.Service).toMatchObject({ Address: '127.0.0.1', Tags: ['http', 'demo'], Meta: { version: '0.1.0' } });
    expect(proc.log).toContain(`Using Consul at http://${consul.httpAddr} (CONSUL_HTTP_ADDR is set)`);

    proc.child.kill('SIGTERM');
    await waitFor(async () => !(await healthOf(consul, 'orders', true)).some((e) => e.Service.Port === port), { timeout: 3_000, interval: 20, description: 'orders no longer passing (critical while it drains 4 s)' });
    // Still registered while it drains, then gone.
    expect((await healthOf(consul, 'orders')).some((e) => e.Service.Port === port)).toBe(true);
    const exit = await proc.waitForExit();
    expect(exit).toEqual({ code: 0, signal: null });
    expect((await healthOf(consul, 'orders')).some((e) => e.Service.Port === port)).toBe(false);
    expect(proc.log).toMatch(/Marked orders-127\.0\.0\.1-\d+ critical \(shutting down on SIGTERM\)/);
    expect(proc.log).toMatch(/Deregistered orders-127\.0\.0\.1-\d+/);
  });

  it('SIGKILL: the check goes critical after the TTL and the instance leaves the passing results', async () => {
    const { proc, port } = await runFixtureApp({ CONSUL_HTTP_ADDR: consul.httpAddr, NESTMESH_SERVICE_ADDRESS: '127.0.0.1', FIXTURE_NAME: 'killed', FIXTURE_TTL: '2s' });
    started.push(proc);
    await waitFor(async () => (await healthOf(consul, 'killed', true)).some((e) => e.Service.Port === port), { description: 'killed passing' });
    await proc.stop('SIGKILL');
    await waitFor(async () => !(await healthOf(consul, 'killed', true)).some((e) => e.Service.Port === port), { timeout: 6_000, description: 'gone from passing after the TTL' });
    const [entry] = (await healthOf(consul, 'killed')).filter((e) => e.Service.Port === port);
    expect(entry.Checks.find((c) => c.CheckID.startsWith('service:'))?.Status).toBe('critical');
    expect(entry.Checks.find((c) => c.CheckID.startsWith('service:'))?.Output).toMatch(/TTL expired/);
  });

  it('registers again by itself when the Consul agent restarts and forgets it', async () => {
    const { proc, port } = await runFixtureApp({ CONSUL_HTTP_ADDR: consul.httpAddr, NESTMESH_SERVICE_ADDRESS: '127.0.0.1', FIXTURE_NAME: 'phoenix', FIXTURE_TTL: '3s' });
    started.push(proc);
    await waitFor(async () => (await healthOf(consul, 'phoenix', true)).some((e) => e.Service.Port === port), { description: 'phoenix passing' });
    await consul.stop();
    await consul.start(); // a dev agent keeps nothing: the registration is gone (the log line below shows the app noticed)
    await waitFor(async () => (await healthOf(consul, 'phoenix', true)).some((e) => e.Service.Port === port), { timeout: 6_000, description: 'phoenix registered again' });
    expect(proc.log).toMatch(/no longer knows phoenix-127\.0\.0\.1-\d+ .*registering again/);
    const exit = await proc.stop('SIGTERM');
    expect(exit.code).toBe(0);
  });
});
