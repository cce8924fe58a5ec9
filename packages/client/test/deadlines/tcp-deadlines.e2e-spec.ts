import { Controller, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { bootNestMicroservice, type BootedNestMicroservice } from '@nestmesh/testing';
import { firstValueFrom } from 'rxjs';
import { getServiceClientProxyToken, isServiceTimeoutError, type ServiceClientProxy } from '@nestmesh/client';
import { bootClientApp, rejection } from '../support/client-app.js';

/** How many "hang" messages the instance received. */
let hangs = 0;

@Controller()
class SlowController {
  @MessagePattern('hang')
  hang(): Promise<string> {
    hangs++;
    return new Promise(() => undefined);
  }

  @MessagePattern('ping')
  ping(): string {
    return 'pong';
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

describe('ServiceClientProxy: deadlines, attempt timeouts and unsubscription (real TCP microservice)', () => {
  let instance: BootedNestMicroservice;

  beforeAll(async () => {
    instance = await bootNestMicroservice(SlowModule);
  });
  afterAll(() => instance.close());

  const boot = (service: Record<string, unknown>) =>
    bootClientApp({
      discovery: { registry: 'static', staticServices: { slow: [{ id: 'slow-0', address: '127.0.0.1', port: instance.port, ports: { tcp: instance.port } }] } },
      clients: { services: { slow: service } },
    });

  it('errors at the deadline and at timeout.ms with ServiceTimeoutError, sending the message once; unsubscribing cancels', async () => {
    const app = await boot({ deadline: 300, retry: false });
    const timed = await boot({ timeout: { ms: 200 }, retry: false });
    try {
      const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('slow'));
      hangs = 0;
      const error = await rejection(firstValueFrom(proxy.send('hang', {})));
      expect(isServiceTimeoutError(error)).toBe(true);
      expect((error as Error).message).toMatch(/within the 300 ms deadline/);
      expect(hangs).toBe(1);

      const timedProxy = timed.app.get<ServiceClientProxy>(getServiceClientProxyToken('slow'));
      const attemptTimeout = await rejection(firstValueFrom(timedProxy.send('hang', {})));
      expect(isServiceTimeoutError(attemptTimeout)).toBe(true);
      expect(hangs).toBe(2);

      // An unsubscribed call settles nothing and leaves the proxy ready for the next message.
      const subscription = proxy.send('hang', {}).subscribe({ error: () => undefined });
      subscription.unsubscribe();
      await expect(firstValueFrom(proxy.send('ping', {}))).resolves.toBe('pong');
    } finally {
      await Promise.all([app.close(), timed.close()]);
    }
  });
  it('ends a message on the service deadline timer it shares with others, also when the message the timer was armed for left', async () => {
    const app = await boot({ deadline: 400, retry: false });
    try {
      const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('slow'));
      await expect(firstValueFrom(proxy.send('ping', {}))).resolves.toBe('pong'); // connected, discovery answered
      hangs = 0;
      // The first message arms the shared timer, then leaves; the second, started later, must still end at its own
      // deadline (the timer fires for the departed one, then re-arms for this one).
      const first = proxy.send('hang', {}).subscribe({ error: () => undefined });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = rejection(firstValueFrom(proxy.send('hang', {})));
      first.unsubscribe();
      const error = await second;
      expect(isServiceTimeoutError(error)).toBe(true);
      expect((error as Error).message).toMatch(/within the 400 ms deadline/);
      expect(hangs).toBe(2);
    } finally {
      await app.close();
    }
  }, 20_000);
});
