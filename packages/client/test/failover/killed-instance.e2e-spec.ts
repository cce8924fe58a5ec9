import { startConsulAgent, startHttpUpstream, startHttpUpstreams, waitFor, type ConsulAgent, type HttpUpstream } from '@nestmesh/testing';
import { bootClientApp } from '../support/client-app.js';

interface Outcome {
  status: number;
  attempts: number;
  instance: string;
}

describe('an instance killed mid-load, and one added (real Consul)', () => {
  let consul: ConsulAgent;
  let upstreams: HttpUpstream[];

  const register = (upstream: HttpUpstream, id: string) =>
    consul.put('/v1/agent/service/register', { ID: id, Name: 'orders', Address: '127.0.0.1', Port: upstream.port });

  beforeAll(async () => {
    consul = await startConsulAgent();
    upstreams = await startHttpUpstreams(3);
    for (const [index, upstream] of upstreams.entries()) await register(upstream, `orders-${index}`);
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
    await consul?.stop();
  });

  it('fails no idempotent request, ejects the dead instance, and sends traffic to a new one within 1 s of its registration', async () => {
    const app = await bootClientApp({ discovery: { registry: 'consul', consul: { address: consul.httpAddr } }, clients: { services: { orders: {} } } });
    const outcomes: Outcome[] = [];
    let running = true;
    const worker = async () => {
      while (running) {
        const response = await app.client('orders').get('/orders');
        await response.body.dump();
        outcomes.push({ status: response.status, attempts: response.attempts, instance: response.instance.id });
      }
    };
    const workers = Promise.all(Array.from({ length: 6 }, worker));
    try {
      await waitFor(() => outcomes.length >= 300, { description: 'load running' });
      const killedAt = outcomes.length;
      // Killed: server closed and every socket destroyed, while Consul still lists it as passing.
      await upstreams[0].close();
      await waitFor(() => outcomes.length >= killedAt + 600, { description: 'load after the kill' });
      const tail = outcomes.slice(-200);
      // Ejected: the last calls no longer try it (no second attempts) and never land on it.
      expect(tail.every((outcome) => outcome.attempts === 1 && outcome.instance !== 'orders-0')).toBe(true);

      let firstRequestAt = 0;
      const fresh = await startHttpUpstream((_req, res) => {
        firstRequestAt ||= performance.now();
        res.end('{}');
      });
      upstreams.push(fresh);
      const registeredAt = performance.now();
      await register(fresh, 'orders-new');
      await waitFor(() => firstRequestAt > 0, { timeout: 5_000, description: 'the new instance to receive traffic' });
      expect(firstRequestAt - registeredAt).toBeLessThan(1_000);
    } finally {
      running = false;
      await workers.finally(() => app.close());
    }
    expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
  });
});
