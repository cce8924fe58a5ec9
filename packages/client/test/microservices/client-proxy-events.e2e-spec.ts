import { Controller, Module } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { ServiceDiscoveryModuleOptions } from '@nestmesh/discovery';
import { bootNestMicroservice, getFreePort, waitFor, type BootedNestMicroservice } from '@nestmesh/testing';
import { lastValueFrom } from 'rxjs';
import { InjectServiceClientProxy, isNoInstancesError, isUpstreamUnreachableError, type ServiceClientModuleOptions, type ServiceClientProxy } from '@nestmesh/client';
import { bootClientApp, rejection } from '../support/client-app.js';

interface Tick {
  readonly n: number;
}

/** Every event an instance's `@EventPattern('tick')` handler received, with the instance's label. */
const received: Array<{ label: string; n: number }> = [];
const countOf = (label: string) => received.filter((event) => event.label === label).length;

function ticksModule(label: string) {
  @Controller()
  class TicksController {
    @EventPattern('tick')
    tick(data: Tick): void {
      received.push({ label, n: data.n });
    }
  }

  @Module({ controllers: [TicksController] })
  class TicksModule {}
  return TicksModule;
}

/** What an app does with the proxy: through the decorator, as a user would. */
@Controller()
class TickSender {
  constructor(@InjectServiceClientProxy('ticks') readonly proxy: ServiceClientProxy) {}

  /** Resolves once the event was written to an instance's socket. */
  send(n: number): Promise<unknown> {
    return lastValueFrom(this.proxy.emit<unknown, Tick>('tick', { n }), { defaultValue: undefined });
  }

  /** Nest's `emit()` is hot: the event leaves without a subscriber. */
  fireAndForget(n: number): void {
    this.proxy.emit<unknown, Tick>('tick', { n });
  }
}

/** Static instances of "ticks" registering `ports.tcp`, one per port. */
const ticksAt = (...ports: number[]): ServiceDiscoveryModuleOptions => ({
  registry: 'static',
  staticServices: { ticks: ports.map((port, index) => ({ id: `ticks-${index}`, address: '127.0.0.1', port, ports: { tcp: port } })) },
});

async function bootSender(discovery: ServiceDiscoveryModuleOptions, ticks: NonNullable<ServiceClientModuleOptions['services']>[string] = {}) {
  const app = await bootClientApp({ discovery, clients: { services: { ticks: { strategy: 'round-robin', ...ticks } } }, controllers: [TickSender] });
  return { app, sender: app.app.get(TickSender) };
}

describe('ServiceClientProxy.emit(): events to @EventPattern handlers of real TCP microservices', () => {
  const instances: Record<string, BootedNestMicroservice> = {};

  beforeAll(async () => {
    for (const label of ['a', 'b']) instances[label] = await bootNestMicroservice(ticksModule(label));
  });
  afterAll(async () => {
    for (const instance of Object.values(instances)) await instance.close();
  });
  beforeEach(() => {
    received.length = 0;
  });

  it('delivers each event once, to the instances in round-robin turn', async () => {
    const { app, sender } = await bootSender(ticksAt(instances.a.port, instances.b.port));
    try {
      for (let n = 0; n < 20; n++) await sender.send(n);
      await waitFor(() => received.length >= 20, { description: '20 events received' });
      expect(received.map((event) => event.n).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, n) => n));
      expect(countOf('a')).toBe(10);
      expect(countOf('b')).toBe(10);
      // Turns alternate: consecutive events never land on the same instance.
      const byN = new Map(received.map((event) => [event.n, event.label]));
      for (let n = 1; n < 20; n++) expect(byN.get(n)).not.toBe(byN.get(n - 1));
    } finally {
      await app.close();
    }
  });

  it('sends an event nobody subscribed to, like Nest’s own emit()', async () => {
    const { app, sender } = await bootSender(ticksAt(instances.a.port, instances.b.port));
    try {
      for (let n = 0; n < 4; n++) sender.fireAndForget(n);
      await waitFor(() => received.length >= 4, { description: '4 fire-and-forget events received' });
      expect(received.map((event) => event.n).sort()).toEqual([0, 1, 2, 3]);
      expect([countOf('a'), countOf('b')]).toEqual([2, 2]);
    } finally {
      await app.close();
    }
  });

  it('sends an event whose connection was refused to another instance', async () => {
    const dead = await getFreePort(); // nothing listens there: the connection is refused before the event is written
    // Never ejected: every other event is refused first, so each of those is a retry.
    const { app, sender } = await bootSender(ticksAt(dead, instances.a.port), { outlierDetection: { consecutiveFailures: 100 } });
    try {
      for (let n = 0; n < 6; n++) await sender.send(n);
      await waitFor(() => received.length >= 6, { description: '6 events received' });
      expect(received.map((event) => event.label)).toEqual(Array(6).fill('a'));
      expect(received.map((event) => event.n)).toEqual([0, 1, 2, 3, 4, 5]);
    } finally {
      await app.close();
    }
  });

  it('rejects with UpstreamUnreachableError naming the instance when retries are off and the connection was refused', async () => {
    const dead = await getFreePort();
    const { app, sender } = await bootSender(ticksAt(dead), { retry: false });
    try {
      const error = await rejection(sender.send(0));
      expect(isUpstreamUnreachableError(error)).toBe(true);
      expect(error).toMatchObject({ serviceName: 'ticks', instanceId: 'ticks-0', attempts: 1 });
    } finally {
      await app.close();
    }
  });

  it('rejects with NoInstancesError when no instance registered a TCP port', async () => {
    const discovery: ServiceDiscoveryModuleOptions = { registry: 'static', staticServices: { ticks: [{ id: 'http-only', address: '127.0.0.1', port: instances.a.port }] } };
    const { app, sender } = await bootSender(discovery);
    try {
      const error = await rejection(sender.send(0));
      expect(isNoInstancesError(error)).toBe(true);
      expect(error).toMatchObject({ serviceName: 'ticks' });
      expect((error as Error).message).toContain('ticks');
    } finally {
      await app.close();
    }
  });
});
