import { Controller, Module, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ClientTCP, MessagePattern } from '@nestjs/microservices';
import { Discoverable, ServiceDiscovery, ServiceDiscoveryModule } from '@nestmesh/discovery';
import { CircuitBreaker, ResilienceModule } from '@nestmesh/resilience';
import { getServiceClientProxyToken, type ServiceClientProxy } from '@nestmesh/client';
import { bootNestMicroservice, startConsulAgent, waitFor, type BootedNestMicroservice, type ConsulAgent } from '@nestmesh/testing';
import { firstValueFrom, type Observable } from 'rxjs';
import { bootClientApp } from '../support/client-app.js';

/** What each instance received and handled. */
const received: Record<string, number[]> = {};
const failing: Record<string, boolean> = {};

function quoteModule(label: string, consulAddress: string) {
  class CountingInterceptor implements NestInterceptor {
    intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
      (received[label] ??= []).push(performance.now());
      return next.handle();
    }
  }

  @Controller()
  @UseInterceptors(CountingInterceptor)
  class QuoteController {
    @MessagePattern('quote')
    @CircuitBreaker({ consecutiveFailures: 1, halfOpenAfter: 8_000 })
    quote(): string {
      if (failing[label]) throw new Error(`${label} is failing`);
      return label;
    }
  }

  @Discoverable({ name: 'quotes-tcp', address: '127.0.0.1' })
  @Module({
    imports: [ResilienceModule.forRoot({ logEvents: false }), ServiceDiscoveryModule.forRoot({ registry: 'consul', consul: { address: consulAddress }, shutdown: { drainDelay: 0 } })],
    controllers: [QuoteController],
  })
  class QuoteModule {}
  return QuoteModule;
}

describe("ServiceClientProxy and a TCP instance's own rejection (real Consul, real microservices)", () => {
  let consul: ConsulAgent;
  const instances: BootedNestMicroservice[] = [];

  beforeAll(async () => {
    consul = await startConsulAgent();
    for (const label of ['a', 'b']) instances.push(await bootNestMicroservice(quoteModule(label, consul.httpAddr)));
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close().catch(() => undefined);
    await consul?.stop();
  });

  it("sends a message elsewhere when an instance's circuit is open, and nothing new to it until its retryAfter", async () => {
    const app = await bootClientApp({
      discovery: { registry: 'consul', consul: { address: consul.httpAddr } },
      clients: { services: { 'quotes-tcp': { strategy: 'round-robin', outlierDetection: false } } },
    });
    const direct = new ClientTCP({ host: '127.0.0.1', port: instances[0].port });
    try {
      await waitFor(async () => (await app.app.get(ServiceDiscovery).getInstances('quotes-tcp')).length === 2, { description: 'two instances' });
      // Instance "a" fails once: its own breaker opens for 8 s, and it refuses messages with CircuitOpenError meanwhile.
      failing.a = true;
      await expect(firstValueFrom(direct.send('quote', {}))).rejects.toMatchObject({ status: 'error', message: 'Internal server error' });
      failing.a = false;
      await expect(firstValueFrom(direct.send('quote', {}))).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });

      const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('quotes-tcp'));
      const before = received.a.length;
      const answers: string[] = [];
      for (let i = 0; i < 20; i++) answers.push(await firstValueFrom(proxy.send<string>('quote', {})));
      // Round robin would have sent it every other message: it got one, refused it (that message went to "b"), and
      // got nothing more while its circuit stayed open (8 s: more than 20 messages take, however slow this machine).
      expect(answers).toEqual(Array(20).fill('b'));
      expect(received.a.length - before).toBe(1);

      const later: string[] = [];
      await waitFor(
        async () => {
          later.push(await firstValueFrom(proxy.send<string>('quote', {})));
          return later.includes('a');
        },
        { timeout: 20_000, interval: 100, description: 'a taking messages again after its retryAfter' },
      );
    } finally {
      direct.close();
      await app.close();
    }
  });
});
