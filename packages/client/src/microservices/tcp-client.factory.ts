import { Logger } from '@nestjs/common';
import { isPort } from '@nestmesh/common';
import { ClientTCP } from '@nestjs/microservices';
import type { ConnectionFactory } from '../balancer/connection-factory.interface.js';
import { messages } from '../errors/messages.constants.js';

/** @internal The TCP port an instance registered (`ports.tcp`, from service meta `nestmesh-port-tcp`). */
export function tcpPortOf(instance: { ports?: Readonly<Record<string, number>> }): number | undefined {
  const port = instance.ports?.tcp;
  return isPort(port) ? port : undefined;
}

/**
 * @internal One `@nestjs/microservices` `ClientTCP` per instance that registered a TCP port; instances without
 * one are left out (with a warning, once per instance).
 */
export function tcpClientFactory(serviceName: string): ConnectionFactory<ClientTCP> {
  const warned = new Set<string>();
  const logger = new Logger('ServiceClientProxy');
  return {
    key: (instance) => `${instance.id}|${instance.address}|${tcpPortOf(instance) ?? '-'}`,
    create: (instance) => {
      const port = tcpPortOf(instance);
      if (port === undefined) {
        if (!warned.has(instance.id)) logger.warn(messages.noTcpPort(serviceName, instance.id));
        warned.add(instance.id);
        return undefined;
      }
      return new ClientTCP({ host: instance.address, port });
    },
    close: async (client) => client.close(),
  };
}
