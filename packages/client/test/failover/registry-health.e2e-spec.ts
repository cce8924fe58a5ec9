import { ServiceDiscovery } from '@nestmesh/discovery';
import { isNoInstancesError } from '@nestmesh/client';
import { startConsulAgent, startHttpUpstreams, waitFor, type ConsulAgent, type HttpUpstream } from '@nestmesh/testing';
import { bootClientApp, rejection } from '../support/client-app.js';

describe('panic mode and the health Consul reports (real Consul, real HTTP servers)', () => {
  let consul: ConsulAgent;
  let upstreams: HttpUpstream[];
  const discovery = { registry: 'consul' as const, consul: { address: '' } };

  /** Registers `upstream` with a TTL check of its own, as @Discoverable does (`service:<id>`), passing at first. */
  const register = (service: string, id: string, upstream: HttpUpstream, weights = { Passing: 1, Warning: 1 }) =>
    consul.put('/v1/agent/service/register', {
      ID: id,
      Name: service,
      Address: '127.0.0.1',
      Port: upstream.port,
      Weights: weights,
      Check: { CheckID: `service:${id}`, TTL: '10m', Status: 'passing' },
    });
  const setCheck = (id: string, status: 'pass' | 'warn' | 'fail') => consul.put(`/v1/agent/check/${status}/service:${id}`);
  const healthOf = async (app: { app: { get(token: typeof ServiceDiscovery): ServiceDiscovery } }, service: string) =>
    (await app.app.get(ServiceDiscovery).getInstances(service, { passingOnly: false })).map((instance) => `${instance.id}:${instance.health}`).sort();

  beforeAll(async () => {
    consul = await startConsulAgent();
    discovery.consul.address = consul.httpAddr;
    upstreams = await startHttpUpstreams(4, (index) => (_req, res) => void res.writeHead(index < 2 ? 500 : 200).end(String(index)));
  });
  afterAll(async () => {
    await Promise.all(upstreams.map((upstream) => upstream.close()));
    await consul?.stop();
  });

  it('never sends to instances Consul calls critical, panic mode or not: the documented NoInstancesError (503) comes', async () => {
    await register('drained', 'drained-0', upstreams[2]);
    await register('drained', 'drained-1', upstreams[3]);
    const app = await bootClientApp({ discovery, clients: { services: { drained: { strategy: 'round-robin' } } } });
    try {
      expect((await app.client('drained').get('/')).status).toBe(200);
      // Both go down (PUT /admin/health {"status":"down"}, or draining for shutdown): their checks turn critical.
      await setCheck('drained-0', 'fail');
      await setCheck('drained-1', 'fail');
      await waitFor(async () => (await healthOf(app, 'drained')).join() === 'drained-0:critical,drained-1:critical', { description: 'both critical' });
      await waitFor(() => app.client('drained').instances().every((instance) => instance.health === 'critical'), { description: 'the client sees them critical' });
      const before = upstreams[2].requests.length + upstreams[3].requests.length;
      for (let i = 0; i < 10; i++) {
        const error = await rejection(app.client('drained').get('/'));
        expect(isNoInstancesError(error)).toBe(true);
        expect((error as { getStatus(): number }).getStatus()).toBe(503);
        expect((error as Error).message).toMatch(/^No instance of "drained" to call: none of its 2 instance\(s\) passes its health checks/);
      }
      expect(upstreams[2].requests.length + upstreams[3].requests.length).toBe(before);

      // One comes back: it takes every call, the critical one none.
      await setCheck('drained-1', 'pass');
      await waitFor(() => app.client('drained').instances().some((instance) => instance.health === 'passing'), { description: 'drained-1 passing again' });
      const critical = upstreams[2].requests.length;
      for (let i = 0; i < 10; i++) expect((await app.client('drained').get('/')).instance.id).toBe('drained-1');
      expect(upstreams[2].requests.length).toBe(critical);
    } finally {
      await app.close();
    }
  });

  it('panic mode spreads over the instances the client ejected itself, but not over a critical one beside them', async () => {
    await register('ejected', 'ejected-0', upstreams[0]);
    await register('ejected', 'ejected-1', upstreams[1]);
    await register('ejected', 'ejected-2', upstreams[2]);
    await setCheck('ejected-2', 'fail');
    const app = await bootClientApp({
      discovery,
      clients: { services: { ejected: { strategy: 'round-robin', retry: false, outlierDetection: { consecutiveFailures: 1, baseEjectionTime: 60_000, maxEjectionPercent: 100 } } } },
    });
    try {
      await waitFor(async () => (await healthOf(app, 'ejected')).includes('ejected-2:critical'), { description: 'ejected-2 critical' });
      // The two passing ones answer 500: both get ejected by the client.
      for (let i = 0; i < 4; i++) await (await app.client('ejected').get('/')).body.dump();
      const counts = () => upstreams.slice(0, 3).map((upstream) => upstream.requests.length);
      const before = counts();
      for (let i = 0; i < 20; i++) expect((await app.client('ejected').get('/')).status).toBe(500);
      const after = counts();
      expect(after[0]).toBeGreaterThan(before[0]);
      expect(after[1]).toBeGreaterThan(before[1]);
      expect(after[2]).toBe(before[2]);
    } finally {
      await app.close();
    }
  });

  it("gives a warning instance traffic by Consul's Weights.Warning, a passing one by Weights.Passing", async () => {
    await register('weighed', 'weighed-pass', upstreams[2], { Passing: 10, Warning: 1 });
    await register('weighed', 'weighed-warn', upstreams[3], { Passing: 10, Warning: 1 });
    await setCheck('weighed-warn', 'warn');
    const app = await bootClientApp({ discovery, clients: { services: { weighed: { strategy: 'weighted' } } } });
    try {
      await waitFor(async () => (await healthOf(app, 'weighed')).join() === 'weighed-pass:passing,weighed-warn:warning', { description: 'one warning' });
      const counts: Record<string, number> = {};
      for (let i = 0; i < 220; i++) {
        const response = await app.client('weighed').get('/');
        await response.body.dump();
        counts[response.instance.id] = (counts[response.instance.id] ?? 0) + 1;
      }
      // Smooth weighted round robin: exactly 1 in 11.
      expect(counts).toEqual({ 'weighed-pass': 200, 'weighed-warn': 20 });
    } finally {
      await app.close();
    }
  });
});
