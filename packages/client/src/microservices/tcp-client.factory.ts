import { Logger } from '@nestjs/common';
import { isPort } from '@nestmesh/common';
import { ClientTCP } from '@nestjs/microservices';
import type { ServiceInstance } from '@nestmesh/discovery';
import { defer, mergeMap, type Observable } from 'rxjs';
import type { ConnectionFactory } from '../balancer/connection-factory.interface.js';
import { messages } from '../errors/messages.constants.js';
import { ReplyTooLargeError } from '../errors/reply-too-large.error.js';

/** The TCP port an instance registered (`ports.tcp`, from service meta `nestmesh-port-tcp`). */
const tcpPortOf = ({ ports }: ServiceInstance): number | undefined => (isPort(ports?.tcp) ? ports.tcp : undefined);

/**
 * Nest's `ClientTCP` whose replies are read within `maxBufferSize`, whose `close()` closes the connection at once, and
 * whose connection closes at once on a framing error (Nest's JsonSocket reports those as the socket's error, a string; Nest's own client only half-closes, and
 * waits for the peer): the messages awaiting a reply on it fail with a {@link ReplyTooLargeError} for a frame past
 * `maxBufferSize`, with Nest's "Connection closed" for a malformed one. @internal
 */
export class BoundedClientTCP extends ClientTCP {
  private cut: ReplyTooLargeError | undefined;

  constructor(host: string, port: number, maxBufferSize: number, private readonly tooLarge: () => ReplyTooLargeError) {
    super({ host, port, maxBufferSize });
  }

  /**
   * `emit()` that connects and writes the event only while subscribed. Nest's own is hot: an event whose caller's
   * deadline ended while the connection was being made was still written once it was made.
   */
  emitWhileSubscribed<T>(pattern: unknown, data: unknown): Observable<T> {
    if (pattern === undefined || pattern === null || data === undefined || data === null) return this.emit<T>(pattern, data); // Nest's InvalidMessageException
    return defer(() => this.connect()).pipe(mergeMap(() => this.dispatchEvent(this.createPacket(pattern, data)) as Promise<T>));
  }

  override handleError(error: unknown): void {
    if (typeof error === 'string' && error.startsWith('The packet length')) this.cut = this.tooLarge();
    else super.handleError(error); // logged
    if (typeof error === 'string') this.socket?.netSocket.destroy();
  }

  /** Nest's close only half-closes (FIN) and waits for the peer: a peer that never closes its side held the socket for good. */
  override close(): void {
    const socket = this.socket?.netSocket;
    super.close();
    socket?.destroy();
  }

  override handleClose(): void {
    const cut = this.cut;
    this.cut = undefined;
    if (cut !== undefined) {
      const waiting = [...this.routingMap.values()];
      this.routingMap.clear();
      for (const callback of waiting) callback({ err: cut });
    }
    super.handleClose(); // the messages still waiting fail with Nest's "Connection closed"
  }
}

/**
 * @internal A `ClientTCP` per instance with a TCP port, its replies read within `maxReplySize` characters; the
 * instances without one are left out (a warning once per instance).
 */
export function tcpClientFactory(serviceName: string, maxReplySize: number): ConnectionFactory<BoundedClientTCP> {
  const warned = new Set<string>();
  const logger = new Logger('ServiceClientProxy');
  return {
    key: (instance) => `${instance.id}|${instance.address}|${tcpPortOf(instance) ?? '-'}`,
    create: (instance) => {
      const port = tcpPortOf(instance);
      if (port === undefined) {
        if (!warned.has(instance.id)) logger.warn(messages.noTcpPort(serviceName, instance.id, instance.meta?.['nestmesh-port-tcp']));
        warned.add(instance.id);
        return undefined;
      }
      return new BoundedClientTCP(instance.address, port, maxReplySize, () => new ReplyTooLargeError(messages.replyTooLarge(serviceName, instance.id, maxReplySize)));
    },
    close: async (client) => client.close(),
  };
}
