import { Controller, Module } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { bootNestMicroservice, type BootedNestMicroservice } from '@nestmesh/testing';
import { firstValueFrom } from 'rxjs';
import { getServiceClientProxyToken, isServiceTimeoutError, type ServiceClientProxy } from '@nestmesh/client';
import { bootClientApp } from '../support/client-app.js';

/** A microservice whose "work" answers with its label at once, or never (`hangs`). */
function workModule(label: string, hangs: boolean) {
  @Controller()
  class WorkController {
    @MessagePattern('work')
    work(): Promise<string> | string {
      return hangs ? new Promise<string>(() => undefined) : label;
    }
  }
  @Module({ controllers: [WorkController] })
  class WorkModule {}
  return WorkModule;
}

/**
 * HTTP and TCP share one attempt loop: a TCP attempt that hit `timeout.ms` counts as that instance's latency, as an
 * HTTP one does, so `p2c-ewma` steers away from an instance that hangs (before the loop was shared, TCP left it
 * unmeasured: cost 0, the cheapest pick, chosen again and again).
 */
describe('ServiceClientProxy: a timed-out attempt is the instance\'s latency (real TCP microservices)', () => {
  let fast: BootedNestMicroservice;
  let hung: BootedNestMicroservice;

  beforeAll(async () => {
    fast = await bootNestMicroservice(workModule('fast', false));
    hung = await bootNestMicroservice(workModule('hung', true));
  });
  afterAll(async () => {
    await fast?.close();
    await hung?.close();
  });

  it('p2c-ewma sends no more messages to an instance after one timed out there', async () => {
    const instance = (id: string, port: number) => ({ id, address: '127.0.0.1', port, ports: { tcp: port } });
    const app = await bootClientApp({
      discovery: { registry: 'static', staticServices: { work: [instance('fast', fast.port), instance('hung', hung.port)] } },
      // No ejection and no retry: only the latency estimate can steer the picks.
      clients: { services: { work: { strategy: 'p2c-ewma', timeout: { ms: 500 }, retry: false, outlierDetection: false } } },
    });
    try {
      const proxy = app.app.get<ServiceClientProxy>(getServiceClientProxyToken('work'));
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i++) {
        outcomes.push(
          await firstValueFrom(proxy.send<string>('work', {})).catch((error: unknown) => {
            if (!isServiceTimeoutError(error)) throw error;
            return 'timeout';
          }),
        );
      }
      // At most the first pick of "hung" times out (both start unmeasured); every later message goes to "fast".
      expect(outcomes.filter((outcome) => outcome === 'timeout').length).toBeLessThanOrEqual(1);
      expect(outcomes.filter((outcome) => outcome === 'fast').length).toBeGreaterThanOrEqual(11);
    } finally {
      await app.close();
    }
  });
});
