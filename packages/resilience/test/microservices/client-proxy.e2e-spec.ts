import { Controller, Inject, Injectable, Module, type INestApplicationContext, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientsModule, MessagePattern, RpcException, Transport, type ClientProxy } from '@nestjs/microservices';
import { Retry, ResilienceModule, Timeout, isResilienceTimeoutError } from '@nestmesh/resilience';
import { CapturingLogger, getFreePort } from '@nestmesh/testing';
// Observable is imported as a value: the decorators read it from the method's design:returntype metadata.
import { firstValueFrom, Observable } from 'rxjs';

/** What the real TCP microservice does on the next calls. */
const behaviour = { calls: 0, failFirst: 0, delayMs: 0 };

@Controller()
class QuotesController {
  @MessagePattern('quote')
  async quote(symbol: string): Promise<{ symbol: string; price: number }> {
    behaviour.calls += 1;
    if (behaviour.calls <= behaviour.failFirst) throw new RpcException(`quote service flaked on call ${behaviour.calls}`);
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    return { symbol, price: 42 };
  }
}

@Module({ controllers: [QuotesController] })
class QuotesServiceModule {}

@Injectable()
class QuotesClient {
  constructor(@Inject('QUOTES') private readonly client: ClientProxy) {}

  @Retry({ maxAttempts: 3, backoff: { initialDelay: 20, jitter: false } })
  @Timeout(300)
  quote(symbol: string): Observable<{ symbol: string; price: number }> {
    return this.client.send('quote', symbol);
  }

  /** No return type: the metadata does not name Observable. */
  @Timeout(300)
  unannotated(symbol: string) {
    return this.client.send<{ symbol: string; price: number }>('quote', symbol);
  }
}

describe('Observable methods over a real @nestjs/microservices TCP transport (ClientProxy.send)', () => {
  let service: INestMicroservice;
  let consumer: INestApplicationContext;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    const port = await getFreePort();
    service = await NestFactory.createMicroservice(QuotesServiceModule, { transport: Transport.TCP, options: { host: '127.0.0.1', port }, logger: false });
    await service.listen();
    @Module({
      imports: [ResilienceModule.forRoot({ logEvents: false }), ClientsModule.register([{ name: 'QUOTES', transport: Transport.TCP, options: { host: '127.0.0.1', port } }])],
      providers: [QuotesClient],
    })
    class ConsumerModule {}
    consumer = await NestFactory.createApplicationContext(ConsumerModule, { logger });
  });
  afterAll(async () => {
    await consumer?.close();
    await service?.close();
  });
  beforeEach(() => Object.assign(behaviour, { calls: 0, failFirst: 0, delayMs: 0 }));

  it('a retry subscribes again, so the message is sent again', async () => {
    behaviour.failFirst = 2;
    await expect(firstValueFrom(consumer.get(QuotesClient).quote('ACME'))).resolves.toEqual({ symbol: 'ACME', price: 42 });
    expect(behaviour.calls).toBe(3);
  });

  it('a timeout unsubscribes each attempt at its deadline; after maxAttempts the caller gets the timeout error', async () => {
    behaviour.delayMs = 1_000;
    const error = await firstValueFrom(consumer.get(QuotesClient).quote('SLOW')).catch((e: unknown) => e);
    expect(isResilienceTimeoutError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^QuotesClient\.quote timed out after 300 ms/);
    expect(behaviour.calls).toBe(3);
  });

  it('a method whose metadata does not name Observable returns a Promise of the last value, with one warning saying how to fix it', async () => {
    const client = consumer.get(QuotesClient) as unknown as { unannotated(symbol: string): Promise<unknown> };
    await expect(client.unannotated('ACME')).resolves.toEqual({ symbol: 'ACME', price: 42 });
    await client.unannotated('ACME');
    const warnings = logger.matching(/QuotesClient\.unannotated returned an Observable/);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain("import Observable as a value (`import { Observable } from 'rxjs'`, not `import type`)");
  });

  it('nothing is sent until somebody subscribes (policies apply per subscription)', async () => {
    const quote = consumer.get(QuotesClient).quote('LAZY');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(behaviour.calls).toBe(0);
    await firstValueFrom(quote);
    await firstValueFrom(quote);
    expect(behaviour.calls).toBe(2);
  });
});
