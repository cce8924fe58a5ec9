import type { ModulesContainer } from '@nestjs/core';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { Subscription, type Observable } from 'rxjs';

/**
 * `Transport.TCP` of `@nestjs/microservices` (an enum value stable since Nest 5). The package is an optional
 * peer, so it is not imported; a spec checks this value against the real enum. @internal
 */
export const TCP_TRANSPORT_ID = 0;

/** What this file reads of a `@nestjs/microservices` server (`Server`, public API). @internal */
interface RpcTarget {
  transportId?: unknown;
  status?: Observable<string>;
  unwrap?<T>(): T;
}

/**
 * Follows the app's `@nestjs/microservices` servers through `ModulesContainer.getRpcTargetRegistry()` (filled by
 * `connectMicroservice()` and `createMicroservice()`) and learns each TCP server's address once it listens; the first
 * registered is `ports.tcp`. Ports are never forgotten: a server closing at shutdown must not rewrite a registration
 * being drained. @internal
 */
export class MicroserviceTransports {
  private readonly subscription = new Subscription();
  private readonly tcpServers: Array<{ address?: AddressInfo }> = [];

  constructor(private readonly modules: ModulesContainer) {}

  /** Starts following; `onChange` runs each time a TCP server starts listening. */
  start(onChange: () => void): void {
    this.subscription.add(
      this.modules.getRpcTargetRegistry<RpcTarget>().subscribe((target) => {
        if (target?.transportId !== TCP_TRANSPORT_ID || typeof target.unwrap !== 'function' || !target.status) return;
        const entry: { address?: AddressInfo } = {};
        this.tcpServers.push(entry);
        this.subscription.add(
          target.status.subscribe((status) => {
            if (status !== 'connected' || entry.address) return;
            const server = target.unwrap!<unknown>();
            const address = server instanceof NetServer ? server.address() : null;
            if (!address || typeof address !== 'object') return;
            entry.address = address;
            onChange();
          }),
        );
      }),
    );
  }

  /** True when the app has a TCP microservice server, listening yet or not. */
  get hasTcpServer(): boolean {
    return this.tcpServers.length > 0;
  }

  /** Address of the first TCP server that listens, once it does. */
  get tcpAddress(): AddressInfo | undefined {
    return this.tcpServers.find((entry) => entry.address)?.address;
  }

  /** The ports learnt so far: `{ tcp: <port> }` once a TCP server listens, else `{}`. */
  get ports(): Record<string, number> {
    const tcp = this.tcpAddress;
    return tcp ? { tcp: tcp.port } : {};
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}
