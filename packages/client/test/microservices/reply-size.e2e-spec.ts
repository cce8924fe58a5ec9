import { Controller, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { bootNestMicroservice, type BootedNestMicroservice } from '@nestmesh/testing';
import { firstValueFrom } from 'rxjs';
import { getServiceClientProxyToken, isReplyTooLargeError, type ServiceClientProxy } from '@nestmesh/client';
import { bootClientApp, rejection } from '../support/client-app.js';

/** A microservice answering `text` with `length` characters, and `hang` never (a message still waiting). */
@Controller()
class TextController {
  @MessagePattern('text')
  text(@Payload() length: number): string {
    return 'x'.repeat(length);
  }

  @MessagePattern('hang')
  hang(): Promise<string> {
    return new Promise<string>(() => undefined);
  }
}
@Module({ controllers: [TextController] })
class TextModule {}

const LIMIT = 100_000;

describe('ServiceClientProxy: a reply longer than maxReplySize is cut as it arrives (a real TCP microservice)', () => {
  let service: BootedNestMicroservice;
  let client: Awaited<ReturnType<typeof bootClientApp>>;
  let proxy: ServiceClientProxy;
  const text = (length: number) => firstValueFrom(proxy.send<string>('text', length));

  beforeAll(async () => {
    service = await bootNestMicroservice(TextModule);
    client = await bootClientApp({
      discovery: { registry: 'static', staticServices: { texts: [{ id: 'texts-1', address: '127.0.0.1', port: service.port, ports: { tcp: service.port } }] } },
      clients: { services: { texts: { maxReplySize: LIMIT, retry: false, deadline: 5_000 } } },
    });
    proxy = client.app.get<ServiceClientProxy>(getServiceClientProxyToken('texts'));
  });
  afterAll(async () => {
    await client?.close();
    await service?.close();
  });

  it('answers a reply within the limit', async () => {
    expect(await text(LIMIT / 2)).toHaveLength(LIMIT / 2);
  });

  it('fails a reply of 8 MiB with ReplyTooLargeError, naming the limit and the fix, and so every message waiting on that connection', async () => {
    const waiting = rejection(firstValueFrom(proxy.send<string>('hang', {})));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the hung message is out before the long reply starts
    const error = await rejection(text(8 * 1024 * 1024));
    expect(isReplyTooLargeError(error)).toBe(true);
    expect((error as Error).message).toBe(
      `A reply from instance texts-1 of "texts" grew past maxReplySize (${LIMIT} characters): its connection was closed. Raise services.texts.maxReplySize if such replies are expected.`,
    );
    // Nest's own client half-closes and waits for the peer: here the other message fails at once, not at its deadline.
    expect(isReplyTooLargeError(await waiting)).toBe(true);
  });

  it('answers the next message on a new connection', async () => {
    expect(await text(10)).toBe('x'.repeat(10));
  });
});
