import { ServiceDiscovery } from '@nestmesh/discovery';
import { startConsulAgent, startHttpUpstreams, waitFor, type ConsulAgent, type HttpUpstream } from '@nestmesh/testing';
import { bootClientApp } from '../support/client-app.js';

describe('strategies over instances registered in a real Consul', () => {
  let consul: ConsulAgent;
  let upstreams: HttpUpstream[];

  const register = (service: string, upstream: HttpUpstream, id: string, weight = 1) =>
    consul.put('/v1/agent/service/register', { ID: id, Name: service, Address: '127.0.0.1', Port: upstream.port, Weights: { Passing: weight, Warning: 1 } });
  const discovery = { registry: 'consul' as const, consul: { address: '' } };

  beforeAll(async () => {
    consul = await startConsulAgent();
    discovery.consul.address = consul.httpAddr;
    upstreams = await startHttpUpstreams(5);
    // Idle keep-alive sockets stay open on the server side: only the client closes them.
    for (const upstream of upstreams) upstream.server.keepAliveTimeout = 60_000;
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
    await consul?.stop();
  });

  it("weighted follows Consul's Weights.Passing", async () => {
    await register('weighted', upstreams[0], 'w-0', 1);
    await register('weighted', upstreams[1], 'w-1', 3);
    const app = await bootClientApp({ discovery, clients: { services: { weighted: { strategy: 'weighted' } } } });
    try {
      const counts: Record<string, number> = {};
      for (let i = 0; i < 200; i++) {
        const response = await app.client('weighted').get('/');
        await response.body.dump();
        counts[response.instance.id] = (counts[response.instance.id] ?? 0) + 1;
      }
      expect(counts['w-0']).toBeGreaterThanOrEqual(45);
      expect(counts['w-0']).toBeLessThanOrEqual(55);
      expect(counts['w-1']).toBeGreaterThanOrEqual(145);
    } finally {
      await app.close();
    }
  });

  it('consistent-hash keeps keys in place and remaps about 1/N of them when an instance joins, then leaves (and its pool closes)', async () => {
    for (let i = 0; i < 4; i++) await register('hashed', upstreams[i], `h-${i}`);
    const app = await bootClientApp({ discovery, clients: { services: { hashed: { strategy: 'consistent-hash', pool: { keepAliveTimeout: 60_000 } } } } });
    try {
      const keys = Array.from({ length: 400 }, (_, i) => `user-${i}`);
      const owners = async () => {
        const ids: string[] = [];
        for (const key of keys) {
          const response = await app.client('hashed').get('/', { key });
          await response.body.dump();
          ids.push(response.instance.id);
        }
        return ids;
      };
      const before = await owners();
      expect(await owners()).toEqual(before);

      await register('hashed', upstreams[4], 'h-4');
      await waitFor(() => app.client('hashed').instances().length === 5, { description: 'the fifth instance seen by the client' });
      const joined = await owners();
      const moved = joined.filter((id, i) => id !== before[i]);
      // Only keys that now belong to the new instance moved: about 1/5 of them, well under 1/N + slack.
      expect(new Set(moved)).toEqual(new Set(['h-4']));
      expect(moved.length / keys.length).toBeLessThanOrEqual(0.3);

      await consul.put('/v1/agent/service/deregister/h-4');
      await waitFor(async () => (await app.app.get(ServiceDiscovery).getInstances('hashed')).length === 4 && app.client('hashed').instances().length === 4, {
        description: 'the fifth instance gone',
      });
      expect(await owners()).toEqual(before);
      // The departed instance's pool was closed with it: no connection to it is left open.
      await waitFor(() => new Promise<boolean>((resolve) => upstreams[4].server.getConnections((_error, count) => resolve(count === 0))), {
        description: 'the pool of the departed instance closed',
      });
    } finally {
      await app.close();
    }
  });
});
