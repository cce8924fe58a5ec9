import { Module } from '@nestjs/common';
import { bootNestApp, startConsulAgent, waitFor, type BootedNestApp, type ConsulAgent } from '@nestmesh/testing';
import { Discoverable, ServiceDiscoveryModule } from '../../src/index.js';

describe('a health indicator whose result is malformed', () => {
  let consul: ConsulAgent;
  let booted: BootedNestApp | undefined;

  beforeAll(async () => {
    consul = await startConsulAgent();
  });
  afterAll(async () => {
    await booted?.close();
    await consul?.stop();
  });

  it('registers the instance critical, naming the entry, instead of failing its registration', async () => {
    // A buggy indicator ("return { db: this.lastResult }" before any result): its entry is undefined, not an object.
    @Discoverable({ name: 'malformed-indicator', address: '127.0.0.1', check: { ttl: '2s', heartbeatInterval: '100ms' } })
    @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'consul', consul: { address: consul.httpAddr }, health: { indicators: [() => ({ db: undefined }) as never] }, shutdown: { drainDelay: 0 } })] })
    class MalformedIndicatorModule {}
    booted = await bootNestApp(MalformedIndicatorModule);
    // The agent's own view: it syncs a new output without a status change to the catalog only minutes later.
    const checks = () => consul.get<Record<string, { ServiceName: string; Status: string; Output: string }>>('/v1/agent/checks');
    const ownCheck = async () => Object.values(await checks()).filter((check) => check.ServiceName === 'malformed-indicator');
    await waitFor(async () => (await ownCheck()).some((check) => check.Output !== ''), { description: 'malformed-indicator registered and heartbeating' });
    expect(await ownCheck()).toEqual([expect.objectContaining({ Status: 'critical', Output: 'down: db (the indicator returned undefined, not a result object)' })]);
  });
});
