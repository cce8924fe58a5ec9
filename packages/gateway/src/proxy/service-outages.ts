import { Logger } from '@nestjs/common';
import { isAllInstancesEjectedError, isNoInstancesError } from '@nestmesh/client';
import { messages } from '../errors/messages.constants.js';
import type { CompiledRoute } from '../routing/compiled-route.js';

/**
 * Logs, once per outage, that a route's service has no instance to take its requests: the client's 503 names
 * nothing internal, this line names the service, route and reason for the operator (WARN), and the service's
 * next answer ends the outage (LOG). One entry per service client of the route table: bounded by the routes. @internal
 */
export class ServiceOutages {
  /** The service of each client key in an outage. */
  private readonly down = new Map<string, string>();
  private readonly logger = new Logger('GatewayModule');

  /**
   * A request of route `routeId` (its `leg`, on an aggregation route) through client `key` of `service` (for TCP
   * messages `<service>:tcp`) failed with `error`: the first "no instance" failure of an outage is logged.
   */
  failed(routeId: string, service: string, key: string, error: unknown, leg?: string): void {
    if (!(isNoInstancesError(error) || isAllInstancesEjectedError(error)) || this.down.has(key)) return;
    this.down.set(key, service);
    const reason = (error as Error).message;
    if (leg === undefined) this.logger.warn(messages.serviceWithoutInstance(routeId, service, reason));
    else this.logger.warn(messages.legWithoutInstance(routeId, leg, service, reason));
  }

  /** A request or upgrade of `route` failed with `error` (see {@link failed}; routes to a `url` have no outage). */
  routeFailed(route: CompiledRoute, error: unknown): void {
    if (route.target.kind === 'service') this.failed(route.id, route.target.service, route.target.clientKey, error);
  }

  /** Client `key` got an answer: its outage, if any, is over (on the request path: one lookup, mostly a miss). */
  answered(key: string): void {
    const service = this.down.get(key);
    if (service === undefined) return;
    this.down.delete(key);
    this.logger.log(messages.serviceBack(service));
  }
}
