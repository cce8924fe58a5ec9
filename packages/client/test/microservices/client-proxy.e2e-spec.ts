import { Controller, Module } from '@nestjs/common';
import { MessagePattern, RpcException, type ClientTCP } from '@nestjs/microservices';
import { Discoverable, ServiceDiscovery, ServiceDiscoveryModule } from '@nestmesh/discovery';
import { bootNestMicroservice, startConsulAgent, waitFor, type BootedNestMicroservice, type ConsulAgent } from '@nestmesh/testing';
import type { Server, Socket } from 'node:net';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { getServiceClientProxyToken, isNoInstancesError, isUpstreamUnreachableError, type ServiceClientProxy } from '@nestmesh/client';
import { bootClientApp, rejection } from '../support/client-app.js';

function calcModule(label: string, consulAddress: string) {
  @Controller()
  class CalcController {
    @MessagePattern('whoami')
    whoami(): string {
      return label;
    }

    @MessagePattern('validate')
    validate(): never {
      // A handler's structured error, as many services send it: a code, a message, even a stack.
      throw new RpcException({ code: 'VALIDATION', message: 'quantity must be positive', stack: 'Error: quantity must be positive\n    at validate' });
    }

    @MessagePattern('sum')
    sum(numbers: number[]): number {
      if (!Array.isArray(numbers)) throw new RpcException('sum takes an array of numbers');
      return numbers.reduce((a, b) => a + b, 0);
    }
  }

  @Discoverable({ name: 'calc', address: '127.0.0.1' })
  @Module({
    imports: [ServiceDiscoveryModule.forRoot({ registry: 'consul', consul: { address: consulAddress }, shutdown: { drainDelay: 0 } })],
    controllers: [CalcController],
  })
  class CalcModule {}
  return CalcModule;
}

describe('ServiceClientProxy: @nestjs/microservices TCP through discovery (real Consul, real microservices)', () => {
  let consul: ConsulAgent;
  const instances: Array<BootedNestMicroservice & { sockets: Set<Socket> }> = [];

  beforeAll(async () => {
    consul = await startConsulAgent();
    for (const label of ['a', 'b']) {
      const booted = await bootNestMicroservice(calcModule(label, consul.httpAddr));
      const sockets = new Set<Socket>();
      booted.app.unwrap<Server>().on('connection', (socket: Socket) => sockets.add(socket));
      instances.push({ ...booted, sockets });
    }
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close().catch(() => undefined);
    await consul?.stop();
  });

  it("passes a handler's structured error (code, message, stack) back as it is, never counted as the instance's failure", async () => {
    const app = await bootClientApp({
      discovery: { registry: 'consul', consul: { address: consul.httpAddr } },
      clients: { services: { calc: { strategy: 'round-robin', outlierDetection: { consecutiveFailures: 1, baseEjectionTime: 60_000 } } } },
    });
    try {
      await waitFor(async () => (await app.app.get(ServiceDiscovery).getInstances('calc')).length === 2, { description: 'two calc instances' });
      const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('calc'));
      for (let i = 0; i < 4; i++) {
        const error = await rejection(firstValueFrom(proxy.send('validate', {})));
        expect([isUpstreamUnreachableError(error), error]).toEqual([false, expect.objectContaining({ code: 'VALIDATION', message: 'quantity must be positive' })]);
      }
      // Neither instance was ejected (one failure would have ejected it): both still answer.
      const answers = new Set<string>();
      for (let i = 0; i < 4; i++) answers.add(await firstValueFrom(proxy.send<string>('whoami', {})));
      expect(answers).toEqual(new Set(['a', 'b']));
    } finally {
      await app.close();
    }
  });

  it('balances send() across two instances and survives losing one', async () => {
    const app = await bootClientApp({
      discovery: { registry: 'consul', consul: { address: consul.httpAddr } },
      clients: { services: { calc: { strategy: 'round-robin', outlierDetection: { consecutiveFailures: 2 } } } },
    });
    try {
      await waitFor(async () => (await app.app.get(ServiceDiscovery).getInstances('calc')).length === 2, { description: 'two calc instances' });
      const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('calc'));
      const answers: string[] = [];
      for (let i = 0; i < 20; i++) answers.push(await firstValueFrom(proxy.send<string>('whoami', {})));
      expect(answers.filter((x) => x === 'a')).toHaveLength(10);
      expect(answers.filter((x) => x === 'b')).toHaveLength(10);
      expect(await lastValueFrom(proxy.send<number>('sum', [1, 2, 3]).pipe(toArray()))).toEqual([6]);
      // The handler's own error comes back as it is, not as a transport failure.
      await expect(firstValueFrom(proxy.send('sum', 'nope'))).rejects.toMatchObject({ message: 'sum takes an array of numbers' });

      // Instance "a" dies without deregistering: its server closes and its sockets are destroyed; Consul still lists it.
      const [lost] = instances;
      const lostClient = proxy.unwrap<ClientTCP[]>().find((client) => (client as unknown as { port: number }).port === lost.port)!;
      const disconnected = firstValueFrom(lostClient.status.pipe(filter((status) => status === 'disconnected')));
      lost.app.unwrap<Server>().close();
      for (const socket of lost.sockets) socket.destroy();
      // A message written before the client saw the close would fail (it may have been sent: not retried).
      await disconnected;
      const after: string[] = [];
      for (let i = 0; i < 20; i++) after.push(await firstValueFrom(proxy.send<string>('whoami', {})));
      expect(after).toEqual(Array(20).fill('b'));
    } finally {
      await app.close();
    }
  });

  it('rejects with NoInstancesError for a service with no TCP instance', async () => {
    const app = await bootClientApp({ discovery: { registry: 'consul', consul: { address: consul.httpAddr } }, clients: { services: { nothing: {} } } });
    try {
      const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('nothing'));
      expect(isNoInstancesError(await rejection(firstValueFrom(proxy.send('whoami', {}))))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
