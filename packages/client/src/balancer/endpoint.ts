import type { ServiceInstance } from '@nestmesh/discovery';
import type { BalancedEndpoint } from '../strategies/load-balancing-strategy.interface.js';

/** Decay time of the peak-EWMA latency estimate, in ms (Finagle's and Linkerd's default). */
const DECAY_MS = 10_000;
/**
 * Each answer moves the estimate at least this much of the way towards it. With a purely time-based weight, an
 * instance answering every millisecond would keep one latency spike for seconds; this lets a fast instance
 * recover from a spike within a few answers, while an idle instance still decays with DECAY_MS.
 */
const MIN_STEP = 0.1;

/**
 * @internal The weight of an instance: Consul's `Weights.Passing`, or `Weights.Warning` while it is in `warning`;
 * 1 when discovery carries none (a warning instance of weight 0 is left to panic mode, where it counts as 1).
 */
export function weightOf(instance: ServiceInstance): number {
  const weight = instance.health === 'warning' ? instance.warningWeight : (instance as { weight?: unknown }).weight;
  return typeof weight === 'number' && Number.isFinite(weight) && weight >= 1 ? weight : 1;
}

/**
 * @internal One instance of a service with its connection (an undici pool, a TCP client), its live load and
 * latency estimate, and its outlier state. Times are `performance.now()` milliseconds.
 */
export class Endpoint<C> implements BalancedEndpoint {
  inFlight = 0;
  weight: number;
  /** Failures in a row (connect errors, resets, timeouts, 5xx). */
  consecutiveFailures = 0;
  /** Ejected until this time (0: not ejected). */
  ejectedUntil = 0;
  /** Ejection multiplier: how many times in a row it was ejected. */
  ejections = 0;
  /** When it last came back from an ejection. */
  returnedAt = 0;
  /** Takes no new call before this time while another instance can (its `Retry-After`, a TCP rejection's `retryAfter`). */
  notBefore = 0;
  private estimate = 0;
  private stamp = 0;

  constructor(
    public instance: ServiceInstance,
    readonly connection: C,
  ) {
    this.weight = weightOf(instance);
  }

  latency(now: number): number {
    if (this.estimate === 0) return 0;
    // Decays towards 0 while nothing is observed, so an instance avoided for being slow is probed again later.
    return this.estimate * Math.exp(-Math.max(0, now - this.stamp) / DECAY_MS);
  }

  /** Peak EWMA: a slower answer than the estimate replaces it at once; a faster one pulls it down by a decayed weight. */
  observe(rtt: number, now: number): void {
    // One decay for both uses (the estimate as latency() gives it, and the weight): one Math.exp per answer.
    const decay = Math.exp(-Math.max(0, now - this.stamp) / DECAY_MS);
    const w = Math.min(1 - MIN_STEP, decay);
    if (rtt > this.estimate * decay) this.estimate = rtt;
    else this.estimate = this.estimate * w + rtt * (1 - w);
    this.stamp = now;
  }

  isEjected(now: number): boolean {
    return this.ejectedUntil > now;
  }
}
