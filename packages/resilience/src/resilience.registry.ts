import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CircuitState, type CircuitBreakerPolicy, type IBreaker, type IDisposable } from 'cockatiel';
import { Subject, type Observable } from 'rxjs';
import type { ResilienceEvent, ResiliencePolicyKind } from './interfaces/resilience-event.interface.js';
import type { ResilienceModuleOptions } from './interfaces/resilience-module-options.interface.js';
import type { CircuitBreakerStateName, ResiliencePolicySnapshot } from './interfaces/resilience-policy-snapshot.interface.js';
import type { BulkheadGate } from './policies/bulkhead.gate.js';
import type { HalfOpenClock } from './policies/half-open.clock.js';
import { RESILIENCE_MODULE_OPTIONS } from './resilience.module-definition.js';
import { RESILIENCE_LOGGER_CONTEXT } from './resilience.constants.js';

/** @internal One policy known to the registry. */
export interface RegistryEntry {
  readonly kind: ResiliencePolicyKind;
  readonly name: string;
  readonly methods: Set<string>;
  /** A breaker: its cockatiel policy, the `IBreaker` counting its failures and its half-open clock. */
  breaker?: { readonly policy: CircuitBreakerPolicy; readonly breaker: IBreaker; readonly clock: HalfOpenClock };
  bulkhead?: BulkheadGate;
}

const STATE_NAMES: Record<CircuitState, CircuitBreakerStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/**
 * Lists every policy the decorators created, with its live state, and publishes their events.
 *
 * @example
 * constructor(private readonly registry: ResilienceRegistry) {}
 * openBreakers() { return this.registry.list().filter((p) => p.state === 'open'); }
 * // registry.events$.subscribe((event) => metrics.increment(`resilience.${event.type}`));
 */
@Injectable()
export class ResilienceRegistry implements OnApplicationShutdown {
  private readonly entries = new Map<string, RegistryEntry>();
  private readonly subject = new Subject<ResilienceEvent>();
  private readonly disposables: IDisposable[] = [];
  private readonly logger = new Logger(RESILIENCE_LOGGER_CONTEXT);

  /** Every event (break, half-open, reset, retry, rejection, timeout) as it happens. */
  readonly events$: Observable<ResilienceEvent> = this.subject.asObservable();

  constructor(@Inject(RESILIENCE_MODULE_OPTIONS) private readonly options: ResilienceModuleOptions) {}

  /** A snapshot of every policy: breaker states and recent failures, bulkhead occupancy. */
  list(): ResiliencePolicySnapshot[] {
    return [...this.entries.values()].map((entry) => this.snapshot(entry));
  }

  /** The snapshot of one policy by registry name (policy name or `Class.method`), optionally of one kind. */
  get(name: string, kind?: ResiliencePolicyKind): ResiliencePolicySnapshot | undefined {
    for (const entry of this.entries.values()) {
      if (entry.name === name && (kind === undefined || entry.kind === kind)) return this.snapshot(entry);
    }
    return undefined;
  }

  /**
   * The cockatiel breaker behind a registry name, to `isolate()` it by hand or read `lastFailure`.
   *
   * @example
   * const handle = registry.getCircuitBreaker('payments')?.isolate(); // ... later: handle.dispose()
   */
  getCircuitBreaker(name: string): CircuitBreakerPolicy | undefined {
    return this.entries.get(key('circuit-breaker', name))?.breaker?.policy;
  }

  /** @internal Finds or creates the entry of a policy and records the method using it. */
  attach(kind: ResiliencePolicyKind, name: string, method: string): { entry: RegistryEntry; created: boolean } {
    const id = key(kind, name);
    const existing = this.entries.get(id);
    const entry = existing ?? { kind, name, methods: new Set<string>() };
    if (existing === undefined) this.entries.set(id, entry);
    entry.methods.add(method);
    return { entry, created: existing === undefined };
  }

  /** @internal Keeps a cockatiel listener to dispose at shutdown. */
  track(disposable: IDisposable): void {
    this.disposables.push(disposable);
  }

  /** @internal Publishes an event and logs it once. */
  emit(event: Omit<ResilienceEvent, 'timestamp'>): void {
    const full: ResilienceEvent = { ...event, timestamp: Date.now() };
    if (this.options.logEvents !== false) this.log(full);
    this.subject.next(full);
  }

  /** Disposes cockatiel listeners and completes `events$`. */
  onApplicationShutdown(): void {
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.subject.complete();
  }

  private snapshot(entry: RegistryEntry): ResiliencePolicySnapshot {
    const base = { name: entry.name, kind: entry.kind, target: entry.name, methods: [...entry.methods] };
    if (entry.breaker) {
      return { ...base, state: STATE_NAMES[entry.breaker.policy.state], failures: recentFailures(entry.breaker.breaker) };
    }
    if (entry.bulkhead) return { ...base, bulkhead: entry.bulkhead.occupancy() };
    return base;
  }

  private log(event: ResilienceEvent): void {
    const where = event.method && event.method !== event.policy ? `${event.policy} (${event.method})` : event.policy;
    const reason = event.error instanceof Error ? `: ${event.error.message}` : '';
    switch (event.type) {
      case 'break':
        return this.logger.warn(`Circuit breaker ${where} opened${reason}`);
      case 'half-open':
        return this.logger.log(`Circuit breaker ${where} is half-open: letting a probe through`);
      case 'reset':
        return this.logger.log(`Circuit breaker ${where} closed again`);
      case 'retry':
        return this.logger.warn(`Retrying ${where} (attempt ${event.attempt ?? '?'}) in ${event.delay ?? 0} ms${reason}`);
      case 'rejection':
        return this.logger.warn(`Bulkhead ${where} is full: call rejected`);
      case 'timeout':
        return this.logger.warn(`Timeout of ${where}${reason}`);
    }
  }
}

const key = (kind: ResiliencePolicyKind, name: string): string => `${kind}:${name}`;

/** Recent failures of a breaker: a `ConsecutiveBreaker`'s count, or the failures in a `WindowBreaker`'s window. */
const recentFailures = ({ state }: IBreaker): number =>
  typeof state === 'number' ? state : (state as { failures: number }).failures;
