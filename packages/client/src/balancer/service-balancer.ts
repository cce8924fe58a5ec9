import { Logger } from '@nestjs/common';
import type { ServiceDiscovery, ServiceInstance } from '@nestmesh/discovery';
import type { Subscription } from 'rxjs';
import { AllInstancesEjectedError } from '../errors/all-instances-ejected.error.js';
import { messages } from '../errors/messages.constants.js';
import { NoInstancesError } from '../errors/no-instances.error.js';
import type { OutlierDetector } from '../outlier/outlier-detector.js';
import type { LoadBalancingStrategy } from '../strategies/load-balancing-strategy.interface.js';
import type { ConnectionFactory } from './connection-factory.interface.js';
import { Endpoint, weightOf } from './endpoint.js';

/** @internal What a balancer needs. */
export interface ServiceBalancerOptions<C> {
  readonly serviceName: string;
  readonly tags: string[];
  readonly discovery: ServiceDiscovery;
  readonly connections: ConnectionFactory<C>;
  readonly strategy: LoadBalancingStrategy;
  readonly outlier: OutlierDetector;
  readonly panicMode: boolean;
}

/**
 * @internal The live instances of one service for one transport. Follows discovery's watch, opening a
 * connection for each new instance and closing those of departed ones; picks an instance per attempt through
 * the strategy among the passing, non-ejected ones (panic mode: among all when none is left).
 */
export class ServiceBalancer<C> {
  private endpoints: Endpoint<C>[] = [];
  private healthy: Endpoint<C>[] | undefined;
  /** Earliest time an ejected endpoint comes back, when `healthy` must be recomputed. */
  private nextReturn = Infinity;
  private loaded = false;
  private loading: Promise<void> | undefined;
  private subscription: Subscription | undefined;
  private closed = false;
  private readonly closing = new Set<Promise<void>>();
  private readonly logger = new Logger('ServiceClient');

  constructor(private readonly options: ServiceBalancerOptions<C>) {}

  /** True once discovery answered for the service. */
  get isReady(): boolean {
    return this.loaded;
  }

  /** Resolves once discovery answered for the service (the first call waits; later ones do not). */
  ready(): Promise<void> | undefined {
    if (this.loaded) return undefined;
    this.loading ??= this.load().finally(() => (this.loading = undefined));
    return this.loading;
  }

  /** All known endpoints (ejected ones included). */
  all(): readonly Endpoint<C>[] {
    return this.endpoints;
  }

  /**
   * An endpoint for the next attempt, not in `tried`. Throws `NoInstancesError` / `AllInstancesEjectedError`
   * when none can be had on a first attempt; returns `undefined` when only tried ones are left.
   */
  pick(key: string | undefined, tried: ReadonlySet<Endpoint<C>> | undefined): Endpoint<C> | undefined {
    const now = performance.now();
    let candidates = this.healthyAt(now);
    if (tried !== undefined && tried.size > 0) {
      candidates = candidates.filter((endpoint) => !tried.has(endpoint));
      if (candidates.length === 0 && this.options.panicMode) candidates = this.endpoints.filter((endpoint) => !tried.has(endpoint));
      if (candidates.length === 0) return undefined;
    } else if (candidates.length === 0) {
      candidates = this.panicCandidates();
    }
    return this.options.strategy.pick(candidates, { key, now }) as Endpoint<C>;
  }

  /** Whether an endpoint other than those in `tried` could take a retry. */
  hasUntried(tried: ReadonlySet<Endpoint<C>>): boolean {
    const pool = this.options.panicMode ? this.endpoints : this.healthyAt(performance.now());
    return pool.some((endpoint) => !tried.has(endpoint));
  }

  onSuccess(endpoint: Endpoint<C>, now: number): void {
    if (endpoint.consecutiveFailures !== 0 || endpoint.ejections !== 0) this.options.outlier.onSuccess(endpoint, now);
  }

  onFailure(endpoint: Endpoint<C>, now: number): void {
    if (this.options.outlier.onFailure(endpoint, this.endpoints, now)) {
      this.healthy = undefined;
      this.logger.warn(
        `Ejected ${this.options.serviceName} instance ${endpoint.instance.id} (${endpoint.instance.address}:${endpoint.instance.port}) ` +
          `for ${Math.round(endpoint.ejectedUntil - now)} ms after consecutive failures.`,
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
    const endpoints = this.endpoints;
    this.endpoints = [];
    this.healthy = undefined;
    for (const endpoint of endpoints) this.closeConnection(endpoint.connection);
    await Promise.all(this.closing);
  }

  private async load(): Promise<void> {
    const { discovery, serviceName, tags } = this.options;
    const instances = await discovery.getInstances(serviceName, { tags, passingOnly: false });
    if (this.closed) return;
    this.apply(instances);
    this.loaded = true;
    this.subscription = discovery.watch(serviceName, { tags, passingOnly: false }).subscribe({
      next: (list) => this.apply(list),
      error: (error: Error) => this.logger.error(`Watch of "${serviceName}" failed: ${error.message}`),
    });
  }

  private apply(instances: readonly ServiceInstance[]): void {
    if (this.closed) return;
    const { connections } = this.options;
    const previous = new Map(this.endpoints.map((endpoint) => [connections.key(endpoint.instance), endpoint]));
    const next: Endpoint<C>[] = [];
    for (const instance of instances) {
      const key = connections.key(instance);
      const kept = previous.get(key);
      if (kept) {
        previous.delete(key);
        kept.instance = instance;
        kept.weight = weightOf(instance);
        next.push(kept);
        continue;
      }
      const connection = connections.create(instance);
      if (connection !== undefined) next.push(new Endpoint(instance, connection));
    }
    for (const gone of previous.values()) this.closeConnection(gone.connection);
    this.endpoints = next;
    this.healthy = undefined;
    this.options.strategy.update?.(next);
  }

  private closeConnection(connection: C): void {
    const closing = this.options.connections.close(connection).catch(() => undefined);
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }

  private healthyAt(now: number): Endpoint<C>[] {
    if (this.healthy !== undefined && now < this.nextReturn) return this.healthy;
    let nextReturn = Infinity;
    const healthy: Endpoint<C>[] = [];
    for (const endpoint of this.endpoints) {
      if (endpoint.isEjected(now)) nextReturn = Math.min(nextReturn, endpoint.ejectedUntil);
      else if (endpoint.instance.health === 'passing') healthy.push(endpoint);
    }
    this.nextReturn = nextReturn;
    this.healthy = healthy;
    return healthy;
  }

  /** No healthy endpoint: all of them in panic mode, else an error saying why. */
  private panicCandidates(): Endpoint<C>[] {
    const { serviceName, panicMode } = this.options;
    const details = { serviceName, attempts: 0 };
    if (this.endpoints.length === 0) throw new NoInstancesError(messages.noInstances(serviceName, `none is registered in ${this.options.discovery.describeRegistry()}`), details);
    if (panicMode) return this.endpoints;
    const now = performance.now();
    if (this.endpoints.some((endpoint) => endpoint.isEjected(now))) throw new AllInstancesEjectedError(messages.allEjected(serviceName, this.endpoints.length), details);
    throw new NoInstancesError(messages.noInstances(serviceName, `none of its ${this.endpoints.length} instance(s) passes its health checks`), details);
  }
}
