import { Controller, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { bootNestMicroservice, type BootedNestMicroservice } from '@nestmesh/testing';
import { firstValueFrom } from 'rxjs';
import { getServiceClientProxyToken, isReplyTooLargeError, isServiceTimeoutError, isUpstreamUnreachableError, type ServiceClientProxy } from '@nestmesh/client';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
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

describe('ServiceClientProxy: a malformed reply frame closes the connection at once (a real TCP server that answers garbage)', () => {
  let server: Server;
  let port: number;
  let client: Awaited<ReturnType<typeof bootClientApp>>;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Answers every message with a frame whose length is not a number, and never closes on its own (half-open allowed):
    // a client that only half-closes waits for it until the deadline.
    server = createServer({ allowHalfOpen: true }, (socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('data', () => socket.write('not-a-length#{}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    client = await bootClientApp({
      discovery: { registry: 'static', staticServices: { garbled: [{ id: 'garbled-1', address: '127.0.0.1', port, ports: { tcp: port } }] } },
      clients: { services: { garbled: { retry: false, deadline: 5_000 } } },
    });
  });
  afterAll(async () => {
    await client?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('fails the message as unreachable (the instance\'s failure), not at its 5 s deadline', async () => {
    const proxy = client.app.get<ServiceClientProxy>(getServiceClientProxyToken('garbled'));
    const error = await rejection(firstValueFrom(proxy.send('anything', {})));
    expect(isServiceTimeoutError(error)).toBe(false);
    expect(isUpstreamUnreachableError(error)).toBe(true);
  });
});
