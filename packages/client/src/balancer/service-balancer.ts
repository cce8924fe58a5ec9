import { Logger } from '@nestjs/common';
import { isPort, retryAfterMs } from '@nestmesh/common';
import { isInstanceAddress, type ServiceInstance } from '@nestmesh/discovery';
import type { Subscription } from 'rxjs';
import { AllInstancesEjectedError } from '../errors/all-instances-ejected.error.js';
import { messages } from '../errors/messages.constants.js';
import { NoInstancesError } from '../errors/no-instances.error.js';
import type { ResolvedServiceOptions } from '../options/resolve-service-options.js';
import { OutlierDetector } from '../outlier/outlier-detector.js';
import { candidatePools, earliest, type CandidatePools } from './candidate-pools.js';
import type { ConnectionFactory } from './connection-factory.interface.js';
import type { InstanceSource } from './instance-source.js';
import { Endpoint, weightOf } from './endpoint.js';

/** The longest wait an instance may ask for (`Retry-After`, a TCP rejection's `retryAfter`): 5 minutes. */
export const MAX_INSTANCE_WAIT_MS = 300_000;

/**
 * @internal The live instances of one service for one transport. Follows its instance source (discovery's watch,
 * or a static origin's one instance), opening a connection for each new instance and closing those of departed
 * ones; picks an instance per attempt through the strategy among the passing and warning, non-ejected ones that
 * did not ask to wait (see {@link CandidatePools}; panic mode: among the ejected ones when none is left).
 */
export class ServiceBalancer<C> {
  private endpoints: Endpoint<C>[] = [];
  /** The endpoints sorted into pools, until one changes pool. */
  private pools: CandidatePools<Endpoint<C>> | undefined;
  /** Keys of the instances skipped for an address that cannot be called (warned once each). */
  private skipped = new Set<string>();
  private loaded = false;
  private loading: Promise<void> | undefined;
  private subscription: Subscription | undefined;
  private closed = false;
  private readonly closing = new Set<Promise<void>>();
  private readonly logger = new Logger('ServiceClient');
  private readonly outlier: OutlierDetector;

  constructor(
    private readonly options: ResolvedServiceOptions,
    /** Where the instances come from: discovery, or a static origin's one instance. */
    readonly source: InstanceSource,
    private readonly connections: ConnectionFactory<C>,
  ) {
    this.outlier = new OutlierDetector(options.outlier);
  }

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
   * An endpoint for the next attempt. A first attempt picks among the healthy ones; when none is, among those
   * that asked to wait (sent anyway), then panic mode's reserve, else throws `NoInstancesError` /
   * `AllInstancesEjectedError`. A retry picks another instance than those in `tried` (healthy, then panic mode's
   * reserve, then the one waiting the least), or the same one again when it is the only instance the service has;
   * `undefined` when there is none. `now`: `performance.now()`, when the caller has it.
   */
  pick(key: string | undefined, tried: ReadonlySet<Endpoint<C>> | undefined, now = performance.now()): Endpoint<C> | undefined {
    const pools = this.poolsAt(now);
    let candidates = pools.healthy;
    if (tried !== undefined && tried.size > 0) {
      candidates = this.retryCandidates(pools, tried);
      if (candidates.length === 0) return undefined;
    } else if (candidates.length === 0) {
      candidates = this.fallbackCandidates(pools);
    }
    return this.options.strategy.pick(candidates, { key, now }) as Endpoint<C>;
  }

  /**
   * How long a retry would wait for an instance ({@link pick}'s choice for a retry), in whole ms: 0 when another
   * instance can take it now, the time until the first one that asked to wait may, `undefined` when none can.
   */
  retryWait(tried: ReadonlySet<Endpoint<C>>, now: number): number | undefined {
    const pools = this.poolsAt(now);
    const untried = (endpoint: Endpoint<C>) => !tried.has(endpoint);
    if (pools.healthy.some(untried) || (this.options.outlier.panicMode && pools.reserve.some(untried))) return 0;
    const [first] = this.retryCandidates(pools, tried);
    // Whole milliseconds up, so a timer of that length never fires early, but not for the float noise of
    // `(now + ms) - now` (1000.0000000004657): that would outgrow a `maxDelay` of exactly what was asked.
    return first === undefined ? undefined : Math.max(0, Math.ceil(first.notBefore - now - 1e-6));
  }

  /**
   * No new calls to the instance for `hint` after `now` (a `Retry-After` value or ms, at most 5 minutes; else nothing):
   * its `Retry-After`, or a TCP instance's resilience rejection. Other instances take the calls meanwhile.
   */
  defer(endpoint: Endpoint<C>, hint: unknown, now: number): void {
    const ms = retryAfterMs(hint);
    if (ms === undefined) return;
    const until = now + Math.min(ms, MAX_INSTANCE_WAIT_MS);
    if (until <= endpoint.notBefore) return;
    endpoint.notBefore = until;
    this.pools = undefined;
  }

  onSuccess(endpoint: Endpoint<C>, now: number): void {
    if (endpoint.consecutiveFailures !== 0 || endpoint.ejections !== 0) this.outlier.onSuccess(endpoint, now);
  }

  onFailure(endpoint: Endpoint<C>, now: number): void {
    if (this.outlier.onFailure(endpoint, this.endpoints, now)) {
      this.pools = undefined;
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
    this.pools = undefined;
    for (const endpoint of endpoints) this.closeConnection(endpoint.connection);
    await Promise.all(this.closing);
  }

  private async load(): Promise<void> {
    const { source, options: { serviceName } } = this;
    const instances = await source.instances();
    if (this.closed) return;
    this.apply(instances);
    this.loaded = true;
    this.subscription = source.watch?.().subscribe({
      // Nothing may throw inside the subscription: rxjs would rethrow it asynchronously, crashing the process.
      next: (list) => {
        try {
          this.apply(list);
        } catch (error) {
          this.logger.error(`Update of "${serviceName}" instances failed: ${(error as Error)?.message ?? String(error)}`);
        }
      },
      error: (error: Error) => this.logger.error(`Watch of "${serviceName}" failed: ${error.message}`),
    });
  }

  private apply(instances: readonly ServiceInstance[]): void {
    if (this.closed) return;
    const { connections } = this;
    const previous = new Map(this.endpoints.map((endpoint) => [connections.key(endpoint.instance), endpoint]));
    const next = new Map<string, Endpoint<C>>();
    const skipped = new Set<string>();
    for (const instance of instances) {
      const key = connections.key(instance);
      // One instance listed twice (its service ID on two Consul catalog nodes) is one endpoint: the first wins.
      if (next.has(key) || skipped.has(key)) continue;
      const kept = previous.get(key);
      if (kept) {
        previous.delete(key);
        kept.instance = instance;
        kept.weight = weightOf(instance);
        next.set(key, kept);
        continue;
      }
      const connection = this.connect(instance, key, skipped);
      if (connection !== undefined) next.set(key, new Endpoint(instance, connection));
    }
    for (const gone of previous.values()) this.closeConnection(gone.connection);
    this.skipped = skipped;
    this.endpoints = [...next.values()];
    this.pools = undefined;
    this.options.strategy.update?.(this.endpoints);
  }

  /**
   * A connection to a new instance, or `undefined`. Discovery hands out only usable addresses; should one slip
   * through (a custom registry), it is skipped with one warning, and nothing thrown inside the watch's subscription.
   */
  private connect(instance: ServiceInstance, key: string, skipped: Set<string>): C | undefined {
    let problem = 'its address or port cannot be called';
    if (isInstanceAddress(instance.address) && isPort(instance.port)) {
      try {
        return this.connections.create(instance);
      } catch (error) {
        problem = `no connection could be made (${(error as Error)?.message ?? String(error)})`;
      }
    }
    if (!this.skipped.has(key)) this.logger.warn(messages.unusableInstance(this.options.serviceName, instance.id, instance.address, instance.port, problem));
    skipped.add(key);
    return undefined;
  }

  private closeConnection(connection: C): void {
    const closing = this.connections.close(connection).catch(() => undefined);
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }

  private poolsAt(now: number): CandidatePools<Endpoint<C>> {
    if (this.pools !== undefined && now < this.pools.until) return this.pools;
    return (this.pools = candidatePools(this.endpoints, now));
  }

  /** A retry's candidates: see {@link pick}. */
  private retryCandidates(pools: CandidatePools<Endpoint<C>>, tried: ReadonlySet<Endpoint<C>>): Endpoint<C>[] {
    const untried = (endpoint: Endpoint<C>) => !tried.has(endpoint);
    let candidates = pools.healthy.filter(untried);
    if (candidates.length === 0 && this.options.outlier.panicMode) candidates = pools.reserve.filter(untried);
    if (candidates.length === 0) candidates = earliest(pools.waiting.filter(untried));
    if (candidates.length > 0) return candidates;
    // Else the service's one instance that could take a call (panic mode's reserve included), if it has exactly one.
    const callable = [...pools.healthy, ...pools.waiting, ...(this.options.outlier.panicMode ? pools.reserve : [])];
    return callable.length === 1 ? callable : [];
  }

  /** A first attempt's candidates when none is healthy: see {@link pick} (critical instances never are). */
  private fallbackCandidates(pools: CandidatePools<Endpoint<C>>): Endpoint<C>[] {
    const { serviceName } = this.options;
    const details = { serviceName, attempts: 0 };
    if (this.endpoints.length === 0) throw new NoInstancesError(messages.noInstances(serviceName, `none is registered in ${this.source.describe()}`), details);
    if (pools.waiting.length > 0) return pools.waiting;
    if (this.options.outlier.panicMode && pools.reserve.length > 0) return pools.reserve;
    if (pools.reserve.some((endpoint) => endpoint.isEjected(performance.now()))) throw new AllInstancesEjectedError(messages.allEjected(serviceName, this.endpoints.length), details);
    throw new NoInstancesError(messages.noInstances(serviceName, `none of its ${this.endpoints.length} instance(s) passes its health checks`), details);
  }
}
