import type { BalancedEndpoint, LoadBalancingStrategy } from './load-balancing-strategy.interface.js';

/** The candidate with the fewest requests in flight; ties go to the first found from a random start. */
export class LeastRequestStrategy implements LoadBalancingStrategy {
  pick(candidates: readonly BalancedEndpoint[]): BalancedEndpoint {
    const count = candidates.length;
    const start = Math.floor(Math.random() * count);
    let best = candidates[start];
    for (let i = 1; i < count && best.inFlight > 0; i++) {
      const endpoint = candidates[(start + i) % count];
      if (endpoint.inFlight < best.inFlight) best = endpoint;
    }
    return best;
  }
}
