import type { BalancedEndpoint, LoadBalancingStrategy } from './load-balancing-strategy.interface.js';

/** A candidate chosen uniformly at random. */
export class RandomStrategy implements LoadBalancingStrategy {
  pick(candidates: readonly BalancedEndpoint[]): BalancedEndpoint {
    return candidates[Math.floor(Math.random() * candidates.length)];
  }
}
