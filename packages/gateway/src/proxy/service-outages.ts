import { Logger } from '@nestjs/common';
import { isAllInstancesEjectedError, isNoInstancesError } from '@nestmesh/client';
import { messages } from '../errors/messages.constants.js';

/**
 * Logs, once per outage, that a route's service has no instance to take its requests: the client's 503 names
 * nothing internal, this line names the service, route and reason for the operator (WARN), and the service's
 * next answer ends the outage (LOG). One entry per service client of the route table: bounded by the routes. @internal
 */
export class ServiceOutages {
  private readonly down = new Set<string>();
  private readonly logger = new Logger('GatewayModule');

  /** Whether some service is in an outage (the request path checks this before anything else). */
  get active(): boolean {
    return this.down.size !== 0;
  }

  /**
   * A request of route `routeId` (its `leg`, on an aggregation route) through client `key` of `service` (for TCP
   * messages `<service>:tcp`) failed with `error`: the first "no instance" failure of an outage is logged.
   */
  failed(routeId: string, service: string, key: string, error: unknown, leg?: string): void {
    if (!(isNoInstancesError(error) || isAllInstancesEjectedError(error)) || this.down.has(key)) return;
    this.down.add(key);
    const reason = (error as Error).message;
    if (leg === undefined) this.logger.warn(messages.serviceWithoutInstance(routeId, service, reason));
    else this.logger.warn(messages.legWithoutInstance(routeId, leg, service, reason));
  }

  /** Client `key` of `service` got an answer: its outage, if any, is over. */
  answered(key: string, service: string): void {
    if (this.down.delete(key)) this.logger.log(messages.serviceBack(service));
  }
}
