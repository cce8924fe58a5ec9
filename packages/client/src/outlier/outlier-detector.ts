import type { OutlierDetectionOptions } from '../interfaces/outlier-detection-options.interface.js';
import type { Endpoint } from '../balancer/endpoint.js';

/** @internal Outlier detection options with every default filled in. */
export type ResolvedOutlierOptions = Required<OutlierDetectionOptions> & { enabled: boolean };

/** @internal The defaults documented on {@link OutlierDetectionOptions}. */
export const OUTLIER_DEFAULTS: ResolvedOutlierOptions = {
  enabled: true,
  consecutiveFailures: 5,
  baseEjectionTime: 10_000,
  maxEjectionTime: 300_000,
  maxEjectionPercent: 50,
  panicMode: true,
};

/**
 * @internal Passive health of one service's instances: consecutive failures eject an instance for
 * `baseEjectionTime × n` (n = ejections in a row, capped by `maxEjectionTime`), never more than
 * `maxEjectionPercent` of the instances at once. Returns whether the set of usable instances changed.
 */
export class OutlierDetector {
  constructor(private readonly options: ResolvedOutlierOptions) {}

  /** An answer that is not a failure: resets the count, and heals the multiplier of a long-healthy instance. */
  onSuccess(endpoint: Endpoint<unknown>, now: number): void {
    endpoint.consecutiveFailures = 0;
    if (endpoint.ejections > 0 && endpoint.ejectedUntil <= now && now - endpoint.returnedAt >= this.options.baseEjectionTime) {
      endpoint.ejections--;
      endpoint.returnedAt = now;
    }
  }

  /** A failure; ejects the instance when it reaches the threshold and the cap allows. True when it was ejected. */
  onFailure(endpoint: Endpoint<unknown>, all: readonly Endpoint<unknown>[], now: number): boolean {
    endpoint.consecutiveFailures++;
    if (!this.options.enabled || endpoint.consecutiveFailures < this.options.consecutiveFailures || endpoint.isEjected(now)) return false;
    let ejected = 0;
    for (const other of all) if (other.isEjected(now)) ejected++;
    if (ejected + 1 > this.maxEjected(all.length)) return false;
    endpoint.ejections++;
    const duration = Math.min(this.options.baseEjectionTime * endpoint.ejections, this.options.maxEjectionTime);
    endpoint.ejectedUntil = now + duration;
    endpoint.returnedAt = endpoint.ejectedUntil;
    endpoint.consecutiveFailures = 0;
    return true;
  }

  /** How many of `total` instances may be ejected at once: the percentage, but at least one of two or more. */
  maxEjected(total: number): number {
    const byPercent = Math.floor((total * this.options.maxEjectionPercent) / 100);
    return total >= 2 ? Math.max(1, byPercent) : byPercent;
  }
}
