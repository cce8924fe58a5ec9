import { Logger } from '@nestjs/common';
import { isPort } from '@nestmesh/common';
import { ClientTCP } from '@nestjs/microservices';
import type { ServiceInstance } from '@nestmesh/discovery';
import type { ConnectionFactory } from '../balancer/connection-factory.interface.js';
import { messages } from '../errors/messages.constants.js';

/** The TCP port an instance registered (`ports.tcp`, from service meta `nestmesh-port-tcp`). */
const tcpPortOf = ({ ports }: ServiceInstance): number | undefined => (isPort(ports?.tcp) ? ports.tcp : undefined);

/** @internal A `ClientTCP` per instance with a TCP port; the others are left out (a warning once per instance). */
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
