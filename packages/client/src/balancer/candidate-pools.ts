import type { Endpoint } from './endpoint.js';

/**
 * @internal The endpoints of one service sorted by what they may take at one moment (Consul-critical ones are
 * in none of them: the registry says they cannot serve, so not even panic mode sends to them).
 */
export interface CandidatePools<E extends Endpoint<unknown>> {
  /** Passing or warning in the registry, not ejected, not waiting: what a call normally picks from. */
  readonly healthy: E[];
  /** As `healthy`, but asked for no new calls before `notBefore` (a `Retry-After`, a TCP instance's rejection). */
  readonly waiting: E[];
  /** Not critical, but left out by the client (ejected, or warning with `Weights.Warning` 0): panic mode's pool. */
  readonly reserve: E[];
  /** `performance.now()` time at which an endpoint changes pool (an ejection or a wait ends). */
  readonly until: number;
}

/** @internal Sorts `endpoints` into {@link CandidatePools} at `now` (the balancer caches the answer until `until`). */
export function candidatePools<E extends Endpoint<unknown>>(endpoints: readonly E[], now: number): CandidatePools<E> {
  const healthy: E[] = [];
  const waiting: E[] = [];
  const reserve: E[] = [];
  let until = Infinity;
  for (const endpoint of endpoints) {
    const { health, warningWeight } = endpoint.instance;
    if (health === 'critical') continue;
    if (endpoint.isEjected(now)) {
      until = Math.min(until, endpoint.ejectedUntil);
      reserve.push(endpoint);
    } else if (health === 'warning' && warningWeight === 0) {
      reserve.push(endpoint);
    } else if (endpoint.notBefore > now) {
      until = Math.min(until, endpoint.notBefore);
      waiting.push(endpoint);
    } else {
      healthy.push(endpoint);
    }
  }
  return { healthy, waiting, reserve, until };
}

/** @internal The endpoints of `list` that ask to wait the least (all of them when none waits). */
export function earliest<E extends Endpoint<unknown>>(list: readonly E[]): E[] {
  let first = Infinity;
  for (const endpoint of list) first = Math.min(first, endpoint.notBefore);
  return list.filter((endpoint) => endpoint.notBefore === first);
}
