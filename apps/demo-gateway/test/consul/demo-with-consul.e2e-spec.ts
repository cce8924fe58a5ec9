import { startConsulAgent, startNodeApp, waitFor, type ConsulAgent, type ManagedProcess } from '@nestmesh/testing';
import { fileURLToPath } from 'node:url';
import { printedCurls, runCurl } from '../support/printed-curl.js';

const main = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

interface HealthEntry {
  Service: { ID: string; Service: string; Address: string; Port: number; Meta: Record<string, string> };
}

describe('npm run demo with CONSUL_HTTP_ADDR: the same command registers the gateway and both orders instances in that Consul', () => {
  let consul: ConsulAgent;
  let demo: ManagedProcess;
  const health = (service: string) => consul.get<HealthEntry[]>(`/v1/health/service/${service}?passing=true`);

  beforeAll(async () => {
    consul = await startConsulAgent();
    demo = await startNodeApp(main, {
      env: { PORT: '0', HOST: '127.0.0.1', ORDERS_PORT: '0', ORDERS_TCP_PORT: '0', CONSUL_HTTP_ADDR: consul.httpAddr, REDIS_URL: '', JWT_JWKS_URL: '', EMBEDDED_ORDERS: '', PAYMENT_FAILURE_RATE: '0', DRAIN_DELAY_MS: '200' },
      readyWhen: /Ctrl-C stops the demo\./,
      readyTimeout: 60_000,
    });
  }, 90_000);
  afterAll(async () => {
    await demo?.stop('SIGKILL');
    await consul?.stop();
  });

  it('says where services register, and registers gateway and two orders instances (HTTP port and ports.tcp) there', async () => {
    expect(demo.log).toContain(`services register in Consul at ${consul.url}`);
    const orders = await waitFor(async () => {
      const entries = await health('orders');
      return entries.length === 2 ? entries : undefined;
    }, { timeout: 20_000, description: 'two passing orders instances in Consul' });
    for (const { Service } of orders) {
      expect(Service).toEqual(expect.objectContaining({ Service: 'orders', Address: '127.0.0.1', Meta: expect.objectContaining({ 'nestmesh-port-tcp': expect.stringMatching(/^\d+$/) }) }));
      expect(demo.log).toContain(`http://127.0.0.1:${Service.Port} (REST), TCP port ${Service.Meta['nestmesh-port-tcp']}`);
    }
    await waitFor(async () => (await health('gateway')).length === 1, { timeout: 20_000, description: 'the gateway registered in Consul' });
    expect(demo.log).not.toMatch(/\bWARN\b|\bERROR\b/);
  });

  it('routes the printed commands through Consul discovery', async () => {
    const curls = printedCurls(demo.log);
    const created = await runCurl(curls.find((one) => one.method === 'POST')!);
    expect(created.status).toBe(201);
    const listed = await runCurl(curls.find((one) => /^curl -s \S+\/api\/orders -H/.test(one.line))!);
    expect(await listed.json()).toEqual([await created.json()]);
    // The dashboard's TCP leg finds the instances' TCP ports in their Consul registration (ports.tcp).
    const dashboard = await runCurl(curls.find((one) => /\/api\/dashboard /.test(one.line))!);
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers.get('x-nestmesh-completed')).toBe('true');
    expect(((await dashboard.json()) as { stats: unknown }).stats).toEqual({ count: 1, totalQuantity: expect.any(Number) });
  });

  it('deregisters everything from Consul on SIGINT and exits 0', async () => {
    demo.child.kill('SIGINT');
    expect(await demo.waitForExit()).toEqual({ code: 0, signal: null });
    expect(await consul.get<HealthEntry[]>('/v1/health/service/orders')).toEqual([]);
    expect(await consul.get<HealthEntry[]>('/v1/health/service/gateway')).toEqual([]);
  });
});
