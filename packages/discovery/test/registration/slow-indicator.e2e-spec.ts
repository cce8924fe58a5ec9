import { Module } from '@nestjs/common';
import { bootNestApp, startConsulAgent, waitFor, type BootedNestApp, type ConsulAgent } from '@nestmesh/testing';
import { Discoverable, ServiceDiscoveryModule } from '../../src/index.js';

/** How long the indicator takes: under the TTL (2 s), over the TTL less the heartbeat interval (2 s / 3). */
const EVALUATION_MS = 1_500;

describe('a health indicator that is slow but answers within the TTL', () => {
  let consul: ConsulAgent;
  let booted: BootedNestApp | undefined;

  beforeAll(async () => {
    consul = await startConsulAgent();
  });
  afterAll(async () => {
    await booted?.close();
    await consul?.stop();
  });

  it('keeps a healthy instance passing: heartbeats are spaced from their starts, not from their ends', async () => {
    const indicator = async () => {
      await new Promise((resolve) => setTimeout(resolve, EVALUATION_MS));
      return { db: { status: 'up' as const } };
    };
    @Discoverable({ name: 'slow-indicator', address: '127.0.0.1', check: { ttl: '2s' } })
    @Module({ imports: [ServiceDiscoveryModule.forRoot({ registry: 'consul', consul: { address: consul.httpAddr }, health: { indicators: [indicator] }, shutdown: { drainDelay: 0 } })] })
    class SlowIndicatorModule {}
    booted = await bootNestApp(SlowIndicatorModule, { logger: false });
    const statuses = async () => Object.values(await consul.get<Record<string, { ServiceName: string; Status: string }>>('/v1/agent/checks')).filter((check) => check.ServiceName === 'slow-indicator').map((check) => check.Status);
    await waitFor(async () => (await statuses()).includes('passing'), { description: 'slow-indicator registered passing' });
    // Over three TTLs: a beat every interval + evaluation (2.2 s) let the 2 s TTL run out between beats.
    const seen = new Set<string>();
    for (let sample = 0; sample < 70; sample += 1) {
      for (const status of await statuses()) seen.add(status);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...seen]).toEqual(['passing']);
  });
});
