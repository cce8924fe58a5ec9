import type { ServiceClients, ServiceRequest, ServiceResponse } from '@nestmesh/client';
import type { EndpointLease, RelaySink } from '@nestmesh/client/relay';
import type { RouteTarget } from '../routing/compiled-route.js';
import type { ServiceOutages } from './service-outages.js';

/** An upstream's answer, its body not yet read. @internal */
export type UpstreamAnswer = Pick<ServiceResponse, 'status' | 'headers' | 'body'>;

/**
 * Sends forwarded requests through `@nestmesh/client`, one client per route target (`target.clientKey`): a
 * discovered service or a static `url` origin, with the same pool, deadline, retries, breaker, ejection and error
 * mapping. undici never follows redirects: a 3xx goes back to the client as it is. @internal
 */
export class Upstreams {
  constructor(
    /** The clients by `clientKey` (a service, or `url:<origin>`), and services' TCP clients (aggregation legs). */
    readonly clients: ServiceClients | undefined,
    private readonly outages?: ServiceOutages,
  ) {}

  /**
   * Where a WebSocket tunnel of `target` goes: an instance the balancer picked (ejected ones left out), in flight
   * until released. Rejects as a request does when no instance can take it.
   */
  async lease(target: RouteTarget): Promise<EndpointLease> {
    const lease = await this.clients!.get(target.clientKey).lease();
    if (this.outages?.active && target.kind === 'service') this.outages.answered(target.clientKey, target.service);
    return lease;
  }

  async send(target: RouteTarget, request: ServiceRequest): Promise<UpstreamAnswer> {
    const answer = await this.clients!.get(target.clientKey).request(request);
    if (this.outages?.active && target.kind === 'service') this.outages.answered(target.clientKey, target.service);
    return answer;
  }

  /**
   * Sends a request and relays the answer into `sink` through `ServiceClient.relay()`. Resolves once the answer
   * started into the sink; rejects when none could be had (or the sink refused it).
   */
  relay(target: RouteTarget, request: ServiceRequest, sink: RelaySink): Promise<unknown> {
    const relayed = this.clients!.get(target.clientKey).relay(request, sink);
    // Only a service ends an outage (a static origin has none): no extra step on a `url` route's path.
    if (target.kind !== 'service' || this.outages === undefined) return relayed;
    return relayed.then(() => this.outages!.active && this.outages!.answered(target.clientKey, target.service));
  }
}
