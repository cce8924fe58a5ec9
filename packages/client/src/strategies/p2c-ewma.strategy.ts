import type { BalancedEndpoint, LoadBalancingStrategy, PickContext } from './load-balancing-strategy.interface.js';

/** Cost of an instance that never answered yet but has requests in flight (Finagle's penalty), in ms. */
const UNMEASURED_PENALTY = 1e6;

function cost(endpoint: BalancedEndpoint, now: number): number {
  const latency = endpoint.latency(now);
  if (latency === 0) return endpoint.inFlight === 0 ? 0 : UNMEASURED_PENALTY + endpoint.inFlight;
  return latency * (endpoint.inFlight + 1);
}

/**
 * Power of two choices over peak-EWMA latency (as Finagle and Linkerd do): two distinct candidates are drawn
 * at random and the cheaper one wins, cost being the latency estimate times (requests in flight + 1). The
 * estimate jumps up to a slow answer at once and decays back slowly, so a slow instance is avoided quickly and
 * probed again only now and then; a new instance (no estimate) is tried at once.
 */
export class P2cEwmaStrategy implements LoadBalancingStrategy {
  pick(candidates: readonly BalancedEndpoint[], context: PickContext): BalancedEndpoint {
    const count = candidates.length;
    if (count === 1) return candidates[0];
    const i = Math.floor(Math.random() * count);
    let j = Math.floor(Math.random() * (count - 1));
    if (j >= i) j++;
    const a = candidates[i];
    const b = candidates[j];
    return cost(b, context.now) < cost(a, context.now) ? b : a;
  }
}
