import { bootNestApp, CapturingLogger, getFreePort, startConsulAgent, waitFor, type ConsulAgent } from '@nestmesh/testing';
import { ServiceDiscovery } from '../../src/index.js';
import { healthOf } from '../support/consul-health.js';
import { discoverableAppModule } from '../support/test-app.js';

describe('two apps on one address and port (one instance ID), against a real Consul agent', () => {
  let consul: ConsulAgent;

  beforeAll(async () => {
    consul = await startConsulAgent();
  });
  afterAll(async () => {
    await consul?.stop();
  });

  it('the second warns at registration, and the first to close leaves the still-running one registered', async () => {
    // Both register the same advertised port (as two containers behind one address would): one ID.
    const port = await getFreePort();
    const module = () =>
      discoverableAppModule({ name: 'twin', address: '127.0.0.1', port }, { registry: 'consul', consul: { address: consul.httpAddr }, shutdown: { drainDelay: 0 } });
    const id = `twin-127.0.0.1-${port}`;
    // Nest's logger is process-wide: the last app's logger gets every line, so both apps share one.
    const logger = new CapturingLogger();
    const first = await bootNestApp(module(), { logger });
    await waitFor(() => logger.matching(/^Registered twin-/).length === 1, { description: 'first registered' });
    expect(logger.matching(/already registered/)).toEqual([]);
    const second = await bootNestApp(module(), { logger });
    try {
      await waitFor(() => logger.matching(/^Registered twin-/).length === 2, { description: 'second registered' });
      expect(logger.matching(new RegExp(`^Instance ID "${id}" is already registered by another app .*give each its own port or instanceId`))).toHaveLength(1);

      await first.close();
      expect(logger.matching(new RegExp(`^Left the registration of "${id}" in place: another app registered the same instance ID since`))).toHaveLength(1);
      expect(logger.matching(/^Deregistered /)).toEqual([]);
      const entries = await healthOf(consul, 'twin', true);
      expect(entries.map((entry) => entry.Service.ID)).toEqual([id]);
    } finally {
      await second.close();
    }
    expect(logger.matching(/^Deregistered twin-/)).toHaveLength(1);
    expect(await healthOf(consul, 'twin')).toEqual([]);
  });
});

describe('two apps of one process sharing the in-memory registry, with one instance ID', () => {
  it('the first to close neither marks critical nor removes the registration the second made since', async () => {
    const module = (tag: string) =>
      discoverableAppModule({ name: 'twin-in-memory', instanceId: 'twin-1', tags: [tag] }, { registry: 'in-memory', shutdown: { drainDelay: '300ms' } });
    const logger = new CapturingLogger();
    const first = await bootNestApp(module('first'), { logger });
    const second = await bootNestApp(module('second'), { logger });
    try {
      const discovery = second.app.get(ServiceDiscovery);
      await waitFor(async () => (await discovery.getInstances('twin-in-memory')).some((instance) => instance.tags.includes('second')), { description: 'second registered' });
      expect(logger.matching(/^Instance ID "twin-1" is already registered by another app/)).toHaveLength(1);

      await first.close();
      expect(logger.matching(/^Left the registration of "twin-1" in place/)).toHaveLength(1);
      const instances = await discovery.getInstances('twin-in-memory', { passingOnly: false });
      expect(instances.map(({ id, tags, health }) => ({ id, tags, health }))).toEqual([{ id: 'twin-1', tags: ['second'], health: 'passing' }]);
    } finally {
      await second.close();
    }
  });
});
