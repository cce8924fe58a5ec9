import { Controller, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, MessagePattern, Transport, type ClientProxy } from '@nestjs/microservices';
import { bootNestApp, bootNestMicroservice, startConsulAgent, waitFor, type BootedNestApp, type BootedNestMicroservice, type ConsulAgent } from '@nestmesh/testing';
import type { AddressInfo, Server } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { ServiceDiscovery, type DiscoverableOptions, type ServiceDiscoveryModuleOptions, type ServiceInstance } from '../../src/index.js';
import { healthOf } from '../support/consul-health.js';
import { consumerAppModule, discoverableAppModule } from '../support/test-app.js';

/** A message handler, so a test proves the registered TCP port is the one that really answers. */
@Controller()
class PingController {
  @MessagePattern('ping')
  ping(text: string) {
    return `pong ${text}`;
  }
}

/** Sends `ping` over the real TCP transport to `port` on loopback. */
async function pingOver(port: number): Promise<string> {
  const client: ClientProxy = ClientProxyFactory.create({ transport: Transport.TCP, options: { host: '127.0.0.1', port } });
  try {
    return await firstValueFrom(client.send<string>('ping', 'hi'));
  } finally {
    await client.close();
  }
}

const tcpPortOf = (app: { getMicroservices(): Array<{ unwrap<T>(): T }> }) => (app.getMicroservices()[0].unwrap<Server>().address() as AddressInfo).port;

describe('weight and transport ports against a real Consul agent', () => {
  let consul: ConsulAgent;
  let consumer: INestApplicationContext;
  let discovery: ServiceDiscovery;
  let booted: BootedNestApp | undefined;
  let microservice: BootedNestMicroservice | undefined;

  beforeAll(async () => {
    consul = await startConsulAgent();
    consumer = await NestFactory.createApplicationContext(consumerAppModule({ registry: 'consul', consul: { address: consul.httpAddr } }), { logger: false });
    discovery = consumer.get(ServiceDiscovery);
  });
  afterEach(async () => {
    await booted?.close();
    await microservice?.close();
    booted = undefined;
    microservice = undefined;
  });
  afterAll(async () => {
    await consumer?.close();
    await consul?.stop();
  });

  const options = (): ServiceDiscoveryModuleOptions => ({ registry: 'consul', consul: { address: consul.httpAddr }, shutdown: { drainDelay: 0 } });
  const discovered = (name: string, ready: (instance: ServiceInstance) => boolean) =>
    waitFor(async () => (await discovery.getInstances(name)).find(ready), { description: `${name} discovered` });

  describe.each(['express', 'fastify'] as const)('a hybrid app (HTTP + connectMicroservice TCP) on %s', (platform) => {
    const name = `hybrid-${platform}`;
    const hybrid = (service: Partial<DiscoverableOptions>, startMicroservicesFirst = true) =>
      bootNestApp(discoverableAppModule({ name, address: '127.0.0.1', ...service }, options(), [PingController]), {
        platform,
        configure: async (app) => {
          app.connectMicroservice({ transport: Transport.TCP, options: { host: '127.0.0.1', port: 0 } });
          if (startMicroservicesFirst) await app.startAllMicroservices();
        },
      });

    it('registers its weight and its TCP port (meta nestmesh-port-tcp), and discovery reads both back', async () => {
      booted = await hybrid({ weight: 7 });
      const tcpPort = tcpPortOf(booted.app);
      const entry = await waitFor(async () => (await healthOf(consul, name, true)).find((e) => e.Service.Port === booted!.port), { description: 'registered' });
      const raw = entry.Service as typeof entry.Service & { Weights: { Passing: number; Warning: number } };
      expect(raw.Weights).toEqual({ Passing: 7, Warning: 1 });
      expect(raw.Meta['nestmesh-port-tcp']).toBe(String(tcpPort));

      const instance = await discovered(name, (i) => i.port === booted!.port);
      expect(instance).toMatchObject({ weight: 7, ports: { tcp: tcpPort }, meta: { 'nestmesh-port-tcp': String(tcpPort) } });
      expect(await pingOver(instance.ports.tcp)).toBe('pong hi');
      expect((await fetch(`http://${instance.address}:${instance.port}/work`)).status).toBe(200);
    });

    it('when the TCP server starts after app.listen(), updates the registration with its port', async () => {
      booted = await hybrid({}, false);
      const first = await discovered(name, (i) => i.port === booted!.port);
      expect(first.weight).toBe(1);
      await booted.app.startAllMicroservices();
      const tcpPort = tcpPortOf(booted.app);
      const updated = await discovered(name, (i) => i.port === booted!.port && i.ports.tcp === tcpPort);
      expect(await pingOver(updated.ports.tcp)).toBe('pong hi');
    });

    it('lets the ports option win over the port found on the transport', async () => {
      booted = await hybrid({ ports: { tcp: 4999, grpc: 5001 } });
      const instance = await discovered(name, (i) => i.port === booted!.port);
      expect(instance.ports).toEqual({ tcp: 4999, grpc: 5001 });
    });
  });

  it('a microservice-only app registers with its TCP port as port and ports.tcp, and is reachable there', async () => {
    microservice = await bootNestMicroservice(discoverableAppModule({ name: 'tcp-only', address: '127.0.0.1', weight: 3 }, options(), [PingController]));
    const instance = await discovered('tcp-only', (i) => i.port === microservice!.port);
    expect(instance).toMatchObject({ id: `tcp-only-127.0.0.1-${microservice.port}`, address: '127.0.0.1', weight: 3, ports: { tcp: microservice.port } });
    expect(await pingOver(instance.port)).toBe('pong hi');

    await microservice.close();
    microservice = undefined;
    await waitFor(async () => (await healthOf(consul, 'tcp-only')).length === 0, { description: 'deregistered on close' });
  });

  it('the in-memory registry carries the weight and the TCP port of a hybrid app too', async () => {
    booted = await bootNestApp(discoverableAppModule({ name: 'hybrid-memory', weight: 9 }, { registry: 'in-memory', shutdown: { drainDelay: 0 } }, [PingController]), {
      configure: async (app) => {
        app.connectMicroservice({ transport: Transport.TCP, options: { host: '127.0.0.1', port: 0 } });
        await app.startAllMicroservices();
      },
    });
    const memory = booted.app.get(ServiceDiscovery);
    const tcpPort = tcpPortOf(booted.app);
    const instance = await waitFor(async () => (await memory.getInstances('hybrid-memory'))[0], { description: 'in-memory instance' });
    expect(instance).toMatchObject({ port: booted.port, weight: 9, ports: { tcp: tcpPort } });
    expect(await pingOver(instance.ports.tcp)).toBe('pong hi');
  });
});
