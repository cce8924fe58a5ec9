import type { ServiceClients } from '@nestmesh/client';
import { RelayAttempt, continueSkippingConnector, type RelaySink } from '@nestmesh/client/relay';
import type { ServiceDiscovery } from '@nestmesh/discovery';
import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import type { RouteTarget } from '../routing/compiled-route.js';
import type { ServiceOutages } from './service-outages.js';
import type { TunnelTarget } from './websocket-tunnel.js';

/** One request as forwarded. @internal */
export interface UpstreamRequest {
  readonly method: string;
  /** Encoded path and query. */
  readonly path: string;
  readonly headers: Record<string, string | string[]>;
  readonly body: Readable | undefined;
  /** Aborted when the client goes away (static targets; service calls end through the body and the deadline). */
  readonly signal: AbortSignal | undefined;
  /** Deadline of the call in ms. */
  readonly timeout: number | undefined;
}

/** An upstream's answer, its body not yet read. @internal */
export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Dispatcher.ResponseData['body'];
}

/** Time a static `url` target has to send its headers, and longest silence in its body, when the route sets no `timeout` (ms). */
const STATIC_DEADLINE = 10_000;

/**
 * Sends forwarded requests: to discovered services through `@nestmesh/client` (balancing, retries,
 * breaker, outlier ejection), to static `url` targets through an undici keep-alive `Pool` per origin.
 * undici never follows redirects: a 3xx goes back to the client as it is. @internal
 */
export class Upstreams {
  private readonly pools = new Map<string, Pool>();

  constructor(
    private readonly clients: ServiceClients | undefined,
    private readonly discovery: ServiceDiscovery | undefined,
    private readonly outages?: ServiceOutages,
  ) {}

  /** Where a WebSocket tunnel of `target` goes: the static origin, or a passing instance picked at random. */
  async tunnelTarget(target: RouteTarget): Promise<TunnelTarget | undefined> {
    if (target.kind === 'url') {
      const url = new URL(target.origin);
      return { host: url.hostname, port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80), tls: url.protocol === 'https:' };
    }
    const instances = (await this.discovery?.getInstances(target.service).catch(() => [])) ?? [];
    const instance = instances[Math.floor(Math.random() * instances.length)];
    return instance ? { host: instance.address, port: instance.port, tls: false } : undefined;
  }

  async send(target: RouteTarget, request: UpstreamRequest): Promise<UpstreamAnswer> {
    if (target.kind === 'service') {
      // No `signal` here: the client joins a caller's signal with its deadline through AbortSignal.any, which
      // retained about 1 KB per call under load (measured); a client that goes away ends the call through its
      // body stream instead, and the deadline bounds the rest.
      const answer = await this.clients!.get(target.clientKey).request({
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
        timeout: request.timeout,
      });
      if (this.outages?.active) this.outages.answered(target);
      return { status: answer.status, headers: answer.headers, body: answer.body };
    }
    const deadline = request.timeout ?? STATIC_DEADLINE;
    const data = await this.pool(target.origin).request({
      method: request.method as Dispatcher.HttpMethod,
      path: request.path,
      headers: request.headers,
      body: request.body,
      signal: request.signal,
      headersTimeout: deadline,
      bodyTimeout: deadline,
    });
    return { status: data.statusCode, headers: data.headers, body: data.body };
  }

  /**
   * Sends a request and relays the answer into `sink` (`@nestmesh/client`'s `RelaySink`): to a service through
   * `ServiceClient.relay()` (same balancing and resilience as `send`), to a static target through the same kind
   * of dispatch handler. Resolves once the answer started into the sink; rejects when none could be had (or the
   * sink refused it). `request.signal` aborts the exchange until then.
   */
  async relay(target: RouteTarget, request: UpstreamRequest, sink: RelaySink): Promise<void> {
    if (target.kind === 'service') {
      await this.clients!.get(target.clientKey).relay({ method: request.method, path: request.path, headers: request.headers, body: request.body, timeout: request.timeout, signal: request.signal }, sink);
      if (this.outages?.active) this.outages.answered(target);
      return;
    }
    const deadline = request.timeout ?? STATIC_DEADLINE;
    const attempt = new RelayAttempt(request.signal);
    this.pool(target.origin).dispatch(
      { method: request.method as Dispatcher.HttpMethod, path: request.path, headers: request.headers, body: request.body, headersTimeout: deadline, bodyTimeout: deadline },
      attempt,
    );
    (await attempt.answered).relayTo(sink);
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close().catch(() => pool.destroy())));
  }

  /** The keep-alive pool of a static origin, made on first use. */
  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      // An unsolicited `100 Continue` is skipped, as for services (@nestmesh/client's pools).
      pool = new Pool(origin, { connections: 64, keepAliveTimeout: 4_000, connect: continueSkippingConnector({ timeout: 2_000 }) });
      this.pools.set(origin, pool);
    }
    return pool;
  }
}
