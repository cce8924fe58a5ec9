import { Logger } from '@nestjs/common';
import { isAllInstancesEjectedError, isNoInstancesError } from '@nestmesh/client';
import { messages } from '../errors/messages.constants.js';
import type { RouteTarget } from '../routing/compiled-route.js';

/**
 * Logs, once per outage, that a route's service has no instance to take its requests. The client only gets a
 * 503 problem that names nothing internal; this line names the service, the route and the reason for the
 * operator. The first failure of an outage logs (WARN), later ones stay silent until the service answers a
 * request again, which ends the outage (LOG). One entry per service client of the route table: bounded by the
 * configured routes. @internal
 */
export class ServiceOutages {
  private readonly down = new Set<string>();
  private readonly logger = new Logger('GatewayModule');

  /** Whether some service is in an outage (the request path checks this before anything else). */
  get active(): boolean {
    return this.down.size !== 0;
  }

  /** A request of `route` failed with `error`: the first "no instance" failure of an outage is logged. */
  failed(route: { readonly id: string; readonly target: RouteTarget }, error: unknown): void {
    const { target } = route;
    if (target.kind !== 'service' || !(isNoInstancesError(error) || isAllInstancesEjectedError(error))) return;
    if (this.down.has(target.clientKey)) return;
    this.down.add(target.clientKey);
    this.logger.warn(messages.serviceWithoutInstance(route.id, target.service, (error as Error).message));
  }

  /**
   * A leg of aggregation route `routeId` failed with `error`: the first "no instance" failure of an outage of its
   * client (`key`: the service, or `<service>:tcp` for its TCP messages) is logged, naming the leg.
   */
  legFailed(routeId: string, leg: string, service: string, key: string, error: unknown): void {
    if (!(isNoInstancesError(error) || isAllInstancesEjectedError(error)) || this.down.has(key)) return;
    this.down.add(key);
    this.logger.warn(messages.legWithoutInstance(routeId, leg, service, (error as Error).message));
  }

  /** A leg's client (`key`) got an answer: its outage, if any, is over. */
  legAnswered(key: string, service: string): void {
    if (this.down.delete(key)) this.logger.log(messages.serviceBack(service));
  }

  /** An instance of the service of `target` answered: its outage, if any, is over. */
  answered(target: RouteTarget): void {
    if (target.kind === 'service' && this.down.delete(target.clientKey)) this.logger.log(messages.serviceBack(target.service));
  }
}
