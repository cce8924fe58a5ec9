import { startConsulAgent, waitFor, type BootedNestApp, type ConsulAgent } from '@nestmesh/testing';
import { startEchoUpstream } from '../support/echo-upstream.js';
import { PLATFORMS, bootGatewayApp } from '../support/gateway-app.js';

describe('an upstream instance killed under load (real Consul, real upstream Nest apps)', () => {
  let consul: ConsulAgent;
  beforeAll(async () => {
    consul = await startConsulAgent();
  });
  afterAll(() => consul?.stop());

  it.each(PLATFORMS)('fails no GET on %s', async (platform) => {
    const upstreams = await Promise.all(['a', 'b', 'c'].map((name) => startEchoUpstream(`orders-${name}`)));
    for (const [index, app] of upstreams.entries()) await consul.put('/v1/agent/service/register', { ID: `orders-${platform}-${index}`, Name: `orders-${platform}`, Address: '127.0.0.1', Port: app.port });
    const gateway: BootedNestApp = await bootGatewayApp({
      platform,
      discovery: { registry: 'consul', consul: { address: consul.httpAddr } },
      gateway: { routes: [{ prefix: '/api/orders', service: `orders-${platform}`, rewrite: { stripPrefix: '/api' } }] },
    });
    const statuses: number[] = [];
    let running = true;
    const worker = async () => {
      while (running) {
        const answer = await fetch(`${gateway.url}/api/orders/1`);
        await answer.arrayBuffer();
        statuses.push(answer.status);
      }
    };
    const workers = Promise.all(Array.from({ length: 6 }, worker));
    try {
      await waitFor(() => statuses.length >= 200, { description: 'load running' });
      const killedAt = statuses.length;
      // Killed while Consul still lists it as passing: every socket destroyed, requests in flight included.
      const server = upstreams[0].app.getHttpServer() as import('node:http').Server;
      server.closeAllConnections();
      await upstreams[0].close();
      await waitFor(() => statuses.length >= killedAt + 600, { description: 'load after the kill' });
    } finally {
      running = false;
      await workers;
      await gateway.close();
      await Promise.all(upstreams.slice(1).map((app) => app.close()));
    }
    expect(statuses.length).toBeGreaterThan(800);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });
});
